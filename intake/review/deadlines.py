"""Target times per status (STATUS_TARGET_DAYS) and the overdue flag built on them."""

from datetime import datetime, timedelta
from typing import Protocol

from flask import current_app
from sqlalchemy import ColumnElement, and_, false, or_

from intake.complaints.models import Complaint
from intake.database import utcnow


def target_days() -> dict[str, int]:
    return current_app.config["STATUS_TARGET_DAYS"]


class InStatus(Protocol):
    """A case, or a queue row, with its status and since when."""

    status: str
    status_changed_at: datetime


def due_at(complaint: InStatus) -> datetime | None:
    """When the case should leave its current status; closed cases have no due date."""
    days = target_days().get(complaint.status)
    if days is None:
        return None
    return complaint.status_changed_at + timedelta(days=days)


def is_overdue(complaint: InStatus, now: datetime | None = None) -> bool:
    due = due_at(complaint)
    return due is not None and due < (now or utcnow())


def overdue_clause(now: datetime | None = None) -> ColumnElement[bool]:
    """A WHERE clause for overdue cases: one (status, entered-before) test per status, each
    served by the (status, status_changed_at) index."""
    now = now or utcnow()
    tests = [
        and_(Complaint.status == status, Complaint.status_changed_at < now - timedelta(days=days))
        for status, days in target_days().items()
    ]
    return or_(*tests) if tests else false()
