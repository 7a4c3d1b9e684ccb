"""Making an export's ZIP, case by case, so that a stopped export goes on where it stopped.

``zipfile`` writes to ``PartWriter``, a stream that cannot seek but knows its position in the
whole ZIP. After each case, that case's bytes are stored as parts, in the same transaction as
the progress (``done``, ``size_bytes``) and the case's ZIP entry (its name, offset, CRC and
size, kept on its last part). Memory holds one PDF and its parts, whatever the export's size.

Taking over (another worker, after this one was killed): the stored entries are put back in
a new ``ZipFile``'s directory, the writer starts at the stored size, and the export goes on
with case number ``done + 1``. Every case is in the ZIP once: a case's bytes and the progress
that counts it are committed together, and an attempt that has been superseded (``attempt``
bumped by ``exports.claim``) is refused before it writes anything.
"""

import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO, Any, cast

from flask import current_app
from flask_babel import force_locale, ngettext
from sqlalchemy import select, update

from intake.accounts.models import User
from intake.complaints.models import Complaint
from intake.database import rows_matched, utcnow
from intake.extensions import db
from intake.jobs import leases
from intake.review.access import can_work_on

from . import rendering, summaries
from .models import DocumentExport, DocumentExportPart
from .pdf import Renderer

PART_BYTES = 1024 * 1024
# What a case's ZIP entry needs to be written into the ZIP's directory later.
ENTRY_FIELDS = (
    "flag_bits",
    "external_attr",
    "header_offset",
    "CRC",
    "compress_size",
    "file_size",
    "create_version",
    "extract_version",
    "create_system",
)


class Superseded(RuntimeError):
    """Another attempt took over this export: this one stops writing."""


class PartWriter:
    """A write-only, unseekable stream for zipfile that knows its position in the whole ZIP
    (``tell``); whole parts are taken out by ``take_parts`` and stored by the caller."""

    def __init__(self, position: int = 0):
        self._buffer = bytearray()
        self.written = position

    def write(self, data) -> int:
        self._buffer += data
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def seek(self, *_args) -> int:
        raise OSError("the export stream cannot seek")

    def flush(self) -> None:
        pass

    def take_parts(self, *, final: bool = False) -> list[bytes]:
        parts = []
        while len(self._buffer) >= PART_BYTES or (final and self._buffer):
            parts.append(bytes(self._buffer[:PART_BYTES]))
            del self._buffer[:PART_BYTES]
        return parts


@dataclass
class Lease:
    """The export slot this attempt holds (intake.jobs.leases), renewed with each case."""

    name: str
    holder: str
    ttl: timedelta


@dataclass
class _Progress:
    export_id: int
    attempt: int
    next_seq: int = 0
    lease: Lease | None = None


@dataclass
class Resumed:
    """What earlier attempts stored: the entries, in order, and the cases left out."""

    entries: list[zipfile.ZipInfo] = field(default_factory=list)
    left_out: list[int] = field(default_factory=list)
    next_seq: int = 0


def entry_record(info: zipfile.ZipInfo) -> dict[str, Any]:
    return {
        "filename": info.filename,
        "date_time": list(info.date_time),
        **{name: getattr(info, name) for name in ENTRY_FIELDS},
    }


