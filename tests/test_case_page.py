"""The case page: what was filed, notes, findings, recommendations and the agency's response,
documents, edit conflicts, the audit trail and the chain behind it."""

import hashlib
import html
import json
import re

import pytest
from sqlalchemy import select, update

from intake.attachments.models import Attachment
from intake.audit.models import AuditEvent
from intake.complaints.models import Allegation, Complaint
from intake.extensions import db
from intake.review.models import CaseNote, Recommendation
from tests.conftest import csrf_token
from tests.filing import VALID_ANSWERS, file_complaint
from tests.staff import staff_client

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXTRA_ANSWERS = {
    "story": {
        "prior_bodies": ["court"],
        "prior_court_case": "CV-2025-0042",
    },
    "consent": {
        "accommodation_disability": "Large print letters, please.",
        "accommodation_language": "Spanish interpreter for calls.",
    },
}


@pytest.fixture
def app_config():
    # Several clients post one after another; give the write lock production's patience.
    return {"DB_LOCK_TIMEOUT_MS": 5000}


# --- helpers -------------------------------------------------------------------------------------


def filed_case(app, overrides=None) -> int:
    tracking, _code = file_complaint(app.test_client(), overrides)
    with app.app_context():
        return db.session.execute(
            select(Complaint.id).where(Complaint.tracking_number == tracking)
        ).scalar_one()


def set_case(app, complaint_id, **values) -> None:
    with app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        for name, value in values.items():
            setattr(complaint, name, value)
        db.session.commit()


def case_page(client, complaint_id) -> str:
    response = client.get(f"/staff/cases/{complaint_id}")
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def version_in(page: str, prefix: str) -> str:
    match = re.search(rf'name="{re.escape(prefix)}-version"[^>]*value="(\d+)"', page)
    assert match, f"no {prefix} form on the page"
    return match.group(1)


def post(client, url, prefix, fields, version) -> "object":
    data = {"csrf_token": csrf_token(client, "/status/"), f"{prefix}-version": version}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return client.post(url, data=data)


def events(app, action=None) -> list[AuditEvent]:
    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.seq)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        rows = db.session.execute(stmt).scalars().all()
        db.session.expunge_all()
        return rows


def allegation_ids(app, complaint_id) -> list[int]:
    with app.app_context():
        return list(
            db.session.execute(
                select(Allegation.id)
                .where(Allegation.complaint_id == complaint_id)
                .order_by(Allegation.id)
            ).scalars()
        )


def case_version(app, complaint_id) -> int:
    with app.app_context():
        return db.session.get(Complaint, complaint_id).version


def add_attachment(app, complaint_id, name="statement.pdf") -> int:
    with app.app_context():
        attachment = Attachment(
            complaint_id=complaint_id,
            filename=name,
            content_type="application/pdf",
            size_bytes=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
            source="filer",
            data=PDF,
        )
        db.session.add(attachment)
        db.session.commit()
        return attachment.id


PERSONAL_VALUES = [
    "Rosa Canary-Filer",
    "rosa.canary@example.org",
    "Miguel Canary-Affected",
    "A123456789",
    "Webb County Jail",
    "Only Latino drivers were stopped.",
    "broken tail light",
]


def assert_no_personal_data(details: dict) -> None:
    text = json.dumps(details)
    for value in PERSONAL_VALUES:
        assert value not in text


# --- what was filed ----------------------------------------------------------------------------


def test_the_page_shows_everything_filed(app):
    complaint_id = filed_case(app, EXTRA_ANSWERS)
    add_attachment(app, complaint_id, "booking-sheet.pdf")
    client = staff_client(app, "intake_specialist")
    page = case_page(client, complaint_id)
    expected = [
        # both people
        "Rosa Canary-Filer",
        "rosa.canary@example.org",
        "A relative or friend",
        "Miguel Canary-Affected",
        "March 14, 1988",
        "A123456789",
        "Mexico",
        "Webb County Jail",
        "Consents to this filing",
        # incident, agencies, program context
        "June 16, 2025",
        "Laredo, Webb County, Texas",
        "Jail or booking",
        "Immigration and Customs Enforcement (ICE)",
        "Local or state police, sheriff or jail",
        "Webb County Sheriff",
        "Fingerprints taken at a jail were shared with immigration authorities",
        "An immigration detainer (a hold request)",
        # allegations with details, the story
        "Racial or ethnic profiling",
        "Only Latino drivers were stopped.",
        "Held past the release date",
        VALID_ANSWERS["story"]["narrative"],
        VALID_ANSWERS["story"]["desired_outcome"],
        # prior complaints, accommodations, consent
        "A court",
        "CV-2025-0042",
        "Large print letters, please.",
        "Spanish interpreter for calls.",
        "Identity may be shared with the agency",
        # documents with type and size
        "booking-sheet.pdf",
        "PDF",
        "1 KB",
        # status, due date, the timeline
        "Received",
        "Due",
        "Complaint filed",
    ]
    missing = [text for text in expected if text not in page]
    assert missing == []
    # Looking at a case is itself an event, with nothing personal in it.
    [viewed] = events(app, "case.viewed")
    assert (viewed.actor_id, viewed.object_id) == (client.staff.id, complaint_id)
    assert viewed.details == {}


