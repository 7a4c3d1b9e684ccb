"""What the case page shows, and the staff edits on a case. Services flush; views commit.

Every edit checks the version the page was loaded with, writes one audit event (ids and field
names only) and, where it changes the case's substance (findings, recommendations, responses),
bumps the case's version so a page loaded before it can no longer overwrite it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, lazyload, selectinload, undefer

from intake.accounts.models import User, UserRole
from intake.accounts.roles import CASE_ROLES
from intake.attachments.models import Attachment
from intake.audit.services import record_event
from intake.complaints import identifiers
from intake.complaints.models import Complaint, Person
from intake.database import utcnow
from intake.extensions import db
from intake.reference.categories import (
    AGENCY_RESPONSES,
    FINDINGS,
)

from .access import can_work_on, visible_to
from .models import CaseNote, Recommendation
from .workflow import (
    ActionNotAllowed,
    check_version,
    status_label,
)

# Which statuses allow which edits (the workflow's actions have their own table).
FINDINGS_STATUSES = ("investigation", "component_referral", "findings_review")
RECOMMENDATION_STATUSES = ("investigation", "findings_review")
RESPONSE_STATUSES = ("recommendations_issued",)

RELATED_LIMIT = 20


# --- reading ----------------------------------------------------------------------------------

# What the case page shows of the complaint itself, loaded with it: the assignee (their roles
# only if asked for) and the people (a filer and an affected person at most: two rows) in the
# same statement, then one statement per other collection.
CASE_PAGE_LOADS = (
    joinedload(Complaint.assignee).options(lazyload(User.role_rows)),
    joinedload(Complaint.people),
    selectinload(Complaint.allegations),
    selectinload(Complaint.agencies),
    selectinload(Complaint.program_contexts),
    selectinload(Complaint.prior_complaints),
)


class CasePage(NamedTuple):
    complaint: Complaint


def case_for_page(user, complaint_id: int) -> CasePage | None:
    """The case with what its page shows, if it exists and ``user`` may open it (the rule of
    case_or_404); else None. (County and state names come from the reference lookups, read
    once a process.)"""
    complaint = (
        db.session.execute(
            select(Complaint)
            .where(Complaint.id == complaint_id, visible_to(user))
            .options(*CASE_PAGE_LOADS)
        )
        .unique()
        .scalar_one_or_none()
    )
    if complaint is None or not can_work_on(user, complaint):
        return None
    return CasePage(complaint)


def duplicate_original(complaint: Complaint):
    """The original a duplicate names (its id and tracking number), or None."""
    if not complaint.duplicate_of_id:
        return None
    return db.session.execute(
        select(Complaint.id, Complaint.tracking_number).where(
            Complaint.id == complaint.duplicate_of_id
        )
    ).one_or_none()


def case_attachments(complaint_id: int) -> list[Attachment]:
    stmt = (
        select(Attachment)
        .where(Attachment.complaint_id == complaint_id)
        .order_by(Attachment.uploaded_at, Attachment.id)
    )
    return list(db.session.execute(stmt).scalars())


def case_attachment(complaint: Complaint, attachment_id: int) -> Attachment | None:
    """The file, only if it belongs to this case: an id from another case is not found."""
    stmt = (
        select(Attachment)
        .where(Attachment.id == attachment_id, Attachment.complaint_id == complaint.id)
        .options(undefer(Attachment.data))
    )
    return db.session.execute(stmt).scalar_one_or_none()


def recommendations(complaint_id: int) -> list[Recommendation]:
    stmt = (
        select(Recommendation)
        .where(Recommendation.complaint_id == complaint_id)
        .order_by(Recommendation.id)
    )
    return list(db.session.execute(stmt).scalars())


def assignable_staff():
    """Active staff who work cases, for the supervisor's assign list: (id, name) rows."""
    stmt = (
        select(User.id, User.name)
        .where(
            User.active.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(CASE_ROLES))),
        )
        .order_by(User.name, User.id)
    )
    return db.session.execute(stmt).all()


