"""Bulk export: a ZIP of case summaries for a queue selection, made in the background with
progress a person can watch, and downloaded part by part.

Why this shape. Rendering a summary takes tens of milliseconds, so 1,000 cases take a minute or
more: longer than a web request should hold a worker (gunicorn's sync workers are killed after
their timeout) and longer than anyone wants to stare at a spinning download. So:

- ``start_export`` records what was asked for (the case ids this person may open, nothing
  else) as a ``DocumentExport`` row and the request returns at once, to a progress page that
  refreshes itself (a ``Refresh`` header, no JavaScript) until the ZIP is ready.
- A background thread in the app process makes the ZIP. ``zipfile`` writes to a stream that
  cannot seek, so each PDF goes out as soon as it is rendered; the stream cuts what it is given
  into 1 MiB ``DocumentExportPart`` rows. At no point does memory hold more than one PDF and one
  part, whether the export has 10 cases or 10,000. The thread renders with its own render worker
  process, so people's other documents are not queued behind the export.
- Progress and a heartbeat are written after every case, with that case's audit event. Any app
  process can show progress or serve the download: nothing lives only in the thread. If the
  process dies, the heartbeat stops; the next look at the progress page notices and starts the
  export again (``claim`` bumps ``attempt``; a straggler from an earlier attempt stops writing).
- The download streams the parts in order, one row in memory at a time.
- Exports are personal data at rest: each is kept for ``EXPORT_TTL`` and then deleted, and only
  the person who asked for it can see its progress or download it.

Access is checked twice: when the export is asked for (only cases the person may open are
taken) and again for each case as it is rendered (a case reassigned meanwhile is left out, and
the ZIP's list says so).
"""

import logging
import threading
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, cast

from flask import Flask, current_app, g
from flask_babel import force_locale, ngettext
from sqlalchemy import delete, func, select, update

from intake.accounts.models import User
from intake.audit.services import record_event
from intake.complaints.models import Complaint
from intake.database import rows_matched, utcnow
from intake.extensions import db
from intake.queue import saved_searches, search
from intake.queue import services as queue_services
from intake.queue.forms import QueueForm
from intake.review.access import can_work_on, sees_whole_queue, visible_to

from . import rendering, summaries
from .models import DocumentExport, DocumentExportPart
from .pdf import Renderer

EXPORT_TTL = timedelta(hours=24)
PART_BYTES = 1024 * 1024
# No heartbeat for this long: the thread making the export is gone.
STALE_AFTER = timedelta(seconds=90)
DEFAULT_MAX_CASES = 5000

log = logging.getLogger(__name__)


class Superseded(RuntimeError):
    """Another attempt took over this export: this one stops writing."""


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


