"""The review workflow: every (status, action, role) against a hand-written expectation table.

EXPECTED below is written from DESIGN.md's workflow section, not derived from the code's
ACTIONS table: if the two disagree, one of them is wrong and this file says which pair.
The big matrix calls apply_action directly (one shared app per database, each case rolled
back); a few HTTP tests check the same rules through the case page's forms.
"""

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from intake.accounts.models import User
from intake.audit.models import AuditEvent
from intake.complaints.models import Complaint
from intake.complaints.status import STATUSES
from intake.demo.generator import generate_complaints
from intake.extensions import db
from intake.factory import create_app
from intake.review.models import CaseNote, Message, Recommendation
from intake.review.workflow import (
    ACTIONS,
    ActionNotAllowed,
    MissingInput,
    RoleNotAllowed,
    VersionConflict,
    apply_action,
    available_actions,
    withheld_actions,
)
from tests.conftest import _empty_tables, _test_config, csrf_token
from tests.staff import make_user, staff_client

# --- the expectation table, by hand ------------------------------------------------------------

COMPLAINANT = "complainant"
ROLES = [
    "intake_specialist",
    "investigator",
    "supervisor",
    "analyst",
    "administrator",
    COMPLAINANT,
]
ALL_STATUSES = [
    "received",
    "triage",
    "awaiting_information",
    "oig_review",
    "component_referral",
    "investigation",
    "findings_review",
    "recommendations_issued",
    "closed",
]
INTAKE = {"intake_specialist", "supervisor"}
SUPERVISOR = {"supervisor"}
CASEWORK = {"investigator", "supervisor"}

# action -> (who may, {from status: to status}, what it requires)
EXPECTED = {
    "claim": (
        INTAKE,
        {
            "received": "triage",
            "triage": "triage",
            "awaiting_information": "awaiting_information",
            "oig_review": "oig_review",
        },
        (),
    ),
    "assign": (
        SUPERVISOR,
        {
            "received": "triage",
            "triage": "triage",
            "awaiting_information": "awaiting_information",
            "oig_review": "oig_review",
            "component_referral": "component_referral",
            "investigation": "investigation",
            "findings_review": "findings_review",
            "recommendations_issued": "recommendations_issued",
        },
        ("assignee",),
    ),
    "request_information": (INTAKE, {"triage": "awaiting_information"}, ("message",)),
    "complainant_replied": (
        INTAKE | {COMPLAINANT},
        {"awaiting_information": "triage"},
        ("message",),
    ),
    "offer_to_oig": (INTAKE, {"triage": "oig_review"}, ()),
    "oig_accepted": (INTAKE, {"oig_review": "closed"}, ()),
    "oig_declined": (INTAKE, {"oig_review": "triage"}, ()),
    "refer_to_component": (SUPERVISOR, {"triage": "component_referral"}, ("referral_agency",)),
    "retain": (
        SUPERVISOR,
        {"triage": "investigation", "component_referral": "investigation"},
        (),
    ),
    "submit_findings": (
        CASEWORK,
        {"investigation": "findings_review", "component_referral": "findings_review"},
        (),
    ),
    "approve_findings": (SUPERVISOR, {"findings_review": "recommendations_issued"}, ()),
    "return_findings": (SUPERVISOR, {"findings_review": "investigation"}, ("reason",)),
    "mark_duplicate": (
        INTAKE,
        {"received": "closed", "triage": "closed", "awaiting_information": "closed"},
        ("duplicate_of",),
    ),
    "close": (
        SUPERVISOR,
        {
            "received": "closed",
            "triage": "closed",
            "awaiting_information": "closed",
            "oig_review": "closed",
            "component_referral": "closed",
            "investigation": "closed",
            "findings_review": "closed",
            "recommendations_issued": "closed",
        },
        ("closure_reason",),
    ),
    "reopen": (SUPERVISOR, {"closed": "triage"}, ("reason",)),
}
# Closing actions say why themselves; `close` takes the reason given.
CLOSES_WITH = {"oig_accepted": "investigated_by_oig", "mark_duplicate": "duplicate"}
CLOSURE_GIVEN = "no_violation"
REFERRAL_GIVEN = "ice"

