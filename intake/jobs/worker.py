"""Worker and scheduler processes: their heartbeats, and what `flask jobs status` and the
readiness check read.

A worker (`flask jobs worker`) takes jobs from the queue; it runs Huey's consumer without
periodic tasks. The scheduler (`flask jobs scheduler`, one per installation) queues the
periodic tasks and runs none itself. Each process writes a heartbeat row every
``HEARTBEAT_SECONDS`` from a thread of its own (a worker's, never a web process's).
"""

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import select, text, update

from intake.database import rows_matched, utcnow
from intake.extensions import db

from .models import JobFailure, JobWorker
from .queue import huey

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 10.0
# A worker seen within this long counts as alive for the readiness check.
ALIVE_WITHIN = timedelta(minutes=1)


def process_name(kind: str) -> str:
    return f"{kind}:{socket.gethostname()}:{os.getpid()}"[:120]


def _queue() -> str:
    return str(current_app.config.get("JOBS_QUEUE", "intake"))


def beat(name: str, kind: str) -> None:
    """Record that this process is alive. Commits (its own unit of work)."""
    now = utcnow()
    seen = db.session.execute(
        update(JobWorker)
        .where(JobWorker.name == name)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(seen) == 0:
        db.session.add(
            JobWorker(name=name, kind=kind, queue=_queue(), started_at=now, last_seen_at=now)
        )
    db.session.commit()


class Heartbeat(threading.Thread):
    def __init__(self, app: Flask, name: str, kind: str, every: float = HEARTBEAT_SECONDS):
        super().__init__(name=f"heartbeat-{kind}", daemon=True)
        self.app, self.process, self.kind, self.every = app, name, kind, every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            with self.app.app_context():
                try:
                    beat(self.process, self.kind)
                except Exception:
                    log.exception("heartbeat of %s failed", self.process)
                finally:
                    db.session.remove()
            self.stopped.wait(self.every)


def run_consumer(app: Flask, kind: str, threads: int) -> None:
    """Run a worker (``threads`` job threads) or the scheduler until SIGINT or SIGTERM."""
    sqlite = not app.config.get("REDIS_URL")
    consumer = huey.create_consumer(
        workers=threads if kind == "worker" else 0,
        periodic=kind == "scheduler",
        worker_type="thread",
        # SQLite storage is polled: a short poll keeps queue-to-start latency low, and a
        # poll is one indexed read. Redis blocks on the queue, so the delay is moot there.
        initial_delay=0.05,
        backoff=1.2,
        max_delay=0.1 if sqlite else 2.0,
        scheduler_interval=1,
        # SIGTERM (a supervisor's stop, honcho's Ctrl-C): finish the job at hand, then exit.
        # SIGINT: stop now; the sweep queues again what was being done.
        graceful_signal="TERM",
    )
    heartbeat = Heartbeat(app, process_name(kind), kind)
    heartbeat.start()
    try:
        consumer.run()
    finally:
        heartbeat.stopped.set()


# --- what is going on -------------------------------------------------------------------------


@dataclass
class Status:
    pending: int
    scheduled: int
    workers: list[tuple[str, str, datetime]]
    failures: list[JobFailure]


def status(limit: int = 20) -> Status:
    workers = [
        (row.name, row.kind, row.last_seen_at)
        for row in db.session.execute(
            select(JobWorker)
            .where(
                JobWorker.queue == _queue(),
                JobWorker.last_seen_at > utcnow() - timedelta(hours=1),
            )
            .order_by(JobWorker.kind, JobWorker.name)
        ).scalars()
    ]
    failures = list(
        db.session.execute(
            select(JobFailure).order_by(JobFailure.failed_at.desc()).limit(limit)
        ).scalars()
    )
    return Status(huey.pending_count(), huey.scheduled_count(), workers, failures)


def problems(ready: bool) -> dict[str, str]:
    """What is wrong, by check; empty when healthy. The database always; with ``ready``,
    also the queue's storage and a worker seen within a minute."""
    found: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception as error:
        db.session.rollback()
        found["database"] = type(error).__name__
        return found
    if not ready:
        return found
    try:
        huey.pending_count()
    except Exception as error:
        found["queue"] = type(error).__name__
    seen = db.session.execute(
        select(JobWorker.name).where(
            JobWorker.kind == "worker",
            JobWorker.queue == _queue(),
            JobWorker.last_seen_at > utcnow() - ALIVE_WITHIN,
        )
    ).first()
    db.session.rollback()
    if seen is None:
        found["worker"] = "no worker seen within a minute"
    return found
