"""The queue's search and filter form.

The form is posted (the search words are personal data and must stay out of URLs); the view
then redirects to a plain GET URL carrying only codes. The same form also reads those codes
back from the URL, without CSRF, to show what the queue is limited to.
"""

from datetime import date, datetime
from functools import cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import Select, html_params

from intake.forms import Form, strip
from intake.reference import lookups
from intake.reference.categories import AGENCIES, ALLEGATIONS, CHANNELS, LANGUAGES
from intake.review.workflow import STAFF_STATUS_LABELS

from . import services
from .services import Filters

SEARCH_MAX_CHARS = 200
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")

SORT_LABELS = {
    "newest": _l("Newest submitted first"),
    "oldest": _l("Oldest submitted first"),
    "status_age": _l("Longest in current status first"),
}


def _parse_date(value: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


class DateText(StringField):
    """A date typed as 03/31/2026, or as 2026-03-31 (what browsers' date inputs send)."""

    data: str | None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = (self.data or "").strip()

    @property
    def as_date(self) -> date | None:
        return _parse_date(self.data) if self.data else None

    def pre_validate(self, form):
        if self.data and self.as_date is None:
            raise ValidationError(_l("Enter the date like 03/31/2026."))


# The lists' fixed choices (codes and labels), by field name.
VOCABULARIES = {
    "status": lambda: [
        (services.OPEN, _l("All open cases")),
        *STAFF_STATUS_LABELS.items(),
        (services.ANY_STATUS, _l("All cases, including closed")),
    ],
    "allegation": lambda: [("", _l("Any allegation")), *ALLEGATIONS.items()],
    "agency": lambda: [("", _l("Any agency")), *AGENCIES.items()],
    "assignee": lambda: [
        ("", _l("Anyone or no one")),
        (services.ASSIGNED_TO_ME, _l("Me")),
        (services.UNASSIGNED, _l("Nobody (unassigned)")),
    ],
    "channel": lambda: [("", _l("Any channel")), *CHANNELS.items()],
    "language": lambda: [("", _l("Any language")), *LANGUAGES.items()],
    "sort": lambda: list(SORT_LABELS.items()),
    # Not choices: the labels the queue's rows show.
    "status_labels": lambda: list(STAFF_STATUS_LABELS.items()),
    "allegation_labels": lambda: list(ALLEGATIONS.items()),
}


def translated(name: str) -> list[tuple[str, str]]:
    """A vocabulary with its labels in the current language (translated once per process)."""
    return list(_translated(str(get_locale() or "en"), name))


@cache
def _translated(locale: str, name: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, str(label)) for code, label in VOCABULARIES[name]())


class QuickSelect(Select):
    """WTForms' select, written in one pass over the choices: the queue's lists hold some 160
    options, and WTForms' general handling of each was a third of the page's time."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        current = "" if field.data is None else str(field.data)
        parts = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for value, label in field.choices:
            selected = " selected" if str(value) == current else ""
            parts.append(f'<option value="{escape(value)}"{selected}>{escape(label)}</option>')
        parts.append("</select>")
        return Markup("".join(parts))  # noqa: S704 - html_params and escape() made every piece  # nosec B704


def _select(label, **kwargs) -> SelectField:
    return SelectField(label, validate_choice=False, widget=QuickSelect(), **kwargs)


class QueueForm(Form):
    q = StringField(
        _l("Search"),
        description=_l("Words from the story, names, places, officers or a tracking number."),
        validators=[
            Length(
                max=SEARCH_MAX_CHARS,
                message=_l("Use %(max)d characters or fewer.", max=SEARCH_MAX_CHARS),
            )
        ],
        filters=[strip],
    )
    status = _select(_l("Status"))
    allegation = _select(_l("Allegation"))
    agency = _select(_l("Agency"))
    state = _select(_l("State"))
    county = _select(_l("County"), description=_l("Choose a state first."))
    assignee = _select(_l("Assigned to"))
    channel = _select(_l("Channel"))
    language = _select(_l("Language"))
    overdue = BooleanField(_l("Only overdue cases"), false_values=("", "0", "false"))
    submitted_from = DateText(
        _l("Submitted on or after"), description=_l("For example 03/31/2026.")
    )
    submitted_to = DateText(_l("Submitted on or before"), description=_l("For example 03/31/2026."))
    sort = _select(_l("Sort"))

    def set_choices(self, staff: list[tuple[int, str]] | None) -> None:
        """Fill the lists; ``staff`` None hides the assignee choice (investigators)."""
        self.status.choices = translated("status")
        self.allegation.choices = translated("allegation")
        self.agency.choices = translated("agency")
        self.state.choices = lookups.state_choices(_l("Any state"))
        state = self.state.data if self.state.data in dict(self.state.choices) else None
        self.county.choices = lookups.county_choices(state, _l("Any county"))
        if state:
            self.county.description = ""  # the hint says to choose a state first
        self.assignee.choices = [
            *translated("assignee"),
            *((str(user_id), name) for user_id, name in (staff or [])),
        ]
        self.show_assignee = staff is not None
        self.channel.choices = translated("channel")
        self.language.choices = translated("language")
        self.sort.choices = translated("sort")

    def validate_submitted_to(self, field):
        start, end = self.submitted_from.as_date, field.as_date
        if start and end and end < start:
            raise ValidationError(_l("Choose a date on or after the first date."))

    def filters(self) -> Filters:
        """The valid codes chosen; anything not on a list (an edited URL) is left out."""

        def known(field) -> str:
            value = field.data or ""
            return value if value in {str(code) for code, _ in field.choices} else ""

        assignee = known(self.assignee) if self.show_assignee else ""
        if not self.show_assignee and self.assignee.data == services.ASSIGNED_TO_ME:
            assignee = services.ASSIGNED_TO_ME
        return Filters(
            status=known(self.status),
            allegation=known(self.allegation),
            agency=known(self.agency),
            state=known(self.state),
            county=known(self.county),  # only the chosen state's counties are listed
            assignee=assignee,
            channel=known(self.channel),
            language=known(self.language),
            overdue=bool(self.overdue.data),
            submitted_from=self.submitted_from.as_date if not self.submitted_from.errors else None,
            submitted_to=self.submitted_to.as_date if not self.submitted_to.errors else None,
            sort=known(self.sort) or services.DEFAULT_SORT,
        )
