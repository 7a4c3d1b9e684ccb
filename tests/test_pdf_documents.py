"""Receipts and case summaries, read back from the PDF: what they say, in which language,
what the redacted copy leaves out, page numbering, and the audit event of every export."""

import re

import pytest
from sqlalchemy import select

from intake.audit.models import AuditChainHead, AuditEvent
from intake.extensions import db
from tests.conftest import csrf_token
from tests.filing import file_complaint
from tests.pdfs import complaint_id_for, pages_text, reader, save_sample, text, work_case
from tests.staff import staff_client


def look_up(client, tracking, code):
    token = csrf_token(client, "/status/")
    return client.post(
        "/status/", data={"csrf_token": token, "tracking_number": tracking, "access_code": code}
    )


def export_events(app, kind=None) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.execute(
            select(AuditEvent)
            .where(AuditEvent.action == "document.exported")
            .order_by(AuditEvent.seq)
        ).scalars()
        found = [e for e in events if kind is None or e.details.get("kind") == kind]
        db.session.expunge_all()
        return found


# --- receipts ---------------------------------------------------------------------------------


def test_receipt_from_the_confirmation_page_prints_the_code_only_when_asked(app, client):
    tracking, code = file_complaint(client)
    page = client.get("/file/confirmation").get_data(as_text=True)
    assert 'href="/file/confirmation/receipt.pdf"' in page
    assert 'href="/file/confirmation/receipt.pdf?access_code=1"' in page

    plain = client.get("/file/confirmation/receipt.pdf")
    assert plain.status_code == 200 and plain.mimetype == "application/pdf"
    assert plain.headers["Cache-Control"] == "no-store"
    found = text(plain.data)
    assert tracking in found and code not in found
    assert "Your access code is not printed on this receipt." in found
    for expected in (
        "Complaint receipt",
        "Racial or ethnic profiling",
        "Only Latino drivers were stopped.",
        "Held past the release date",
        "June 16, 2025",
        "Laredo, Webb County, Texas",
        "Webb County Sheriff",
        "He was stopped for a broken tail light and held three days past release.",
        "You did not send documents with your complaint.",
    ):
        assert expected in found, expected
    # The filer's and affected person's identities are not on the receipt.
    assert "Canary" not in found and "A123456789" not in found

    with_code = client.get("/file/confirmation/receipt.pdf?access_code=1")
    found = text(with_code.data)
    assert code in found and "Keep this page safe." in found
    assert reader(with_code.data).metadata.title == f"Complaint receipt {tracking}"
    save_sample(with_code.data, "receipt")

    events = export_events(app, "receipt")
    assert [e.details for e in events] == [
        {"kind": "receipt", "access_code": False},
        {"kind": "receipt", "access_code": True},
    ]
    assert all(e.actor_type == "public" and e.object_type == "complaint" for e in events)


def test_receipt_lists_the_documents_filed(app, client):
    from io import BytesIO

    from tests.filing import fill_all_steps, post_step, submit

    fill_all_steps(client)
    post_step(
        client,
        "story",
        {"narrative": "He was stopped and held.", "desired_outcome": ""},
        action="upload",
        files=[(BytesIO(b"The jail's release paper.\n"), "release-note.txt")],
    )
    assert submit(client).status_code == 302
    found = text(client.get("/file/confirmation/receipt.pdf").data)
    assert "release-note.txt" in found and "Plain text" in found


def test_a_spanish_complaint_gets_a_spanish_receipt(app, client):
    client.get("/language/es")
    file_complaint(client)
    rendered = client.get("/file/confirmation/receipt.pdf")
    found = text(rendered.data)
    assert reader(rendered.data).trailer["/Root"]["/Lang"] == "es"
    assert "Perfil racial o étnico" in found
    assert "16 de junio de 2025" in found
    assert "Cárcel o fichaje policial" in found
    assert "Página 1 de 1" in found  # the page numbers' words come from the catalogue
    save_sample(rendered.data, "receipt-es")


