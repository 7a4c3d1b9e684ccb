"""Finding a complaint by tracking number and access code, with rate limiting; the messages
on its status page and the complainant's answer to a request for information."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from intake.attachments.models import Attachment
from intake.attachments.services import CheckedFile, new_attachment
from intake.complaints import identifiers
from intake.complaints.models import Complaint
from intake.database import rows_matched, utcnow
from intake.extensions import db
from intake.keys import THROTTLE_KEY, keyed_hash
from intake.review.models import Message
from intake.review.workflow import apply_action

from .models import LookupFailure

# Compared against when the tracking number is unknown, so both failures cost the same.
_DUMMY_HASH = "0" * 64


def _keyed(kind: str, value: str) -> str:
    return keyed_hash(THROTTLE_KEY, kind, value)


def is_throttled(client_address: str, tracking_number: str) -> bool:
    cfg = current_app.config
    since = utcnow() - timedelta(minutes=cfg["LOOKUP_WINDOW_MINUTES"])
    client_failures = db.session.execute(
        select(func.count())
        .select_from(LookupFailure)
        .where(
            LookupFailure.client_key == _keyed("client", client_address),
            LookupFailure.failed_at >= since,
        )
    ).scalar_one()
    if client_failures >= cfg["LOOKUP_MAX_FAILURES"]:
        return True
    tracking_failures = db.session.execute(
        select(func.count())
        .select_from(LookupFailure)
        .where(
            LookupFailure.tracking_key == _keyed("tracking", tracking_number),
            LookupFailure.failed_at >= since,
        )
    ).scalar_one()
    return tracking_failures >= cfg["LOOKUP_MAX_FAILURES_PER_TRACKING"]


def find_complaint(tracking_number: str, access_code: str) -> Complaint | None:
    complaint = db.session.execute(
        select(Complaint).where(Complaint.tracking_number == tracking_number)
    ).scalar_one_or_none()
    stored = complaint.access_code_hash if complaint else _DUMMY_HASH
    matches = identifiers.access_code_matches(tracking_number, access_code, stored)
    return complaint if complaint is not None and matches else None


def purge_old_failures() -> int:
    """Old failures are no use to the limiter: delete those older than two windows; how many.
    Flushes. Run by the schedule (tracking/tasks.py)."""
    window = timedelta(minutes=current_app.config["LOOKUP_WINDOW_MINUTES"])
    result = db.session.execute(
        delete(LookupFailure).where(LookupFailure.failed_at < utcnow() - 2 * window)
    )
    return rows_matched(result)


def record_failure(client_address: str, tracking_number: str) -> None:
    db.session.add(
        LookupFailure(
            client_key=_keyed("client", client_address),
            tracking_key=_keyed("tracking", tracking_number),
        )
    )
    db.session.flush()


def messages_for(complaint_id: int) -> list[Message]:
    stmt = (
        select(Message)
        .where(Message.complaint_id == complaint_id)
        .order_by(Message.created_at, Message.id)
    )
    return list(db.session.execute(stmt).scalars())


def documents_by_message(complaint_id: int) -> dict[int, list[Attachment]]:
    """The documents sent with each of the complainant's replies (names and sizes only)."""
    stmt = (
        select(Attachment)
        .where(Attachment.complaint_id == complaint_id, Attachment.message_id.is_not(None))
        .order_by(Attachment.id)
    )
    grouped: dict[int, list[Attachment]] = {}
    for attachment in db.session.execute(stmt).scalars():
        if attachment.message_id is not None:  # the query's condition; for the type checker
            grouped.setdefault(attachment.message_id, []).append(attachment)
    return grouped


def send_reply(
    complaint: Complaint, body: str, expected_version: int, documents: list[CheckedFile]
) -> Message:
    """The complainant answers: the workflow moves the case back to triage and audits it,
    and the documents are kept with the message. Flushes; the view commits."""
    apply_action(
        complaint,
        "complainant_replied",
        None,
        expected_version=expected_version,
        message=body,
        audit_details={"documents": len(documents)},
    )
    # apply_action wrote the message in this transaction; it is the newest reply.
    message = db.session.execute(
        select(Message)
        .where(Message.complaint_id == complaint.id, Message.direction == "from_complainant")
        .order_by(Message.id.desc())
        .limit(1)
    ).scalar_one()
    for document in documents:
        db.session.add(
            new_attachment(
                document,
                complaint_id=complaint.id,
                message_id=message.id,
                source="complainant_reply",
            )
        )
    db.session.flush()
    return message