def test_overdue_cases_are_flagged_in_words(app):
    from datetime import timedelta

    from intake.database import utcnow

    complaint_id = filed_case(app)
    set_case(app, complaint_id, status_changed_at=utcnow() - timedelta(days=10))
    page = case_page(staff_client(app, "supervisor"), complaint_id)
    assert "Overdue" in page and "7 days late" in page


def test_related_complaints_share_a_number_email_or_phone_and_respect_access(app):
    first = filed_case(app)
    second = filed_case(app)
    unrelated = filed_case(
        app,
        {
            "filer": {"email": "someone.else@example.org", "phone": "212 555 0199"},
            "affected": {"a_number": "A 987-654-321"},
        },
    )
    with app.app_context():
        second_tracking = db.session.get(Complaint, second).tracking_number
        unrelated_tracking = db.session.get(Complaint, unrelated).tracking_number
    page = case_page(staff_client(app, "supervisor"), first)
    related = page[page.index('id="related-heading"') :]
    assert second_tracking in related and unrelated_tracking not in related
    assert "Same A-number" in related and "Same email address" in related
    # An investigator sees only related cases assigned to them.
    investigator = staff_client(app, "investigator")
    set_case(app, first, assignee_id=investigator.staff.id, status="investigation")
    page = case_page(investigator, first)
    assert second_tracking not in page[page.index('id="related-heading"') :]


# --- notes -------------------------------------------------------------------------------------


def test_notes_are_added_to_the_timeline_and_audited_without_their_text(app):
    complaint_id = filed_case(app)
    client = staff_client(app, "intake_specialist")
    page = case_page(client, complaint_id)
    url = f"/staff/cases/{complaint_id}/notes"
    version = version_in(page, "note")

    empty = post(client, url, "note", {"body": "   "}, version)
    assert empty.status_code == 400
    assert 'id="note-body-error"' in empty.get_data(as_text=True)

    response = post(client, url, "note", {"body": "Called the jail for the booking log."}, version)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/cases/{complaint_id}#timeline")
    page = case_page(client, complaint_id)
    assert "Called the jail for the booking log." in page and "Note added." in page
    [event] = events(app, "case.note.added")
    with app.app_context():
        note = db.session.execute(select(CaseNote)).scalar_one()
    assert event.details == {"note_id": note.id, "fields": ["body"]}
    assert event.actor_id == client.staff.id


def test_analysts_and_administrators_cannot_open_a_case(app):
    complaint_id = filed_case(app)
    for role in ("analyst", "administrator"):
        client = staff_client(app, role)
        assert client.get(f"/staff/cases/{complaint_id}").status_code == 403
    assert events(app, "case.viewed") == []


# --- findings ----------------------------------------------------------------------------------


def test_findings_per_allegation(app):
    complaint_id = filed_case(app)
    investigator = staff_client(app, "investigator")
    set_case(app, complaint_id, status="investigation", assignee_id=investigator.staff.id)
    first, second = allegation_ids(app, complaint_id)
    url = f"/staff/cases/{complaint_id}/findings"
    page = case_page(investigator, complaint_id)
    version = version_in(page, "findings")

    bad = post(investigator, url, "findings", {f"allegation_{first}": "guilty"}, version)
    assert bad.status_code == 400
    assert "Choose one of the findings in the list." in bad.get_data(as_text=True)

    before = case_version(app, complaint_id)
    response = post(
        investigator,
        url,
        "findings",
        {f"allegation_{first}": "substantiated", f"allegation_{second}": "unfounded"},
        version,
    )
    assert response.status_code == 302
    assert case_version(app, complaint_id) == before + 1
    with app.app_context():
        found = dict(
            db.session.execute(
                select(Allegation.id, Allegation.finding).where(
                    Allegation.complaint_id == complaint_id
                )
            ).all()
        )
    assert found == {first: "substantiated", second: "unfounded"}
    [event] = events(app, "case.findings.recorded")
    assert event.details == {
        "allegation_ids": [first, second],
        "findings": ["substantiated", "unfounded"],
        "fields": ["finding"],
    }
    page = case_page(investigator, complaint_id)
    assert "Findings recorded" in page and "Substantiated" in page


