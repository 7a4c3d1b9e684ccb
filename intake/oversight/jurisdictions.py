"""Program oversight pages, and the jurisdiction registry behind them.

Reading (the comparison, one jurisdiction's months, the registry list) needs oversight.view;
changing the registry needs jurisdictions.manage (administrators). The figures come from
``program.py``; this module chooses the window, checks the registry form and renders.
"""

from datetime import date

from babel.numbers import format_decimal
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from intake.accounts.access import current_user, requires
from intake.audit.services import record_event
from intake.extensions import db
from intake.forms import MONTH_CHOICES, ChoiceRadioField, ListSelectField, strip, text
from intake.reference import lookups
from intake.reference.models import County

from . import charts, program
from .blueprint import bp
from .models import DATE_PRECISIONS, Jurisdiction

VIEW = "oversight.view"
MANAGE = "jurisdictions.manage"
SELECT_BLANK = _l("- Select -")
# The registry's columns an administrator edits; audit events name the ones that changed.
EDITABLE = ("county_fips", "name", "program", "activation_date", "date_precision", "note", "source")


# --- the window choice ----------------------------------------------------------------------


def _whole_months(form, field):
    if not field.data.isdigit() or not 1 <= int(field.data) <= program.MAX_MONTHS:
        raise ValidationError(
            _l("Enter a whole number of months from 1 to %(max)d.", max=program.MAX_MONTHS)
        )


class WindowForm(FlaskForm):
    """Months either side of the activation. Codes in the URL (GET), so no CSRF token."""

    class Meta:
        csrf = False

    months_before = StringField(
        _l("Months before activation"),
        description=_l("From 1 to %(max)d.", max=program.MAX_MONTHS),
        validators=[_whole_months],
        filters=[strip],
    )
    months_after = StringField(
        _l("Months from activation on"),
        description=_l(
            "From 1 to %(max)d. The activation month is the first of these.",
            max=program.MAX_MONTHS,
        ),
        validators=[_whole_months],
        filters=[strip],
    )

    def months(self) -> tuple[int, int]:
        """The chosen months; a side that is not valid keeps the default."""
        before, after = (
            program.DEFAULT_MONTHS if field.errors else int(field.data)
            for field in (self.months_before, self.months_after)
        )
        return before, after


def _window_form() -> WindowForm:
    default = str(program.DEFAULT_MONTHS)
    form = WindowForm(
        formdata=None,
        data={
            "months_before": strip(request.args.get("months_before", default)),
            "months_after": strip(request.args.get("months_after", default)),
        },
    )
    form.validate()
    return form


# --- formatting -----------------------------------------------------------------------------


def unavailable_text(records_begin: date | None) -> str:
    """What a period without any month of records shows instead of a mean."""
    if records_begin is None:
        return _("not available (no complaints recorded yet)")
    return _("not available (records begin %(month)s)", month=program.month_label(records_begin))


def _formatters(records_begin: date | None) -> dict:
    """Number formatters bound to the page's language once: a table formats many cells."""
    locale = get_locale()
    unavailable = unavailable_text(records_begin)

    def mean(value: float | None) -> str:
        """A monthly mean to one decimal, or why there is none."""
        return unavailable if value is None else format_decimal(value, "#,##0.0", locale=locale)

    def number(value: int) -> str:
        return format_decimal(value, locale=locale)

    return {"mean": mean, "number": number, "unavailable": unavailable}


def state_name(code: str) -> str:
    return lookups.state_name(code) or code


def _flag_settings() -> tuple[int, int]:
    config = current_app.config
    return config["PROFILING_FLAG_THRESHOLD"], config["PROFILING_FLAG_WINDOW_DAYS"]


def _page_helpers() -> dict:
    threshold, window_days = _flag_settings()
    records_begin = program.records_begin()
    return {
        "activation_text": program.activation_text,
        "month_label": program.month_label,
        "state_name": state_name,
        "threshold": threshold,
        "window_days": window_days,
        "records_begin": records_begin,
        **_formatters(records_begin),
    }


def _charts(place: str, rows: list[program.MonthRow]) -> list:
    """Complaints, then profiling complaints, by month; a month without records is a gap."""
    if not any(row.covered for row in rows):
        return []
    labels = [program.month_label(row.month, short=True) for row in rows]
    return [
        charts.line_chart(
            title,
            [
                (label, getattr(row, attribute) if row.covered else None)
                for label, row in zip(labels, rows, strict=True)
            ],
        )
        for title, attribute in (
            (_("Complaints about incidents in %(place)s, by month", place=place), "total"),
            (
                _("Profiling complaints about incidents in %(place)s, by month", place=place),
                "profiling",
            ),
        )
    ]


# --- program oversight ----------------------------------------------------------------------


@bp.route("/program", endpoint="program")
@requires(VIEW)
def program_page():
    form = _window_form()
    months_before, months_after = form.months()
    comparisons = program.overview(months_before, months_after)
    return render_template(
        "oversight/program.html",
        form=form,
        comparisons=comparisons,
        flagged=[c for c in comparisons if c.flagged],
        months_before=months_before,
        months_after=months_after,
        **_page_helpers(),
    )