def complaint_by_tracking_number(text: str | None) -> Complaint | None:
    if not text or not identifiers.normalize(text):
        return None
    number = identifiers.canonical_tracking_number(text)
    return db.session.execute(
        select(Complaint).where(Complaint.tracking_number == number)
    ).scalar_one_or_none()


@dataclass
class RelatedCase:
    """What the related list shows of another case."""

    id: int
    tracking_number: str
    status: str
    submitted_at: datetime


@dataclass
class Related:
    complaint: RelatedCase
    reasons: list[str]


def related_complaints(complaint: Complaint, user) -> list[Related]:
    """Other cases sharing an A-number, email address or phone number with any person on this
    one, limited to the cases this user may open."""
    a_numbers = {p.a_number for p in complaint.people if p.a_number}
    emails = {p.email for p in complaint.people if p.email}
    phones = {p.phone for p in complaint.people if p.phone}
    tests = []
    if a_numbers:
        tests.append(Person.a_number.in_(a_numbers))
    if emails:
        tests.append(Person.email.in_(emails))
    if phones:
        tests.append(Person.phone.in_(phones))
    if not tests:
        return []
    # One statement: the matching people with their cases, newest case first (a case's
    # people come together, so the first cases met are the newest).
    matches = db.session.execute(
        select(
            Person.a_number,
            Person.email,
            Person.phone,
            Complaint.id,
            Complaint.tracking_number,
            Complaint.status,
            Complaint.submitted_at,
        )
        .join(Complaint, Complaint.id == Person.complaint_id)
        .where(or_(*tests), Person.complaint_id != complaint.id, visible_to(user))
        .order_by(Complaint.submitted_at.desc(), Complaint.id.desc())
        .limit(RELATED_LIMIT * 2)
    ).all()
    same = {
        "a_number": _("Same A-number"),
        "email": _("Same email address"),
        "phone": _("Same phone number"),
    }
    cases: dict[int, RelatedCase] = {}
    reasons: dict[int, set[str]] = {}
    for a_number, email, phone, case_id, tracking_number, status, submitted_at in matches:
        other = cases.get(case_id) or cases.setdefault(
            case_id, RelatedCase(case_id, tracking_number, status, submitted_at)
        )
        found = reasons.setdefault(other.id, set())
        if a_number and a_number in a_numbers:
            found.add(same["a_number"])
        if email and email in emails:
            found.add(same["email"])
        if phone and phone in phones:
            found.add(same["phone"])
    return [Related(other, sorted(reasons[other.id])) for other in cases.values()][:RELATED_LIMIT]


# --- audit of looking ----------------------------------------------------------------------


def record_case_view(complaint: Complaint, actor: User) -> None:
    record_event(
        "case.viewed",
        actor_type="staff",
        actor_id=actor.id,
        object_type="complaint",
        object_id=complaint.id,
    )


def record_download(complaint: Complaint, attachment: Attachment, actor: User) -> None:
    record_event(
        "attachment.downloaded",
        actor_type="staff",
        actor_id=actor.id,
        object_type="complaint",
        object_id=complaint.id,
        details={"attachment_id": attachment.id},
    )


# --- edits -------------------------------------------------------------------------------------


def require_status(complaint: Complaint, statuses) -> None:
    """Refuse (409) an edit the case's status does not allow now."""
    if complaint.status not in statuses:
        what = {
            FINDINGS_STATUSES: _("Findings"),
            RECOMMENDATION_STATUSES: _("Recommendations"),
            RESPONSE_STATUSES: _("The agency's response"),
        }[statuses]
        raise ActionNotAllowed(
            _(
                "%(what)s cannot be changed while the case is “%(status)s”.",
                what=what,
                status=status_label(complaint.status),
            )
        )


def _touch(complaint: Complaint, actor: User) -> None:
    """Mark the case changed: the version column moves on, so stale pages are refused."""
    complaint.updated_at = utcnow()
    complaint.updated_by_id = actor.id


