"""Validators and normalisers of the filing steps' answers. Every message is translatable."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

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
    if day and not (day.isdigit() and len(day) <= 2):
        raise ValidationError(_l("Enter the day as a number, like 15."))
    if not (month.isdigit() and len(month) <= 2):
        raise ValidationError(_l("Choose the month."))
    try:
        value = date(int(year), int(month), int(day) if day else 1)
    except ValueError:
        raise ValidationError(_l("Enter a real date.")) from None
    if value.year < 1900:
        raise ValidationError(_l("Enter a year of 1900 or later."))
    if value > date.today():
        raise ValidationError(_l("The date cannot be in the future."))
    return value, ("day" if day else "month")