def test_findings_are_refused_in_the_wrong_status_or_role(app):
    complaint_id = filed_case(app)
    first, _second = allegation_ids(app, complaint_id)
    url = f"/staff/cases/{complaint_id}/findings"
    supervisor = staff_client(app, "supervisor")
    version = str(case_version(app, complaint_id))
    wrong_status = post(supervisor, url, "findings", {f"allegation_{first}": "unfounded"}, version)
    assert wrong_status.status_code == 409
    assert "Findings cannot be changed while the case is “Received”" in html.unescape(
        wrong_status.get_data(as_text=True)
    )
    specialist = staff_client(app, "intake_specialist")
    set_case(app, complaint_id, status="investigation")
    version = str(case_version(app, complaint_id))
    by_role = post(specialist, url, "findings", {f"allegation_{first}": "unfounded"}, version)
    assert by_role.status_code == 403
    assert events(app, "case.findings.recorded") == []


# --- recommendations and the agency's response ------------------------------------------------


def test_recommendations_and_the_agency_response(app):
    complaint_id = filed_case(app)
    investigator = staff_client(app, "investigator")
    supervisor = staff_client(app, "supervisor")
    set_case(app, complaint_id, status="investigation", assignee_id=investigator.staff.id)
    page = case_page(investigator, complaint_id)
    add_url = f"/staff/cases/{complaint_id}/recommendations"
    response = post(
        investigator,
        add_url,
        "recommendation_new",
        {"body": "Check release dates daily."},
        version_in(page, "recommendation_new"),
    )
    assert response.status_code == 302
    with app.app_context():
        rec_id = db.session.execute(select(Recommendation.id)).scalar_one()

    page = case_page(investigator, complaint_id)
    before = case_version(app, complaint_id)
    response = post(
        investigator,
        f"/staff/cases/{complaint_id}/recommendations/{rec_id}",
        f"recommendation_{rec_id}",
        {"body": "Check release dates every morning."},
        version_in(page, f"recommendation_{rec_id}"),
    )
    assert response.status_code == 302 and case_version(app, complaint_id) == before + 1

    # A response before the recommendations are issued is refused.
    response_url = f"/staff/cases/{complaint_id}/recommendations/{rec_id}/response"
    early = post(
        supervisor,
        response_url,
        f"response_{rec_id}",
        {"agency_response": "concur"},
        str(case_version(app, complaint_id)),
    )
    assert early.status_code == 409

    set_case(app, complaint_id, status="recommendations_issued")
    page = case_page(supervisor, complaint_id)
    prefix = f"response_{rec_id}"
    missing = post(
        supervisor, response_url, prefix, {"agency_response": ""}, version_in(page, prefix)
    )
    assert missing.status_code == 400
    assert f'id="{prefix}-agency_response-error"' in missing.get_data(as_text=True)
    # Investigators draft recommendations; only supervisors record the agency's answer.
    assert (
        post(
            investigator,
            response_url,
            prefix,
            {"agency_response": "concur"},
            version_in(page, prefix),
        ).status_code
        == 403
    )
    done = post(
        supervisor,
        response_url,
        prefix,
        {"agency_response": "partially_concur", "response_notes": "Will train by March."},
        version_in(page, prefix),
    )
    assert done.status_code == 302
    page = case_page(supervisor, complaint_id)
    assert "Check release dates every morning." in page
    assert "Partially concur" in page and "Will train by March." in page
    actions = [
        e.action for e in events(app) if e.action.startswith("case.") and "view" not in e.action
    ]
    assert actions == [
        "case.recommendation.added",
        "case.recommendation.edited",
        "case.agency_response.recorded",
    ]
    for event in events(app):
        assert "Check release" not in json.dumps(event.details)
        assert "Will train" not in json.dumps(event.details)
    [response_event] = events(app, "case.agency_response.recorded")
    assert response_event.details["recommendation_id"] == rec_id
    assert response_event.details["agency_response"] == "partially_concur"


