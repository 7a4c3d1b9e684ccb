"""The base form and the fields and filters shared by every feature's forms. Every message is
translatable."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import Length, Optional, ValidationError

# C0 controls but tab, line feed and carriage return; DEL; C1 controls. Invisible, never meant,
# and refused by PostgreSQL's text (NUL) or able to corrupt what a terminal or PDF shows.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_control_characters(value):
    """The value (a string, or a list of them) with any control character removed."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, list):
        return [without_control_characters(item) for item in value]
    return value


class Form(FlaskForm):
    """Every form's base: an answer holding an invisible control character gets an error next to
    it and is shown back without the character, so nothing else typed is lost."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            raw = field.raw_data or []
            if not any(isinstance(v, str) and CONTROL_CHARACTERS.search(v) for v in raw):
                continue
            field.raw_data = without_control_characters(list(raw))
            field.data = without_control_characters(field.data)
            field.errors = [
                *field.errors,
                _l(
                    "This answer had an invisible control character, which we removed. Check"
                    " the text, then send it again."
                ),
            ]
            valid = False
        return valid

MONTH_CHOICES = [
    ("", _l("- Select -")),
    ("1", _l("January")),
    ("2", _l("February")),
    ("3", _l("March")),
    ("4", _l("April")),
    ("5", _l("May")),
    ("6", _l("June")),
    ("7", _l("July")),
    ("8", _l("August")),
    ("9", _l("September")),
    ("10", _l("October")),
    ("11", _l("November")),
    ("12", _l("December")),
]

YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


class ListSelectField(SelectField):
    """A select whose refusal of an unknown value is said in the filer's words."""

    def pre_validate(self, form):
        if self.data not in (None, "") and self.data not in {v for v, *_ in self.iter_choices()}:
            raise ValidationError(_l("Choose one of the options in the list."))


class ChoiceRadioField(RadioField):
    def pre_validate(self, form):
        if self.data is not None and self.data not in {v for v, *_ in self.iter_choices()}:
            raise ValidationError(_l("Choose one of the options shown."))


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        # An unchecked group is valid; unknown codes are not.
        known = {value for value, *_ in self.iter_choices()}
        for value in self.data or []:
            if value not in known:
                raise ValidationError(_l("Choose from the options shown."))


def text(label, max_chars=200, **kwargs):
    return StringField(
        label,
        validators=[
            Optional(),
            Length(max=max_chars, message=_l("Use %(max)d characters or fewer.", max=max_chars)),
        ],
        filters=[strip],
        **kwargs,
    )


def strip(value):
    return value.strip() if isinstance(value, str) else value
