"""Which cases a staff member may open. Checked on the server for every case-level route."""

from flask import abort
from sqlalchemy import ColumnElement, true

from intake.complaints.models import Complaint
from intake.extensions import db

# Intake specialists and supervisors work the whole queue; investigators only their cases.
WHOLE_QUEUE_ROLES = frozenset({"intake_specialist", "supervisor"})


def sees_whole_queue(user) -> bool:
    return bool(user.roles & WHOLE_QUEUE_ROLES)


def can_work_on(user, complaint: Complaint) -> bool:
    if user is None or not user.can("case.view"):
        return False
    return sees_whole_queue(user) or complaint.assignee_id == user.id


def visible_to(user) -> ColumnElement[bool]:
    """A WHERE clause limiting a list of complaints to those the user may open."""
    if sees_whole_queue(user):
        return true()
    return Complaint.assignee_id == user.id


def case_or_404(user, complaint_id: int) -> Complaint:
    """The case, if it exists and this user may open it. Both failures look the same (404),
    so an id typed into a URL says nothing about cases the user may not see."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or not can_work_on(user, complaint):
        abort(404)
    return complaint