def test_a_recommendation_of_another_case_is_not_found(app):
    complaint_id = filed_case(app)
    other_id = filed_case(app)
    supervisor = staff_client(app, "supervisor")
    set_case(app, other_id, status="investigation")
    with app.app_context():
        rec = Recommendation(
            complaint_id=other_id, body="Other.", created_by_id=supervisor.staff.id
        )
        db.session.add(rec)
        db.session.commit()
        rec_id = rec.id
    set_case(app, complaint_id, status="investigation")
    response = post(
        supervisor,
        f"/staff/cases/{complaint_id}/recommendations/{rec_id}",
        f"recommendation_{rec_id}",
        {"body": "Overwritten?"},
        str(case_version(app, complaint_id)),
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Recommendation, rec_id).body == "Other."


# --- documents ---------------------------------------------------------------------------------


def test_attachment_downloads_as_a_file_and_is_audited(app):
    complaint_id = filed_case(app)
    attachment_id = add_attachment(app, complaint_id, "release papers.pdf")
    client = staff_client(app, "intake_specialist")
    page = case_page(client, complaint_id)
    url = f"/staff/cases/{complaint_id}/attachments/{attachment_id}"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "release" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    [event] = events(app, "attachment.downloaded")
    assert (event.object_id, event.details) == (complaint_id, {"attachment_id": attachment_id})


def test_attachments_are_checked_against_the_case_and_the_person(app):
    complaint_id = filed_case(app)
    other_id = filed_case(app)
    other_attachment = add_attachment(app, other_id)
    own_attachment = add_attachment(app, complaint_id)
    specialist = staff_client(app, "intake_specialist")
    # An id from another case, through this case's URL: not found.
    assert (
        specialist.get(f"/staff/cases/{complaint_id}/attachments/{other_attachment}").status_code
        == 404
    )
    # An investigator not assigned to the case sees neither the case nor its files.
    investigator = staff_client(app, "investigator")
    assert investigator.get(f"/staff/cases/{complaint_id}").status_code == 404
    assert (
        investigator.get(f"/staff/cases/{complaint_id}/attachments/{own_attachment}").status_code
        == 404
    )
    assert events(app, "attachment.downloaded") == []
    set_case(app, complaint_id, assignee_id=investigator.staff.id, status="investigation")
    assert (
        investigator.get(f"/staff/cases/{complaint_id}/attachments/{own_attachment}").status_code
        == 200
    )


# --- two people at once -----------------------------------------------------------------------


def test_concurrent_edits_the_second_gets_a_conflict_and_the_first_stays(app):
    complaint_id = filed_case(app)
    first = staff_client(app, "supervisor")
    second = staff_client(app, "supervisor")
    set_case(app, complaint_id, status="investigation")
    with app.app_context():
        rec = Recommendation(complaint_id=complaint_id, body="Draft.", created_by_id=first.staff.id)
        db.session.add(rec)
        db.session.commit()
        rec_id = rec.id
    prefix, url = (
        f"recommendation_{rec_id}",
        f"/staff/cases/{complaint_id}/recommendations/{rec_id}",
    )
    first_page, second_page = case_page(first, complaint_id), case_page(second, complaint_id)
    first_version, second_version = version_in(first_page, prefix), version_in(second_page, prefix)
    assert first_version == second_version

    saved = post(first, url, prefix, {"body": "Audit every detainer."}, first_version)
    assert saved.status_code == 302
    refused = post(second, url, prefix, {"body": "Stop honouring detainers."}, second_version)
    assert refused.status_code == 409
    page = html.unescape(refused.get_data(as_text=True))
    assert "Someone else changed this case" in page
    assert "Stop honouring detainers." in page  # what the second person typed, kept
    assert "Audit every detainer." in page  # and the case as it is now
    with app.app_context():
        assert db.session.get(Recommendation, rec_id).body == "Audit every detainer."
    assert len(events(app, "case.recommendation.edited")) == 1

    # Resubmitting from the re-rendered form (now on the current version) goes through.
    retry = post(
        second, url, prefix, {"body": "Stop honouring detainers."}, version_in(page, prefix)
    )
    assert retry.status_code == 302


def test_a_stale_note_is_refused_and_kept(app):
    complaint_id = filed_case(app)
    writer = staff_client(app, "intake_specialist")
    mover = staff_client(app, "supervisor")
    version = version_in(case_page(writer, complaint_id), "note")
    claim = post(mover, f"/staff/cases/{complaint_id}/actions/claim", "claim", {}, version)
    assert claim.status_code == 302
    response = post(
        writer, f"/staff/cases/{complaint_id}/notes", "note", {"body": "I will take this."}, version
    )
    assert response.status_code == 409
    assert "I will take this." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(CaseNote)).scalars().all() == []


# --- the audit trail ---------------------------------------------------------------------------