def test_receipt_from_the_status_page_needs_its_session(app, client):
    tracking, code = file_complaint(client)
    visitor = app.test_client()
    refused = visitor.get("/status/case/receipt.pdf")
    assert refused.status_code == 404 and refused.mimetype == "text/html"
    assert look_up(visitor, tracking, code).status_code == 302
    rendered = visitor.get("/status/case/receipt.pdf")
    assert rendered.status_code == 200
    found = text(rendered.data)
    assert tracking in found and code not in found
    # Signing out of the status page ends access to the receipt too.
    visitor.post("/status/signout", data={"csrf_token": csrf_token(visitor, "/status/")})
    assert visitor.get("/status/case/receipt.pdf").status_code == 404


def test_receipt_from_the_status_page_expires_with_its_session(app, client, monkeypatch):
    tracking, code = file_complaint(client)
    visitor = app.test_client()
    look_up(visitor, tracking, code)
    with visitor.session_transaction() as session:
        session["status_access"] = {**session["status_access"], "until": 0}
    assert visitor.get("/status/case/receipt.pdf").status_code == 404


def test_the_status_page_links_to_the_receipt_only_once_signed_in(app, client):
    tracking, code = file_complaint(client)
    visitor = app.test_client()
    # Not signed in: the status page sends the visitor to the look-up, which has no receipt.
    assert visitor.get("/status/case").headers["Location"].endswith("/status/")
    assert "receipt.pdf" not in visitor.get("/status/").get_data(as_text=True)

    look_up(visitor, tracking, code)
    page = visitor.get("/status/case").get_data(as_text=True)
    assert 'href="/status/case/receipt.pdf"' in page
    assert "Download a receipt (PDF)" in page
    assert 'action="/status/case/receipt.pdf"' in page  # the copy with the access code
    assert "Keep that copy safe" in page
    assert code not in page  # the code is typed, never shown back

    rendered = visitor.get("/status/case/receipt.pdf")
    assert rendered.status_code == 200 and rendered.mimetype == "application/pdf"
    assert "attachment" in rendered.headers["Content-Disposition"]
    found = text(rendered.data)
    assert tracking in found and code not in found
    assert "Your access code is not printed on this receipt." in found


def _receipt_with_code(visitor, typed):
    token = csrf_token(visitor, "/status/case")
    return visitor.post(
        "/status/case/receipt.pdf", data={"csrf_token": token, "access_code": typed}
    )


def test_the_status_page_prints_the_access_code_when_it_is_typed_again(app, client):
    tracking, code = file_complaint(client)
    visitor = app.test_client()
    look_up(visitor, tracking, code)
    # Typed the way people type it: lower case, without the dashes.
    rendered = _receipt_with_code(visitor, code.lower().replace("-", " "))
    assert rendered.status_code == 200 and rendered.mimetype == "application/pdf"
    found = text(rendered.data)
    assert code in found and "Keep this page safe." in found
    events = export_events(app, "receipt")
    assert [e.details for e in events] == [{"kind": "receipt", "access_code": True}]
    assert events[0].actor_type == "public"


def test_a_wrong_or_missing_access_code_is_explained_and_rate_limited(app, client):
    tracking, code = file_complaint(client)
    visitor = app.test_client()
    look_up(visitor, tracking, code)
    empty = _receipt_with_code(visitor, "")
    assert empty.status_code == 400 and empty.mimetype == "text/html"
    assert "Enter your access code." in empty.get_data(as_text=True)

    wrong = _receipt_with_code(visitor, "ABCD-EFGH-JKMN-PQRS")
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 400
    assert "That is not the access code of this complaint." in html
    assert 'aria-invalid="true"' in html and 'href="#access_code"' in html
    assert 'value="ABCD-EFGH-JKMN-PQRS"' in html  # what was typed stays in the box
    assert "Your complaint" in html  # still the status page, still signed in
    for _ in range(app.config["LOOKUP_MAX_FAILURES"] - 1):
        assert _receipt_with_code(visitor, "ABCD-EFGH-JKMN-PQRS").status_code == 400
    throttled = _receipt_with_code(visitor, code)
    assert throttled.status_code == 429
    assert "please wait 15 minutes" in throttled.get_data(as_text=True)
    assert export_events(app, "receipt") == []
    # The plain receipt is still there.
    assert visitor.get("/status/case/receipt.pdf").status_code == 200


