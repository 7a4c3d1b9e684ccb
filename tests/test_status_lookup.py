"""The complainant's status page: generic on a wrong pair, rate-limited, nothing in URLs."""

import pytest
from sqlalchemy import select

from intake.complaints.models import Complaint
from intake.extensions import db
from intake.review.models import Message
from tests.conftest import csrf_token
from tests.filing import error_messages, file_complaint

NOT_FOUND = "We could not find a complaint with that tracking number and access code."


def look_up(client, tracking, code):
    token = csrf_token(client, "/status/")
    return client.post(
        "/status/", data={"csrf_token": token, "tracking_number": tracking, "access_code": code}
    )


def test_right_pair_shows_status_date_and_messages(app, client):
    tracking, code = file_complaint(client)
    with app.app_context():
        complaint = db.session.execute(select(Complaint)).scalar_one()
        db.session.add(
            Message(complaint_id=complaint.id, direction="to_complainant", body="Please call us.")
        )
        db.session.commit()
    visitor = app.test_client()
    # Typed loosely: lower case, spaces instead of dashes.
    response = look_up(visitor, tracking.lower().replace("-", " "), code.lower())
    assert response.status_code == 302
    assert tracking not in response.headers["Location"]
    page = visitor.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert 'id="public-status">Received<' in html
    assert "Please call us." in html
    # Nothing personal beyond the status: not the narrative, not the names.
    assert "Canary" not in html and "tail light" not in html


@pytest.mark.parametrize("wrong", ["unknown-tracking", "wrong-code"])
def test_wrong_pair_gets_one_generic_message(app, client, wrong):
    tracking, code = file_complaint(client)
    visitor = app.test_client()
    if wrong == "unknown-tracking":
        response = look_up(visitor, "ZZZZZ-ZZZZZ", code)
    else:
        response = look_up(visitor, tracking, "AAAA-BBBB-CCCC-DDDD")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert NOT_FOUND in html
    assert tracking not in html.replace(f'value="{tracking}"', "")


def test_empty_fields_are_explained(client):
    response = look_up(client, "", "")
    messages = error_messages(response.get_data(as_text=True))
    assert "Enter your tracking number." in messages
    assert "Enter your access code." in messages


def test_repeated_wrong_tries_are_rate_limited(app, client):
    tracking, code = file_complaint(client)
    attacker = app.test_client()
    limit = app.config["LOOKUP_MAX_FAILURES"]
    for _ in range(limit):
        assert look_up(attacker, tracking, "AAAA-BBBB-CCCC-DDDD").status_code == 200
    blocked = look_up(attacker, tracking, "AAAA-BBBB-CCCC-DDDD")
    assert blocked.status_code == 429
    assert "Too many tries" in blocked.get_data(as_text=True)
    # Even the right code is refused from that address until the window passes.
    assert look_up(attacker, tracking, code).status_code == 429
    # Another address is not punished for the attacker's tries.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert look_up(other, tracking, code).status_code == 302


def test_status_page_needs_a_lookup_first(client):
    response = client.get("/status/case")
    assert response.status_code == 302 and response.headers["Location"].endswith("/status/")