# Typed text that must never reach an audit event.
CANARY_MESSAGE = "Canary-message: please send the release papers"
CANARY_REASON = "Canary-reason: the findings need the booking log"


def expected_outcome(status: str, action: str, role: str):
    """403 (role), 409 (status) or the status the case moves to."""
    roles, moves, _requires = EXPECTED[action]
    if role not in roles:
        return 403
    if status not in moves:
        return 409
    return moves[status]


def test_the_expectation_table_covers_every_action_and_status():
    assert set(EXPECTED) == set(ACTIONS)
    assert set(ALL_STATUSES) == set(STATUSES)


# --- one app per database for the matrix -----------------------------------------------------


@pytest.fixture(scope="module")
def world(database_url):
    """Staff of every role, a case to act on and an original for duplicates."""
    app = create_app(_test_config(database_url))
    _empty_tables(app)
    people = {role: make_user(app, role) for role in ROLES if role != COMPLAINANT}
    colleague = make_user(app, "investigator", name="Colleague Investigator")
    with app.app_context():
        generate_complaints(2, seed=11)
        case_id, original_id = db.session.execute(
            select(Complaint.id).order_by(Complaint.id)
        ).scalars()
        db.session.commit()
    yield {
        "app": app,
        "users": {role: staff.id for role, staff in people.items()},
        "colleague": colleague.id,
        "case": case_id,
        "original": original_id,
    }
    _empty_tables(app)


def _prepare(world, status: str, role: str) -> tuple[Complaint, User | None]:
    """The case in `status`, meeting every precondition, assigned so the actor may see it."""
    complaint = db.session.get(Complaint, world["case"])
    actor = db.session.get(User, world["users"][role]) if role != COMPLAINANT else None
    complaint.status = status
    complaint.closure_reason = CLOSURE_GIVEN if status == "closed" else None
    complaint.duplicate_of_id = None
    # Investigators only work cases assigned to them; others find it someone else's, so
    # claiming it is a real change.
    complaint.assignee_id = actor.id if role == "investigator" else world["colleague"]
    for allegation in complaint.allegations:
        allegation.finding = "substantiated"
    db.session.add(
        Recommendation(
            complaint_id=complaint.id, body="Retrain the unit.", created_by_id=world["colleague"]
        )
    )
    db.session.flush()
    return complaint, actor


def _inputs(world) -> dict:
    return {
        "reason": CANARY_REASON,
        "message": CANARY_MESSAGE,
        "closure_reason": CLOSURE_GIVEN,
        "referral_agency": REFERRAL_GIVEN,
        "assignee": db.session.get(User, world["colleague"]),
        "duplicate_of": db.session.get(Complaint, world["original"]),
    }


