"""Staff enter complaints that came by mail, email, fax or phone, with the scanned original."""

import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from intake.attachments.models import Attachment
from intake.audit.models import AuditEvent
from intake.audit.services import verify_chain
from intake.complaints.models import Complaint
from intake.extensions import db
from intake.queue.search import matches
from tests.conftest import csrf_token
from tests.filing import VALID_ANSWERS, error_messages
from tests.staff import staff_client

URL = "/staff/complaints/new"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
RECEIVED = (date.today() - timedelta(days=9)).isoformat()
ENTRY_RE = re.compile(r'name="entry_key" type="hidden" value="([^"]+)"')


def section_answers(overrides: dict | None = None) -> dict:
    """The public step answers, under the entry page's section prefixes."""
    overrides = overrides or {}
    data = {}
    for step, answers in VALID_ANSWERS.items():
        for name, value in {**answers, **overrides.get(step, {})}.items():
            data[f"{step}-{name}"] = value
    return data


def enter(client, *, channel="mail", files=(("letter.pdf", PDF),), overrides=None, **fields):
    page = client.get(URL).get_data(as_text=True)
    data = {
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1),
        "entry_key": ENTRY_RE.search(page).group(1),
        "channel": channel,
        "received_on": RECEIVED,
        "language": "es",
        "action": "enter",
        **section_answers(overrides),
        **fields,
        "original": [(io.BytesIO(content), name) for name, content in files],
    }
    return client.post(URL, data=data, content_type="multipart/form-data")


def entered_codes(client) -> tuple[str, str]:
    page = client.get("/staff/complaints/entered").get_data(as_text=True)
    tracking = re.search(r'id="tracking-number">([^<]+)<', page).group(1)
    code = re.search(r'id="access-code">([^<]+)<', page).group(1)
    return tracking, code


def error_summary(html: str) -> str:
    start = html.index('id="error-summary"')
    return html[start : html.index("</ul>", start)]


def complaints(app):
    with app.app_context():
        return db.session.execute(select(Complaint)).scalars().all()


@pytest.mark.parametrize("channel", ["mail", "email", "fax", "phone"])
def test_each_channel_enters_a_complaint_with_its_original(app, channel):
    client = staff_client(app, "intake_specialist")
    response = enter(client, channel=channel, files=[("scan.pdf", PDF), ("page2.png", PNG)])
    assert response.status_code == 302, error_messages(response.get_data(as_text=True))
    assert response.headers["Location"].endswith("/staff/complaints/entered")
    tracking, code = entered_codes(client)

    with app.app_context():
        complaint = db.session.execute(select(Complaint)).scalar_one()
        assert complaint.tracking_number == tracking
        assert complaint.channel == channel
        assert complaint.created_by_id == client.staff.id
        assert complaint.status == "received" and complaint.language == "es"
        # Filed, and the clock runs, from when the office received it, not from typing it in.
        noon = datetime.fromisoformat(RECEIVED).replace(hour=12, tzinfo=UTC)
        assert complaint.submitted_at == noon and complaint.status_changed_at == noon
        assert complaint.person("filer").name == "Rosa Canary-Filer"
        assert complaint.person("affected").a_number == "A123456789"
        assert sorted(a.category for a in complaint.allegations) == [
            "due_process_overdetention",
            "racial_profiling",
        ]
        originals = db.session.execute(select(Attachment).order_by(Attachment.id)).scalars().all()
        assert [(a.filename, a.content_type, a.source) for a in originals] == [
            ("scan.pdf", "application/pdf", "staff"),
            ("page2.png", "image/png", "staff"),
        ]
        assert all(a.complaint_id == complaint.id for a in originals)
        assert all(a.uploaded_by_id == client.staff.id for a in originals)
        found = db.session.execute(
            select(Complaint.id).where(matches(db.session, "tail light canary"))
        ).scalars()
        assert list(found) == [complaint.id]
        assert verify_chain().ok

    # The code given to the complainant works on the public status page.
    visitor = app.test_client()
    token = csrf_token(visitor, "/status/")
    lookup = visitor.post(
        "/status/", data={"csrf_token": token, "tracking_number": tracking, "access_code": code}
    )
    assert lookup.status_code == 302
    assert 'id="public-status">Received<' in visitor.get("/status/case").get_data(as_text=True)


