"""Letters to the complainant: each kind, in English and Spanish, kept with the case and on its
timeline, from wording an administrator changes without touching code (and cannot abuse)."""

import hashlib
import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from intake.accounts.models import User
from intake.audit.models import AuditEvent
from intake.complaints.models import Complaint
from intake.documents.models import CaseLetter, LetterTemplate
from intake.extensions import db
from intake.review.workflow import apply_action
from tests.conftest import csrf_token
from tests.filing import error_messages, file_complaint
from tests.pdfs import complaint_id_for, reader, save_sample, text
from tests.staff import staff_client


@pytest.fixture
def filed(app, client):
    tracking, _code = file_complaint(client)
    staff = staff_client(app, "supervisor", name="Sandra Supervisor")
    return {"id": complaint_id_for(app, tracking), "tracking": tracking, "staff": staff}


def act(app, complaint_id, staff_id, name, **inputs):
    with app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        actor = db.session.get(User, staff_id)
        apply_action(complaint, name, actor, expected_version=complaint.version, **inputs)
        db.session.commit()


def generate(staff, complaint_id, kind, language):
    url = f"/staff/documents/cases/{complaint_id}/letters"
    return staff.post(
        url, data={"csrf_token": csrf_token(staff, url), "kind": kind, "language": language}
    )


def latest_letter(app, staff, complaint_id) -> tuple[CaseLetter, bytes]:
    with app.app_context():
        letter = db.session.execute(
            select(CaseLetter).order_by(CaseLetter.id.desc()).limit(1)
        ).scalar_one()
        db.session.expunge(letter)
    response = staff.get(f"/staff/documents/cases/{complaint_id}/letters/{letter.id}.pdf")
    assert response.status_code == 200
    return letter, response.data


def test_the_letters_page_chooses_the_complainants_language(app, filed):
    page = filed["staff"].get(f"/staff/documents/cases/{filed['id']}/letters")
    body = page.get_data(as_text=True)
    # The filer asked to be written to in Spanish (tests/filing.py).
    assert re.search(r'<option selected value="es">|<option value="es" selected', body)
    assert "No letters yet." in body
    assert "Not for this case now:" in body  # closure, referral and request are not possible yet


def test_acknowledgment_in_english_and_spanish_kept_and_on_the_timeline(app, filed):
    staff, complaint_id, tracking = filed["staff"], filed["id"], filed["tracking"]
    response = generate(staff, complaint_id, "acknowledgment", "en")
    assert response.status_code == 303
    letter, data = latest_letter(app, staff, complaint_id)
    found = text(data)
    assert "We received your complaint" in found and tracking in found
    assert "Dear Rosa Canary-Filer," in found and "Sincerely," in found
    assert letter.sha256 == hashlib.sha256(data).hexdigest() and letter.template_id is None
    assert reader(data).metadata.title == f"We received your complaint {tracking}"

    assert generate(staff, complaint_id, "acknowledgment", "es").status_code == 303
    letter, data = latest_letter(app, staff, complaint_id)
    found = text(data)
    assert reader(data).trailer["/Root"]["/Lang"] == "es"
    assert reader(data).metadata.author == "Oficina de Quejas de Derechos Civiles"
    for spanish in ("Recibimos su queja", "Estimado/a Rosa Canary-Filer:", "Atentamente,"):
        assert spanish in found
    for english in ("Thank you", "Dear", "Sincerely", "We received"):
        assert english not in found
    save_sample(data, "letter-acknowledgment-es")

    page = staff.get(f"/staff/documents/cases/{complaint_id}/letters").get_data(as_text=True)
    assert page.count("Download PDF") == 2
    with app.app_context():
        events = (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "case.letter.generated")
            )
            .scalars()
            .all()
        )
        assert [(e.object_id, e.details["kind"], e.details["language"]) for e in events] == [
            (complaint_id, "acknowledgment", "en"),
            (complaint_id, "acknowledgment", "es"),
        ]
    summary = text(staff.get(f"/staff/documents/cases/{complaint_id}/summary.pdf").data)
    assert summary.count("Letter generated") == 2