def _last_seq() -> int:
    return db.session.execute(select(func.coalesce(func.max(AuditEvent.seq), 0))).scalar_one()


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_transition(world, status, action, role):
    expected = expected_outcome(status, action, role)
    with world["app"].test_request_context(method="POST"):
        try:
            complaint, actor = _prepare(world, status, role)
            version, seq = complaint.version, _last_seq()
            notes, messages = _count(CaseNote), _count(Message)
            if isinstance(expected, int):
                error = {403: RoleNotAllowed, 409: ActionNotAllowed}[expected]
                with pytest.raises(error) as refused:
                    apply_action(
                        complaint, action, actor, expected_version=version, **_inputs(world)
                    )
                assert refused.value.status_code == expected
                assert refused.value.message  # said, never silent
                # Refused means untouched: same status, same version, no event, no text.
                db.session.flush()
                assert (complaint.status, complaint.version) == (status, version)
                assert _last_seq() == seq
                assert (_count(CaseNote), _count(Message)) == (notes, messages)
                return

            new_status = apply_action(
                complaint, action, actor, expected_version=version, **_inputs(world)
            )
            assert new_status == expected == complaint.status
            assert complaint.version > version
            if expected == "closed":
                assert complaint.closure_reason == CLOSES_WITH.get(action, CLOSURE_GIVEN)
            events = (
                db.session.execute(select(AuditEvent).where(AuditEvent.seq > seq)).scalars().all()
            )
            assert [e.action for e in events] == [f"case.{action}"]
            event = events[0]
            assert (event.object_type, event.object_id) == ("complaint", complaint.id)
            assert event.actor_type == ("public" if actor is None else "staff")
            assert event.actor_id == (actor.id if actor else None)
            assert (event.details["from"], event.details["to"]) == (status, expected)
            text = json.dumps(event.details)
            for typed in (CANARY_MESSAGE, CANARY_REASON, "Canary", "Retrain"):
                assert typed not in text
            requires = EXPECTED[action][2]
            if "message" in requires:
                assert _count(Message) == messages + 1
                assert "message_id" in event.details
            if "reason" in requires:
                assert _count(CaseNote) == notes + 1
                assert "note_id" in event.details
            if action in ("claim", "assign"):
                assert complaint.assignee_id == (
                    actor.id if action == "claim" else world["colleague"]
                )
            if action == "mark_duplicate":
                assert complaint.duplicate_of_id == world["original"]
            if action == "refer_to_component":
                assert complaint.referral_agency == REFERRAL_GIVEN
        finally:
            db.session.rollback()


# --- what an action requires -----------------------------------------------------------------

REQUIREMENT_CASES = [
    (action, need, next(iter(EXPECTED[action][1])))
    for action in sorted(EXPECTED)
    for need in EXPECTED[action][2]
]
BAD_VALUES = {
    "reason": ["", "   ", "x" * 10_001],
    "message": ["", "\n", "x" * 10_001],
    "closure_reason": [None, "duplicate", "investigated_by_oig", "made_up"],
    "referral_agency": [None, "not_sure", "fbi"],
    "assignee": [None, "inactive", "analyst"],
    "duplicate_of": [None, "itself"],
}


@pytest.mark.parametrize(("action", "need", "status"), REQUIREMENT_CASES)
def test_missing_or_invalid_inputs_are_named(world, action, need, status):
    with world["app"].test_request_context(method="POST"):
        try:
            for bad in BAD_VALUES[need]:
                complaint, actor = _prepare(world, status, "supervisor")
                inputs = _inputs(world)
                if bad == "inactive":
                    inputs[need] = db.session.get(User, world["colleague"])
                    inputs[need].active = False
                elif bad == "analyst":
                    inputs[need] = db.session.get(User, world["users"]["analyst"])
                elif bad == "itself":
                    inputs[need] = complaint
                else:
                    inputs[need] = bad
                seq = _last_seq()
                with pytest.raises(MissingInput) as missing:
                    apply_action(
                        complaint, action, actor, expected_version=complaint.version, **inputs
                    )
                assert (missing.value.status_code, missing.value.field) == (400, need), bad
                assert complaint.status == status and _last_seq() == seq
                db.session.rollback()
        finally:
            db.session.rollback()


def test_submit_findings_needs_a_finding_for_every_allegation(world):
    with world["app"].test_request_context(method="POST"):
        try:
            complaint, actor = _prepare(world, "investigation", "investigator")
            complaint.allegations[0].finding = None
            with pytest.raises(ActionNotAllowed) as refused:
                apply_action(complaint, "submit_findings", actor, expected_version=None)
            assert refused.value.status_code == 409
            assert "every allegation" in refused.value.message
            assert complaint.status == "investigation"
        finally:
            db.session.rollback()


def test_approving_findings_needs_a_recommendation(world):
    with world["app"].test_request_context(method="POST"):
        try:
            complaint, actor = _prepare(world, "findings_review", "supervisor")
            db.session.execute(
                Recommendation.__table__.delete().where(Recommendation.complaint_id == complaint.id)
            )
            with pytest.raises(ActionNotAllowed) as refused:
                apply_action(
                    complaint, "approve_findings", actor, expected_version=complaint.version
                )
            assert refused.value.status_code == 409
            assert "no recommendations" in refused.value.message
        finally:
            db.session.rollback()


