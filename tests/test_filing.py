"""Filing through the real views (CSRF on): what is stored, and what bad input gets."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from intake.audit.models import AuditEvent
from intake.complaints.models import Complaint, Draft
from intake.extensions import db
from tests.conftest import csrf_token
from tests.filing import (
    VALID_ANSWERS,
    error_messages,
    file_complaint,
    fill_all_steps,
    post_step,
    submit,
)


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_filing_stores_everything_in_one_complaint(app, client):
    tracking, code = file_complaint(client)
    with app.app_context():
        complaint = db.session.execute(select(Complaint)).scalar_one()
        assert complaint.tracking_number == tracking
        assert complaint.status == "received" and complaint.channel == "web"
        assert complaint.language == "en"
        assert complaint.incident_date == date(2025, 6, 16)
        assert complaint.incident_date_precision == "day"
        assert complaint.incident_county_fips == "48479"
        assert sorted(a.category for a in complaint.allegations) == [
            "due_process_overdetention",
            "racial_profiling",
        ]
        assert sorted(a.agency for a in complaint.agencies) == ["ice", "local_police"]
        filer, affected = complaint.person("filer"), complaint.person("affected")
        assert filer.email == "rosa.canary@example.org" and filer.phone == "+15125550142"
        assert affected.a_number == "A123456789"
        assert affected.date_of_birth == date(1988, 3, 14)
        assert affected.consent_attested is True
        # Only a hash of the access code is stored.
        assert code not in complaint.access_code_hash
        event = db.session.execute(select(AuditEvent)).scalar_one()
        assert (event.action, event.object_id) == ("complaint.submitted", complaint.id)
        assert "Canary" not in str(event.details)


def test_tracking_numbers_are_random_and_not_sequential(app):
    numbers = set()
    for _ in range(3):
        client = app.test_client()
        numbers.add(file_complaint(client)[0])
    assert len(numbers) == 3
    assert all(len(n) == 11 and n[5] == "-" for n in numbers)


def test_month_and_year_is_enough_for_the_incident_date(app, client):
    file_complaint(client, {"incident": {"incident_day": ""}})
    with app.app_context():
        complaint = db.session.execute(select(Complaint)).scalar_one()
        assert complaint.incident_date == date(2025, 6, 1)
        assert complaint.incident_date_precision == "month"


def test_anonymous_filer_keeps_no_contact_details(app, client):
    anonymous = {
        "relationship": "self",
        "anonymous": "y",
        "name": "",
        "email": "",
        "phone": "",
        "contact_method": "",
    }
    file_complaint(client, {"filer": anonymous})
    with app.app_context():
        complaint = db.session.execute(select(Complaint)).scalar_one()
        filer = complaint.person("filer")
        assert complaint.anonymous and filer.name is None and filer.email is None
        assert filer.contact_method == "none"
        # Filing for oneself: the affected person's name is not asked separately.
        assert complaint.person("affected").name is None


FUTURE = date.today() + timedelta(days=40)

BAD_INPUT = [
    ("story", {"narrative": ""}, "Tell us what happened."),
    ("story", {"narrative": "x" * 10_001}, "use 10,000 characters or fewer"),
    ("affected", {"a_number": "B12345"}, "letter A followed by 8 or 9 digits"),
    ("affected", {"a_number": "A1234567"}, "letter A followed by 8 or 9 digits"),
    ("affected", {"dob_day": ""}, "Enter the day."),
    ("affected", {"dob_month": "2", "dob_day": "30"}, "Enter a real date."),
    (
        "incident",
        {
            "incident_year": str(FUTURE.year),
            "incident_month": str(FUTURE.month),
            "incident_day": str(FUTURE.day),
        },
        "cannot be in the future",
    ),
    ("incident", {"incident_year": "", "incident_day": ""}, "Enter the year."),
    ("incident", {"incident_county": "06037"}, "Choose one of the options in the list."),
    ("filer", {"email": "not-an-email"}, "Enter an email address like name@example.com."),
    ("filer", {"phone": "12"}, "Enter a phone number with its area code"),
    ("filer", {"relationship": ""}, "Tell us who is filing this complaint."),
    ("filer", {"anonymous": "y"}, "You chose to file without your name"),
    ("filer", {"contact_method": "phone", "phone": ""}, "Enter your phone number"),
    ("allegations", {"allegations": []}, "Choose at least one thing that happened."),
    ("consent", {"privacy_consent": ""}, "Choose whether we may share the identity."),
]


@pytest.mark.parametrize(("step", "bad", "message"), BAD_INPUT)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_lost(
    app, client, step, bad, message
):
    fill_all_steps(client)
    answers = {**VALID_ANSWERS[step], **bad}
    response = post_step(client, step, answers)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert any(message in m for m in error_messages(html)), error_messages(html)
    assert 'aria-invalid="true"' in html or "usa-form-group--error" in html
    # What was typed comes back, valid or not.
    typed = {
        k: v for k, v in bad.items() if k != "incident_county"
    }  # a select keeps no stray value
    for value in (v for v in typed.values() if isinstance(v, str) and 2 < len(v) < 200):
        assert value in html
    # The review refuses to submit, and nothing was stored as a complaint.
    review = client.get("/file/review").get_data(as_text=True)
    assert "Submit complaint" not in review
    assert submit(client).status_code == 302
    assert count(app, Complaint) == 0


def test_back_keeps_answers_without_validating(client):
    post_step(client, "filer", VALID_ANSWERS["filer"])
    response = post_step(client, "affected", {"a_number": "not-valid", "name": "Keep Me"}, "back")
    assert response.status_code == 302 and response.headers["Location"].endswith("/file/filer")
    page = client.get("/file/affected").get_data(as_text=True)
    assert "not-valid" in page and "Keep Me" in page
    page = client.get("/file/filer").get_data(as_text=True)
    assert "rosa.canary@example.org" in page


def test_double_submit_creates_one_complaint_and_the_same_confirmation(app, client):
    fill_all_steps(client)
    token = csrf_token(client, "/status/")
    first = client.post("/file/submit", data={"csrf_token": token})
    page_one = client.get("/file/confirmation").get_data(as_text=True)
    second = client.post("/file/submit", data={"csrf_token": token})
    page_two = client.get("/file/confirmation").get_data(as_text=True)
    assert first.status_code == second.status_code == 302
    assert count(app, Complaint) == 1
    assert page_one == page_two and 'id="access-code"' in page_one


def test_submit_without_csrf_token_is_refused_and_stores_nothing(app, client):
    fill_all_steps(client)
    response = client.post("/file/submit", data={})
    assert response.status_code == 400
    assert "Please try again" in response.get_data(as_text=True)
    assert count(app, Complaint) == 0


def test_expired_draft_cannot_be_submitted(app, client):
    fill_all_steps(client)
    token = csrf_token(client, "/status/")
    with app.app_context():
        draft = db.session.execute(select(Draft)).scalar_one()
        draft.expires_at = draft.expires_at - timedelta(days=30)
        db.session.commit()
    response = client.post("/file/submit", data={"csrf_token": token})
    assert response.status_code == 410
    assert count(app, Complaint) == 0


def test_drafts_live_on_the_server_not_in_the_cookie(app, client):
    post_step(client, "filer", VALID_ANSWERS["filer"])
    cookie = client.get_cookie("intake_session")
    assert cookie is not None
    assert "rosa" not in cookie.value.lower() and len(cookie.value) < 400
    with app.app_context():
        draft = db.session.execute(select(Draft)).scalar_one()
        assert draft.answers["filer"]["email"] == ["rosa.canary@example.org"]


def test_two_simultaneous_submits_of_one_draft_create_one_complaint(app, client, live_server):
    import threading

    import httpx

    fill_all_steps(client)
    token = csrf_token(client, "/status/")
    cookie = client.get_cookie("intake_session").value
    results = []
    barrier = threading.Barrier(2)

    def post():
        with httpx.Client(base_url=live_server, cookies={"intake_session": cookie}) as http:
            barrier.wait()
            results.append(http.post("/file/submit", data={"csrf_token": token}))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [r.status_code for r in results] == [302, 302]
    assert {r.headers["Location"] for r in results} == {"/file/confirmation"}
    assert count(app, Complaint) == 1
