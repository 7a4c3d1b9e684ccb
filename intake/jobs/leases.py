"""Leases: a named right to run something, taken with one conditional statement.

``acquire`` takes the lease if it is free, expired, or already this holder's; two processes
asking at once cannot both win (an UPDATE that re-checks its condition on PostgreSQL, the
write lock on SQLite, and the primary key for the first INSERT). A holder that dies simply
stops renewing; its lease is free once it expires. Functions flush; callers commit.
"""

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError

from intake.database import rows_matched, utcnow
from intake.extensions import db

from .models import JobLease


def new_holder(what: str) -> str:
    """A holder name no other process or call will use: what, host, process, random."""
    return f"{what}:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:120]


def acquire(name: str, holder: str, ttl: timedelta) -> bool:
    now = utcnow()
    taken = db.session.execute(
        update(JobLease)
        .where(
            JobLease.name == name,
            or_(JobLease.expires_at < now, JobLease.holder == holder),
        )
        .values(holder=holder, acquired_at=now, expires_at=now + ttl)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(taken) == 1:
        return True
    try:
        with db.session.begin_nested():
            db.session.add(
                JobLease(name=name, holder=holder, acquired_at=now, expires_at=now + ttl)
            )
    except IntegrityError:
        return False  # held by someone else, and not expired
    return True


def acquire_any(names: list[str], holder: str, ttl: timedelta) -> str | None:
    """The first of these leases that could be taken, or None: a slot out of N."""
    for name in names:
        if acquire(name, holder, ttl):
            return name
    return None


def renew(name: str, holder: str, ttl: timedelta) -> bool:
    """Extend the lease if this holder still has it."""
    result = db.session.execute(
        update(JobLease)
        .where(JobLease.name == name, JobLease.holder == holder)
        .values(expires_at=utcnow() + ttl)
        .execution_options(synchronize_session=False)
    )
    return rows_matched(result) == 1


def release(name: str, holder: str) -> None:
    db.session.execute(delete(JobLease).where(JobLease.name == name, JobLease.holder == holder))


@contextmanager
def exclusive(name: str, ttl: timedelta) -> Iterator[bool]:
    """Run the body only if this lease could be taken (yields whether it was). Commits the
    taking and the release: a job's own unit of work, not a service inside a request."""
    holder = new_holder(name)
    held = acquire(name, holder, ttl)
    db.session.commit()
    if not held:
        yield False
        return
    try:
        yield True
    finally:
        db.session.rollback()
        release(name, holder)
        db.session.commit()
