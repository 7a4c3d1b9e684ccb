"""The oversight section's forms: the dashboard's filters, the program page's window, the
jurisdiction registry's entry, the periodic report's period and the open-data month range.

Every form but the registry's is read from a GET request's URL and has no CSRF token: choosing
figures changes nothing on the server, so a forged link can only show someone aggregate
figures they may already see.
"""

from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from intake.extensions import db
from intake.forms import MONTH_CHOICES, ChoiceRadioField, Form, ListSelectField, strip, text
from intake.queue.forms import DateText, QuickSelect
from intake.reference import lookups
from intake.reference.categories import AGENCIES, ALLEGATIONS, LANGUAGES
from intake.reference.models import County

from . import program
from .filters import OversightFilters, default_range
from .jurisdictions import state_name
from .models import DATE_PRECISIONS, Jurisdiction
from .months import MonthRange, parse_month
from .report import EARLIEST_START, MAX_YEARS

# The dashboard's longest range: longer ones would only make endless month lists.
MAX_RANGE_YEARS = 20
SELECT_BLANK = _l("- Select -")


# --- the dashboard's filters ------------------------------------------------------------------


def _select(label, message) -> SelectField:
    """A list whose value must be one of its codes (or blank for "any")."""

    def known(form, field):
        if field.data and field.data not in {code for code, _ in field.choices}:
            raise ValidationError(message)

    return SelectField(label, widget=QuickSelect(), validate_choice=False, validators=[known])


