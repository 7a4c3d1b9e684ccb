"""A case's timeline (what happened, in words) and its trail (every audited event, looking
included), from the audit events, notes and messages."""


from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import literal_column, null, select, union_all

from intake.accounts.models import User
from intake.audit.models import AuditEvent
from intake.complaints.description import label
from intake.complaints.models import Complaint
from intake.extensions import db
from intake.reference.categories import (
    AGENCIES,
    AGENCY_RESPONSES,
    ALLEGATIONS,
    CHANNELS,
    CLOSURE_REASONS,
    FINDINGS,
)
from intake.review.models import Message

from .models import CaseNote, Recommendation
from .workflow import (
    ACTIONS,
    status_label,
)

# Events that are about looking, not changing: on the trail, not the timeline.
LOOKING_EVENTS = {"case.viewed", "attachment.downloaded", "document.exported"}


def _timeline_titles() -> dict[str, str]:
    # Looked up at render time so the words follow the reader's language (once per timeline).
    return {
        "complaint.submitted": _("Complaint filed"),
        "complaint.entered": _("Complaint entered by staff"),
        "case.claim": _("Claimed"),
        "case.assign": _("Assigned"),
        "case.request_information": _("Information requested from the complainant"),
        "case.complainant_replied": _("The complainant replied"),
        "case.offer_to_oig": _("Offered to the Inspector General"),
        "case.oig_accepted": _("Inspector General accepted the case"),
        "case.oig_declined": _("Inspector General declined the case"),
        "case.refer_to_component": _("Referred to the agency involved"),
        "case.retain": _("Retained for investigation"),
        "case.submit_findings": _("Findings submitted for approval"),
        "case.approve_findings": _("Findings approved, recommendations issued"),
        "case.return_findings": _("Findings sent back"),
        "case.mark_duplicate": _("Marked as a duplicate"),
        "case.close": pgettext("staff case status", "Closed"),
        "case.reopen": _("Reopened"),
        "case.note.added": _("Internal note"),
        "case.findings.recorded": _("Findings recorded"),
        "case.recommendation.added": _("Recommendation added"),
        "case.recommendation.edited": _("Recommendation edited"),
        "case.agency_response.recorded": _("Agency response recorded"),
        "case.letter.generated": _("Letter generated"),
    }


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # filed, action, note, message_to, message_from, edit
    title: str
    actor: str
    change: tuple[str, str] | None = None
    body: str | None = None
    facts: list[tuple[str, str | None]] = field(default_factory=list)
    link: tuple[str, int] | None = None  # (tracking number, complaint id) of a duplicate's original


def _actor_name(actor_type: str, actor_id: int | None, names: dict[int, str]) -> str:
    if actor_type == "public":
        return _("The complainant")
    if actor_type == "system":
        return _("System")
    if actor_id in names:
        return names[actor_id]
    return _("Staff member #%(id)s", id=actor_id)


