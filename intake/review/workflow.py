"""The review workflow: one transitions table and one function that applies an action.

A case moves only through `apply_action`. It checks that the action is allowed from the case's
status, that the actor's roles allow it, that what the action requires was given and that
nobody changed the case since the actor loaded it; then it sets the status, writes the audit
event and flushes. The view commits once. Anything not allowed raises a WorkflowError with a
message for the person who tried; nothing is ever silently ignored.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import select

from intake.accounts.models import User
from intake.audit.models import AuditEvent
from intake.audit.services import record_event
from intake.complaints.models import Complaint
from intake.complaints.status import STATUSES
from intake.database import utcnow
from intake.extensions import db
from intake.reference.categories import AGENCIES, CLOSURE_REASONS
from intake.review.models import Message
from intake.review.workflow_errors import (
    ActionNotAllowed,
    MissingInput,
    RoleNotAllowed,
    VersionConflict,
)
from intake.signals import case_moved

from .access import can_work_on
from .models import CaseNote, Recommendation

COMPLAINANT = "complainant"  # the public side of a case, acting with its access code
OPEN_STATUSES = tuple(status for status in STATUSES if status != "closed")
# Reasons a supervisor picks when closing; the others come with their own actions.
CLOSE_REASONS = {
    code: label
    for code, label in CLOSURE_REASONS.items()
    if code not in {"duplicate", "investigated_by_oig"}
}

INTAKE = frozenset({"intake_specialist", "supervisor"})
SUPERVISOR = frozenset({"supervisor"})
CASEWORK = frozenset({"investigator", "supervisor"})


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    roles: frozenset[str]
    # (from status, to status) pairs; the table below is the whole workflow.
    moves: dict[str, str]
    # What the actor must give: reason, message, closure_reason, referral_agency, assignee,
    # duplicate_of.
    requires: tuple[str, ...] = ()
    closure_reason: str | None = None  # actions that close a case say why themselves
    # Separation of duties: not by whoever last took this other action on the case.
    not_by_who_did: str | None = None
    hint: str = ""
    extra: dict = field(default_factory=dict)


def _same(statuses) -> dict[str, str]:
    return {status: status for status in statuses}


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in [
        Action(
            "claim",
            _l("Claim this case"),
            INTAKE,
            {"received": "triage", **_same(["triage", "awaiting_information", "oig_review"])},
            hint=_l("Assigns the case to you."),
        ),
        Action(
            "assign",
            _l("Assign"),
            SUPERVISOR,
            {"received": "triage", **_same(s for s in OPEN_STATUSES if s != "received")},
            requires=("assignee",),
        ),
        Action(
            "request_information",
            _l("Ask the complainant for information"),
            INTAKE,
            {"triage": "awaiting_information"},
            requires=("message",),
            hint=_l("The complainant sees the message on the status page. The clock pauses."),
        ),
        Action(
            "complainant_replied",
            _l("Record the complainant's reply"),
            INTAKE | {COMPLAINANT},
            {"awaiting_information": "triage"},
            requires=("message",),
            hint=_l("For an answer that came by mail, phone or email."),
        ),
        Action(
            "offer_to_oig",
            _l("Offer to the Inspector General"),
            INTAKE,
            {"triage": "oig_review"},
        ),
        Action(
            "oig_accepted",
            _l("Inspector General accepted"),
            INTAKE,
            {"oig_review": "closed"},
            closure_reason="investigated_by_oig",
            hint=_l("Closes the case: the Inspector General investigates it."),
        ),
        Action(
            "oig_declined",
            _l("Inspector General declined"),
            INTAKE,
            {"oig_review": "triage"},
        ),
        Action(
            "refer_to_component",
            _l("Refer to the agency involved"),
            SUPERVISOR,
            {"triage": "component_referral"},
            requires=("referral_agency",),
        ),
        Action(
            "retain",
            _l("Retain for investigation"),
            SUPERVISOR,
            {"triage": "investigation", "component_referral": "investigation"},
        ),
        Action(
            "submit_findings",
            _l("Submit findings for approval"),
            CASEWORK,
            {"investigation": "findings_review", "component_referral": "findings_review"},
            hint=_l("Every allegation needs a finding first."),
        ),
        Action(
            "approve_findings",
            _l("Approve findings and issue recommendations"),
            SUPERVISOR,
            {"findings_review": "recommendations_issued"},
            not_by_who_did="submit_findings",
            hint=_l("Needs at least one recommendation. Without any, close the case instead."),
        ),
        Action(
            "return_findings",
            _l("Send findings back"),
            SUPERVISOR,
            {"findings_review": "investigation"},
            requires=("reason",),
        ),
        Action(
            "mark_duplicate",
            _l("Mark as a duplicate"),
            INTAKE,
            {status: "closed" for status in ("received", "triage", "awaiting_information")},
            requires=("duplicate_of",),
            closure_reason="duplicate",
        ),
        Action(
            "close",
            _l("Close the case"),
            SUPERVISOR,
            {status: "closed" for status in OPEN_STATUSES},
            requires=("closure_reason",),
        ),
        Action(
            "reopen",
            _l("Reopen"),
            SUPERVISOR,
            {"closed": "triage"},
            requires=("reason",),
        ),
    ]
}

# status × action → next status: the table, flattened, for reading and for the tests.
TRANSITIONS: dict[tuple[str, str], str] = {
    (status, action.name): target
    for action in ACTIONS.values()
    for status, target in action.moves.items()
}


def actor_roles(actor: User | None) -> set[str]:
    return {COMPLAINANT} if actor is None else set(actor.roles)


def available_actions(complaint: Complaint, actor: User) -> list[Action]:
    """The actions this actor may take on this case now, in the table's order."""
    if not can_work_on(actor, complaint):
        return []
    roles = actor_roles(actor)
    return [
        action
        for action in ACTIONS.values()
        if complaint.status in action.moves
        and roles & action.roles
        # Claiming a case that is already yours would only be refused.
        and not (action.name == "claim" and complaint.assignee_id == actor.id)
        and not _kept_from(action, complaint, actor)
    ]


