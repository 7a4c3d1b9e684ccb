"""One form per filing step. Labels, hints and messages are all translatable."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    MultipleFileField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from intake.forms import (
    MONTH_CHOICES,
    YES_NO,
    ChoiceRadioField,
    Form,
    ListSelectField,
    MultiCheckboxField,
    strip,
    text,
)
from intake.reference import lookups
from intake.reference.categories import (
    AGENCIES,
    ALLEGATION_GROUPS,
    ALLEGATIONS,
    CONTACT_METHODS,
    CUSTODY_ANSWERS,
    FILER_RELATIONSHIPS,
    LANGUAGES,
    PLACE_KINDS,
    PRIOR_COMPLAINT_BODIES,
    PROGRAM_CONTEXTS,
)

from .fields import compose_date, validate_a_number, validate_phone, validate_zip
from .models import NARRATIVE_MAX_CHARS

SELECT_BLANK = _l("- Select -")


def _choices(vocabulary):
    return list(vocabulary.items())


def _long_text(label, max_chars=4000, **kwargs):
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(max=max_chars, message=_l("Use %(max)d characters or fewer.", max=max_chars)),
        ],
        filters=[strip],
        **kwargs,
    )


class StepForm(Form):
    """Base for the steps: fills choice lists that depend on reference data or answers."""

    def __init__(self, *args, context=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.context = context or {}
        self.prepare()

    def prepare(self) -> None:
        pass

    def answers(self) -> dict:
        """The step's cleaned values, for the review page and for building the complaint."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class FilerForm(StepForm):
    relationship = ChoiceRadioField(
        _l("Who is filing this complaint?"),
        choices=_choices(FILER_RELATIONSHIPS),
        validators=[InputRequired(message=_l("Tell us who is filing this complaint."))],
    )
    anonymous = BooleanField(
        _l("I want to file without giving my name or contact details"),
        description=_l(
            "You will get a tracking number and an access code to check on your complaint."
            " We will not be able to contact you."
        ),
    )
    name = text(_l("Your full name"))
    organization = text(_l("Organization (if any)"))
    email = StringField(
        _l("Email address"),
        validators=[
            Optional(),
            Length(max=254, message=_l("Use %(max)d characters or fewer.", max=254)),
            Email(
                message=_l("Enter an email address like name@example.com."),
                check_deliverability=False,
            ),
        ],
        filters=[strip],
    )
    phone = StringField(
        _l("Phone number"), validators=[Optional(), validate_phone], filters=[strip]
    )
    address_line1 = text(_l("Street address"))
    address_line2 = text(_l("Apartment, suite, unit (optional)"))
    address_city = text(_l("City"), 120)
    address_state = ListSelectField(_l("State"), validators=[Optional()])
    address_zip = StringField(
        _l("ZIP code"), validators=[Optional(), validate_zip], filters=[strip]
    )
    preferred_language = ListSelectField(
        _l("Language we should write to you in"),
        choices=[("", SELECT_BLANK), *_choices(LANGUAGES)],
        validators=[Optional()],
    )
    contact_method = ChoiceRadioField(
        _l("How should we contact you?"),
        choices=_choices(CONTACT_METHODS),
        validators=[Optional()],
    )

    IDENTIFYING = (
        "name",
        "organization",
        "email",
        "phone",
        "address_line1",
        "address_line2",
        "address_city",
        "address_zip",
    )

    def prepare(self):
        self.address_state.choices = lookups.state_choices(SELECT_BLANK)

    def validate_anonymous(self, field):
        if field.data and any(self[name].data for name in self.IDENTIFYING):
            raise ValidationError(
                _l(
                    "You chose to file without your name or contact details, but you entered"
                    " some. Clear them, or uncheck this box."
                )
            )

    def validate_contact_method(self, field):
        if self.anonymous.data:
            return
        if field.data == "email" and not self.email.data:
            raise ValidationError(_l("Enter your email address, or choose another way."))
        if field.data == "phone" and not self.phone.data:
            raise ValidationError(_l("Enter your phone number, or choose another way."))
        if field.data == "mail" and not (
            self.address_line1.data and self.address_city.data and self.address_state.data
        ):
            raise ValidationError(
                _l("Enter your street address, city and state, or choose another way.")
            )