@bp.route("/program/<int:jurisdiction_id>", endpoint="program_jurisdiction")
@requires(VIEW)
def program_jurisdiction_page(jurisdiction_id: int):
    jurisdiction = db.session.get(Jurisdiction, jurisdiction_id) or abort(404)
    form = _window_form()
    months_before, months_after = form.months()
    rows = program.jurisdiction_months(jurisdiction, months_before, months_after)
    before, after = program.summarize(rows)
    threshold, window_days = _flag_settings()
    recent = program.recent_profiling(jurisdiction, window_days=window_days)
    place = _(
        "%(county)s, %(state)s",
        county=jurisdiction.county.name,
        state=state_name(jurisdiction.state_code),
    )
    return render_template(
        "oversight/program_jurisdiction.html",
        form=form,
        jurisdiction=jurisdiction,
        rows=rows,
        before=before,
        after=after,
        recent=recent,
        flagged=recent >= threshold,
        charts=_charts(place, rows),
        place=place,
        months_before=months_before,
        months_after=months_after,
        **_page_helpers(),
    )


# --- the registry ---------------------------------------------------------------------------


def _activation_date(month: str, day: str, year: str) -> date:
    """The date from its three boxes (the day may be blank), or ValidationError saying why."""
    if not (month or day or year):
        raise ValidationError(_l("Enter the activation date."))
    if not year:
        raise ValidationError(_l("Enter the year."))
    if not year.isdigit() or len(year) != 4:
        raise ValidationError(_l("Enter the year as 4 digits, like 2024."))
    if not month:
        raise ValidationError(_l("Choose the month."))
    if day and not day.isdigit():
        raise ValidationError(_l("Enter the day as a number, like 15."))
    try:
        value = date(int(year), int(month), int(day) if day else 1)
    except ValueError:
        raise ValidationError(_l("Enter a real date.")) from None
    if value.year < 1900:
        raise ValidationError(_l("Enter a year of 1900 or later."))
    return value


def _program_name(value):
    # One space between words: "Secure  Communities" is the same program.
    return " ".join(value.split()) if isinstance(value, str) else value


class JurisdictionForm(FlaskForm):
    state = ListSelectField(_l("State"))
    # Choices follow the chosen state; checked against the reference list below.
    county = SelectField(
        _l("County"),
        description=_l("Choose the state first: the list shows that state's counties."),
        validate_choice=False,
    )
    name = text(
        _l("Jurisdiction name"),
        200,
        description=_l(
            "As the source names it, for example “City of Richmond”."
            " Leave blank to use the county's name."
        ),
    )
    program = StringField(
        _l("Program"),
        description=_l("For example Secure Communities, or 287(g)."),
        validators=[Length(max=120, message=_l("Use %(max)d characters or fewer.", max=120))],
        filters=[strip, _program_name],
    )
    activation_month = ListSelectField(_l("Month"), choices=MONTH_CHOICES)
    activation_day = StringField(_l("Day (if known)"), filters=[strip])
    activation_year = StringField(_l("Year"), filters=[strip])
    date_precision = ChoiceRadioField(
        _l("How exact is the date?"), choices=list(DATE_PRECISIONS.items())
    )
    note = TextAreaField(
        _l("Note"),
        description=_l("What the source says about the activation."),
        validators=[
            Optional(),
            Length(max=2000, message=_l("Use %(max)d characters or fewer.", max=2000)),
        ],
        filters=[strip],
    )
    source = TextAreaField(
        _l("Source"),
        description=_l("The announcement or document, with its date."),
        validators=[
            Optional(),
            Length(max=1000, message=_l("Use %(max)d characters or fewer.", max=1000)),
        ],
        filters=[strip],
    )

    activation_date: date | None = None

    def prepare(self) -> "JurisdictionForm":
        self.state.choices = lookups.state_choices(SELECT_BLANK)
        self.county.choices = lookups.county_choices(self.state.data or None, SELECT_BLANK)
        return self

    def validate_state(self, field):
        if not field.data:
            raise ValidationError(_l("Choose the state."))

    def validate_county(self, field):
        if not field.data:
            raise ValidationError(
                _l("Choose the county.") if self.state.data else _l("Choose the state first.")
            )
        county = db.session.get(County, field.data)
        if county is None:
            raise ValidationError(_l("Choose one of the options in the list."))
        if self.state.data and county.state_code != self.state.data:
            raise ValidationError(
                _l("Choose a county in %(state)s.", state=state_name(self.state.data))
            )

    def validate_program(self, field):
        if not field.data:
            raise ValidationError(_l("Enter the program."))

    def validate_activation_year(self, field):
        self.activation_date = _activation_date(
            self.activation_month.data or "", self.activation_day.data or "", field.data or ""
        )

    def validate_date_precision(self, field):
        if not field.data:
            raise ValidationError(_l("Choose how exact the date is."))
        if field.data == "day" and not self.activation_day.data:
            raise ValidationError(
                _l("An exact day needs the day in the date: enter it, or choose another answer.")
            )
        if field.data == "month" and self.activation_day.data:
            raise ValidationError(
                _l("A date known to the month has no day: clear the day, or choose another answer.")
            )

    def values(self) -> dict:
        county = db.session.get(County, self.county.data)
        return {
            "county_fips": county.fips,
            "name": self.name.data or county.name,
            "program": self.program.data,
            "activation_date": self.activation_date,
            "date_precision": self.date_precision.data,
            "note": self.note.data or None,
            "source": self.source.data or None,
        }

    @classmethod
    def for_jurisdiction(cls, jurisdiction: Jurisdiction) -> "JurisdictionForm":
        when = jurisdiction.activation_date
        return cls(
            formdata=None,
            data={
                "state": jurisdiction.county.state_code,
                "county": jurisdiction.county_fips,
                "name": jurisdiction.name,
                "program": jurisdiction.program,
                "activation_month": str(when.month),
                "activation_day": str(when.day) if program.activation_has_day(jurisdiction) else "",
                "activation_year": str(when.year),
                "date_precision": jurisdiction.date_precision,
                "note": jurisdiction.note or "",
                "source": jurisdiction.source or "",
            },
        )


