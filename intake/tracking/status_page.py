"""The status page and the session entry that opens it: which complaint this browser looked
up, until when. Used by the status pages here and by the receipt (intake/documents)."""

import time

from flask import render_template, session

from intake.complaints.models import Complaint
from intake.complaints.status import PUBLIC_STATUS_EXPLANATIONS, STATUSES
from intake.extensions import db

from . import services
from .forms import ReceiptCodeForm, ReplyForm

SESSION_KEY = "status_access"
# Access ends after this long without a page of the status pages being opened or sent.
ACCESS_SECONDS = 30 * 60
AWAITING = "awaiting_information"


def open_status_access(complaint: Complaint) -> None:
    session[SESSION_KEY] = {"complaint_id": complaint.id, "until": time.time() + ACCESS_SECONDS}


def complaint_from_status_session() -> Complaint | None:
    access = session.get(SESSION_KEY)
    if not access or access.get("until", 0) < time.time():
        session.pop(SESSION_KEY, None)
        return None
    # Someone still reading or writing keeps the page open; an idle one closes.
    session[SESSION_KEY] = {**access, "until": time.time() + ACCESS_SECONDS}
    return db.session.get(Complaint, access["complaint_id"])


def render_status(
    complaint: Complaint,
    form: ReplyForm | None = None,
    status=200,
    reply_sent=None,
    receipt_form: ReceiptCodeForm | None = None,
    **notes,
):
    """The status page; also shown by the receipt (intake/documents) when its form has errors."""
    if complaint.status == AWAITING and form is None:
        form = ReplyForm(formdata=None)
    if form is not None:
        # The reply answers the case as shown on this page, not as it was when first opened.
        form.version.data = complaint.version
    return (
        render_template(
            "tracking/status.html",
            complaint=complaint,
            public_status=STATUSES[complaint.status],
            explanation=PUBLIC_STATUS_EXPLANATIONS[complaint.status],
            messages=services.messages_for(complaint.id),
            documents=services.documents_by_message(complaint.id),
            form=form if complaint.status == AWAITING else None,
            access_minutes=ACCESS_SECONDS // 60,
            reply_sent=reply_sent,
            receipt_form=ReceiptCodeForm(formdata=None) if receipt_form is None else receipt_form,
            **notes,
        ),
        status,
    )