class AffectedPersonForm(StepForm):
    name = text(_l("Their full name"))
    dob_month = ListSelectField(_l("Month"), choices=MONTH_CHOICES, validators=[Optional()])
    dob_day = StringField(_l("Day"), filters=[strip])
    dob_year = StringField(_l("Year"), filters=[strip])
    a_number = StringField(
        _l("A-number (Alien Registration Number), if known"),
        description=_l("The letter A followed by 8 or 9 digits, like A012345678."),
        validators=[Optional(), validate_a_number],
        filters=[strip],
    )
    country_of_birth = ListSelectField(_l("Country of birth"), validators=[Optional()])
    preferred_language = text(_l("Language they speak best"), 80)
    interpreter_needed = ChoiceRadioField(
        _l("Do they need an interpreter?"), choices=YES_NO, validators=[Optional()]
    )
    in_custody = ChoiceRadioField(
        _l("Are they in custody now?"),
        choices=_choices(CUSTODY_ANSWERS),
        validators=[Optional()],
    )
    facility_name = text(_l("Name of the jail or detention facility"))
    facility_city = text(_l("City of the facility"), 120)
    facility_state = ListSelectField(_l("State of the facility"), validators=[Optional()])
    consent_attested = BooleanField(
        _l("The person affected agrees to my filing this complaint for them")
    )

    date_of_birth = None  # set by validation

    SELF_LABELS = {
        "preferred_language": _l("Language you speak best"),
        "interpreter_needed": _l("Do you need an interpreter?"),
        "in_custody": _l("Are you in custody now?"),
    }

    def prepare(self):
        self.country_of_birth.choices = lookups.country_choices(SELECT_BLANK)
        self.facility_state.choices = lookups.state_choices(SELECT_BLANK)
        if self.context.get("relationship") == "self":
            for name, label in self.SELF_LABELS.items():
                self[name].label.text = label

    def validate_dob_year(self, field):
        self.date_of_birth, _ = compose_date(
            self.dob_month.data, self.dob_day.data, field.data, day_required=True
        )

    def answers(self):
        values = super().answers()
        values["date_of_birth"] = self.date_of_birth
        return values


class IncidentForm(StepForm):
    incident_month = ListSelectField(_l("Month"), choices=MONTH_CHOICES, validators=[Optional()])
    incident_day = StringField(_l("Day (if you know it)"), filters=[strip])
    incident_year = StringField(_l("Year"), filters=[strip])
    incident_state = ListSelectField(_l("State"), validators=[Optional()])
    incident_county = ListSelectField(
        _l("County"),
        description=_l("Choose the state first: the list shows that state's counties."),
        validators=[Optional()],
    )
    incident_city = text(_l("City or town"), 120)
    place_kind = ChoiceRadioField(
        _l("Where did it happen?"), choices=_choices(PLACE_KINDS), validators=[Optional()]
    )
    place_other = text(_l("Describe the place"))
    agencies = MultiCheckboxField(_l("Which agencies were involved?"), choices=_choices(AGENCIES))
    local_agency_name = text(_l("Name of the local or state agency"))
    other_agency_name = text(_l("Name of the other Homeland Security office"))
    program_contexts = MultiCheckboxField(
        _l("Did any of these happen?"), choices=_choices(PROGRAM_CONTEXTS)
    )
    program_other = text(_l("Describe what else happened"))
    officers = _long_text(
        _l("Officers involved"),
        description=_l("Names, badge numbers, or what they looked like. Leave blank if unknown."),
    )
    witnesses = _long_text(
        _l("Witnesses"), description=_l("Names and how to reach them, if you know.")
    )

    incident_date = None
    incident_date_precision = None

    def prepare(self):
        self.incident_state.choices = lookups.state_choices(SELECT_BLANK)
        self.incident_county.choices = lookups.county_choices(
            self.incident_state.data or None, SELECT_BLANK
        )

    def validate_incident_year(self, field):
        self.incident_date, self.incident_date_precision = compose_date(
            self.incident_month.data, self.incident_day.data, field.data, day_required=False
        )

    def validate_incident_county(self, field):
        if field.data and not self.incident_state.data:
            raise ValidationError(_l("Choose the state first."))

    def answers(self):
        values = super().answers()
        values["incident_date"] = self.incident_date
        values["incident_date_precision"] = self.incident_date_precision
        return values