def test_the_audit_event_has_the_channel_and_counts_and_no_personal_data(app):
    client = staff_client(app, "supervisor")
    assert enter(client, channel="fax").status_code == 302
    with app.app_context():
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "complaint.entered")
        ).scalar_one()
        complaint_id = db.session.execute(select(Complaint.id)).scalar_one()
        assert event.actor_type == "staff" and event.actor_id == client.staff.id
        assert (event.object_type, event.object_id) == ("complaint", complaint_id)
        assert event.details == {
            "channel": "fax",
            "language": "es",
            "allegations": 2,
            "attachments": 1,
        }
        text = json.dumps(event.details)
        for typed in ("Canary", "tail light", "Webb", "Laredo", "123456789", "letter.pdf"):
            assert typed.lower() not in text.lower()


@pytest.mark.parametrize("channel", ["mail", "fax"])
def test_mail_and_fax_need_the_scanned_original_and_nothing_typed_is_lost(app, channel):
    client = staff_client(app, "intake_specialist")
    response = enter(client, channel=channel, files=[], language="")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        "Attach the scanned original: it is required for a complaint sent by mail or fax."
        in error_messages(html)
    )
    # The summary links to each field, in the page's order.
    summary = error_summary(html)
    assert summary.index('href="#language-0"') < summary.index('href="#original"')
    assert f'value="{channel}" checked' in html
    assert 'value="Rosa Canary-Filer"' in html
    assert "He was stopped for a broken tail light" in html
    assert 'value="racial_profiling" checked' in html
    assert complaints(app) == []


@pytest.mark.parametrize("channel", ["email", "phone"])
def test_email_and_phone_may_come_without_an_original(app, channel):
    client = staff_client(app, "intake_specialist")
    assert enter(client, channel=channel, files=[]).status_code == 302
    (complaint,) = complaints(app)
    assert complaint.channel == channel
    with app.app_context():
        assert db.session.execute(select(Attachment)).first() is None


def test_a_wrong_file_type_is_refused_by_name_and_must_be_chosen_again(app):
    client = staff_client(app, "intake_specialist")
    response = enter(client, files=[("scan.pdf", EXE)])
    html = response.get_data(as_text=True)
    messages = " ".join(error_messages(html))
    assert "scan.pdf is not a PDF, JPEG, PNG or plain text file." in messages
    assert "Choose the files again" in messages
    assert 'href="#original"' in error_summary(html)
    assert complaints(app) == []


def test_other_errors_say_the_chosen_files_must_be_chosen_again(app):
    client = staff_client(app, "intake_specialist")
    response = enter(client, overrides={"story": {"narrative": ""}})
    html = response.get_data(as_text=True)
    assert "Tell us what happened." in error_messages(html)
    assert "Choose the scanned original again" in html
    assert complaints(app) == []


def test_required_staff_fields_are_explained(app):
    client = staff_client(app, "intake_specialist")
    response = enter(client, channel="", language="", received_on="", files=[])
    messages = error_messages(response.get_data(as_text=True))
    assert "Choose how the complaint came in." in messages
    assert "Enter the date the office received it." in messages
    assert "Choose the language of the complaint." in messages
    assert complaints(app) == []


@pytest.mark.parametrize(
    ("received_on", "expected"),
    [
        ((date.today() + timedelta(days=1)).isoformat(), "The date cannot be in the future."),
        ("16/06/2025", "Enter the date as year-month-day, like 2025-06-16."),
        ("2025-06-01", "The office cannot have received it before the incident date."),
    ],
)
def test_date_received_is_checked(app, received_on, expected):
    client = staff_client(app, "intake_specialist")
    html = enter(client, received_on=received_on).get_data(as_text=True)
    assert expected in error_messages(html)
    assert f'value="{received_on}"' in html
    assert complaints(app) == []


def test_received_today_is_filed_now_and_the_form_starts_on_today(app):
    client = staff_client(app, "intake_specialist")
    page = client.get(URL).get_data(as_text=True)
    assert f'type="date" value="{date.today().isoformat()}"' in page
    before = datetime.now(UTC)
    assert enter(client, received_on=date.today().isoformat()).status_code == 302
    (complaint,) = complaints(app)
    assert before <= complaint.submitted_at <= datetime.now(UTC)


