"""What an oversight figure covers: a filing-date range, an incident state, an agency and an
allegation, and the GET form that chooses them.

A complaint is in the selection when it was filed (``submitted_at``, UTC) on or between the two
dates and, for each filter given, its incident state is that state, it names that agency, and
it alleges that category. Figures then count each complaint once under each of its allegations
or agencies, so with an allegation filter the other allegations of the same complaints still
show.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import ValidationError

from intake.queue.forms import DateText, QuickSelect
from intake.reference import lookups
from intake.reference.categories import AGENCIES, ALLEGATIONS

# Longer ranges would only make endless month lists.
MAX_RANGE_YEARS = 20


@dataclass(frozen=True)
class OversightFilters:
    start: date | None = None
    end: date | None = None
    state: str | None = None
    agency: str | None = None
    allegation: str | None = None

    @classmethod
    def default(cls, today: date) -> "OversightFilters":
        """The default range: the last 12 full months plus the current month, to today."""
        return cls(start=first_of_month(today, months_back=12), end=today)

    def query_args(self) -> dict[str, str]:
        """The filters as URL parameters: codes and ISO dates, nothing personal."""
        values = {
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
            "state": self.state or "",
            "agency": self.agency or "",
            "allegation": self.allegation or "",
        }
        return {name: value for name, value in values.items() if value}


def first_of_month(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _select(label, message) -> SelectField:
    """A list whose value must be one of its codes (or blank for "any")."""

    def known(form, field):
        if field.data and field.data not in {code for code, _ in field.choices}:
            raise ValidationError(message)

    return SelectField(label, widget=QuickSelect(), validate_choice=False, validators=[known])


class OversightFilterForm(FlaskForm):
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
        default = OversightFilters.default(today)
        form = cls(formdata=None, meta={"csrf": False})
        form.start.data = default.start.isoformat()
        form.end.data = default.end.isoformat()
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