def _names(user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    return dict(rows.all())


def _notes_and_messages(complaint_id: int):
    """The case's notes and messages, in one statement: ({id: note}, {id: message}), each row
    with its id, body, time (at), writer (by_id) and, for a message, direction."""
    rows: Sequence[Any] = db.session.execute(
        union_all(
            select(
                literal_column("'note'").label("kind"),
                CaseNote.id,
                CaseNote.body,
                CaseNote.created_at.label("at"),
                CaseNote.created_by_id.label("by_id"),
                null().label("direction"),
            ).where(CaseNote.complaint_id == complaint_id),
            select(
                literal_column("'message'"),
                Message.id,
                Message.body,
                Message.created_at,
                Message.sent_by_id,
                Message.direction,
            ).where(Message.complaint_id == complaint_id),
        )
    ).all()
    notes = {row.id: row for row in rows if row.kind == "note"}
    messages = {row.id: row for row in rows if row.kind == "message"}
    return notes, messages


def case_events(complaint_id: int, *, after_seq: int = 0, limit: int | None = None):
    stmt = (
        select(AuditEvent)
        .where(
            AuditEvent.object_type == "complaint",
            AuditEvent.object_id == complaint_id,
            AuditEvent.seq > after_seq,
        )
        .order_by(AuditEvent.seq)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.execute(stmt).scalars())


def timeline(complaint: Complaint, recommendations=None) -> list[TimelineEntry]:
    """The case's history, oldest first: what happened, who did it, what was said.

    ``recommendations``: the case's, in order, if the caller has them already (they number
    the timeline's mentions of them)."""
    events = db.session.execute(
        select(
            AuditEvent.occurred_at,
            AuditEvent.action,
            AuditEvent.actor_type,
            AuditEvent.actor_id,
            AuditEvent.details,
        )
        .where(
            AuditEvent.object_type == "complaint",
            AuditEvent.object_id == complaint.id,
            AuditEvent.action.not_in(LOOKING_EVENTS),
        )
        .order_by(AuditEvent.seq)
    ).all()
    notes, messages = _notes_and_messages(complaint.id)
    names = _names(
        [e.actor_id for e in events]
        + [(e.details or {}).get("assignee_id") for e in events]
        + [n.by_id for n in notes.values()]
        + [m.by_id for m in messages.values()]
    )
    allegation_labels = {
        a.id: str(ALLEGATIONS.get(a.category, a.category)) for a in complaint.allegations
    }
    recommendation_ids: Iterable[int]
    if recommendations is None:
        recommendation_ids = db.session.execute(
            select(Recommendation.id)
            .where(Recommendation.complaint_id == complaint.id)
            .order_by(Recommendation.id)
        ).scalars()
    else:
        recommendation_ids = [rec.id for rec in recommendations]
    recommendation_numbers = {
        rec_id: number for number, rec_id in enumerate(recommendation_ids, start=1)
    }
    # Titles and status words translated once per timeline, not once per event.
    titles = _timeline_titles()
    status_words = cache(status_label)
    shown_notes, shown_messages = set(), set()
    entries = []
    for event in events:
        details = event.details or {}
        entry = TimelineEntry(
            at=event.occurred_at,
            kind="action" if event.action.removeprefix("case.") in ACTIONS else "edit",
            title=titles.get(event.action, event.action),
            actor=_actor_name(event.actor_type, event.actor_id, names),
        )
        if event.action in ("complaint.submitted", "complaint.entered"):
            entry.kind = "filed"
            entry.facts.append((_("Received by"), label(CHANNELS, details.get("channel"))))
        if "from" in details and "to" in details and details["from"] != details["to"]:
            entry.change = (status_words(details["from"]), status_words(details["to"]))
        if details.get("assignee_id"):
            entry.facts.append((_("Assigned to"), names.get(details["assignee_id"], "")))
        if details.get("referral_agency"):
            entry.facts.append((_("Agency"), label(AGENCIES, details["referral_agency"])))
        if details.get("closure_reason"):
            entry.facts.append(
                (_("Closure reason"), label(CLOSURE_REASONS, details["closure_reason"]))
            )
        if details.get("duplicate_of_id"):
            original = db.session.get(Complaint, details["duplicate_of_id"])
            if original is not None:
                entry.link = (original.tracking_number, original.id)
        if details.get("message_id") in messages:
            entry.body = messages[details["message_id"]].body
            shown_messages.add(details["message_id"])
        if details.get("note_id") in notes:
            entry.body = notes[details["note_id"]].body
            shown_notes.add(details["note_id"])
            if event.action == "case.note.added":
                entry.kind = "note"
        for allegation_id, finding in zip(
            details.get("allegation_ids", []), details.get("findings", []), strict=False
        ):
            entry.facts.append(
                (
                    allegation_labels.get(allegation_id, f"#{allegation_id}"),
                    label(FINDINGS, finding) or _("Not decided yet"),
                )
            )
        if details.get("documents"):
            entry.facts.append((_("Documents sent with it"), str(details["documents"])))
        if details.get("recommendation_id"):
            number = recommendation_numbers.get(details["recommendation_id"])
            entry.facts.append((_("Recommendation"), f"{number or '?'}"))
        if details.get("agency_response"):
            entry.facts.append(
                (_("Response"), label(AGENCY_RESPONSES, details["agency_response"]))
            )
        entries.append(entry)
    # Notes and messages written without an event naming them still belong on the timeline.
    for note in notes.values():
        if note.id not in shown_notes:
            entries.append(
                TimelineEntry(
                    note.at,
                    "note",
                    _("Internal note"),
                    names.get(note.by_id, ""),
                    body=note.body,
                )
            )
    for message in messages.values():
        if message.id not in shown_messages:
            outgoing = message.direction == "to_complainant"
            entries.append(
                TimelineEntry(
                    message.at,
                    "message_to" if outgoing else "message_from",
                    _("Message to the complainant") if outgoing else _("The complainant wrote"),
                    names.get(message.by_id, "") if outgoing else _("The complainant"),
                    body=message.body,
                )
            )
    entries.sort(key=lambda e: e.at)
    return entries


def trail(complaint_id: int, after_seq: int = 0, limit: int = 500):
    """The case's audit events as stored: actions, actors, times, field names and codes."""
    events = case_events(complaint_id, after_seq=after_seq, limit=limit + 1)
    more = len(events) > limit
    events = events[:limit]
    names = _names(e.actor_id for e in events)
    rows = [
        {
            "seq": e.seq,
            "at": e.occurred_at,
            "action": e.action,
            "actor": _actor_name(e.actor_type, e.actor_id, names),
            "actor_type": e.actor_type,
            "details": sorted((e.details or {}).items()),
        }
        for e in events
    ]
    return rows, (events[-1].seq if more and events else None)
