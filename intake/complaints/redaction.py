"""Free text in a redacted copy: the case's people's identifiers replaced by [redacted]."""

import re
from collections.abc import Callable

from flask_babel import gettext as _

from .models import Complaint, Person

_A_NUMBER = re.compile(r"\bA[\s.-]?\d{3}[\s.-]?\d{3}[\s.-]?\d{2,3}\b", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")
_MIN_NAME_PART = 3
_NAME_PART = re.compile(r"[\s,.-]+")

Scrub = Callable[[str | None], str | None]


def _identifiers_of(person: Person) -> set[str]:
    """The values in a person's identity and contact fields, and the parts of their name."""
    values = {
        person.name,
        person.organization,
        person.email,
        person.phone,
        person.a_number,
        person.address_line1,
        person.address_line2,
    }
    known = {value.strip() for value in values if value and value.strip()}
    if person.name:
        known.update(part for part in _NAME_PART.split(person.name) if len(part) >= _MIN_NAME_PART)
    return known


def scrubber(complaint: Complaint) -> Scrub:
    """A function that replaces the case's people's identifiers in a text with [redacted]."""
    known: set[str] = set()
    for person in complaint.people:
        known |= _identifiers_of(person)
    # Longest first, so a full name goes before its parts.
    words = sorted(known, key=len, reverse=True)
    known_re = (
        re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
        if words
        else None
    )
    marker = _("[redacted]")

    def scrub(text: str | None) -> str | None:
        if not text:
            return text
        if known_re is not None:
            text = known_re.sub(marker, text)
        for pattern in (_A_NUMBER, _EMAIL, _PHONE):
            text = pattern.sub(marker, text)
        return text

    return scrub


def no_scrub(text: str | None) -> str | None:
    return text
