"""The queue's own jobs: a no-op (the benchmark's and the tests' unit of work) and a probe
that holds a lease for a while, recording when, to show one sweep runs at a time."""

import os
import time
from datetime import timedelta

from .leases import exclusive
from .queue import job


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