def start_export(user, complaint_ids: list[int], *, redacted: bool) -> DocumentExport:
    """Record the export (ids only) and its audit event. Flushes; the view commits, then calls
    ``launch``."""
    purge_expired()
    export = DocumentExport(
        requested_by_id=user.id,
        status="queued",
        redacted=redacted,
        complaint_ids=list(complaint_ids),
        total=len(complaint_ids),
        done=0,
        size_bytes=0,
        attempt=0,
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


def purge_expired() -> None:
    expired = select(DocumentExport.id).where(DocumentExport.expires_at < utcnow())
    db.session.execute(delete(DocumentExportPart).where(DocumentExportPart.export_id.in_(expired)))
    db.session.execute(delete(DocumentExport).where(DocumentExport.expires_at < utcnow()))


def export_for(user, export_id: int) -> DocumentExport | None:
    """The export, only for the person who asked for it."""
    export = db.session.get(DocumentExport, export_id, populate_existing=True)
    if export is None or export.requested_by_id != user.id or export.expires_at < utcnow():
        return None
    return export


def is_stale(export: DocumentExport) -> bool:
    if export.status == "queued":
        return export.heartbeat_at is None or export.heartbeat_at < utcnow() - STALE_AFTER
    return export.status == "running" and (
        export.heartbeat_at is None or export.heartbeat_at < utcnow() - STALE_AFTER
    )


def claim(export_id: int) -> int | None:
    """Take the export for a new attempt if nobody is working on it; the attempt number, or
    None. One conditional UPDATE, so two processes noticing a stale export at once cannot both
    win. Flushes; the caller commits."""
    stale_before = utcnow() - STALE_AFTER
    result = db.session.execute(
        update(DocumentExport)
        .where(
            DocumentExport.id == export_id,
            DocumentExport.status.in_(("queued", "running")),
            (DocumentExport.heartbeat_at.is_(None)) | (DocumentExport.heartbeat_at < stale_before),
        )
        .values(
            status="running",
            attempt=DocumentExport.attempt + 1,
            heartbeat_at=utcnow(),
            done=0,
            size_bytes=0,
        )
        .execution_options(synchronize_session=False)
    )
    if rows_matched(result) != 1:
        return None
    db.session.execute(delete(DocumentExportPart).where(DocumentExportPart.export_id == export_id))
    return db.session.execute(
        select(DocumentExport.attempt).where(DocumentExport.id == export_id)
    ).scalar_one()


def launch(app: Flask, export_id: int, attempt: int, language: str) -> threading.Thread:
    """Make the export in a background thread of this process."""
    thread = threading.Thread(
        target=_run_in_app,
        args=(app, export_id, attempt, language),
        name=f"document-export-{export_id}",
        daemon=True,
    )
    thread.start()
    return thread


# --- making the ZIP ---------------------------------------------------------------------------


class PartWriter:
    """A write-only, unseekable stream that zipfile writes to; whole parts are taken out by
    ``take_parts`` and stored by the caller inside its own transaction."""

    def __init__(self):
        self._buffer = bytearray()
        self.written = 0

    def write(self, data) -> int:
        self._buffer += data
        self.written += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take_parts(self, *, final: bool = False) -> list[bytes]:
        parts = []
        while len(self._buffer) >= PART_BYTES or (final and self._buffer):
            parts.append(bytes(self._buffer[:PART_BYTES]))
            del self._buffer[:PART_BYTES]
        return parts


@dataclass
class _Progress:
    export_id: int
    attempt: int
    next_seq: int = 0


def _store(progress: _Progress, parts: list[bytes], **values) -> None:
    """Write parts and progress, if this attempt still owns the export. Commits."""
    owner = db.session.execute(
        select(DocumentExport.attempt).where(DocumentExport.id == progress.export_id)
    ).scalar_one_or_none()
    if owner != progress.attempt:
        db.session.rollback()
        raise Superseded(progress.export_id)
    for data in parts:
        db.session.add(
            DocumentExportPart(export_id=progress.export_id, seq=progress.next_seq, data=data)
        )
        progress.next_seq += 1
    db.session.execute(
        update(DocumentExport)
        .where(DocumentExport.id == progress.export_id)
        .values(heartbeat_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _run_in_app(app: Flask, export_id: int, attempt: int, language: str) -> None:
    with app.app_context():
        # Flask-Babel keeps its locale on ``g``; an empty ``g`` means "no context" to it.
        g.document_export_id = export_id
        try:
            make_export(export_id, attempt, language)
        except Superseded:
            log.info("export %s: taken over by a newer attempt", export_id)
        except Exception:
            log.exception("export %s failed", export_id)
            db.session.rollback()
            db.session.execute(
                update(DocumentExport)
                .where(DocumentExport.id == export_id, DocumentExport.attempt == attempt)
                .values(status="failed", finished_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
        finally:
            db.session.remove()


def make_export(export_id: int, attempt: int, language: str, renderer: Renderer | None = None):
    """Render each case's summary into the ZIP, storing parts and progress as it goes."""
    export = db.session.get_one(DocumentExport, export_id)
    complaint_ids, redacted = list(export.complaint_ids), export.redacted
    user = db.session.get_one(User, export.requested_by_id)
    user_id, user_name = user.id, user.name
    db.session.commit()
    own_renderer = renderer is None
    renderer = renderer or Renderer()
    progress = _Progress(export_id, attempt)
    writer = PartWriter()
    left_out: list[int] = []
    included: list[str] = []
    timeout = current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS")
    try:
        with zipfile.ZipFile(
            cast(IO[bytes], writer), "w", compression=zipfile.ZIP_STORED
        ) as archive:
            for done, complaint_id in enumerate(complaint_ids, start=1):
                user = db.session.get_one(User, user_id)
                complaint = db.session.get(Complaint, complaint_id)
                if complaint is None or not (user.active and can_work_on(user, complaint)):
                    left_out.append(complaint_id)
                    db.session.rollback()
                    _store(progress, writer.take_parts(), done=done)
                    continue
                html, filename = _summary_html(complaint, redacted, language, user_name)
                # Nothing is locked while the PDF renders.
                db.session.rollback()
                rendered = renderer.render(html, timeout=timeout)
                archive.writestr(_entry(filename), rendered.data)
                included.append(filename)
                rendering.record_export(
                    "case_summary_redacted" if redacted else "case_summary",
                    complaint_id,
                    actor_type="staff",
                    actor_id=user_id,
                    export_id=export_id,
                    pages=rendered.pages,
                )
                _store(progress, writer.take_parts(), done=done)
                db.session.expunge_all()
            archive.writestr(_entry("contents.txt"), _contents(included, left_out, language))
    finally:
        if own_renderer:
            renderer.close()
    _store(
        progress,
        writer.take_parts(final=True),
        status="done",
        finished_at=utcnow(),
        size_bytes=writer.written,
        done=len(complaint_ids),
    )


def _summary_html(complaint: Complaint, redacted: bool, language: str, generated_by: str):

    with force_locale(language):
        context = summaries.summary_context(complaint, redacted=redacted)
    html = rendering.document_html(
        "summary.html",
        language,
        **context,
        chain_head=rendering.chain_head(),
        generated_at=rendering.generated_at_text(utcnow(), language),
        generated_by=generated_by,
    )
    return html, summaries.summary_filename(complaint, redacted)


def _entry(filename: str) -> zipfile.ZipInfo:
    now = utcnow()
    info = zipfile.ZipInfo(filename, date_time=now.timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def _contents(included: list[str], left_out: list[int], language: str) -> str:
    """The ZIP's list of what is in it, and of the cases left out (by id only)."""

    with force_locale(language):
        lines = [
            ngettext("%(num)d case summary", "%(num)d case summaries", len(included)),
            *included,
        ]
        if left_out:
            lines += [
                "",
                ngettext(
                    "%(num)d case left out (no longer yours to open, or deleted); its id:",
                    "%(num)d cases left out (no longer yours to open, or deleted); their ids:",
                    len(left_out),
                ),
                *(str(complaint_id) for complaint_id in left_out),
            ]
    return "\n".join(lines) + "\n"


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