class OversightFilterForm(Form):
    """Read from a GET request's URL. Choosing filters changes nothing on the server, so the
    form has no CSRF token (built with ``meta={"csrf": False}``): a forged link can only show
    someone a page of aggregate figures they may already see."""

    start = DateText(
        _l("Filed on or after"),
        description=_l("For example 01/31/2026. Leave blank to start from the first complaint."),
    )
    end = DateText(
        _l("Filed on or before"),
        description=_l("For example 12/31/2026. Leave blank to include everything up to today."),
    )
    state = _select(_l("Incident state"), _l("Choose a state from the list."))
    agency = _select(_l("Agency"), _l("Choose an agency from the list."))
    allegation = _select(_l("Allegation"), _l("Choose an allegation from the list."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.state.choices = lookups.state_choices(_l("All states"))
        self.agency.choices = [("", _l("All agencies")), *AGENCIES.items()]
        self.allegation.choices = [("", _l("All allegations")), *ALLEGATIONS.items()]

    @classmethod
    def from_args(cls, args, today: date) -> "OversightFilterForm":
        """The form as the URL gives it; without any filter in the URL, the default range."""
        # A submitted form sends every field, blank or not: blank dates then mean "no limit".
        if any(name in args for name in ("start", "end", "state", "agency", "allegation")):
            return cls(formdata=args, meta={"csrf": False})
        start, end = default_range(today)
        form = cls(formdata=None, meta={"csrf": False})
        form.start.data = start.isoformat()
        form.end.data = end.isoformat()
        return form

    def validate_end(self, field):
        start, end = self.start.as_date, field.as_date
        if start and end and end < start:
            raise ValidationError(_l("Choose a date on or after the first date."))
        if start and end and (end.year - start.year) > MAX_RANGE_YEARS:
            raise ValidationError(
                _l("Choose a range of %(years)d years or less.", years=MAX_RANGE_YEARS)
            )

    def filters(self) -> OversightFilters:
        """The chosen filters; call after a successful ``validate()``."""
        return OversightFilters(
            start=self.start.as_date,
            end=self.end.as_date,
            state=self.state.data or None,
            agency=self.agency.data or None,
            allegation=self.allegation.data or None,
        )


# --- the program page's window ----------------------------------------------------------------


def _whole_months(form, field):
    if not field.data.isdigit() or not 1 <= int(field.data) <= program.MAX_MONTHS:
        raise ValidationError(
            _l("Enter a whole number of months from 1 to %(max)d.", max=program.MAX_MONTHS)
        )


class WindowForm(Form):
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

    @classmethod
    def from_args(cls, args) -> "WindowForm":
        """The window as the URL gives it, checked (a missing side is the default)."""
        default = str(program.DEFAULT_MONTHS)
        form = cls(
            formdata=None,
            data={
                "months_before": strip(args.get("months_before", default)),
                "months_after": strip(args.get("months_after", default)),
            },
        )
        form.validate()
        return form

    def months(self) -> tuple[int, int]:
        """The chosen months; a side that is not valid keeps the default."""
        before, after = (
            program.DEFAULT_MONTHS if field.errors else int(field.data)
            for field in (self.months_before, self.months_after)
        )
        return before, after


# --- the jurisdiction registry ---------------------------------------------------------------


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


class JurisdictionForm(Form):
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
        if county is None:  # validate_county found it
            raise ValueError("a jurisdiction form's values are read once it is valid")
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


# --- the periodic report ---------------------------------------------------------------------


class ReportForm(Form):
    """Read from the URL (GET, no CSRF token: a forged link can only make someone download a
    report of aggregate figures they may read anyway)."""

    start = DateText(
        _l("First day"),
        description=_l("For example 01/01/2026."),
        validators=[InputRequired(_l("Enter the first day of the report's period."))],
    )
    end = DateText(
        _l("Last day"),
        description=_l("For example 06/30/2026. Complaints filed on this day are included."),
        validators=[InputRequired(_l("Enter the last day of the report's period."))],
    )
    lang = SelectField(
        _l("Language of the report"),
        choices=list(LANGUAGES.items()),
        validate_choice=False,
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, meta={"csrf": False}, **kwargs)
        self.today = today

    def period(self) -> tuple[date, date]:
        """The first and last day, once the form is valid (both are required)."""
        start, end = self.start.as_date, self.end.as_date
        if start is None or end is None:
            raise ValueError("a report form's period is read once it is valid")
        return start, end

    def validate_start(self, field):
        start = field.as_date
        if start is None:
            return  # DateText said what is wrong
        if start < EARLIEST_START:
            raise ValidationError(
                _l("Choose a first day in %(year)d or later.", year=EARLIEST_START.year)
            )
        if start > self.today:
            raise ValidationError(_l("Choose a first day that is not after today."))

    def validate_end(self, field):
        start, end = self.start.as_date, field.as_date
        if end is None:
            return
        if end > self.today:
            raise ValidationError(
                _l(
                    "Choose a last day that is not after today (%(today)s): the figures of "
                    "days still to come are not known.",
                    today=format_date(self.today, "long"),
                )
            )
        if start is None or self.start.errors:
            return
        if end < start:
            raise ValidationError(_l("Choose a last day on or after the first day."))
        if _years_between(start, end) >= MAX_YEARS:
            raise ValidationError(_l("A report covers at most %(years)d years.", years=MAX_YEARS))

    def validate_lang(self, field):
        if field.data not in LANGUAGES:
            raise ValidationError(_l("Choose English or Spanish."))


def _years_between(start: date, end: date) -> float:
    return (end - start).days / 365.25


# --- open data -------------------------------------------------------------------------------


class MonthText(StringField):
    """A month typed as 2026-03 or 03/2026."""

    data: str | None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = (self.data or "").strip()

    @property
    def as_month(self) -> date | None:
        return parse_month(self.data) if self.data else None

    def pre_validate(self, form):
        if self.data and self.as_month is None:
            raise ValidationError(_l("Enter the month like 2026-03 (year, then month)."))


class OpenDataForm(Form):
    """The filing-month range. Read from the URL (codes only, nothing personal): no CSRF."""

    filed_from = MonthText(
        _l("First month filed"),
        description=_l("For example 2025-01. Leave empty to start from the first complaint."),
    )
    filed_to = MonthText(
        _l("Last month filed"),
        description=_l("For example 2025-12. Leave empty to go up to today."),
    )

    def validate_filed_to(self, field):
        first, last = self.filed_from.as_month, field.as_month
        if first and last and last < first:
            raise ValidationError(_l("The last month must be the same as or after the first."))

    def month_range(self) -> MonthRange:
        return MonthRange(self.filed_from.as_month, self.filed_to.as_month)