def test_self_filing_with_an_affected_persons_name_is_not_silently_dropped(app):
    client = staff_client(app, "intake_specialist")
    response = enter(client, overrides={"filer": {"relationship": "self"}})
    messages = error_messages(response.get_data(as_text=True))
    assert "The filer is the person affected: leave this blank, or change who filed." in messages
    assert complaints(app) == []


def test_the_public_forms_checks_apply(app):
    client = staff_client(app, "intake_specialist")
    response = enter(
        client,
        overrides={"affected": {"a_number": "B12"}, "allegations": {"allegations": []}},
    )
    messages = error_messages(response.get_data(as_text=True))
    assert any(m.startswith("Enter an A-number as the letter A") for m in messages)
    assert "Choose at least one thing that happened." in messages
    assert complaints(app) == []


def test_anonymous_filer_by_mail(app):
    client = staff_client(app, "intake_specialist")
    contact = ("name", "email", "phone", "organization", "contact_method", "preferred_language")
    anonymous = dict.fromkeys(contact, "")
    response = enter(
        client,
        overrides={"filer": {**anonymous, "relationship": "other", "anonymous": "y"}},
    )
    assert response.status_code == 302, error_messages(response.get_data(as_text=True))
    (complaint,) = complaints(app)
    assert complaint.anonymous is True


def test_the_access_code_is_shown_once(app):
    client = staff_client(app, "intake_specialist")
    enter(client)
    tracking, code = entered_codes(client)
    again = client.get("/staff/complaints/entered").get_data(as_text=True)
    assert tracking in again and code not in again
    assert "was shown once" in again
    (complaint,) = complaints(app)
    assert f'href="/staff/cases/{complaint.id}"' in again
    # Another staff member's browser has nothing to show.
    other = staff_client(app, "intake_specialist")
    response = other.get("/staff/complaints/entered")
    assert response.status_code == 302 and response.headers["Location"].endswith(URL)


def test_posting_the_same_form_twice_enters_one_complaint(app):
    client = staff_client(app, "intake_specialist")
    page = client.get(URL).get_data(as_text=True)
    key = ENTRY_RE.search(page).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {
        "csrf_token": token,
        "entry_key": key,
        "channel": "phone",
        "received_on": RECEIVED,
        "language": "en",
        **section_answers(),
    }
    first = client.post(URL, data=data)
    second = client.post(URL, data=data)
    assert first.status_code == second.status_code == 302
    assert len(complaints(app)) == 1
    assert entered_codes(client)  # the second answer still shows the code, once


def test_update_county_list_without_javascript_keeps_everything(app):
    client = staff_client(app, "intake_specialist")
    response = enter(client, action="refresh", overrides={"incident": {"incident_county": ""}})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error_messages(html) == []
    assert ">Webb County<" in html
    assert 'value="Rosa Canary-Filer"' in html
    assert complaints(app) == []


@pytest.mark.parametrize("role", ["intake_specialist", "supervisor"])
def test_intake_and_supervisors_may_enter(app, role):
    client = staff_client(app, role)
    html = client.get(URL).get_data(as_text=True)
    assert "<h1>Enter a complaint</h1>" in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize("role", ["investigator", "analyst", "administrator"])
def test_other_roles_are_refused(app, role):
    client = staff_client(app, role)
    assert client.get(URL).status_code == 403
    assert client.get("/staff/complaints/entered").status_code == 403
    token = csrf_token(client, "/status/")
    response = client.post(URL, data={"csrf_token": token, **section_answers(), "channel": "phone"})
    assert response.status_code == 403
    assert complaints(app) == []


def test_nobody_signed_in_is_sent_to_sign_in(app, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/staff/sign-in?next=" in response.headers["Location"]
    token = csrf_token(client, "/status/")
    assert client.post(URL, data={"csrf_token": token}).status_code == 401
    assert complaints(app) == []


def test_the_page_speaks_spanish_to_a_spanish_speaking_staff_member(app):
    client = staff_client(app, "intake_specialist")
    client.get("/language/es")
    html = enter(client, files=[("scan.pdf", EXE)]).get_data(as_text=True)
    assert '<html lang="es">' in html and "Hay un problema" in html
    assert "El archivo scan.pdf no es PDF, JPEG, PNG ni texto simple." in html
