"""Forms on the case page. Each carries the case version it was loaded with, so a change made
by someone else in the meantime is caught instead of overwritten."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, Label, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from intake.forms import Form, strip
from intake.reference.categories import AGENCIES, AGENCY_RESPONSES, ALLEGATIONS, FINDINGS

from .workflow import CLOSE_REASONS

TEXT_MAX_CHARS = 10_000
NOTE_MAX_CHARS = 20_000


def _whole_number(form, field):
    try:
        field.data = int(field.data)
    except (TypeError, ValueError):
        raise ValidationError(_l("Reload the case page and try again.")) from None


class CaseForm(Form):
    """Every form on the case page: the version the page showed travels with the change."""

    version = HiddenField(
        validators=[
            InputRequired(message=_l("Reload the case page and try again.")),
            _whole_number,
        ]
    )

    def show_version(self, version: int) -> None:
        """Re-render this form against the case as it is now (after a conflict)."""
        self.version.data = version
        self.version.raw_data = [str(version)]


def _blank(label):
    return [("", label)]


class ActionForm(CaseForm):
    """Everything an action can ask for; each action's form shows only what it requires.
    The workflow says which inputs are missing, so the message lands next to the field."""

    reason = TextAreaField(
        _l("Reason"),
        description=_l("Kept on the case's timeline for staff. The complainant does not see it."),
        validators=[Optional(), Length(max=TEXT_MAX_CHARS)],
        filters=[strip],
    )
    message = TextAreaField(
        _l("Message"),
        validators=[Optional(), Length(max=TEXT_MAX_CHARS)],
        filters=[strip],
    )
    closure_reason = SelectField(
        _l("Closure reason"),
        choices=_blank(_l("- Select -")) + list(CLOSE_REASONS.items()),
        validate_choice=False,  # the workflow refuses unknown codes with its own message
    )
    referral_agency = SelectField(
        _l("Agency to refer to"),
        choices=_blank(_l("- Select -"))
        + [(code, label) for code, label in AGENCIES.items() if code != "not_sure"],
        validate_choice=False,
    )
    assignee = SelectField(_l("Assign to"), choices=[], validate_choice=False)
    duplicate_of = StringField(
        _l("Tracking number of the original complaint"),
        description=_l("For example, 4F7KQ-9XMR2."),
        validators=[Optional(), Length(max=40)],
        filters=[strip],
    )

    MESSAGE_LABELS = {
        "request_information": _l("Message to the complainant"),
        "complainant_replied": _l("What the complainant said"),
    }

    def for_action(self, name: str) -> "ActionForm":
        """Word the form for one action (the same field means different things)."""
        if name in self.MESSAGE_LABELS:
            self.message.label = Label(self.message.id, self.MESSAGE_LABELS[name])
        return self

    def set_assignees(self, staff) -> None:
        self.assignee.choices = _blank(_l("- Select -")) + [
            (str(user.id), user.name) for user in staff
        ]


class NoteForm(CaseForm):
    body = TextAreaField(
        _l("Internal note"),
        description=_l("Staff only. The complainant never sees notes."),
        validators=[
            DataRequired(message=_l("Write the note.")),
            Length(max=NOTE_MAX_CHARS, message=_l("Keep it under 20,000 characters.")),
        ],
        filters=[strip],
    )


class RecommendationForm(CaseForm):
    body = TextAreaField(
        _l("Recommendation to the agency"),
        validators=[
            DataRequired(message=_l("Write the recommendation.")),
            Length(max=NOTE_MAX_CHARS, message=_l("Keep it under 20,000 characters.")),
        ],
        filters=[strip],
    )


class AgencyResponseForm(CaseForm):
    agency_response = SelectField(
        _l("The agency's response"),
        choices=_blank(_l("- Select -")) + list(AGENCY_RESPONSES.items()),
        validators=[InputRequired(message=_l("Choose the agency's response."))],
        validate_choice=False,
    )
    response_notes = TextAreaField(
        _l("Notes on the response"),
        description=_l("Optional. For example, what the agency said it will change."),
        validators=[
            Optional(),
            Length(max=NOTE_MAX_CHARS, message=_l("Keep it under 20,000 characters.")),
        ],
        filters=[strip],
    )

    def validate_agency_response(self, field):
        if field.data not in AGENCY_RESPONSES:
            raise ValidationError(_l("Choose the agency's response."))


FINDING_FIELD_PREFIX = "allegation_"


def findings_form(complaint, **form_args) -> CaseForm:
    """One select per allegation of this complaint, named by the allegation's id. Without
    ``formdata=None`` it reads the posted form, like any FlaskForm."""

    class FindingsForm(CaseForm):
        pass

    choices = _blank(_l("Not decided yet")) + list(FINDINGS.items())
    for allegation in complaint.allegations:

        def known(form, field):
            if field.data not in ("", None) and field.data not in FINDINGS:
                raise ValidationError(_l("Choose one of the findings in the list."))

        setattr(
            FindingsForm,
            f"{FINDING_FIELD_PREFIX}{allegation.id}",
            SelectField(
                ALLEGATIONS.get(allegation.category, allegation.category),
                choices=choices,
                default=allegation.finding or "",
                validators=[known],
                validate_choice=False,
            ),
        )
    return FindingsForm(prefix="findings", **form_args)


def findings_by_allegation(form) -> dict[int, str | None]:
    """{allegation id: finding code or None}, from a validated findings form."""
    chosen = {}
    for name, field in form._fields.items():
        if name.startswith(FINDING_FIELD_PREFIX):
            chosen[int(name.removeprefix(FINDING_FIELD_PREFIX))] = field.data or None
    return chosen
