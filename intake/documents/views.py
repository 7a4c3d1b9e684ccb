"""PDF documents: the complainant's receipt, staff case summaries, letters, bulk exports.

Each view: find the thing the person may have (404 otherwise), render it through the one
rendering function, record the export in the audit trail, commit once, send it.
"""

import logging
import time

from flask import Blueprint, current_app, render_template, request, session
from flask_babel import get_locale

from intake.accounts.access import current_user, requires
from intake.complaints import drafts, identifiers
from intake.complaints.models import Complaint
from intake.database import writes_on_get
from intake.extensions import db
from intake.review.access import case_or_404

from . import receipts, rendering, summaries
from .pdf import RenderError

bp = Blueprint("documents", __name__)
log = logging.getLogger(__name__)


def _render_failed(error: RenderError):
    db.session.rollback()
    log.error("document render failed: %s", type(error).__name__)
    return render_template("documents/render_failed.html"), 503


def _ui_language() -> str:
    return str(get_locale() or "en")


# --- the complainant's receipt ---------------------------------------------------------------


@bp.route("/file/confirmation/receipt.pdf")
@writes_on_get
def confirmation_receipt():
    """From the confirmation page, with the filer's draft session. ``?access_code=1`` prints
    the access code (derived from the draft token, as the confirmation page does)."""
    draft, token = drafts.current_draft(), drafts.current_token()
    if draft is None or draft.complaint is None or token is None:
        return render_template("documents/receipt_unavailable.html"), 404
    complaint = draft.complaint
    access_code = None
    if request.args.get("access_code") == "1":
        access_code = identifiers.access_code_for(current_app.config["SECRET_KEY"], token)
        if not identifiers.access_code_matches(
            complaint.tracking_number, access_code, complaint.access_code_hash
        ):
            access_code = None  # the secret key changed: never print a code that fails
    return _receipt(complaint, access_code)


@bp.route("/status/case/receipt.pdf")
@writes_on_get
def status_receipt():
    """From the status page, with the session its look-up opened. The access code is never
    printed here: nothing on the server can read it back, only compare it."""
    complaint = _complaint_from_status_session()
    if complaint is None:
        return render_template("documents/receipt_unavailable.html"), 404
    return _receipt(complaint, None)


def _complaint_from_status_session() -> Complaint | None:
    # The status page's session entry (intake/tracking/views.py): complaint id and expiry.
    from intake.tracking.views import ACCESS_SECONDS, SESSION_KEY

    access = session.get(SESSION_KEY)
    if not access or access.get("until", 0) < time.time():
        return None
    session[SESSION_KEY] = {**access, "until": time.time() + ACCESS_SECONDS}
    return db.session.get(Complaint, access["complaint_id"])


def _receipt(complaint: Complaint, access_code: str | None):
    try:
        rendered = receipts.render_receipt(complaint, access_code=access_code)
    except RenderError as error:
        return _render_failed(error)
    rendering.record_export(
        "receipt",
        complaint.id,
        actor_type="public",
        access_code=access_code is not None,
    )
    db.session.commit()
    return rendering.pdf_response(rendered.data, receipts.receipt_filename(complaint))


# --- case summaries ---------------------------------------------------------------------------


@bp.route("/staff/documents/cases/<int:complaint_id>/summary.pdf")
@writes_on_get
@requires("case.view")
def case_summary(complaint_id: int):
    """The case summary; ``?redacted=1`` for the copy without the people's identities."""
    user = current_user()
    complaint = case_or_404(user, complaint_id)
    redacted = request.args.get("redacted") == "1"
    try:
        rendered = summaries.render_summary(
            complaint, redacted=redacted, language=_ui_language(), generated_by=user.name
        )
    except RenderError as error:
        return _render_failed(error)
    rendering.record_export(
        "case_summary_redacted" if redacted else "case_summary",
        complaint.id,
        actor_type="staff",
        actor_id=user.id,
        pages=rendered.pages,
    )
    db.session.commit()
    return rendering.pdf_response(rendered.data, summaries.summary_filename(complaint, redacted))