def entry_from_record(record: dict[str, Any]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(record["filename"], date_time=tuple(record["date_time"]))
    for name in ENTRY_FIELDS:
        setattr(info, name, record[name])
    info.compress_type = zipfile.ZIP_STORED
    return info


def stored_so_far(export_id: int) -> Resumed:
    resumed = Resumed()
    rows = db.session.execute(
        select(DocumentExportPart.seq, DocumentExportPart.complaint_id, DocumentExportPart.entry)
        .where(DocumentExportPart.export_id == export_id)
        .order_by(DocumentExportPart.seq)
    )
    with_entry: set[int] = set()
    cases: list[int] = []
    for seq, complaint_id, entry in rows:
        resumed.next_seq = seq + 1
        if complaint_id is None:
            continue
        if not cases or cases[-1] != complaint_id:
            cases.append(complaint_id)
        if entry is not None:
            with_entry.add(complaint_id)
            resumed.entries.append(entry_from_record(entry))
    resumed.left_out = [case for case in cases if case not in with_entry]
    return resumed


def _store(
    progress: _Progress,
    parts: list[bytes],
    *,
    complaint_id: int | None = None,
    entry: dict | None = None,
    **values,
) -> None:
    """Write parts and progress, if this attempt still owns the export. Commits.

    The progress UPDATE comes first and is conditional on the attempt: on PostgreSQL it
    locks the row, so a newer attempt's claim waits for this commit (or this waits for it,
    and then finds the attempt changed)."""
    owned = db.session.execute(
        update(DocumentExport)
        .where(DocumentExport.id == progress.export_id, DocumentExport.attempt == progress.attempt)
        .values(heartbeat_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(owned) != 1:
        db.session.rollback()
        raise Superseded(progress.export_id)
    for index, data in enumerate(parts):
        last = index == len(parts) - 1
        db.session.add(
            DocumentExportPart(
                export_id=progress.export_id,
                seq=progress.next_seq,
                data=data,
                complaint_id=complaint_id,
                entry=entry if last else None,
            )
        )
        progress.next_seq += 1
    if progress.lease is not None:
        lease = progress.lease
        leases.renew(lease.name, lease.holder, lease.ttl)
    db.session.commit()


def make_export(
    export_id: int,
    attempt: int,
    language: str | None = None,
    renderer: Renderer | None = None,
    lease: Lease | None = None,
) -> None:
    """Render each case's summary into the ZIP, from the first case not yet stored, storing
    parts and progress as it goes."""
    export = db.session.get_one(DocumentExport, export_id)
    complaint_ids, redacted = list(export.complaint_ids), export.redacted
    language = language or export.language
    start_after, position = export.done, export.size_bytes
    user = db.session.get_one(User, export.requested_by_id)
    user_id, user_name = user.id, user.name
    resumed = stored_so_far(export_id)
    db.session.commit()
    own_renderer = renderer is None
    renderer = renderer or Renderer()
    progress = _Progress(export_id, attempt, resumed.next_seq, lease)
    writer = PartWriter(position)
    left_out = list(resumed.left_out)
    timeout = current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS")
    try:
        with zipfile.ZipFile(
            cast(IO[bytes], writer), "w", compression=zipfile.ZIP_STORED
        ) as archive:
            for info in resumed.entries:
                archive.filelist.append(info)
                archive.NameToInfo[info.filename] = info
            for done, complaint_id in enumerate(complaint_ids[start_after:], start=start_after + 1):
                user = db.session.get_one(User, user_id)
                complaint = db.session.get(Complaint, complaint_id)
                if complaint is None or not (user.active and can_work_on(user, complaint)):
                    left_out.append(complaint_id)
                    db.session.rollback()
                    _store(progress, [b""], complaint_id=complaint_id, done=done)
                    continue
                html, filename = summary_html(complaint, redacted, language, user_name)
                # Nothing is locked while the PDF renders.
                db.session.rollback()
                rendered = renderer.render(html, timeout=timeout)
                archive.writestr(_entry(filename), rendered.data)
                rendering.record_export(
                    "case_summary_redacted" if redacted else "case_summary",
                    complaint_id,
                    actor_type="staff",
                    actor_id=user_id,
                    export_id=export_id,
                    pages=rendered.pages,
                )
                _store(
                    progress,
                    writer.take_parts(final=True),
                    complaint_id=complaint_id,
                    entry=entry_record(archive.filelist[-1]),
                    done=done,
                    size_bytes=writer.written,
                )
                db.session.expunge_all()
            included = [info.filename for info in archive.filelist]
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


def summary_html(complaint: Complaint, redacted: bool, language: str, generated_by: str):

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