def test_no_receipt_with_the_code_without_the_status_session(app, client):
    tracking, code = file_complaint(client)
    stranger = app.test_client()
    token = csrf_token(stranger, "/status/")
    refused = stranger.post(
        "/status/case/receipt.pdf", data={"csrf_token": token, "access_code": code}
    )
    assert refused.status_code == 404 and refused.mimetype == "text/html"
    assert export_events(app, "receipt") == []


def test_no_receipt_without_a_filed_draft(client):
    assert client.get("/file/confirmation/receipt.pdf").status_code == 404


# --- case summaries ---------------------------------------------------------------------------


def _worked_case(app, client, **work):
    tracking, _code = file_complaint(
        client,
        {
            "incident": {
                "officers": "Deputy Ruiz, badge 4471",
                "witnesses": "Ana Witness, 555-201-3344",
            },
            "story": {
                "narrative": "Miguel Canary-Affected was stopped; call Rosa at 512 555 0142"
                " or rosa.canary@example.org. His A-number is A-123-456-789.",
                "desired_outcome": "An apology to Miguel.",
            },
        },
    )
    complaint_id = complaint_id_for(app, tracking)
    staff = staff_client(app, "supervisor", name="Sandra Supervisor")
    work_case(app, complaint_id, staff.staff.id, **work)
    return tracking, complaint_id, staff


def test_summary_has_everything_filed_and_done(app, client):
    tracking, complaint_id, staff = _worked_case(app, client, notes=["Called the jail."])
    response = staff.get(f"/staff/documents/cases/{complaint_id}/summary.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="case-{tracking}.pdf"'
    )
    found = text(response.data)
    for expected in (
        "Case summary",
        f"Case {tracking}",
        "Status: Closed",
        "Recommendations resolved",
        "Rosa Canary-Filer",
        "rosa.canary@example.org",
        "Miguel Canary-Affected",
        "March 14, 1988",
        "A123456789",
        "Deputy Ruiz, badge 4471",
        "Ana Witness",
        "Racial or ethnic profiling",
        "Substantiated",
        "Unable to determine",
        "Retrain booking staff on release dates.",
        "Partially concur",
        "Training scheduled for March.",
        "Called the jail.",
        "Please send the booking record from the jail.",
        "I attached what the jail gave me.",
        "Complaint filed",
        "Sandra Supervisor",
    ):
        assert expected in found, expected
    # The running header and footer on every page.
    pages = pages_text(response.data)
    for number, page in enumerate(pages, start=1):
        flat = " ".join(page.split())
        assert f"Page {number} of {len(pages)}" in flat
        assert "Status: Closed" in flat and f"Case {tracking}" in flat
        assert "Generated" in flat and "Audit chain head: event" in flat
    save_sample(response.data, "summary")


def test_summary_footer_cites_the_audit_chain_head_and_the_export_is_audited(app, client):
    _tracking, complaint_id, staff = _worked_case(app, client)
    with app.app_context():
        head = db.session.get(AuditChainHead, 1)
        seq, head_hash = head.seq, head.hash
    response = staff.get(f"/staff/documents/cases/{complaint_id}/summary.pdf")
    found = text(response.data)
    assert f"Audit chain head: event {seq}" in found
    assert head_hash in found.replace(" ", "")
    (event,) = export_events(app, "case_summary")
    assert event.seq == seq + 1  # the export itself comes right after the head it cites
    assert event.actor_id == staff.staff.id and event.object_id == complaint_id
    assert event.details == {"kind": "case_summary", "pages": len(reader(response.data).pages)}


