"""Values a red-team pass found giving bare errors: each gets a field error or a 404, the draft
keeps working, and nothing typed is lost."""

import pytest
from sqlalchemy import select

from intake.complaints.models import Complaint
from intake.extensions import db
from tests.filing import VALID_ANSWERS, error_messages, fill_all_steps, post_step, submit
from tests.staff import staff_client
from tests.test_case_page import case_page, filed_case, post, version_in

HUGE = "9" * 20


@pytest.mark.parametrize(
    ("step", "field", "message"),
    [
        ("affected", "dob_day", "Enter the day as a number, like 15."),
        ("affected", "dob_year", "Enter the year as 4 digits, like 2024."),
        ("incident", "incident_day", "Enter the day as a number, like 15."),
        ("incident", "incident_year", "Enter the year as 4 digits, like 2024."),
    ],
)
def test_a_huge_number_in_a_date_box_is_a_field_error_and_the_draft_still_submits(
    client, step, field, message
):
    fill_all_steps(client)
    response = post_step(client, step, {**VALID_ANSWERS[step], field: HUGE})
    assert response.status_code == 200
    assert message in error_messages(response.get_data(as_text=True))
    # What was typed is shown back, and the review page still opens.
    assert HUGE in response.get_data(as_text=True)
    assert client.get("/file/review").status_code == 200
    post_step(client, step, VALID_ANSWERS[step])
    assert submit(client).status_code == 302


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x9b"])
def test_control_characters_in_text_are_a_field_error_and_the_text_is_kept(client, character):
    typed = f"He was stopped{character} at the bridge."
    fill_all_steps(client)
    response = post_step(client, "story", {**VALID_ANSWERS["story"], "narrative": typed})
    assert response.status_code == 200
    messages = error_messages(response.get_data(as_text=True))
    assert any("character" in message for message in messages), messages
    # The rest of what was typed is shown back (the character itself may not be printable).
    assert "at the bridge." in response.get_data(as_text=True)
    # The draft kept the text without the character: the step is complete, the filing goes in.
    assert client.get("/file/review").status_code == 200
    response = submit(client)
    assert response.headers["Location"].endswith("/file/confirmation")


def test_a_bidirectional_override_is_shown_as_its_code_not_obeyed(app, client):
    fill_all_steps(client, {"story": {"narrative": "Officer \u202eZEUR\u202c wrote it."}})
    review = client.get("/file/review").get_data(as_text=True)
    assert "Officer [U+202E]ZEUR[U+202C] wrote it." in review and "\u202e" not in review
    response = submit(client)
    assert response.headers["Location"].endswith("/file/confirmation")
    staff = staff_client(app, "supervisor")
    with app.app_context():
        complaint_id = db.session.execute(select(Complaint.id)).scalar_one()
    page = staff.get(f"/staff/cases/{complaint_id}").get_data(as_text=True)
    assert "Officer [U+202E]ZEUR[U+202C] wrote it." in page and "\u202e" not in page


def test_tabs_and_new_lines_are_ordinary_text(client):
    fill_all_steps(client)
    typed = "First line.\r\nSecond line.\tIndented."
    response = post_step(client, "story", {**VALID_ANSWERS["story"], "narrative": typed})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        f"/staff/cases/{HUGE}",
        f"/staff/cases/{HUGE}/trail",
        f"/staff/documents/cases/{HUGE}/summary.pdf",
        f"/staff/documents/exports/{HUGE}",
        "/staff/cases/2147483648",
    ],
)
def test_huge_ids_in_staff_urls_are_not_found(app, path):
    staff = staff_client(app, "supervisor")
    response = staff.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_nul_in_a_staff_note_is_a_field_error_and_the_text_is_shown_back(app):
    complaint_id = filed_case(app)
    staff = staff_client(app, "intake_specialist")
    page = case_page(staff, complaint_id)
    typed = "Called the jail\x00 for the booking log."
    url = f"/staff/cases/{complaint_id}/notes"
    response = post(staff, url, "note", {"body": typed}, version_in(page, "note"))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'id="note-body-error"' in body and "Called the jail for the booking log." in body