def last_actor_of(action_name: str, complaint: Complaint) -> int | None:
    """Who last took this action on the case, from the audit trail (None: nobody yet)."""
    return db.session.execute(
        select(AuditEvent.actor_id)
        .where(
            AuditEvent.object_type == "complaint",
            AuditEvent.object_id == complaint.id,
            AuditEvent.action == f"case.{action_name}",
        )
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).scalar_one_or_none()


def _kept_from(action: Action, complaint: Complaint, actor: User | None) -> bool:
    if action.not_by_who_did is None or actor is None or complaint.status not in action.moves:
        return False
    return last_actor_of(action.not_by_who_did, complaint) == actor.id


def withheld_actions(complaint: Complaint, actor: User) -> list[tuple[Action, str]]:
    """Actions the actor's roles allow now but separation of duties keeps from them, with why:
    the case page says so instead of leaving the action out silently."""
    if not can_work_on(actor, complaint):
        return []
    roles = actor_roles(actor)
    return [
        (action, SEPARATION_REASON)
        for action in ACTIONS.values()
        if roles & action.roles and _kept_from(action, complaint, actor)
    ]


SEPARATION_REASON = _l(
    "You submitted these findings, so another supervisor approves them (separation of duties)."
)


def check_version(complaint: Complaint, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != complaint.version:
        raise VersionConflict(
            str(
                _l(
                    "Someone else changed this case while you were looking at it. "
                    "Nothing was saved. Check the case as it is now and try again."
                )
            )
        )


def check_action(complaint: Complaint, name: str, actor: User | None) -> Action:
    """The action, if this actor may take it on this case in its current status.

    Roles are checked before the status: someone who may never take the action is told so,
    not that the case is in the wrong status."""
    action = ACTIONS.get(name)
    if action is None:
        raise ActionNotAllowed(str(_l("There is no such action.")))
    if not actor_roles(actor) & action.roles or (
        actor is not None and not can_work_on(actor, complaint)
    ):
        raise RoleNotAllowed(str(_l("Your role does not allow this action on this case.")))
    if complaint.status not in action.moves:
        raise ActionNotAllowed(
            str(
                _l(
                    "“%(action)s” is not possible while the case is “%(status)s”.",
                    action=action.label,
                    status=status_label(complaint.status),
                )
            )
        )
    return action


def apply_action(
    complaint: Complaint,
    name: str,
    actor: User | None,
    *,
    expected_version: int | None,
    reason: str | None = None,
    message: str | None = None,
    closure_reason: str | None = None,
    referral_agency: str | None = None,
    assignee: User | None = None,
    duplicate_of: Complaint | None = None,
    audit_details: dict | None = None,
) -> str:
    """Move the case; returns the new status. Flushes, never commits.

    ``audit_details`` adds counts or codes the caller knows (documents sent with a reply) to
    the action's audit event; never typed text.
    """
    action = check_action(complaint, name, actor)
    current = complaint.status
    check_version(complaint, expected_version)
    inputs = _check_inputs(
        action,
        complaint,
        actor,
        reason,
        message,
        closure_reason,
        referral_agency,
        assignee,
        duplicate_of,
    )
    _check_preconditions(action, complaint, actor)

    target = action.moves[current]
    details: dict = {**(audit_details or {}), "from": current, "to": target}
    now = utcnow()
    actor_id = actor.id if actor else None

    if name == "claim":
        complaint.assignee_id = details["assignee_id"] = actor_id
    elif name == "assign":
        complaint.assignee_id = inputs["assignee"].id
        details["assignee_id"] = inputs["assignee"].id
    elif name == "refer_to_component":
        complaint.referral_agency = inputs["referral_agency"]
        details["referral_agency"] = inputs["referral_agency"]
    elif name == "reopen":
        complaint.closure_reason = None
        complaint.duplicate_of_id = None

    if target == "closed":
        complaint.closure_reason = action.closure_reason or inputs["closure_reason"]
        details["closure_reason"] = complaint.closure_reason
        if name == "mark_duplicate":
            complaint.duplicate_of_id = inputs["duplicate_of"].id
            details["duplicate_of_id"] = complaint.duplicate_of_id

    # The status moves with its closure reason in the same UPDATE: the CHECK that ties them
    # would refuse a flush (for the note or message below) that saw only one of them.
    if target != current:
        complaint.status = target
        complaint.status_changed_at = now
    complaint.updated_by_id = actor_id
    complaint.updated_at = now

    if "message" in action.requires:
        direction = "from_complainant" if name == "complainant_replied" else "to_complainant"
        sent = Message(
            complaint_id=complaint.id,
            direction=direction,
            body=inputs["message"],
            sent_by_id=actor_id,
        )
        db.session.add(sent)
        db.session.flush()
        details["message_id"] = sent.id
    if "reason" in action.requires:
        note = CaseNote(complaint_id=complaint.id, body=inputs["reason"], created_by_id=actor_id)
        db.session.add(note)
        db.session.flush()
        details["note_id"] = note.id

    record_event(
        f"case.{name}",
        actor_type="public" if actor is None else "staff",
        actor_id=actor_id,
        object_type="complaint",
        object_id=complaint.id,
        details=details,
    )
    db.session.flush()  # the version column makes a concurrent update fail here, not later
    case_moved.send(
        complaint,
        action=name,
        actor=actor,
        from_status=current,
        to_status=target,
        message=sent if "message" in action.requires else None,
    )
    return target


def status_label(status: str) -> str:
    return str(STAFF_STATUS_LABELS.get(status, status))


# Staff words for the statuses. Those the complainant's status page also uses (STATUSES) get
# a context of their own, so that each side can be translated on its own terms: in Spanish
# the public side's words agree with "la queja", the staff side's with "el caso". (The context
# is written out in each call: message extraction reads only literal strings.)
STAFF_STATUS_LABELS = {
    "received": lazy_pgettext("staff case status", "Received"),
    "triage": _l("Triage"),
    "awaiting_information": _l("Awaiting information"),
    "oig_review": _l("Inspector General review"),
    "component_referral": _l("Component referral"),
    "investigation": _l("Investigation"),
    "findings_review": _l("Findings review"),
    "recommendations_issued": lazy_pgettext("staff case status", "Recommendations issued"),
    "closed": lazy_pgettext("staff case status", "Closed"),
}


def _check_inputs(
    action,
    complaint,
    actor,
    reason,
    message,
    closure_reason,
    referral_agency,
    assignee,
    duplicate_of,
) -> dict:
    given: dict = {}
    for need in action.requires:
        if need in {"reason", "message"}:
            value = (reason if need == "reason" else message) or ""
            value = value.strip()
            if not value:
                text = (
                    _l("Say why: the reason is kept on the case's timeline.")
                    if need == "reason"
                    else _l("Write the message.")
                )
                raise MissingInput(str(text), field=need)
            if len(value) > 10_000:
                raise MissingInput(str(_l("Keep it under 10,000 characters.")), field=need)
            given[need] = value
        elif need == "closure_reason":
            if closure_reason not in CLOSE_REASONS:
                raise MissingInput(str(_l("Choose why the case is closed.")), field=need)
            given[need] = closure_reason
        elif need == "referral_agency":
            if referral_agency not in AGENCIES or referral_agency == "not_sure":
                raise MissingInput(str(_l("Choose the agency to refer to.")), field=need)
            given[need] = referral_agency
        elif need == "assignee":
            if assignee is None or not assignee.active or not assignee.roles & (INTAKE | CASEWORK):
                raise MissingInput(
                    str(_l("Choose an active staff member who works cases.")), field=need
                )
            given[need] = assignee
        elif need == "duplicate_of":
            if duplicate_of is None or duplicate_of.id == complaint.id:
                raise MissingInput(
                    str(_l("Give the tracking number of another complaint.")), field=need
                )
            given[need] = duplicate_of
    return given


def _check_preconditions(action: Action, complaint: Complaint, actor: User | None) -> None:
    if _kept_from(action, complaint, actor):
        raise RoleNotAllowed(str(SEPARATION_REASON))
    if action.name == "claim" and actor is not None and complaint.assignee_id == actor.id:
        raise ActionNotAllowed(str(_l("This case is already assigned to you.")))
    if action.name == "submit_findings":
        missing = [a for a in complaint.allegations if a.finding is None]
        if missing:
            raise ActionNotAllowed(
                str(_l("Record a finding for every allegation before submitting the findings."))
            )
    if action.name == "approve_findings":
        has_any = db.session.execute(
            select(Recommendation.id).where(Recommendation.complaint_id == complaint.id).limit(1)
        ).first()
        if has_any is None:
            raise ActionNotAllowed(
                str(
                    _l(
                        "There are no recommendations to issue. Add one, or close the case "
                        "with a reason."
                    )
                )
            )
