"""Status look-up and the complainant's answers. The tracking number never appears in a URL;
the session remembers which complaint this browser looked up, for a while."""

import time

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from intake.complaints import identifiers
from intake.complaints.models import Complaint
from intake.complaints.status import PUBLIC_STATUS_EXPLANATIONS, STATUSES
from intake.documents.services import check_uploads, chosen
from intake.extensions import db
from intake.review.workflow import ActionNotAllowed, MissingInput, VersionConflict

from . import services
from .forms import ReceiptCodeForm, ReplyForm, StatusLookupForm

bp = Blueprint("tracking", __name__, url_prefix="/status")
SESSION_KEY = "status_access"
# Access ends after this long without a page of the status pages being opened or sent.
ACCESS_SECONDS = 30 * 60
# Set by a reply that went through, shown once by the next status page (the document count).
REPLY_SENT_KEY = "status_reply_sent"
AWAITING = "awaiting_information"


@bp.route("/", methods=["GET", "POST"])
def lookup():
    form = StatusLookupForm()
    if not form.validate_on_submit():
        return render_template("tracking/lookup.html", form=form)
    tracking_number = identifiers.canonical_tracking_number(form.tracking_number.data)
    client = request.remote_addr or "unknown"
    if services.is_throttled(client, tracking_number):
        return render_template("tracking/lookup.html", form=form, throttled=True), 429
    complaint = services.find_complaint(tracking_number, form.access_code.data)
    if complaint is None:
        services.record_failure(client, tracking_number)
        db.session.commit()
        form.form_errors.append(
            _(
                "We could not find a complaint with that tracking number and access code."
                " Check both and try again."
            )
        )
        return render_template("tracking/lookup.html", form=form), 200
    session[SESSION_KEY] = {"complaint_id": complaint.id, "until": time.time() + ACCESS_SECONDS}
    return redirect(url_for("tracking.show"))


def _complaint_from_session() -> Complaint | None:
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


@bp.route("/case")
def show():
    complaint = _complaint_from_session()
    if complaint is None:
        return redirect(url_for("tracking.lookup"))
    return render_status(complaint, reply_sent=session.pop(REPLY_SENT_KEY, None))


@bp.route("/case/reply", methods=["POST"])
def reply():
    form = ReplyForm()
    complaint = _complaint_from_session()
    if complaint is None:
        # The page closed (or was never opened here). Nothing is sent, but what the person
        # wrote is shown back to them so that it is not lost.
        return render_template(
            "tracking/lookup.html",
            form=StatusLookupForm(formdata=None),
            unsent_reply=form.body.data or "",
            access_minutes=ACCESS_SECONDS // 60,
        )
    if complaint.status != AWAITING:
        return render_status(complaint, unsent_reply=form.body.data, not_waiting=True, status=409)

    uploads = chosen(request.files.getlist(form.documents.name))
    documents, document_errors = check_uploads(uploads)
    if not form.validate_on_submit() or document_errors:
        return render_status(
            complaint, form, document_errors=document_errors, files_dropped=len(uploads)
        )
    version = _int_or_none(form.version.data)
    try:
        if version is None:
            raise VersionConflict("no version sent")
        services.send_reply(complaint, form.body.data, version, documents)
        db.session.commit()
    except (VersionConflict, StaleDataError):
        db.session.rollback()
        complaint = db.session.get(Complaint, complaint.id, populate_existing=True)
        if complaint.status != AWAITING:
            return render_status(
                complaint, unsent_reply=form.body.data, not_waiting=True, status=409
            )
        return render_status(
            complaint, form, case_changed=True, files_dropped=len(uploads), status=409
        )
    except ActionNotAllowed:
        db.session.rollback()
        return render_status(complaint, unsent_reply=form.body.data, not_waiting=True, status=409)
    except MissingInput as refused:
        db.session.rollback()
        form.body.errors = [*form.body.errors, refused.message]
        return render_status(complaint, form, files_dropped=len(uploads))
    session[REPLY_SENT_KEY] = len(documents)
    return redirect(url_for("tracking.show"))


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.route("/signout", methods=["POST"])
def signout():
    session.pop(SESSION_KEY, None)
    return redirect(url_for("tracking.lookup"))
