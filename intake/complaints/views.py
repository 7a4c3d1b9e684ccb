"""The filing steps. Views load the draft, validate, call a service, commit once, redirect."""

import logging

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from intake import keys
from intake.attachments import services as uploads
from intake.extensions import db

from . import drafts, identifiers, services
from .review import review_sections

bp = Blueprint("complaints", __name__, url_prefix="/file")
log = logging.getLogger(__name__)


def _render_step(step, form, draft, status=200, upload_errors=()):
    return (
        render_template(
            f"complaints/step_{step}.html",
            step=step,
            steps=[*drafts.STEPS, "review"],
            form=form,
            draft=draft,
            context=drafts.context_for(draft),
            attachments=uploads.draft_attachments(draft.id) if draft and step == "story" else [],
            upload_errors=list(upload_errors),
            return_to=request.values.get("return_to") == "review",
        ),
        status,
    )


@bp.route("/")
def start():
    draft = drafts.current_draft()
    if draft is not None and draft.complaint_id is not None:
        return redirect(url_for(".confirmation"))
    return redirect(url_for(".step", step=drafts.furthest_step(draft)))


@bp.route("/<step>", methods=["GET", "POST"])
def step(step: str):
    if step == "review":
        return review()
    if step not in drafts.STEPS:
        abort(404)
    draft = drafts.current_draft()
    if draft is not None and draft.complaint_id is not None:
        return redirect(url_for(".confirmation"))
    if request.method == "GET":
        return _render_step(step, drafts.step_form(draft, step, from_request=False), draft)

    if draft is None:
        draft = drafts.start_draft()
        db.session.flush()
    form = drafts.step_form(draft, step, from_request=True)
    drafts.save_step(draft, step, request.form)
    action = request.form.get("action", "next")

    upload_errors = []
    if step == "story":
        upload_errors = uploads.add_to_draft(draft.id, request.files.getlist("documents"))
        if action.startswith("remove:") and action[7:].isdigit():
            uploads.remove_from_draft(draft.id, int(action[7:]))
    db.session.commit()

    if action == "back":
        previous = drafts.previous_step(step)
        return redirect(url_for(".step", step=previous) if previous else url_for("pages.home"))
    if (
        action == "refresh"
        or action.startswith("remove:")
        or (action == "upload" and not upload_errors)
    ):
        return redirect(url_for(".step", step=step, **_keep_return()))
    if not form.validate() or upload_errors:
        return _render_step(step, form, draft, upload_errors=upload_errors)
    if request.form.get("return_to") == "review":
        return redirect(url_for(".step", step="review"))
    return redirect(url_for(".step", step=drafts.next_step(step) or "review"))


def _keep_return():
    return {"return_to": "review"} if request.form.get("return_to") == "review" else {}


def review():
    draft = drafts.current_draft()
    if draft is None:
        return redirect(url_for(".start"))
    if draft.complaint_id is not None:
        return redirect(url_for(".confirmation"))
    check = drafts.check_draft(draft)
    return render_template(
        "complaints/review.html",
        step="review",
        steps=[*drafts.STEPS, "review"],
        check=check,
        sections=review_sections(check),
        attachments=uploads.draft_attachments(draft.id),
    )


@bp.route("/submit", methods=["POST"])
def submit():
    try:
        return _submit()
    except SQLAlchemyError as error:
        # Locked or unreachable database: nothing was committed, the draft is intact, and
        # the filer must not see a confirmation. They can simply press "Try again".
        db.session.rollback()
        log.error("complaint submission failed: %s", type(error).__name__)
        return render_template("complaints/submit_failed.html"), 503


def _submit():
    draft = drafts.current_draft()
    token = drafts.current_token()
    if draft is None or token is None:
        return render_template("complaints/expired.html"), 410
    if draft.complaint_id is not None:
        # A second click or a browser retry: the complaint exists; show its confirmation.
        return redirect(url_for(".confirmation"))
    check = drafts.check_draft(draft)
    if not check.complete:
        return redirect(url_for(".step", step="review"))
    submission_key = draft.token_hash
    try:
        services.submit_draft(draft, token, check, str(get_locale() or "en"))
        db.session.commit()
    except IntegrityError:
        # Two submits of one draft raced and the other one committed the complaint.
        db.session.rollback()
        if services.complaint_for_submission_key(submission_key) is None:
            raise
    return redirect(url_for(".confirmation"))


@bp.route("/confirmation")
def confirmation():
    draft = drafts.current_draft()
    token = drafts.current_token()
    if draft is None or draft.complaint is None or token is None:
        return redirect(url_for("pages.home"))
    complaint = draft.complaint
    derived = identifiers.access_code_for(keys.key(keys.ACCESS_CODE_KEY), token)
    # The secret key changed since filing: never show a code that will not work.
    matches = identifiers.access_code_matches(
        complaint.tracking_number, derived, complaint.access_code_hash
    )
    access_code = derived if matches else None
    return render_template(
        "complaints/confirmation.html", complaint=complaint, access_code=access_code
    )


@bp.route("/finish", methods=["POST"])
def finish():
    drafts.forget_draft()
    return redirect(url_for("pages.home"))
