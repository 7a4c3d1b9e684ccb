"""The job queue's own rows: leases (who may run what now), workers seen, jobs that failed."""

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.database import UTCDateTime, utcnow
from intake.extensions import Base


class JobLease(Base):
    """A named right to run something, held by one holder until ``expires_at``.

    A sweep holds its lease while it runs, so two workers (or two schedulers' copies of the
    same periodic job) never sweep at once; an export holds one of the N export slots. A
    holder that dies stops renewing, and the lease is free again when it expires."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class JobWorker(Base):
    """A worker or scheduler process, and when it was last seen alive (its heartbeat)."""

    __tablename__ = "job_workers"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # The queue it serves (JOBS_QUEUE): readiness counts only this installation's workers.
    queue: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class JobFailure(Base):
    """A job that failed on its last try: what it was and why, for staff to see."""

    __tablename__ = "job_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(120))
    task_id: Mapped[str] = mapped_column(String(64))
    arguments: Mapped[str] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