def test_the_trail_is_for_supervisors_and_administrators_and_holds_no_personal_data(app):
    complaint_id = filed_case(app)
    specialist = staff_client(app, "intake_specialist")
    case_page(specialist, complaint_id)
    note = post(
        specialist,
        f"/staff/cases/{complaint_id}/notes",
        "note",
        {"body": "Secret-ish note text."},
        str(case_version(app, complaint_id)),
    )
    assert note.status_code == 302
    url = f"/staff/cases/{complaint_id}/trail"
    for role in ("supervisor", "administrator"):
        response = staff_client(app, role).get(url)
        assert response.status_code == 200, role
        page = html.unescape(response.get_data(as_text=True))
        for shown in ("complaint.submitted", "case.viewed", "case.note.added", "note_id"):
            assert shown in page
        assert specialist.staff.email not in page
        for value in [*PERSONAL_VALUES, "Secret-ish note text."]:
            assert value not in page
    for role in ("intake_specialist", "investigator", "analyst"):
        assert staff_client(app, role).get(url).status_code == 403
    assert staff_client(app, "supervisor").get("/staff/cases/999999/trail").status_code == 404


def test_the_chain_verifies_after_a_realistic_session_and_names_an_edited_row(app, runner):
    complaint_id = filed_case(app)
    attachment_id = add_attachment(app, complaint_id)
    specialist = staff_client(app, "intake_specialist")
    supervisor = staff_client(app, "supervisor")
    investigator = staff_client(app, "investigator")
    base = f"/staff/cases/{complaint_id}"

    def act(client, action, **fields):
        page = case_page(client, complaint_id)
        response = post(
            client, f"{base}/actions/{action}", action, fields, version_in(page, action)
        )
        assert response.status_code == 302, (action, response.status_code)

    act(specialist, "claim")
    post(
        specialist,
        f"{base}/notes",
        "note",
        {"body": "Looks urgent."},
        str(case_version(app, complaint_id)),
    )
    act(specialist, "request_information", message="Please send the release papers.")
    act(specialist, "complainant_replied", message="Sent by mail.")
    assert specialist.get(f"{base}/attachments/{attachment_id}").status_code == 200
    act(supervisor, "retain")
    act(supervisor, "assign", assignee=str(investigator.staff.id))
    first, second = allegation_ids(app, complaint_id)
    page = case_page(investigator, complaint_id)
    assert (
        post(
            investigator,
            f"{base}/findings",
            "findings",
            {f"allegation_{first}": "substantiated", f"allegation_{second}": "not_substantiated"},
            version_in(page, "findings"),
        ).status_code
        == 302
    )
    page = case_page(investigator, complaint_id)
    assert (
        post(
            investigator,
            f"{base}/recommendations",
            "recommendation_new",
            {"body": "Release on time."},
            version_in(page, "recommendation_new"),
        ).status_code
        == 302
    )
    act(investigator, "submit_findings")
    act(supervisor, "approve_findings")
    with app.app_context():
        rec_id = db.session.execute(select(Recommendation.id)).scalar_one()
    page = case_page(supervisor, complaint_id)
    prefix = f"response_{rec_id}"
    assert (
        post(
            supervisor,
            f"{base}/recommendations/{rec_id}/response",
            prefix,
            {"agency_response": "concur"},
            version_in(page, prefix),
        ).status_code
        == 302
    )
    act(supervisor, "close", closure_reason="recommendations_resolved")

    page = case_page(supervisor, complaint_id)
    for shown in ("Closed", "Recommendations resolved", "Looks urgent.", "Sent by mail."):
        assert shown in page
    recorded = events(app)
    actions = {event.action for event in recorded}
    assert {
        "case.claim",
        "case.note.added",
        "case.request_information",
        "case.complainant_replied",
        "attachment.downloaded",
        "case.retain",
        "case.assign",
        "case.findings.recorded",
        "case.recommendation.added",
        "case.submit_findings",
        "case.approve_findings",
        "case.agency_response.recorded",
        "case.close",
        "case.viewed",
    } <= actions
    for event in recorded:
        assert_no_personal_data(event.details)
        for typed in ("Looks urgent", "release papers", "Sent by mail", "Release on time"):
            assert typed not in json.dumps(event.details)

    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"{len(recorded)} events" in result.output

    tampered = next(e for e in recorded if e.action == "case.close")
    with app.app_context():
        db.session.execute(
            update(AuditEvent)
            .where(AuditEvent.seq == tampered.seq)
            .values(details={**tampered.details, "closure_reason": "no_violation"})
        )
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"seq={tampered.seq}" in result.output
    assert "content does not match" in result.output
