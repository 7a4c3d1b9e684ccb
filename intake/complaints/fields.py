"""Form fields and validators shared by the filing steps. Every message is translatable."""

import re
from datetime import date

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


A_NUMBER_RE = re.compile(r"^A?(\d{8,9})$")


def normalize_a_number(raw: str | None) -> str | None:
    """'a 123-456-789' -> 'A123456789'; an 8-digit number gains its leading zero."""
    if not raw:
        return None
    cleaned = re.sub(r"[\s\-.]", "", raw).upper()
    match = A_NUMBER_RE.match(cleaned)
    return "A" + match.group(1).zfill(9) if match else None


def validate_a_number(form, field):
    if field.data and normalize_a_number(field.data) is None:
        raise ValidationError(
            _l("Enter an A-number as the letter A followed by 8 or 9 digits, like A012345678.")
        )


PHONE_STRIP_RE = re.compile(r"[\s\-.()]")


def normalize_phone(raw: str | None) -> str | None:
    if not raw:
        return None
    cleaned = PHONE_STRIP_RE.sub("", raw)
    plus = cleaned.startswith("+")
    digits = cleaned[1:] if plus else cleaned
    if not digits.isdigit():
        return None
    if not plus and len(digits) == 10:
        return "+1" + digits
    if not plus and len(digits) == 11 and digits.startswith("1"):
        return "+" + digits
    if plus and 8 <= len(digits) <= 15:
        return "+" + digits
    return None


def validate_phone(form, field):
    if field.data and normalize_phone(field.data) is None:
        raise ValidationError(
            _l(
                "Enter a phone number with its area code, like 512 555 0142,"
                " or an international number starting with +."
            )
        )


ZIP_RE = re.compile(r"^\d{5}(-?\d{4})?$")


def validate_zip(form, field):
    if field.data and not ZIP_RE.match(field.data):
        raise ValidationError(
            _l("Enter a ZIP code of 5 digits, like 78040, or 9 digits, like 78040-1234.")
        )


def compose_date(month: str | None, day: str | None, year: str | None, *, day_required: bool):
    """Turn the three boxes into (date, precision) or raise ValidationError with the reason.

    Returns (None, None) when all three are empty.
    """
    month, day, year = (v.strip() if v else "" for v in (month, day, year))
    if not (month or day or year):
        return None, None
    if not year:
        raise ValidationError(_l("Enter the year."))
    if not year.isdigit() or len(year) != 4:
        raise ValidationError(_l("Enter the year as 4 digits, like 2024."))
    if not month:
        raise ValidationError(_l("Choose the month."))
    if day_required and not day:
        raise ValidationError(_l("Enter the day."))
    if day and not day.isdigit():
        raise ValidationError(_l("Enter the day as a number, like 15."))
    try:
        value = date(int(year), int(month), int(day) if day else 1)
    except ValueError:
        raise ValidationError(_l("Enter a real date.")) from None
    if value.year < 1900:
        raise ValidationError(_l("Enter a year of 1900 or later."))
    if value > date.today():
        raise ValidationError(_l("The date cannot be in the future."))
    return value, ("day" if day else "month")
