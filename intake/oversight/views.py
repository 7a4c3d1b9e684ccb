"""The oversight section's routes: the dashboard, program oversight and its jurisdiction
registry, the periodic report and open data.

Handlers read a form, ask a services module (dashboard, program, program_figures,
jurisdictions, report, report_document, open_data) and render. Reading needs oversight.view;
changing the registry needs jurisdictions.manage (administrators). Aggregates only: no page
here names a person or links to a case.
"""

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, format_number, get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from intake.accounts.access import current_user, requires
from intake.database import utcnow
from intake.documents import rendering
from intake.documents.pdf import RenderError
from intake.extensions import db
from intake.reference import categories
from intake.reference.categories import LANGUAGES
from intake.reference.models import County

from . import dashboard, jurisdictions, open_data, program, program_figures, report
from . import report_document as document
from .data_dictionary import data_dictionary
from .forms import JurisdictionForm, OpenDataForm, OversightFilterForm, ReportForm, WindowForm
from .models import Jurisdiction

bp = Blueprint("oversight", __name__, url_prefix="/staff/oversight")
log = logging.getLogger(__name__)

VIEW = "oversight.view"
MANAGE = "jurisdictions.manage"


# --- the dashboard ----------------------------------------------------------------------------


@bp.route("/", methods=["GET"], endpoint="dashboard")
@requires(VIEW)
def dashboard_page():
    now = utcnow()
    form = OversightFilterForm.from_args(request.args, now.date())
    if not form.validate():
        return render_template("oversight/dashboard.html", form=form, figures=None), 400
    f = form.filters()
    return render_template(
        "oversight/dashboard.html",
        form=form,
        figures=dashboard.page_figures(f, now),
        selection=dashboard.describe(f),
        now=now,
        top_places=dashboard.TOP_PLACES,
        format_days=dashboard.format_days,
        format_share=dashboard.format_share,
        format_number=format_number,
        format_datetime=format_datetime,
        zip=zip,
    )


# --- program oversight ------------------------------------------------------------------------


@bp.route("/program", endpoint="program")
@requires(VIEW)
def program_page():
    form = WindowForm.from_args(request.args)
    months_before, months_after = form.months()
    comparisons = program.overview(months_before, months_after)
    show_all = request.args.get("show") == "all"
    return render_template(
        "oversight/program.html",
        form=form,
        listing=program_figures.listing(comparisons, show_all),
        flagged=[c for c in comparisons if c.flagged],
        months_before=months_before,
        months_after=months_after,
        **program_figures.page_helpers(),
    )


@bp.route("/program/<int:jurisdiction_id>", endpoint="program_jurisdiction")
@requires(VIEW)
def program_jurisdiction_page(jurisdiction_id: int):
    jurisdiction = db.session.get(Jurisdiction, jurisdiction_id) or abort(404)
    form = WindowForm.from_args(request.args)
    months_before, months_after = form.months()
    rows = program.jurisdiction_months(jurisdiction, months_before, months_after)
    before, after = program.summarize(rows)
    threshold, window_days = program_figures.flag_settings()
    recent = program.recent_profiling(jurisdiction, window_days=window_days)
    place = program_figures.place_name(jurisdiction)
    return render_template(
        "oversight/program_jurisdiction.html",
        form=form,
        jurisdiction=jurisdiction,
        rows=rows,
        before=before,
        after=after,
        recent=recent,
        flagged=recent >= threshold,
        charts=program_figures.month_charts(place, rows),
        place=place,
        months_before=months_before,
        months_after=months_after,
        **program_figures.page_helpers(),
    )


# --- the jurisdiction registry ----------------------------------------------------------------


@bp.route("/jurisdictions", endpoint="jurisdictions")
@requires(VIEW)
def jurisdictions_page():
    return render_template(
        "oversight/jurisdictions.html",
        jurisdictions=program.registered_jurisdictions(),
        activation_text=program.activation_text,
        state_name=jurisdictions.state_name,
    )


def _form_page(form: JurisdictionForm, jurisdiction: Jurisdiction | None, status: int = 200):
    return render_template(
        "oversight/jurisdiction_form.html", form=form, jurisdiction=jurisdiction
    ), status


def _duplicate_error(form: JurisdictionForm) -> None:
    county = db.session.get(County, form.county.data)
    form.program.errors = [
        *form.program.errors,
        _(
            "%(county)s already has a jurisdiction for this program: change that one instead.",
            county=county.name if county else form.county.data,
        ),
    ]


def _saved_message(values: dict, jurisdiction: Jurisdiction | None) -> str:
    """Save the values (a new jurisdiction, or changes to one); what to tell the user."""
    if jurisdiction is None:
        jurisdictions.create_jurisdiction(values)
        return _("%(name)s is added to the registry.", name=values["name"])
    if jurisdictions.update_jurisdiction(jurisdiction, values):
        return _("Changes to %(name)s are saved.", name=values["name"])
    return _("Nothing was changed in %(name)s.", name=values["name"])


