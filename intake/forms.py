"""Form fields and filters shared by every feature's forms. Every message is translatable."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import Length, Optional, ValidationError

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
