"""The case page and every staff action on a case.

Each view: load the case the user may open (404 otherwise), check the form, call one service,
commit once, redirect (Post/Redirect/Get). A refused change re-renders the case page as it is
now, with the reason on top, the message next to the field and everything typed kept.
"""

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectField
from wtforms.widgets import HiddenInput, Select

from intake.accounts.access import current_user, requires
from intake.accounts.models import User
from intake.complaints import description, filed
from intake.complaints.models import Complaint
from intake.database import utcnow, writes_on_get
from intake.extensions import db

from . import deadlines, services, timeline, workflow
from .access import case_or_404
from .forms import (
    ActionForm,
    AgencyResponseForm,
    NoteForm,
    RecommendationForm,
    findings_by_allegation,
    findings_form,
)
from .labels import labels
from .widgets import FastHiddenInput, FastSelect
from .workflow import (
    ACTIONS,
    STAFF_STATUS_LABELS,
    ActionNotAllowed,
    MissingInput,
    VersionConflict,
    available_actions,
    withheld_actions,
)
from .workflow_errors import WorkflowError

bp = Blueprint("review", __name__, url_prefix="/staff/cases")

# Actions shown in the assignment box rather than with the other actions.
ASSIGNMENT_ACTIONS = ("claim", "assign")
def _conflict_message() -> str:
    return _(
        "Someone else changed this case while you were looking at it. Nothing was saved. "
        "The page now shows the case as it is; your text is kept below. Check it and "
        "submit again if it still applies."
    )


# --- the page ---------------------------------------------------------------------------------


def _forms_for(complaint: Complaint, user, actions) -> dict:
    """A fresh form for everything this user may do on the case now, keyed by name."""
    version = {"version": complaint.version}
    forms: dict = {}
    staff = None
    for action in actions:
        form = ActionForm(formdata=None, prefix=action.name, data=version).for_action(action.name)
        if action.name == "assign":
            staff = staff if staff is not None else services.assignable_staff()
            form.set_assignees(staff)
            form.assignee.data = str(complaint.assignee_id or "")
        forms[f"action:{action.name}"] = form
    if user.can("case.note"):
        forms["note"] = NoteForm(formdata=None, prefix="note", data=version)
    if user.can("case.findings") and complaint.status in services.FINDINGS_STATUSES:
        forms["findings"] = findings_form(complaint, formdata=None)
        forms["findings"].show_version(complaint.version)
    return forms


def _recommendation_forms(complaint, user, recommendations) -> dict:
    version = {"version": complaint.version}
    forms: dict = {}
    if user.can("case.recommendations") and complaint.status in services.RECOMMENDATION_STATUSES:
        forms["recommendation:new"] = RecommendationForm(
            formdata=None, prefix="recommendation_new", data=version
        )
        for rec in recommendations:
            forms[f"recommendation:{rec.id}"] = RecommendationForm(
                formdata=None,
                prefix=f"recommendation_{rec.id}",
                data={**version, "body": rec.body},
            )
    if user.can("case.agency_response") and complaint.status in services.RESPONSE_STATUSES:
        for rec in recommendations:
            forms[f"response:{rec.id}"] = AgencyResponseForm(
                formdata=None,
                prefix=f"response_{rec.id}",
                data={
                    **version,
                    "agency_response": rec.agency_response or "",
                    "response_notes": rec.response_notes or "",
                },
            )
    return forms


FAST_WIDGETS = {Select: FastSelect(), HiddenInput: FastHiddenInput()}


def _ready_to_render(forms: dict) -> None:
    """Lists with their labels in words once per page, and WTForms' select and hidden inputs
    written by faster widgets that write the same HTML (widgets.py). A label (a lazy string)
    is otherwise translated twice for each option it is, in each form it is in (the blank
    choice, the findings for every allegation)."""
    words: dict[int, tuple[object, str]] = {}

    def word(label):
        if isinstance(label, str):
            return label
        if id(label) not in words:
            words[id(label)] = (label, str(label))  # the label is kept, so its id stays its own
        return words[id(label)][1]

    for form in forms.values():
        for field in form:
            field.widget = FAST_WIDGETS.get(type(field.widget), field.widget)
            if isinstance(field, SelectField) and isinstance(field.choices, list):
                field.choices = [
                    (choice[0], word(choice[1]), *choice[2:])
                    if isinstance(choice, tuple)
                    else choice
                    for choice in field.choices
                ]