def _save(form: JurisdictionForm, jurisdiction: Jurisdiction | None):
    """Check and save a posted form; the response to send."""
    if request.form.get("action") == "refresh":
        # No-JavaScript county list: the page again with the chosen state's counties.
        form.county.data = ""
        return _form_page(form, jurisdiction)
    if not form.validate_on_submit():
        return _form_page(form, jurisdiction, 400)
    values = form.values()
    if jurisdictions.same_program_elsewhere(values, jurisdiction.id if jurisdiction else None):
        _duplicate_error(form)
        return _form_page(form, jurisdiction, 400)
    try:
        message = _saved_message(values, jurisdiction)
        db.session.commit()
    except IntegrityError:
        # Another administrator registered the same county and program a moment ago.
        db.session.rollback()
        _duplicate_error(form)
        return _form_page(form, jurisdiction, 409)
    flash(message, "success")
    return redirect(url_for(".jurisdictions"), code=303)


@bp.route("/jurisdictions/new", methods=["GET", "POST"], endpoint="new_jurisdiction")
@requires(MANAGE)
def new_jurisdiction_page():
    form = JurisdictionForm().prepare()
    if request.method == "GET":
        return _form_page(form, None)
    return _save(form, None)


@bp.route(
    "/jurisdictions/<int:jurisdiction_id>/edit",
    methods=["GET", "POST"],
    endpoint="edit_jurisdiction",
)
@requires(MANAGE)
def edit_jurisdiction_page(jurisdiction_id: int):
    jurisdiction = db.session.get(Jurisdiction, jurisdiction_id) or abort(404)
    if request.method == "GET":
        return _form_page(JurisdictionForm.for_jurisdiction(jurisdiction).prepare(), jurisdiction)
    return _save(JurisdictionForm().prepare(), jurisdiction)


@bp.route(
    "/jurisdictions/<int:jurisdiction_id>/delete",
    methods=["GET", "POST"],
    endpoint="delete_jurisdiction",
)
@requires(MANAGE)
def delete_jurisdiction_page(jurisdiction_id: int):
    """GET asks for confirmation; the POST from that page deletes."""
    jurisdiction = db.session.get(Jurisdiction, jurisdiction_id) or abort(404)
    if request.method == "GET":
        return render_template(
            "oversight/jurisdiction_delete.html",
            jurisdiction=jurisdiction,
            activation_text=program.activation_text,
            state_name=jurisdictions.state_name,
        )
    name = jurisdiction.name
    jurisdictions.delete_jurisdiction(jurisdiction)
    db.session.commit()
    flash(_("%(name)s is removed from the registry.", name=name), "success")
    return redirect(url_for(".jurisdictions"), code=303)


# --- the periodic report ----------------------------------------------------------------------


def _ui_language() -> str:
    language = str(get_locale() or "en")
    return language if language in LANGUAGES else "en"


def _report_form_page(form: ReportForm, status: int = 200):
    return render_template("oversight/report.html", form=form, k=document.suppression_k()), status


@bp.route("/report", methods=["GET"])
@requires(VIEW)
def report_form():
    today = utcnow().date()
    start, end = report.default_period(today)
    form = ReportForm(formdata=None, today=today)
    form.start.data, form.end.data = start.isoformat(), end.isoformat()
    form.lang.data = _ui_language()
    return _report_form_page(form)


@bp.route("/report.pdf", methods=["GET"])
@requires(VIEW)
def report_pdf():
    now = utcnow()
    form = ReportForm(formdata=request.args, today=now.date())
    if not request.args.get("lang"):
        form.lang.data = _ui_language()
    if not form.validate():
        return _report_form_page(form, 400)
    (start, end), language = form.period(), form.lang.data
    user_id = current_user().id
    document.read_one_snapshot()
    built = report.build_report(start, end, language, now=now, k=document.suppression_k())
    try:
        rendered = document.render_report(built)
    except RenderError as error:
        db.session.rollback()
        log.error("oversight report render failed: %s", type(error).__name__)
        return render_template("documents/render_failed.html"), 503
    document.record_generated(user_id, start, end, language)
    filename = document.report_filename(start, end, language)
    return rendering.pdf_response(rendered.data, filename)


# --- open data --------------------------------------------------------------------------------


def _open_data_form() -> tuple[OpenDataForm, bool]:
    form = OpenDataForm(formdata=request.args, meta={"csrf": False})
    return form, form.validate()


def _open_data_page(form: OpenDataForm, valid: bool, status: int = 200):
    k = open_data.suppression_k()
    months = form.month_range() if valid else None
    entries = data_dictionary(k)
    return (
        render_template(
            "oversight/open_data.html",
            form=form,
            months=months,
            cells=open_data.county_cells(months, k) if months is not None else None,
            k=k,
            complaint_columns=[e for e in entries if e.group == "complaint"],
            allegation_columns=[
                (label, f"allegation_{code}", f"finding_{code}")
                for code, label in categories.ALLEGATIONS.items()
            ],
            findings=[(code, str(label)) for code, label in categories.FINDINGS.items()],
            column_count=len(entries),
        ),
        status,
    )


@bp.route("/open-data", endpoint="open_data")
@requires(VIEW)
def open_data_page():
    """What the file holds and leaves out, its dictionary, the range form, the downloads."""
    form, valid = _open_data_form()
    return _open_data_page(form, valid)


@bp.route("/open-data.csv")
@requires(VIEW)
def open_data_csv():
    form, valid = _open_data_form()
    if not valid:
        return _open_data_page(form, valid, 400)
    months = form.month_range()
    open_data.record_export(months)
    return open_data.file_response(months)


@bp.route("/open-data/dictionary.csv")
@requires(VIEW)
def open_data_dictionary():
    """The data dictionary as CSV, in the page's language."""
    return open_data.dictionary_response()
