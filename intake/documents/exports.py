"""Bulk export: a ZIP of case summaries for a queue selection, made in the background with
progress a person can watch, and downloaded part by part.

Why this shape. Rendering a summary takes tens of milliseconds, so 1,000 cases take a minute or
more: longer than a web request should hold a worker (gunicorn's sync workers are killed after
their timeout) and longer than anyone wants to stare at a spinning download. So:

- ``start_export`` records what was asked for (the case ids this person may open, nothing
  else) as a ``DocumentExport`` row and the request returns at once, to a progress page that
  refreshes itself (a ``Refresh`` header, no JavaScript) until the ZIP is ready.
- A job (``export_jobs.run_export``, queued once the request commits) makes the ZIP in a
  worker process, never in a web process; at most ``EXPORTS_AT_ONCE`` run at a time across
  the installation (export slots, ``intake.jobs.leases``), the others wait their turn.
  ``zipfile`` writes to a stream that cannot seek, so each PDF goes out as soon as it is
  rendered, stored per case in ``DocumentExportPart`` rows (``export_zip``). At no point does
  memory hold more than one PDF and its parts, whether the export has 10 cases or 10,000.
- Progress and a heartbeat are written after every case, with that case's audit event. Any app
  process can show progress or serve the download: nothing lives only in the worker. If the
  worker dies, the heartbeat stops; the export sweep (or the next look at the progress page)
  queues the job again, and the worker that takes it goes on from the last case stored
  (``claim`` bumps ``attempt``; a straggler from an earlier attempt stops writing).
- The download streams the parts in order, one row in memory at a time.
- Exports are personal data at rest: each is kept for ``EXPORT_TTL`` and then deleted, and only
  the person who asked for it can see its progress or download it.

Access is checked twice: when the export is asked for (only cases the person may open are
taken) and again for each case as it is rendered (a case reassigned meanwhile is left out, and
the ZIP's list says so).
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from intake.audit.services import record_event
from intake.complaints.models import Complaint
from intake.database import rows_matched, utcnow
from intake.extensions import db
from intake.queue import saved_searches, search
from intake.queue import services as queue_services
from intake.queue.forms import QueueForm
from intake.review.access import sees_whole_queue, visible_to

from .export_zip import PART_BYTES, Renderer, Superseded, make_export
from .models import DocumentExport, DocumentExportPart

__all__ = ["PART_BYTES", "Renderer", "Superseded", "make_export"]

EXPORT_TTL = timedelta(hours=24)
DEFAULT_MAX_CASES = 5000
# A queued export without a job for this long (the crash between commit and queueing, or a
# queue that lost it) is queued again by the sweep.
REQUEUE_AFTER = timedelta(seconds=60)

log = logging.getLogger(__name__)


def stale_after() -> timedelta:
    """No heartbeat for this long: the worker making the export is gone."""
    return timedelta(seconds=int(current_app.config.get("EXPORT_STALE_SECONDS", 90)))


def max_cases() -> int:
    return int(current_app.config.get("DOCUMENT_EXPORT_MAX_CASES", DEFAULT_MAX_CASES))


# --- what to export ---------------------------------------------------------------------------


def visible_ids(user, complaint_ids: list[int]) -> list[int]:
    """The given ids this user may open, in the order given, without repeats."""
    wanted = list(dict.fromkeys(complaint_ids))[: max_cases()]
    if not wanted:
        return []
    allowed = set(
        db.session.execute(
            select(Complaint.id).where(Complaint.id.in_(wanted), visible_to(user))
        ).scalars()
    )
    return [complaint_id for complaint_id in wanted if complaint_id in allowed]


def queue_selection(user, args) -> tuple[list[int], bool]:
    """The ids of the queue's current selection for these filter arguments (the queue's own
    URL parameters, and its kept search), newest first, and whether it was cut at the limit."""

    form = QueueForm(formdata=args, meta={"csrf": False})
    form.set_choices(
        queue_services.assignable_staff(db.session) if sees_whole_queue(user) else None
    )
    form.validate()
    filters = form.filters()
    where = queue_services.conditions(filters, user)
    words = saved_searches.get(args.get("search"))
    if words:
        clause = search.matches(db.session, words)
        if clause is not None:
            where.append(clause)
    column, newest_first = queue_services.SORTS[filters.sort]
    order = (column.desc(), Complaint.id.desc()) if newest_first else (column, Complaint.id)
    limit = max_cases()
    ids = list(
        db.session.execute(
            select(Complaint.id).where(*where).order_by(*order).limit(limit + 1)
        ).scalars()
    )
    return ids[:limit], len(ids) > limit


# --- starting, claiming, watching -------------------------------------------------------------


def start_export(
    user, complaint_ids: list[int], *, redacted: bool, language: str = "en"
) -> DocumentExport:
    """Record the export (ids only) and its audit event. Flushes; the view queues the job
    (after commit) and commits."""
    export = DocumentExport(
        requested_by_id=user.id,
        status="queued",
        redacted=redacted,
        complaint_ids=list(complaint_ids),
        total=len(complaint_ids),
        done=0,
        size_bytes=0,
        attempt=0,
        language=language,
        expires_at=utcnow() + EXPORT_TTL,
    )
    db.session.add(export)
    db.session.flush()
    record_event(
        "document.export_requested",
        actor_type="staff",
        actor_id=user.id,
        object_type="document_export",
        object_id=export.id,
        details={"cases": len(complaint_ids), "redacted": redacted},
    )
    return export


def purge_expired() -> int:
    """Delete the exports past their ``expires_at``, parts first; how many. Flushes."""
    now = utcnow()
    expired = select(DocumentExport.id).where(DocumentExport.expires_at < now)
    db.session.execute(delete(DocumentExportPart).where(DocumentExportPart.export_id.in_(expired)))
    return rows_matched(
        db.session.execute(delete(DocumentExport).where(DocumentExport.expires_at < now))
    )


def export_for(user, export_id: int) -> DocumentExport | None:
    """The export, only for the person who asked for it."""
    export = db.session.get(DocumentExport, export_id, populate_existing=True)
    if export is None or export.requested_by_id != user.id or export.expires_at < utcnow():
        return None
    return export


def is_stale(export: DocumentExport) -> bool:
    """Running without a heartbeat for ``stale_after``: its worker is gone."""
    return export.status == "running" and (
        export.heartbeat_at is None or export.heartbeat_at < utcnow() - stale_after()
    )


def claim(export_id: int) -> int | None:
    """Take the export for a new attempt if it is waiting, or if the worker making it is
    gone; the attempt number, or None. One conditional UPDATE, so two workers taking the
    same export at once cannot both win. What earlier attempts stored is kept: the new
    attempt goes on from there. Flushes; the caller commits."""
    stale_before = utcnow() - stale_after()
    result = db.session.execute(
        update(DocumentExport)
        .where(
            DocumentExport.id == export_id,
            (DocumentExport.status == "queued")
            | (
                (DocumentExport.status == "running")
                & (
                    DocumentExport.heartbeat_at.is_(None)
                    | (DocumentExport.heartbeat_at < stale_before)
                )
            ),
        )
        .values(status="running", attempt=DocumentExport.attempt + 1, heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rows_matched(result) != 1:
        return None
    return db.session.execute(
        select(DocumentExport.attempt).where(DocumentExport.id == export_id)
    ).scalar_one()


def mark_waiting(export_id: int) -> None:
    """A job is waiting for an export slot: the sweep need not queue another. Flushes."""
    db.session.execute(
        update(DocumentExport)
        .where(DocumentExport.id == export_id, DocumentExport.status == "queued")
        .values(heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def let_go(export_id: int, attempt: int, *, reason: str | None) -> None:
    """This attempt stops: with a reason, the export has failed for good (the person sees
    why); without, it waits for the job's next try, which may take it at once. Flushes."""
    values: dict = (
        {"status": "failed", "finished_at": utcnow(), "failure_reason": reason}
        if reason
        else {"status": "queued", "heartbeat_at": None}
    )
    db.session.execute(
        update(DocumentExport)
        .where(DocumentExport.id == export_id, DocumentExport.attempt == attempt)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def stalled() -> list[int]:
    """Exports that need a job queued: waiting with no job seen for ``REQUEUE_AFTER``, or
    running with their worker gone. Those waiting are marked as queued for now."""
    now = utcnow()
    waiting = list(
        db.session.execute(
            select(DocumentExport.id).where(
                DocumentExport.status == "queued",
                func.coalesce(DocumentExport.heartbeat_at, DocumentExport.created_at)
                < now - REQUEUE_AFTER,
                DocumentExport.expires_at > now,
            )
        ).scalars()
    )
    for export_id in waiting:
        mark_waiting(export_id)
    running = db.session.execute(
        select(DocumentExport.id).where(
            DocumentExport.status == "running",
            DocumentExport.heartbeat_at < now - stale_after(),
            DocumentExport.expires_at > now,
        )
    ).scalars()
    return sorted([*waiting, *running])


# --- downloading ------------------------------------------------------------------------------


def part_count(export_id: int) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(DocumentExportPart)
        .where(DocumentExportPart.export_id == export_id)
    ).scalar_one()


def stream_parts(export_id: int, count: int):
    """The ZIP's bytes, one stored part at a time; each read ends its own transaction so a
    long download holds no lock."""
    for seq in range(count):
        data = db.session.execute(
            select(DocumentExportPart.data).where(
                DocumentExportPart.export_id == export_id, DocumentExportPart.seq == seq
            )
        ).scalar_one()
        db.session.rollback()
        yield data
