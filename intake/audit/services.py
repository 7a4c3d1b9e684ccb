"""Writing and verifying the audit chain. Callers' transactions carry the event: no commit here."""

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError

from intake.database import table_of, utcnow
from intake.extensions import db

from .models import GENESIS_HASH, AuditChainHead, AuditEvent

# Detail keys must name things (fields, codes, counts), never carry what a person typed.
_ALLOWED_DETAIL_TYPES = (int, bool, type(None))


class EventContent(Protocol):
    """What an event's hash covers: an AuditEvent, or one that append_events is about to
    insert as a row."""

    @property
    def seq(self) -> int: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def actor_type(self) -> str: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def action(self) -> str: ...
    @property
    def object_type(self) -> str | None: ...
    @property
    def object_id(self) -> int | None: ...
    @property
    def details(self) -> dict: ...


@dataclass(frozen=True)
class _NewEvent:
    """An event's content before its row is inserted (append_events writes rows, not objects)."""

    seq: int
    occurred_at: datetime
    actor_type: str
    actor_id: int | None
    action: str
    object_type: str | None
    object_id: int | None
    details: dict


def canonical_content(event: EventContent) -> bytes:
    occurred = (
        event.occurred_at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    )
    body = {
        "seq": event.seq,
        "occurred_at": occurred,
        "actor_type": event.actor_type,
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "details": event.details or {},
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def event_hash(prev_hash: str, event: EventContent) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical_content(event)).hexdigest()


def _check_details(details: dict) -> None:
    for key, value in details.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not isinstance(item, _ALLOWED_DETAIL_TYPES + (str,)):
                raise TypeError(f"audit detail {key!r} has an unsupported value type")
            if isinstance(item, str) and (
                len(item) > 64
                or not item.replace("_", "").replace(".", "").replace("-", "").isalnum()
            ):
                # Codes and field names only: free text could be personal data.
                raise ValueError(f"audit detail {key!r} must be a code or field name")


def lock_chain_head() -> AuditChainHead:
    """The chain head, locked until the transaction ends: appends happen one at a time."""
    # populate_existing: a copy loaded earlier in this session must not hide a newer head.
    stmt = (
        select(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    head = db.session.execute(stmt).scalar_one_or_none()
    if head is None:
        # First event ever (the migration seeds the row; a wiped table lands here). Another
        # transaction may be creating it too: the loser's savepoint fails and it reads theirs.
        try:
            with db.session.begin_nested():
                db.session.add(AuditChainHead(id=1, seq=0, hash=GENESIS_HASH))
        except IntegrityError:
            pass
        head = db.session.execute(stmt).scalar_one()
    return head


def record_event(
    action: str,
    *,
    actor_type: str,
    actor_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    details: dict | None = None,
    occurred_at: datetime | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction."""
    details = details or {}
    _check_details(details)
    head = lock_chain_head()
    event = AuditEvent(
        seq=head.seq + 1,
        occurred_at=occurred_at or utcnow(),
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details,
        prev_hash=head.hash,
    )
    event.hash = event_hash(head.hash, event)
    head.seq, head.hash = event.seq, event.hash
    db.session.add(event)
    db.session.flush()
    return event


def _insert_rows(table: Table, rows: list[dict]) -> None:
    db.session.execute(insert(table), rows)


def append_events(
    events: Iterable[Mapping],
    *,
    insert_rows: Callable[[Table, list[dict]], None] | None = None,
) -> int:
    """Append many events to the chain at once, inside the caller's transaction; return how many.

    Each event is a mapping with ``action``, ``actor_type`` and optionally ``actor_id``,
    ``object_type``, ``object_id``, ``details`` and ``occurred_at`` (default: now), as
    record_event takes them. Like record_event: the chain-head lock, the same detail checks, the
    same ``event_hash`` for each link, and the head moved to the last event. The rows go in with
    one Core executemany, or through ``insert_rows(table, rows)`` (a bulk loader such as COPY:
    it gets column values exactly as stored, aware UTC datetimes and dicts for JSON).
    """
    head = lock_chain_head()
    seq, prev_hash = head.seq, head.hash
    now = utcnow()
    rows = []
    for given in events:
        details = given.get("details") or {}
        _check_details(details)
        seq += 1
        event = _NewEvent(
            seq=seq,
            occurred_at=given.get("occurred_at") or now,
            actor_type=given["actor_type"],
            actor_id=given.get("actor_id"),
            action=given["action"],
            object_type=given.get("object_type"),
            object_id=given.get("object_id"),
            details=details,
        )
        # The row: the event's columns (the same values, not copies), then its links.
        row = {**vars(event), "prev_hash": prev_hash}
        row["hash"] = prev_hash = event_hash(prev_hash, event)
        rows.append(row)
    if not rows:
        return 0
    (insert_rows or _insert_rows)(table_of(AuditEvent), rows)
    head.seq, head.hash = seq, prev_hash
    db.session.flush()
    return len(rows)


@dataclass
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order; name the first event whose link or content does not hold."""
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    last_seq = 0
    while True:
        stmt = (
            select(AuditEvent)
            .where(AuditEvent.seq > last_seq)
            .order_by(AuditEvent.seq)
            .limit(batch_size)
        )
        events = db.session.execute(stmt).scalars().all()
        if not events:
            break
        for event in events:
            if event.seq != expected_seq:
                return ChainReport(checked, expected_seq, "missing event")
            if event.prev_hash != prev_hash:
                return ChainReport(checked, event.seq, "link to previous event broken")
            if event_hash(prev_hash, event) != event.hash:
                return ChainReport(checked, event.seq, "content does not match its hash")
            prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
        last_seq = events[-1].seq
        db.session.expunge_all()
    head = db.session.get(AuditChainHead, 1)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return ChainReport(checked, head.seq, "chain head does not match the last event")
    return ChainReport(checked)
