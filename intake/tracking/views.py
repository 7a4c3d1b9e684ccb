"""Status look-up and the complainant's answers. The tracking number never appears in a URL;
the session remembers which complaint this browser looked up, for a while."""

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from intake.attachments.services import check_uploads, chosen
from intake.complaints import identifiers
from intake.complaints.models import Complaint
from intake.extensions import db
from intake.review.workflow import ActionNotAllowed, MissingInput, VersionConflict

from . import services
from .forms import ReplyForm, StatusLookupForm
from .status_page import (
    ACCESS_SECONDS,
    AWAITING,
    SESSION_KEY,
    complaint_from_status_session,
    open_status_access,
    render_status,
)

bp = Blueprint("tracking", __name__, url_prefix="/status")
# Set by a reply that went through, shown once by the next status page (the document count).
REPLY_SENT_KEY = "status_reply_sent"


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
    open_status_access(complaint)
    return redirect(url_for("tracking.show"))


@bp.route("/case")
def show():
    complaint = complaint_from_status_session()
    if complaint is None:
        return redirect(url_for("tracking.lookup"))
    return render_status(complaint, reply_sent=session.pop(REPLY_SENT_KEY, None))


@bp.route("/case/reply", methods=["POST"])
def reply():
    form = ReplyForm()
    complaint = complaint_from_status_session()
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
        complaint = db.session.get_one(Complaint, complaint.id, populate_existing=True)
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