def _render_case(complaint: Complaint, status: int = 200, *, failed=None, problem=None):
    """Render the case page, then record that this person saw it, in one transaction."""
    user = current_user()
    actions = available_actions(complaint, user)
    recommendations = services.recommendations(complaint.id)
    forms = _forms_for(complaint, user, actions)
    forms.update(_recommendation_forms(complaint, user, recommendations))
    forms.update(failed or {})
    _ready_to_render(forms)
    # A refused action that is no longer open still shows what was typed, to copy.
    kept = None
    if failed:
        key = next(iter(failed))
        name = key.removeprefix("action:")
        if key.startswith("action:") and name not in {a.name for a in actions}:
            kept = {"action": ACTIONS[name], "form": failed[key]}
    due = deadlines.due_at(complaint)
    html = render_template(
        "review/case.html",
        complaint=complaint,
        status_label=labels("status").get(complaint.status, complaint.status),
        withheld=withheld_actions(complaint, user),
        filer=complaint.person("filer"),
        affected=complaint.person("affected"),
        sections=filed.case_page_sections(complaint),
        story_labels=description.STORY_LABELS,
        attachments=services.case_attachments(complaint.id),
        attachment_sources=labels("attachment_source"),
        requirement_labels=labels("requirement"),
        timeline=timeline.timeline(complaint, recommendations),
        assignment_actions=[a for a in actions if a.name in ASSIGNMENT_ACTIONS],
        other_actions=[a for a in actions if a.name not in ASSIGNMENT_ACTIONS],
        forms=forms,
        failed_key=next(iter(failed), None) if failed else None,
        problem=problem,
        kept=kept,
        due_at=due,
        due_days=(due.date() - utcnow().date()).days if due else None,
        overdue=deadlines.is_overdue(complaint),
        channel_label=labels("channel").get(complaint.channel, complaint.channel),
        language_label=labels("language").get(complaint.language, complaint.language),
        status_labels=labels("status"),
        show_findings="findings" in forms or any(a.finding for a in complaint.allegations),
        show_recommendations=bool(recommendations)
        or any(key.startswith("recommendation:") for key in forms),
        missing_findings=sum(1 for a in complaint.allegations if a.finding is None),
        recommendations=recommendations,
        related=services.related_complaints(complaint, user),
        duplicate_of=services.duplicate_original(complaint),
        allegation_labels=labels("allegation"),
        finding_labels=labels("finding"),
        closure_labels=labels("closure"),
        response_labels=labels("agency_response"),
        attachment_type_labels=labels("attachment_type"),
        can_edit_findings="findings" in forms,
        can_read_trail=user.can("audit.read"),
    )
    services.record_case_view(complaint, user)
    db.session.commit()
    return html, status


@bp.route("/<int:complaint_id>")
@writes_on_get
@requires("case.view")
def case(complaint_id: int):
    # case_or_404's rule, with what the page shows loaded in the same few statements.
    found = services.case_for_page(current_user(), complaint_id) or abort(404)
    return _render_case(found.complaint)


# --- saving changes ---------------------------------------------------------------------------


def _refuse(complaint: Complaint, key: str, form, error=None):
    """Nothing is saved: show the case as it is now, the problem, and the form as typed."""
    db.session.rollback()
    status, problem = 400, None
    if isinstance(error, MissingInput) and error.field and error.field in form:
        field = form[error.field]
        field.errors = [*field.errors, error.message]
    elif isinstance(error, (VersionConflict, StaleDataError)):
        status, problem = 409, {"kind": "conflict", "message": _conflict_message()}
    elif isinstance(error, ActionNotAllowed) and _posted_version(form) not in (
        None,
        complaint.version,
    ):
        # Not possible now because someone else moved the case since this page was loaded.
        status = 409
        problem = {"kind": "conflict", "message": _conflict_message(), "detail": error.message}
    elif isinstance(error, WorkflowError):
        status, problem = error.status_code, {"kind": "refused", "message": error.message}
    elif form.version.errors:
        problem = {"kind": "refused", "message": _("Reload the case page and try again.")}
    form.show_version(complaint.version)
    return _render_case(complaint, status, failed={key: form}, problem=problem)


def _posted_version(form) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None


def _save(complaint: Complaint, key: str, form, change, *, precheck=None, anchor=None):
    """Validate, apply one change, commit once, redirect; or re-render with the reason."""
    try:
        if precheck is not None:
            precheck()
        if not form.validate_on_submit():
            return _refuse(complaint, key, form)
        done = change()
        db.session.commit()
    except (WorkflowError, StaleDataError) as error:
        return _refuse(complaint, key, form, error)
    if done:
        flash(done, "success")
    return redirect(url_for(".case", complaint_id=complaint.id, _anchor=anchor))


def _staff_member(user_id: str | None) -> User | None:
    try:
        return db.session.get(User, int(user_id)) if user_id else None
    except ValueError:
        return None


@bp.route("/<int:complaint_id>/actions/<action>", methods=["POST"])
@requires("case.view")  # the workflow then checks the actor's roles for this action
def act(complaint_id: int, action: str):
    user = current_user()
    complaint = case_or_404(user, complaint_id)
    if action not in ACTIONS:
        abort(404)
    form = ActionForm(prefix=action).for_action(action)
    if action == "assign":
        form.set_assignees(services.assignable_staff())

    def change():
        duplicate_of = services.complaint_by_tracking_number(form.duplicate_of.data)
        try:
            workflow.apply_action(
                complaint,
                action,
                user,
                expected_version=form.version.data,
                reason=form.reason.data,
                message=form.message.data,
                closure_reason=form.closure_reason.data or None,
                referral_agency=form.referral_agency.data or None,
                assignee=_staff_member(form.assignee.data),
                duplicate_of=duplicate_of,
            )
        except MissingInput as error:
            if error.field == "duplicate_of" and form.duplicate_of.data and duplicate_of is None:
                error.message = _("No complaint has this tracking number. Check it and try again.")
            raise
        return _("Done: %(action)s.", action=ACTIONS[action].label)

    return _save(
        complaint,
        f"action:{action}",
        form,
        change,
        precheck=lambda: workflow.check_action(complaint, action, user),
        anchor="summary",
    )