def test_whoever_submitted_the_findings_cannot_approve_them(world):
    """Separation of duties: the table says approve_findings is not by who did submit_findings."""
    assert ACTIONS["approve_findings"].not_by_who_did == "submit_findings"
    other_id = make_user(world["app"], "supervisor").id
    with world["app"].test_request_context(method="POST"):
        try:
            complaint, submitter = _prepare(world, "investigation", "supervisor")
            apply_action(complaint, "submit_findings", submitter, expected_version=None)
            assert complaint.status == "findings_review"
            names = [a.name for a in available_actions(complaint, submitter)]
            assert "approve_findings" not in names and "return_findings" in names
            [(withheld, why)] = withheld_actions(complaint, submitter)
            assert withheld.name == "approve_findings" and "separation of duties" in str(why)
            with pytest.raises(RoleNotAllowed) as refused:
                apply_action(complaint, "approve_findings", submitter, expected_version=None)
            assert refused.value.status_code == 403
            assert complaint.status == "findings_review"
            other = db.session.get(User, other_id)
            assert withheld_actions(complaint, other) == []
            apply_action(complaint, "approve_findings", other, expected_version=None)
            assert complaint.status == "recommendations_issued"
        finally:
            db.session.rollback()


def test_claiming_your_own_case_is_refused(world):
    with world["app"].test_request_context(method="POST"):
        try:
            complaint, actor = _prepare(world, "triage", "intake_specialist")
            complaint.assignee_id = actor.id
            with pytest.raises(ActionNotAllowed):
                apply_action(complaint, "claim", actor, expected_version=complaint.version)
        finally:
            db.session.rollback()


def test_an_investigator_cannot_act_on_a_case_assigned_to_someone_else(world):
    with world["app"].test_request_context(method="POST"):
        try:
            complaint, actor = _prepare(world, "investigation", "investigator")
            complaint.assignee_id = world["colleague"]
            with pytest.raises(RoleNotAllowed):
                apply_action(
                    complaint, "submit_findings", actor, expected_version=complaint.version
                )
        finally:
            db.session.rollback()


def test_a_stale_version_is_a_conflict_and_changes_nothing(world):
    with world["app"].test_request_context(method="POST"):
        try:
            complaint, actor = _prepare(world, "triage", "supervisor")
            seq = _last_seq()
            with pytest.raises(VersionConflict) as conflict:
                apply_action(
                    complaint,
                    "close",
                    actor,
                    expected_version=complaint.version - 1,
                    closure_reason=CLOSURE_GIVEN,
                )
            assert conflict.value.status_code == 409
            assert "Someone else changed this case" in conflict.value.message
            assert complaint.status == "triage" and _last_seq() == seq
        finally:
            db.session.rollback()


def test_a_change_committed_between_load_and_save_fails_at_flush(world):
    """True concurrency: the page's version matched what this request loaded, but another
    request committed before this one wrote. The version column refuses the update."""
    with world["app"].test_request_context(method="POST"):
        try:
            complaint, actor = _prepare(world, "triage", "supervisor")
            loaded = complaint.version
            # As if this request had loaded the row before the other one's commit.
            set_committed_value(complaint, "version", loaded - 1)
            with pytest.raises(StaleDataError):
                apply_action(
                    complaint,
                    "close",
                    actor,
                    expected_version=loaded - 1,
                    closure_reason=CLOSURE_GIVEN,
                )
        finally:
            db.session.rollback()


# --- the same rules through HTTP ---------------------------------------------------------------