def _edit_event(action: str, complaint: Complaint, actor: User, details: dict) -> None:
    record_event(
        action,
        actor_type="staff",
        actor_id=actor.id,
        object_type="complaint",
        object_id=complaint.id,
        details=details,
    )


def add_note(complaint: Complaint, actor: User, body: str, *, expected_version) -> CaseNote:
    check_version(complaint, expected_version)
    note = CaseNote(complaint_id=complaint.id, body=body, created_by_id=actor.id)
    db.session.add(note)
    db.session.flush()
    _edit_event("case.note.added", complaint, actor, {"note_id": note.id, "fields": ["body"]})
    return note


def record_findings(
    complaint: Complaint, actor: User, chosen: dict[int, str | None], *, expected_version
) -> list[int]:
    """Set the findings that changed; returns the ids of the allegations changed."""
    require_status(complaint, FINDINGS_STATUSES)
    check_version(complaint, expected_version)
    changed, codes = [], []
    now = utcnow()
    for allegation in complaint.allegations:
        if allegation.id not in chosen:
            continue
        finding = chosen[allegation.id]
        if finding is not None and finding not in FINDINGS:
            raise ValueError("unknown finding")
        if finding == allegation.finding:
            continue
        allegation.finding = finding
        allegation.finding_by_id = actor.id if finding else None
        allegation.finding_at = now if finding else None
        changed.append(allegation.id)
        codes.append(finding)
    if changed:
        _touch(complaint, actor)
        _edit_event(
            "case.findings.recorded",
            complaint,
            actor,
            {"allegation_ids": changed, "findings": codes, "fields": ["finding"]},
        )
        db.session.flush()
    return changed


def add_recommendation(
    complaint: Complaint, actor: User, body: str, *, expected_version
) -> Recommendation:
    require_status(complaint, RECOMMENDATION_STATUSES)
    check_version(complaint, expected_version)
    recommendation = Recommendation(
        complaint_id=complaint.id, body=body, created_by_id=actor.id, updated_by_id=actor.id
    )
    db.session.add(recommendation)
    _touch(complaint, actor)
    db.session.flush()
    _edit_event(
        "case.recommendation.added",
        complaint,
        actor,
        {"recommendation_id": recommendation.id, "fields": ["body"]},
    )
    return recommendation


def recommendation_of(complaint: Complaint, recommendation_id: int) -> Recommendation | None:
    return db.session.execute(
        select(Recommendation).where(
            Recommendation.id == recommendation_id,
            Recommendation.complaint_id == complaint.id,
        )
    ).scalar_one_or_none()


def edit_recommendation(
    complaint: Complaint,
    recommendation: Recommendation,
    actor: User,
    body: str,
    *,
    expected_version,
) -> bool:
    require_status(complaint, RECOMMENDATION_STATUSES)
    check_version(complaint, expected_version)
    if body == recommendation.body:
        return False
    recommendation.body = body
    recommendation.updated_by_id = actor.id
    _touch(complaint, actor)
    db.session.flush()
    _edit_event(
        "case.recommendation.edited",
        complaint,
        actor,
        {"recommendation_id": recommendation.id, "fields": ["body"]},
    )
    return True


def record_agency_response(
    complaint: Complaint,
    recommendation: Recommendation,
    actor: User,
    response: str,
    notes: str | None,
    *,
    expected_version,
) -> None:
    require_status(complaint, RESPONSE_STATUSES)
    check_version(complaint, expected_version)
    if response not in AGENCY_RESPONSES:
        raise ValueError("unknown agency response")
    recommendation.agency_response = response
    recommendation.response_notes = notes or None
    recommendation.response_recorded_at = utcnow()
    recommendation.response_recorded_by_id = actor.id
    recommendation.updated_by_id = actor.id
    _touch(complaint, actor)
    db.session.flush()
    _edit_event(
        "case.agency_response.recorded",
        complaint,
        actor,
        {
            "recommendation_id": recommendation.id,
            "agency_response": response,
            "fields": ["agency_response", "response_notes"],
        },
    )