def _allegation_details_fields():
    return {
        f"details_{code}": _long_text(_l("Details about this (optional)"), 4000)
        for code in ALLEGATIONS
    }


class AllegationsForm(StepForm):
    allegations = MultiCheckboxField(
        _l("What happened?"),
        choices=_choices(ALLEGATIONS),
        validators=[DataRequired(message=_l("Choose at least one thing that happened."))],
    )
    groups = ALLEGATION_GROUPS

    def details_field(self, code):
        return self[f"details_{code}"]

    def answers(self):
        chosen = self.allegations.data or []
        return {
            "allegations": [
                {"category": code, "details": self[f"details_{code}"].data or None}
                for code in ALLEGATIONS
                if code in chosen
            ]
        }


for _name, _field in _allegation_details_fields().items():
    setattr(AllegationsForm, _name, _field)


class StoryForm(StepForm):
    narrative = TextAreaField(
        _l("Tell us what happened"),
        description=_l(
            "In your own words: what happened, who did it, and why you think it was wrong."
            " Up to 10,000 characters."
        ),
        validators=[
            DataRequired(message=_l("Tell us what happened.")),
            Length(
                max=NARRATIVE_MAX_CHARS,
                message=_l(
                    "Your description is too long: use 10,000 characters or fewer."
                    " You can attach a document with the rest."
                ),
            ),
        ],
        filters=[strip],
    )
    desired_outcome = _long_text(_l("What would you like to happen as a result?"))
    prior_bodies = MultiCheckboxField(
        _l("Have you already complained about this somewhere else?"),
        choices=_choices(PRIOR_COMPLAINT_BODIES),
    )
    prior_inspector_general_case = text(_l("Inspector General case number"), 80)
    prior_court_case = text(_l("Court case number"), 80)
    prior_other_agency_case = text(_l("Agency name and case number"), 80)
    documents = MultipleFileField(
        _l("Add documents (optional)"),
        description=_l(
            "Up to 5 files, 10 MB each: PDF, JPEG, PNG or plain text. Photos of papers you"
            " were given are helpful."
        ),
    )

    def answers(self):
        values = super().answers()
        values.pop("documents", None)
        chosen = values.pop("prior_bodies") or []
        values["prior_complaints"] = [
            {"body": body, "case_number": values.get(f"prior_{body}_case") or None}
            for body in PRIOR_COMPLAINT_BODIES
            if body in chosen
        ]
        for body in PRIOR_COMPLAINT_BODIES:
            values.pop(f"prior_{body}_case", None)
        return values


class ConsentForm(StepForm):
    privacy_consent = ChoiceRadioField(
        _l("May we share the affected person's identity with the agency involved?"),
        choices=[
            ("yes", _l("Yes, you may share it if needed to look into the complaint")),
            ("no", _l("No, do not share it")),
        ],
        validators=[InputRequired(message=_l("Choose whether we may share the identity."))],
    )
    accommodation_disability = _long_text(
        _l("Do you need an accommodation because of a disability?"),
        description=_l("For example, large print, a sign language interpreter, or more time."),
    )
    accommodation_language = _long_text(
        _l("Do you need help in another language?"),
        description=_l("Tell us which language and how we can help."),
    )


STEP_FORMS = {
    "filer": FilerForm,
    "affected": AffectedPersonForm,
    "incident": IncidentForm,
    "allegations": AllegationsForm,
    "story": StoryForm,
    "consent": ConsentForm,
}
