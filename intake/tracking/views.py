"""Status look-up. The tracking number never appears in a URL; the session remembers access."""

import time

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from intake.complaints import identifiers
from intake.complaints.models import Complaint
from intake.complaints.status import PUBLIC_STATUS_EXPLANATIONS, STATUSES
from intake.extensions import db

from . import services
from .forms import StatusLookupForm

bp = Blueprint("tracking", __name__, url_prefix="/status")
SESSION_KEY = "status_access"
ACCESS_SECONDS = 30 * 60


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
    return db.session.get(Complaint, access["complaint_id"])


@bp.route("/case")
def show():
    complaint = _complaint_from_session()
    if complaint is None:
        return redirect(url_for("tracking.lookup"))
    return render_template(
        "tracking/status.html",
        complaint=complaint,
        public_status=STATUSES[complaint.status],
        explanation=PUBLIC_STATUS_EXPLANATIONS[complaint.status],
        messages=services.messages_for(complaint.id),
    )


@bp.route("/signout", methods=["POST"])
def signout():
    session.pop(SESSION_KEY, None)
    return redirect(url_for("tracking.lookup"))
