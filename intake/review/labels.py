"""The case page's vocabularies in words, translated once per process and language: a page
shows hundreds of labels, and catalogues do not change while the app runs."""

from functools import cache
from types import MappingProxyType

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from intake.reference.categories import (
    AGENCY_RESPONSES,
    ALLEGATIONS,
    ATTACHMENT_TYPES,
    CHANNELS,
    CLOSURE_REASONS,
    FINDINGS,
    LANGUAGES,
)

from .workflow import STAFF_STATUS_LABELS

# What each action asks for, as the collapsed form's summary says it.
REQUIREMENT_LABELS = {
    "reason": _l("a reason"),
    "message": _l("a message"),
    "closure_reason": _l("a closure reason"),
    "referral_agency": _l("the agency"),
    "assignee": _l("a staff member"),
    "duplicate_of": _l("the original's tracking number"),
}
ATTACHMENT_SOURCES = {
    "filer": _l("Filed with the complaint"),
    "staff": _l("Added by staff"),
    "complainant_reply": _l("Sent with a reply"),
}

# The vocabularies the page shows, by name, for labels().
VOCABULARIES = {
    "agency_response": AGENCY_RESPONSES,
    "allegation": ALLEGATIONS,
    "attachment_source": ATTACHMENT_SOURCES,
    "attachment_type": ATTACHMENT_TYPES,
    "channel": CHANNELS,
    "closure": CLOSURE_REASONS,
    "finding": FINDINGS,
    "language": LANGUAGES,
    "requirement": REQUIREMENT_LABELS,
    "status": STAFF_STATUS_LABELS,
}


def labels(name: str) -> MappingProxyType:
    """A vocabulary's labels in the current language: {code: words}."""
    return labels_in(str(get_locale() or "en"), name)


@cache
def labels_in(locale: str, name: str) -> MappingProxyType:
    return MappingProxyType({code: str(label) for code, label in VOCABULARIES[name].items()})
