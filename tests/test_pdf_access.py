"""Who may have which document: staff only for cases they may open; complainants only with
their tracking number and access code (or the filing session)."""

import pytest

from intake.accounts.models import User
from intake.accounts.roles import PERMISSIONS
from intake.complaints.models import Complaint
from intake.documents.models import CaseLetter
from intake.extensions import db
from tests.conftest import csrf_token
from tests.filing import file_complaint
from tests.pdfs import complaint_id_for
from tests.staff import make_user, staff_client

ALLOWED, HIDDEN, FORBIDDEN = 200, 404, 403


@pytest.fixture
def case(app, client):
    tracking, _code = file_complaint(client)
    complaint_id = complaint_id_for(app, tracking)
    author = staff_client(app, "supervisor")
    url = f"/staff/documents/cases/{complaint_id}/letters"
    response = author.post(
        url,
        data={"csrf_token": csrf_token(author, url), "kind": "acknowledgment", "language": "en"},
    )
    assert response.status_code == 303
    with app.app_context():
        letter_id = db.session.execute(db.select(CaseLetter.id)).scalar_one()
    return {"id": complaint_id, "letter_id": letter_id}


def _urls(case) -> dict[str, str]:
    base = f"/staff/documents/cases/{case['id']}"
    return {
        "summary": f"{base}/summary.pdf",
        "redacted": f"{base}/summary.pdf?redacted=1",
        "letters": f"{base}/letters",
        "letter": f"{base}/letters/{case['letter_id']}.pdf",
    }


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (("intake_specialist",), ALLOWED),
        (("supervisor",), ALLOWED),
        (("investigator",), HIDDEN),  # not assigned: the case does not exist for them
        (("analyst",), FORBIDDEN),
        (("administrator",), FORBIDDEN),
    ],
)
def test_case_documents_follow_case_access(app, case, roles, expected):
    staff = staff_client(app, *roles)
    for name, url in _urls(case).items():
        assert staff.get(url).status_code == expected, (roles, name)
    token = csrf_token(staff, "/status/")
    posted = staff.post(
        _urls(case)["letters"],
        data={"csrf_token": token, "kind": "acknowledgment", "language": "en"},
    )
    assert posted.status_code == (303 if expected == ALLOWED else expected), roles


def test_an_assigned_investigator_gets_the_documents_of_their_case(app, case):
    staff = staff_client(app, "investigator")
    with app.app_context():
        complaint = db.session.get(Complaint, case["id"])
        complaint.assignee = db.session.get(User, staff.staff.id)
        db.session.commit()
    for name, url in _urls(case).items():
        assert staff.get(url).status_code == 200, name


def test_nobody_signed_in_is_sent_to_sign_in(app, case):
    anonymous = app.test_client()
    for url in _urls(case).values():
        response = anonymous.get(url)
        assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_a_letter_of_another_case_is_not_found(app, case, client):
    tracking, _code = file_complaint(app.test_client())
    other_id = complaint_id_for(app, tracking)
    staff = staff_client(app, "supervisor")
    url = f"/staff/documents/cases/{other_id}/letters/{case['letter_id']}.pdf"
    assert staff.get(url).status_code == 404


def test_refused_requests_leave_no_export_event(app, case):
    from sqlalchemy import func, select

    from intake.audit.models import AuditEvent

    def exports():
        with app.app_context():
            return db.session.execute(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "document.exported")
            ).scalar_one()

    before = exports()
    for roles in (("investigator",), ("analyst",)):
        staff = staff_client(app, *roles)
        for url in _urls(case).values():
            staff.get(url)
    assert exports() == before


def test_letter_wording_is_for_administrators(app):
    for roles, expected in (
        (("administrator",), 200),
        (("supervisor",), 403),
        (("intake_specialist",), 403),
    ):
        staff = staff_client(app, *roles)
        assert staff.get("/staff/documents/letter-templates").status_code == expected
        assert staff.get("/staff/documents/letter-templates/closure/es").status_code == expected
    admin = staff_client(app, "administrator")
    assert admin.get("/staff/documents/letter-templates/closure/fr").status_code == 404
    assert admin.get("/staff/documents/letter-templates/eviction/en").status_code == 404


def test_letter_wording_follows_its_own_permission_not_account_administration(app, monkeypatch):
    # Given to supervisors instead, letter_templates.manage lets them in and keeps
    # administrators (who still manage accounts) out: the views ask for it, not accounts.manage.
    monkeypatch.setitem(PERMISSIONS, "letter_templates.manage", {"supervisor"})
    for role, expected in (("supervisor", 200), ("administrator", 403)):
        staff = staff_client(app, role)
        assert staff.get("/staff/documents/letter-templates").status_code == expected
        assert staff.get("/staff/documents/letter-templates/closure/en").status_code == expected
        # The staff header's link to the wording follows the same permission.
        nav = staff.get("/").get_data(as_text=True)
        assert ('href="/staff/documents/letter-templates"' in nav) == (expected == 200)


def test_the_receipt_needs_the_filing_session_or_a_status_look_up(app, client):
    tracking, code = file_complaint(client)
    stranger = app.test_client()
    assert stranger.get("/file/confirmation/receipt.pdf").status_code == 404
    assert stranger.get("/status/case/receipt.pdf").status_code == 404
    # A wrong access code opens nothing.
    token = csrf_token(stranger, "/status/")
    stranger.post(
        "/status/",
        data={"csrf_token": token, "tracking_number": tracking, "access_code": "WRONG-CODE"},
    )
    assert stranger.get("/status/case/receipt.pdf").status_code == 404
    make_user(app, "supervisor")  # staff accounts change nothing for the public side
    assert stranger.get("/status/case/receipt.pdf").status_code == 404
