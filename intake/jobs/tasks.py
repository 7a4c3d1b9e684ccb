"""The queue's own jobs: a no-op (the benchmark's and the tests' unit of work), a probe that
holds a lease for a while, recording when, to show one sweep runs at a time, and the sweep of
heartbeats of processes long gone."""

import os
import time
from datetime import timedelta

from huey import crontab
from sqlalchemy import delete

from intake.database import utcnow
from intake.extensions import db

from .leases import exclusive
from .models import JobWorker
from .queue import job, periodic

# A worker or scheduler not seen for this long is forgotten (`flask jobs status` lists the
# last hour's).
FORGET_PROCESSES_AFTER = timedelta(days=1)


def mark(marker: str | None, started: float) -> None:
    """Append "pid started finished" to the file ``marker`` (the tests and the benchmark count
    and time the jobs by these lines)."""
    if marker:
        with open(marker, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {started:.6f} {time.time():.6f}\n")


@job("jobs.noop")
def noop(marker: str | None = None) -> None:
    """Does nothing; with ``marker``, says when (``mark``)."""
    mark(marker, time.time())


@job("jobs.exclusive-probe")
def exclusive_probe(name: str, seconds: float, marker: str) -> None:
    """Under the same lease as a periodic sweep: record start and end if it ran."""
    with exclusive(name, timedelta(minutes=1)) as held:
        if not held:
            with open(marker, "a", encoding="utf-8") as out:
                out.write(f"skipped {os.getpid()}\n")
            return
        start = time.time()
        time.sleep(seconds)
        with open(marker, "a", encoding="utf-8") as out:
            out.write(f"ran {os.getpid()} {start:.6f} {time.time():.6f}\n")


@periodic("jobs.forget-processes", crontab(minute="0"), lease=timedelta(minutes=5))
def forget_processes() -> None:
    db.session.execute(
        delete(JobWorker).where(JobWorker.last_seen_at < utcnow() - FORGET_PROCESSES_AFTER)
    )