def test_request_referral_and_closure_letters(app, filed):
    staff, complaint_id = filed["staff"], filed["id"]
    staff_id = staff.staff.id
    with app.app_context():
        supervisor = db.session.get(User, staff_id)
        complaint = db.session.get(Complaint, complaint_id)
        apply_action(
            complaint, "assign", supervisor, expected_version=complaint.version, assignee=supervisor
        )
        db.session.commit()
    act(app, complaint_id, staff_id, "request_information", message="Send the booking sheet.")
    assert generate(staff, complaint_id, "request_information", "en").status_code == 303
    found = text(latest_letter(app, staff, complaint_id)[1])
    assert "We need more information" in found and "Send the booking sheet." in found

    act(app, complaint_id, staff_id, "complainant_replied", message="Here it is.")
    act(app, complaint_id, staff_id, "refer_to_component", referral_agency="ice")
    assert generate(staff, complaint_id, "referral_notice", "es").status_code == 303
    found = text(latest_letter(app, staff, complaint_id)[1])
    assert "fue remitida a Inmigración" in found or "remitimos a" in found
    save_sample(latest_letter(app, staff, complaint_id)[1], "letter-referral-es")

    act(app, complaint_id, staff_id, "close", closure_reason="no_violation")
    assert generate(staff, complaint_id, "closure", "en").status_code == 303
    found = text(latest_letter(app, staff, complaint_id)[1])
    assert "We have closed your complaint" in found
    assert "We did not find that a violation of your civil rights" in found
    assert "Reason:" not in found  # plain words, not the code's label
    assert generate(staff, complaint_id, "closure", "es").status_code == 303
    letter, data = latest_letter(app, staff, complaint_id)
    assert "No encontramos que se hayan violado sus derechos civiles" in text(data)
    save_sample(data, "letter-closure-es")


def test_a_letter_that_does_not_fit_the_case_is_refused_next_to_the_choice(app, filed):
    response = generate(filed["staff"], filed["id"], "closure", "en")
    assert response.status_code == 409
    assert "The case is not closed." in error_messages(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.execute(select(CaseLetter)).first() is None
        assert (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "case.letter.generated")
            ).first()
            is None
        )
    bad = generate(filed["staff"], filed["id"], "eviction", "en")
    assert bad.status_code == 400


# --- wording ----------------------------------------------------------------------------------


def save_wording(admin, kind, language, subject, body, action="save"):
    url = f"/staff/documents/letter-templates/{kind}/{language}"
    return admin.post(
        url,
        data={
            "csrf_token": csrf_token(admin, url),
            "subject": subject,
            "body": body,
            "action": action,
        },
    )


def test_an_administrator_changes_the_wording_and_letters_use_it(app, filed):
    admin = staff_client(app, "administrator")
    page = admin.get("/staff/documents/letter-templates").get_data(as_text=True)
    assert page.count("Built-in wording") == 8
    response = save_wording(
        admin,
        "acknowledgment",
        "en",
        "Complaint {{ tracking_number }} received",
        "{% if recipient_name %}Hello {{ recipient_name }},{% else %}Hello,{% endif %}\n\n"
        "We got it on {{ filed_on }}.\nThe {{ office }}",
    )
    assert response.status_code == 303
    assert generate(filed["staff"], filed["id"], "acknowledgment", "en").status_code == 303
    letter, data = latest_letter(app, filed["staff"], filed["id"])
    found = text(data)
    assert f"Complaint {filed['tracking']} received" in found
    assert "Hello Rosa Canary-Filer," in found and "Office for Civil Rights Complaints" in found
    assert letter.template_id is not None
    with app.app_context():
        (event,) = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "letter_template.changed")
        ).scalars()
        assert event.details == {"kind": "acknowledgment", "language": "en"}
    # Spanish keeps its own (built-in) wording.
    assert generate(filed["staff"], filed["id"], "acknowledgment", "es").status_code == 303
    assert "Recibimos su queja" in text(latest_letter(app, filed["staff"], filed["id"])[1])
    # Back to the built-in wording, as a new version.
    assert save_wording(admin, "acknowledgment", "en", "", "", action="built_in").status_code == 303
    with app.app_context():
        versions = db.session.execute(select(LetterTemplate).order_by(LetterTemplate.id)).scalars()
        assert [v.subject for v in versions] == [
            "Complaint {{ tracking_number }} received",
            "We received your complaint {{ tracking_number }}",
        ]


@pytest.mark.parametrize(
    ("subject", "body", "message"),
    [
        ("", "Text", "Enter the letter's subject."),
        ("Subject", "", "Enter the letter's text."),
        ("Subject", "Dear {{ name }},", "There is no placeholder called name."),
        ("Subject", "{{ office.__class__ }}", "Only text, {{ placeholders }} and {% if %}"),
        ("Subject", "{{ tracking_number|upper }}", "Only text, {{ placeholders }} and {% if %}"),
        ("Subject", "{% for x in range(9) %}x{% endfor %}", "Only text, {{ placeholders }}"),
        ("Subject", "{{ lipsum() }}", "Only text, {{ placeholders }} and {% if %}"),
        ("Subject", "{% include 'base.html' %}", "Only text, {{ placeholders }}"),
        ("Subject", "{% if office %}never closed", "Check the {{ }} and {% %} parts"),
        ("{{ cycler }}", "Text", "There is no placeholder called cycler."),
    ],
)
def test_wording_that_could_do_more_than_fill_in_words_is_refused(app, subject, body, message):
    admin = staff_client(app, "administrator")
    response = save_wording(admin, "closure", "en", subject, body)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert any(found.startswith(message) for found in error_messages(page)), error_messages(page)
    assert str(escape(body)) in page  # what was typed is kept
    with app.app_context():
        assert db.session.execute(select(LetterTemplate)).first() is None
