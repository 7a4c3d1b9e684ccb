"""Bulk exports as jobs: the job that makes one, and the schedule that keeps them moving.

- ``queue_export`` (called by the view, inside its transaction) queues ``run_export`` once
  the export's row is committed.
- ``run_export`` takes one of the ``EXPORTS_AT_ONCE`` export slots, or comes back a few
  seconds later; claims the export (``exports.claim``: a conditional UPDATE, so a job queued
  twice makes it once) and makes it from the first case not yet stored. A failure is tried
  again with back-off; the last try's failure is shown to the person with its reason.
- Every minute, the sweep queues again the exports that waited too long without a job (a
  crash between commit and queueing) or whose worker is gone, and deletes expired ones.
"""

import logging
import time
from datetime import timedelta
from typing import Any

from flask import current_app
from huey import crontab

from intake.complaints.models import Complaint
from intake.extensions import db
from intake.jobs import leases
from intake.jobs.queue import enqueue_after_commit, job, periodic
from intake.jobs.tasks import mark

from . import exports
from .export_zip import Lease, Superseded, summary_html
from .models import DocumentExport
from .pdf import render_pdf

log = logging.getLogger(__name__)
SLOT_PREFIX = "documents.export-slot-"
# A job that finds every slot taken comes back after this long.
WAIT_SECONDS = 2.0
RETRIES = 3


def slots() -> list[str]:
    return [f"{SLOT_PREFIX}{n}" for n in range(int(current_app.config["EXPORTS_AT_ONCE"]))]


@job("documents.export", retries=RETRIES, retry_delay=2, retry_backoff=2, context=True)
def run_export(export_id: int, task: Any = None) -> None:
    export = db.session.get(DocumentExport, export_id)
    if export is None or export.status not in ("queued", "running"):
        return  # done, failed, expired: nothing to do
    if export.status == "running" and not exports.is_stale(export):
        return  # another worker is making it right now
    holder = leases.new_holder(f"export-{export_id}")
    ttl = exports.stale_after()
    slot = leases.acquire_any(slots(), holder, ttl)
    if slot is None:
        exports.mark_waiting(export_id)
        db.session.commit()
        run_export.schedule((export_id,), delay=WAIT_SECONDS)
        return
    attempt = exports.claim(export_id)
    db.session.commit()
    try:
        if attempt is None:
            return
        try:
            exports.make_export(export_id, attempt, lease=Lease(slot, holder, ttl))
        except Superseded:
            log.info("export %s: taken over by a newer attempt", export_id)
        except Exception as error:
            db.session.rollback()
            last = task is None or not task.retries
            reason = f"{type(error).__name__}: {error}"[:1000] if last else None
            exports.let_go(export_id, attempt, reason=reason)
            db.session.commit()
            raise
    finally:
        db.session.rollback()
        leases.release(slot, holder)
        db.session.commit()


def queue_export(export_id: int) -> None:
    """Queue the job that makes this export once the current transaction commits."""
    enqueue_after_commit(run_export, export_id)


@periodic("documents.export-sweep", crontab(minute="*"), lease=timedelta(minutes=5))
def sweep_exports() -> None:
    for export_id in exports.stalled():
        queue_export(export_id)
    removed = exports.purge_expired()
    if removed:
        log.info("removed %d expired exports", removed)


@job("documents.render-summary")
def render_summary(complaint_id: int, marker: str | None = None) -> None:
    """One case summary rendered and thrown away: the benchmark's unit of PDF work."""
    started = time.time()
    complaint = db.session.get_one(Complaint, complaint_id)
    html, _filename = summary_html(complaint, False, "en", "bench")
    db.session.rollback()  # nothing is locked while the PDF renders
    render_pdf(html, timeout=current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS"))
    mark(marker, started)