@bp.route("/<int:complaint_id>/notes", methods=["POST"])
@requires("case.note")
def add_note(complaint_id: int):
    user = current_user()
    complaint = case_or_404(user, complaint_id)
    form = NoteForm(prefix="note")

    def change():
        services.add_note(complaint, user, form.body.data, expected_version=form.version.data)
        return _("Note added.")

    return _save(complaint, "note", form, change, anchor="timeline")


@bp.route("/<int:complaint_id>/findings", methods=["POST"])
@requires("case.findings")
def record_findings(complaint_id: int):
    user = current_user()
    complaint = case_or_404(user, complaint_id)
    form = findings_form(complaint)

    def change():
        changed = services.record_findings(
            complaint, user, findings_by_allegation(form), expected_version=form.version.data
        )
        return _("Findings saved.") if changed else _("No finding was changed.")

    return _save(
        complaint,
        "findings",
        form,
        change,
        precheck=lambda: services.require_status(complaint, services.FINDINGS_STATUSES),
        anchor="findings",
    )


@bp.route("/<int:complaint_id>/recommendations", methods=["POST"])
@requires("case.recommendations")
def add_recommendation(complaint_id: int):
    user = current_user()
    complaint = case_or_404(user, complaint_id)
    form = RecommendationForm(prefix="recommendation_new")

    def change():
        services.add_recommendation(
            complaint, user, form.body.data, expected_version=form.version.data
        )
        return _("Recommendation added.")

    return _save(
        complaint,
        "recommendation:new",
        form,
        change,
        precheck=lambda: services.require_status(complaint, services.RECOMMENDATION_STATUSES),
        anchor="recommendations",
    )


@bp.route("/<int:complaint_id>/recommendations/<int:recommendation_id>", methods=["POST"])
@requires("case.recommendations")
def edit_recommendation(complaint_id: int, recommendation_id: int):
    user = current_user()
    complaint = case_or_404(user, complaint_id)
    recommendation = services.recommendation_of(complaint, recommendation_id) or abort(404)
    form = RecommendationForm(prefix=f"recommendation_{recommendation.id}")

    def change():
        changed = services.edit_recommendation(
            complaint, recommendation, user, form.body.data, expected_version=form.version.data
        )
        return _("Recommendation saved.") if changed else _("The recommendation was not changed.")

    return _save(
        complaint,
        f"recommendation:{recommendation.id}",
        form,
        change,
        precheck=lambda: services.require_status(complaint, services.RECOMMENDATION_STATUSES),
        anchor=f"recommendation-{recommendation.id}",
    )


@bp.route("/<int:complaint_id>/recommendations/<int:recommendation_id>/response", methods=["POST"])
@requires("case.agency_response")
def record_response(complaint_id: int, recommendation_id: int):
    user = current_user()
    complaint = case_or_404(user, complaint_id)
    recommendation = services.recommendation_of(complaint, recommendation_id) or abort(404)
    form = AgencyResponseForm(prefix=f"response_{recommendation.id}")

    def change():
        services.record_agency_response(
            complaint,
            recommendation,
            user,
            form.agency_response.data,
            form.response_notes.data,
            expected_version=form.version.data,
        )
        return _("The agency's response is recorded.")

    return _save(
        complaint,
        f"response:{recommendation.id}",
        form,
        change,
        precheck=lambda: services.require_status(complaint, services.RESPONSE_STATUSES),
        anchor=f"recommendation-{recommendation.id}",
    )


# --- files and the trail ----------------------------------------------------------------------


@bp.route("/<int:complaint_id>/attachments/<int:attachment_id>")
@writes_on_get
@requires("case.view")
def attachment(complaint_id: int, attachment_id: int):
    user = current_user()
    complaint = case_or_404(user, complaint_id)
    found = services.case_attachment(complaint, attachment_id) or abort(404)
    data, name, content_type = found.data, found.filename, found.content_type
    services.record_download(complaint, found, user)
    db.session.commit()
    # Always a download, never shown in the browser: a file is the filer's, not ours to render.
    response = send_file(
        BytesIO(data),
        mimetype=content_type or "application/octet-stream",
        as_attachment=True,
        download_name=name,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/<int:complaint_id>/trail")
@requires("audit.read")
def trail(complaint_id: int):
    # Administrators read trails without opening cases: the trail holds no personal data,
    # so it is looked up by id without the case-access check.
    complaint = db.session.get(Complaint, complaint_id) or abort(404)
    after = request.args.get("after", default=0, type=int)
    rows, next_after = timeline.trail(complaint.id, after_seq=max(after, 0))
    return render_template(
        "review/trail.html",
        complaint=complaint,
        status_label=STAFF_STATUS_LABELS.get(complaint.status, complaint.status),
        rows=rows,
        next_after=next_after,
        after=after,
    )