def _same_program_elsewhere(values: dict, jurisdiction_id: int | None) -> bool:
    """Another jurisdiction for this county and program (spelled in any case)?"""
    stmt = select(Jurisdiction.id).where(
        Jurisdiction.county_fips == values["county_fips"],
        func.lower(Jurisdiction.program) == values["program"].lower(),
    )
    if jurisdiction_id is not None:
        stmt = stmt.where(Jurisdiction.id != jurisdiction_id)
    return db.session.execute(stmt.limit(1)).first() is not None


def _duplicate_error(form: JurisdictionForm) -> None:
    county = db.session.get(County, form.county.data)
    form.program.errors = [
        *form.program.errors,
        _(
            "%(county)s already has a jurisdiction for this program: change that one instead.",
            county=county.name if county else form.county.data,
        ),
    ]


def _audit(action: str, jurisdiction: Jurisdiction, fields: list[str] | None = None) -> None:
    details = {"jurisdiction_id": jurisdiction.id}
    if fields is not None:
        details["fields"] = fields
    record_event(
        action,
        actor_type="staff",
        actor_id=current_user().id,
        object_type="jurisdiction",
        object_id=jurisdiction.id,
        details=details,
    )


def create_jurisdiction(values: dict) -> Jurisdiction:
    staff_id = current_user().id
    jurisdiction = Jurisdiction(**values, created_by_id=staff_id, updated_by_id=staff_id)
    db.session.add(jurisdiction)
    db.session.flush()
    _audit("jurisdiction.created", jurisdiction, [f for f in EDITABLE if values[f] is not None])
    return jurisdiction


def update_jurisdiction(jurisdiction: Jurisdiction, values: dict) -> list[str]:
    """Apply the changed values; returns the names of the fields that changed."""
    changed = [f for f in EDITABLE if getattr(jurisdiction, f) != values[f]]
    if changed:
        for field in changed:
            setattr(jurisdiction, field, values[field])
        jurisdiction.updated_by_id = current_user().id
        db.session.flush()
        _audit("jurisdiction.updated", jurisdiction, changed)
    return changed


def delete_jurisdiction(jurisdiction: Jurisdiction) -> None:
    _audit("jurisdiction.deleted", jurisdiction)
    db.session.delete(jurisdiction)
    db.session.flush()


@bp.route("/jurisdictions", endpoint="jurisdictions")
@requires(VIEW)
def jurisdictions_page():
    return render_template(
        "oversight/jurisdictions.html",
        jurisdictions=program.registered_jurisdictions(),
        activation_text=program.activation_text,
        state_name=state_name,
    )


def _form_page(form: JurisdictionForm, jurisdiction: Jurisdiction | None, status: int = 200):
    return render_template(
        "oversight/jurisdiction_form.html", form=form, jurisdiction=jurisdiction
    ), status


def _save(form: JurisdictionForm, jurisdiction: Jurisdiction | None):
    """Check and save a posted form; the response to send."""
    if request.form.get("action") == "refresh":
        # No-JavaScript county list: the page again with the chosen state's counties.
        form.county.data = ""
        return _form_page(form, jurisdiction)
    if not form.validate_on_submit():
        return _form_page(form, jurisdiction, 400)
    values = form.values()
    if _same_program_elsewhere(values, jurisdiction.id if jurisdiction else None):
        _duplicate_error(form)
        return _form_page(form, jurisdiction, 400)
    try:
        if jurisdiction is None:
            message = _("%(name)s is added to the registry.", name=values["name"])
            create_jurisdiction(values)
        elif update_jurisdiction(jurisdiction, values):
            message = _("Changes to %(name)s are saved.", name=values["name"])
        else:
            message = _("Nothing was changed in %(name)s.", name=values["name"])
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
            state_name=state_name,
        )
    name = jurisdiction.name
    delete_jurisdiction(jurisdiction)
    db.session.commit()
    flash(_("%(name)s is removed from the registry.", name=name), "success")
    return redirect(url_for(".jurisdictions"), code=303)
