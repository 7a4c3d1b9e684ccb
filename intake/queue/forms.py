"""The queue's search and filter form.

The form is posted (the search words are personal data and must stay out of URLs); the view
then redirects to a plain GET URL carrying only codes. The same form also reads those codes
back from the URL, without CSRF, to show what the queue is limited to.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, ValidationError

from intake.complaints.fields import strip
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
    """A date typed as 2026-03-31 (what browsers' date inputs send) or 03/31/2026."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = (self.data or "").strip()

    @property
    def as_date(self) -> date | None:
        return _parse_date(self.data) if self.data else None

    def pre_validate(self, form):
        if self.data and self.as_date is None:
            raise ValidationError(_l("Enter the date like 2026-03-31."))


class QueueForm(FlaskForm):
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
    status = SelectField(_l("Status"), validate_choice=False)
    allegation = SelectField(_l("Allegation"), validate_choice=False)
    agency = SelectField(_l("Agency"), validate_choice=False)
    state = SelectField(_l("State"), validate_choice=False)
    county = SelectField(
        _l("County"),
        description=_l("Choose a state first."),
        validate_choice=False,
    )
    assignee = SelectField(_l("Assigned to"), validate_choice=False)
    channel = SelectField(_l("Channel"), validate_choice=False)
    language = SelectField(_l("Language"), validate_choice=False)
    overdue = BooleanField(_l("Only overdue cases"), false_values=("", "0", "false"))
    submitted_from = DateText(
        _l("Submitted on or after"), description=_l("For example 2026-03-31.")
    )
    submitted_to = DateText(_l("Submitted on or before"), description=_l("For example 2026-03-31."))
    sort = SelectField(_l("Sort"), validate_choice=False)

    def set_choices(self, staff: list[tuple[int, str]] | None) -> None:
        """Fill the lists; ``staff`` None hides the assignee choice (investigators).

        Labels are translated here, once, rather than each time a field renders or checks them.
        """
        self.status.choices = [
            (services.OPEN, _l("All open cases")),
            *STAFF_STATUS_LABELS.items(),
            (services.ANY_STATUS, _l("All cases, including closed")),
        ]
        self.allegation.choices = [("", _l("Any allegation")), *ALLEGATIONS.items()]
        self.agency.choices = [("", _l("Any agency")), *AGENCIES.items()]
        self.state.choices = lookups.state_choices(_l("Any state"))
        state = self.state.data if self.state.data in dict(self.state.choices) else None
        self.county.choices = lookups.county_choices(state, _l("Any county"))
        self.assignee.choices = [
            ("", _l("Anyone or no one")),
            (services.ASSIGNED_TO_ME, _l("Me")),
            (services.UNASSIGNED, _l("Nobody (unassigned)")),
            *((str(user_id), name) for user_id, name in (staff or [])),
        ]
        self.show_assignee = staff is not None
        self.channel.choices = [("", _l("Any channel")), *CHANNELS.items()]
        self.language.choices = [("", _l("Any language")), *LANGUAGES.items()]
        self.sort.choices = list(SORT_LABELS.items())
        for name in ("status", "allegation", "agency", "assignee", "channel", "language", "sort"):
            self[name].choices = [(code, str(label)) for code, label in self[name].choices]

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