def test_page_numbering_is_right_on_a_long_case(app, client):
    notes = [f"Note {i}: " + "a long internal note about the case. " * 30 for i in range(40)]
    _tracking, complaint_id, staff = _worked_case(app, client, notes=notes)
    response = staff.get(f"/staff/documents/cases/{complaint_id}/summary.pdf")
    pages = pages_text(response.data)
    assert len(pages) >= 6
    numbers = [re.search(r"Page (\d+) of (\d+)", " ".join(page.split())).groups() for page in pages]
    assert numbers == [(str(n), str(len(pages))) for n in range(1, len(pages) + 1)]
    assert "Note 39:" in text(response.data)
    save_sample(response.data, "summary-long", page=len(pages))


REMOVED_VALUES = [
    "Rosa",
    "Canary",
    "Miguel",
    "rosa.canary@example.org",
    "512 555 0142",
    "+15125550142",
    "5125550142",
    "A123456789",
    "A-123-456-789",
    "123-456-789",
    "March 14, 1988",
    "1988",
    "Mexico",
    "Ana Witness",
    "555-201-3344",
    "Called the jail about Miguel.",
    "I attached what the jail gave me.",
    # Where the affected person is held (custody location) goes too.
    "Webb County Jail",
]


def test_the_redacted_summary_leaves_out_the_people(app, client):
    tracking, complaint_id, staff = _worked_case(
        app, client, notes=["Called the jail about Miguel."]
    )
    response = staff.get(f"/staff/documents/cases/{complaint_id}/summary.pdf?redacted=1")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'"case-{tracking}-redacted.pdf"')
    found = text(response.data)
    flat = found.replace(" ", "")
    for value in REMOVED_VALUES:
        assert value not in found and value.replace(" ", "") not in flat, value
    # What the agency needs to act on stays.
    for expected in (
        "Case summary (redacted)",
        "Redacted copy",
        "[redacted] was stopped; call [redacted] at [redacted] or [redacted].",
        "His A-number is [redacted].",
        "Deputy Ruiz, badge 4471",
        "Racial or ethnic profiling",
        "Substantiated",
        "Retrain booking staff on release dates.",
        "Partially concur",
        # Each section names the fields it left out, in its own words.
        "Left out of this redacted copy: Name, Email, Phone.",
        "Left out of this redacted copy: Name, Date of birth, A-number, Country of birth, Where.",
        "Left out of this redacted copy: Witnesses.",
        "Text of the note left out of this redacted copy.",
    ):
        assert expected in found, expected
    (event,) = export_events(app, "case_summary_redacted")
    assert event.object_id == complaint_id
    save_sample(response.data, "summary-redacted")


def test_export_events_carry_no_personal_data(app, client):
    _tracking, complaint_id, staff = _worked_case(app, client)
    staff.get(f"/staff/documents/cases/{complaint_id}/summary.pdf")
    staff.get(f"/staff/documents/cases/{complaint_id}/summary.pdf?redacted=1")
    client.get("/file/confirmation/receipt.pdf?access_code=1")
    events = export_events(app)
    assert len(events) == 3
    for event in events:
        flat = repr(event.details)
        assert "Canary" not in flat and "A123456789" not in flat and "@" not in flat


def test_rendering_does_not_hold_the_sqlite_write_lock(app, client, backend, monkeypatch):
    """On SQLite a writer has the whole database: a summary must not keep others waiting
    while its PDF renders, only while its audit event is written."""
    import sqlite3

    from intake.documents import rendering

    if backend != "sqlite":
        pytest.skip("only SQLite locks the whole database for a writer")
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    _tracking, complaint_id, staff = _worked_case(app, client)
    real_render = rendering.render
    writes_during_render = []

    def render_while_someone_writes(*args, **kwargs):
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once if the request holds the lock
            other.execute("ROLLBACK")
            writes_during_render.append(True)
        finally:
            other.close()
        return real_render(*args, **kwargs)

    monkeypatch.setattr(rendering, "render", render_while_someone_writes)
    assert staff.get(f"/staff/documents/cases/{complaint_id}/summary.pdf").status_code == 200
    assert client.get("/file/confirmation/receipt.pdf").status_code == 200
    assert writes_during_render == [True, True]
    assert len(export_events(app)) == 2