def _case(app, status="received", **values) -> int:
    with app.app_context():
        generate_complaints(1, seed=5)
        complaint = db.session.execute(select(Complaint)).scalars().one()
        complaint.status = status
        complaint.closure_reason = CLOSURE_GIVEN if status == "closed" else None
        complaint.duplicate_of_id = None
        complaint.assignee_id = None
        for name, value in values.items():
            setattr(complaint, name, value)
        db.session.commit()
        return complaint.id


def _version(app, complaint_id) -> int:
    with app.app_context():
        return db.session.get(Complaint, complaint_id).version


def _status(app, complaint_id) -> str:
    with app.app_context():
        return db.session.get(Complaint, complaint_id).status


def _events(app, action) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()
        )


def _post_action(client, complaint_id, action, **fields):
    token = csrf_token(client, f"/staff/cases/{complaint_id}")
    data = {"csrf_token": token, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/staff/cases/{complaint_id}/actions/{action}", data=data)


def test_claim_through_the_case_page(app):
    complaint_id = _case(app)
    client = staff_client(app, "intake_specialist")
    page = client.get(f"/staff/cases/{complaint_id}").get_data(as_text=True)
    assert f'action="/staff/cases/{complaint_id}/actions/claim"' in page
    response = _post_action(client, complaint_id, "claim", version=_version(app, complaint_id))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/cases/{complaint_id}#summary")
    assert _status(app, complaint_id) == "triage"
    [event] = _events(app, "case.claim")
    assert event.actor_id == client.staff.id
    page = client.get(f"/staff/cases/{complaint_id}").get_data(as_text=True)
    assert "Done: Claim this case." in page
    assert "actions/claim" not in page  # it is yours now: nothing to claim


def test_wrong_status_is_a_409_with_a_clear_message(app):
    complaint_id = _case(app, status="received")
    client = staff_client(app, "intake_specialist")
    response = _post_action(
        client, complaint_id, "offer_to_oig", version=_version(app, complaint_id)
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "is not possible while the case is “Received”" in page
    assert _status(app, complaint_id) == "received"
    assert _events(app, "case.offer_to_oig") == []


def test_a_role_that_may_not_is_a_403_with_a_clear_message(app):
    complaint_id = _case(app, status="triage")
    client = staff_client(app, "intake_specialist")
    response = _post_action(
        client,
        complaint_id,
        "close",
        version=_version(app, complaint_id),
        closure_reason="withdrawn",
    )
    assert response.status_code == 403
    assert "Your role does not allow this action" in response.get_data(as_text=True)
    assert _status(app, complaint_id) == "triage"


def test_a_missing_input_is_shown_next_to_its_field(app):
    complaint_id = _case(app, status="triage")
    client = staff_client(app, "supervisor")
    response = _post_action(
        client, complaint_id, "close", version=_version(app, complaint_id), closure_reason=""
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="close-closure_reason-error"' in page
    assert "Choose why the case is closed." in page
    assert 'id="action-close-form" open' in page
    assert _status(app, complaint_id) == "triage"


def test_a_stale_form_is_a_conflict_that_keeps_the_typed_text(app):
    complaint_id = _case(app, status="triage")
    first = staff_client(app, "supervisor")
    second = staff_client(app, "intake_specialist")
    version = _version(app, complaint_id)
    assert _post_action(first, complaint_id, "retain", version=version).status_code == 302
    response = _post_action(
        second,
        complaint_id,
        "request_information",
        version=version,
        message="Could you send the booking sheet?",
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else changed this case" in page
    assert "Could you send the booking sheet?" in page
    assert _status(app, complaint_id) == "investigation"
    assert _events(app, "case.request_information") == []


def test_the_complainant_pseudo_role_cannot_use_staff_routes(app):
    complaint_id = _case(app, status="awaiting_information")
    client = app.test_client()  # a member of the public, no staff session
    token = csrf_token(client, "/status/")
    response = client.post(
        f"/staff/cases/{complaint_id}/actions/complainant_replied",
        data={"csrf_token": token, "complainant_replied-message": "hello"},
    )
    assert response.status_code == 401
    assert _status(app, complaint_id) == "awaiting_information"
