"""A complaint described once: every field a person files, in the order it is shown.

Each field has its label, the section it belongs to, how its value reads in words, and the
redaction categories it falls in. The filer's review page, the receipt, the case page and the
case summary (full and redacted) all render from ``FIELDS``: a new field is one entry here.

Redaction: a field in a category of ``LEFT_OUT_WHEN_REDACTED`` is not in a redacted copy at all
(its section says which of its fields were left out); a field in ``SCRUBBED_WHEN_REDACTED``
stays, with the case's own names, contact details and A-numbers (and anything shaped like an
A-number, an email address or a phone number) replaced by "[redacted]".
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from babel.dates import format_skeleton
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from intake.reference.categories import (
    AGENCIES,
    ALLEGATIONS,
    CHANNELS,
    CONTACT_METHODS,
    CUSTODY_ANSWERS,
    FILER_RELATIONSHIPS,
    LANGUAGES,
    PLACE_KINDS,
    PRIOR_COMPLAINT_BODIES,
    PROGRAM_CONTEXTS,
)
from intake.reference.lookups import country_name, county_name, state_name

from .models import Complaint, Person


class Category(StrEnum):
    """What a field may reveal about a person."""

    IDENTITY = "identity"  # who someone is: names, date of birth, A-number, case numbers
    CONTACT = "contact"  # how to reach someone: email, phone, mailing address
    CUSTODY_LOCATION = "custody_location"  # where someone is held
    OFFICER_IDENTIFIERS = "officer_identifiers"  # names and badge numbers of officers
    FREE_TEXT = "free_text"  # written in the person's own words; may name people


LEFT_OUT_WHEN_REDACTED = frozenset({Category.IDENTITY, Category.CONTACT, Category.CUSTODY_LOCATION})
SCRUBBED_WHEN_REDACTED = frozenset({Category.OFFICER_IDENTIFIERS, Category.FREE_TEXT})

FILER, STAFF = "filer", "staff"
EVERYONE = frozenset({FILER, STAFF})

Reader = Callable[[Complaint], str | None]


@dataclass(frozen=True)
class Section:
    key: str
    title: object  # a lazy string
    # The step of the public form the section's answers are given on.
    step: str
    # Sections shown in a layout of their own on the case page (allegations with their
    # findings, the story) are described here but not listed among the "filed" sections.
    listed_on_case_page: bool = True


@dataclass(frozen=True)
class Field:
    key: str
    label: object  # a lazy string
    section: str
    read: Reader
    categories: frozenset[Category] = frozenset()
    # Who sees the field: staff-only fields (how the complaint reached the office) are not
    # on the filer's pages.
    shown_to: frozenset[str] = EVERYONE
    # What a redacted copy says instead of a left-out value, when saying that there was one
    # matters (an accommodation was requested); otherwise the row is left out.
    when_left_out: object | None = None
    # The label on the filer's own pages (their review page, their receipt), and the one
    # there when they file for themselves.
    label_for_filer: object | None = None
    label_for_self: object | None = None

    @property
    def left_out_when_redacted(self) -> bool:
        return bool(self.categories & LEFT_OUT_WHEN_REDACTED)

    @property
    def scrubbed_when_redacted(self) -> bool:
        return bool(self.categories & SCRUBBED_WHEN_REDACTED)


class Row(NamedTuple):
    label: str
    value: str


@dataclass
class ShownSection:
    key: str
    title: str
    step: str
    rows: list[Row] = field(default_factory=list)
    note: str | None = None


# --- how values read ---------------------------------------------------------------------------


def label(vocabulary: dict, code: str | None) -> str | None:
    return str(vocabulary.get(code, code)) if code else None


def yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return _("Yes") if value else _("No")


def join_parts(*parts: object, sep: str = ", ") -> str | None:
    return sep.join(str(p) for p in parts if p) or None


def date_text(value, precision: str | None = "day") -> str | None:
    if value is None:
        return None
    if precision == "month":
        # A locale's own month-and-year pattern: "June 2025", "junio de 2025".
        return format_skeleton("yMMMM", value, locale=get_locale())
    return format_date(value, "long")


def _filer(read: Callable[[Person], object]) -> Reader:
    def reader(complaint: Complaint) -> str | None:
        person = complaint.person("filer")
        value = read(person) if person is not None else None
        return str(value) if value not in (None, "") else None

    return reader


def _affected(read: Callable[[Person], object]) -> Reader:
    def reader(complaint: Complaint) -> str | None:
        person = complaint.person("affected")
        value = read(person) if person is not None else None
        return str(value) if value not in (None, "") else None

    return reader


def _anonymous(complaint: Complaint) -> str | None:
    return _("Yes: no name or contact details were kept") if complaint.anonymous else None


def _mailing_address(person: Person) -> str | None:
    return join_parts(
        person.address_line1,
        person.address_line2,
        person.address_city,
        person.address_state,
        person.address_zip,
    )


def _contact_method(person: Person) -> str | None:
    return label(CONTACT_METHODS, person.contact_method)


def _facility(person: Person) -> str | None:
    return join_parts(person.facility_name, person.facility_city, state_name(person.facility_state))


def _place(complaint: Complaint) -> str | None:
    return join_parts(
        complaint.incident_city,
        county_name(complaint.incident_county_fips),
        state_name(complaint.incident_state),
    )


def _listed(vocabulary: dict, codes: Iterable[str]) -> str | None:
    return "; ".join(sorted(str(vocabulary.get(code, code)) for code in codes)) or None


def _prior(body: str) -> Reader:
    def reader(complaint: Complaint) -> str | None:
        for prior in complaint.prior_complaints:
            if prior.body == body:
                return prior.case_number or _("Yes, no case number given")
        return None

    return reader


def _allegation(code: str) -> Reader:
    def reader(complaint: Complaint) -> str | None:
        for allegation in complaint.allegations:
            if allegation.category == code:
                return allegation.details or "—"
        return None

    return reader


def _privacy_consent(complaint: Complaint) -> str | None:
    if complaint.privacy_consent is None:
        return None
    if complaint.privacy_consent:
        return _("Yes")
    return _("No: the office may be unable to investigate with the agency")


# --- the description -------------------------------------------------------------------------

SECTIONS = {
    section.key: section
    for section in (
        Section("filer", _l("Filer"), "filer"),
        Section("affected", _l("Affected person"), "affected"),
        Section("incident", _l("Incident"), "incident"),
        Section("allegations", _l("Allegations"), "allegations", listed_on_case_page=False),
        Section("story", _l("Story"), "story", listed_on_case_page=False),
        Section("history", _l("Prior complaints"), "story"),
        Section("consent", _l("Consent and accommodations"), "consent"),
    )
}

IDENTITY, CONTACT = frozenset({Category.IDENTITY}), frozenset({Category.CONTACT})
IN_OWN_WORDS = frozenset({Category.FREE_TEXT})

FIELDS: tuple[Field, ...] = (
    # The filer.
    Field(
        "filer_relationship",
        _l("Filed by"),
        "filer",
        lambda c: label(FILER_RELATIONSHIPS, c.filer_relationship),
    ),
    Field("anonymous", _l("Anonymous"), "filer", _anonymous),
    Field("filer_name", _l("Name"), "filer", _filer(lambda p: p.name), IDENTITY),
    Field(
        "filer_organization",
        _l("Organization"),
        "filer",
        _filer(lambda p: p.organization),
        IDENTITY,
    ),
    Field("filer_email", _l("Email"), "filer", _filer(lambda p: p.email), CONTACT),
    Field("filer_phone", _l("Phone"), "filer", _filer(lambda p: p.phone), CONTACT),
    Field("filer_address", _l("Mailing address"), "filer", _filer(_mailing_address), CONTACT),
    Field(
        "filer_language",
        _l("Write to them in"),
        "filer",
        _filer(lambda p: label(LANGUAGES, p.preferred_language)),
        label_for_self=_l("Write to you in"),
    ),
    Field(
        "filer_contact_method",
        _l("Contact by"),
        "filer",
        _filer(_contact_method),
    ),
    Field(
        "channel",
        _l("Received by"),
        "filer",
        lambda c: label(CHANNELS, c.channel),
        shown_to=frozenset({STAFF}),
    ),
    Field(
        "language",
        _l("Language of the complaint"),
        "filer",
        lambda c: label(LANGUAGES, c.language),
        shown_to=frozenset({STAFF}),
    ),
    # The person affected (the filer, when they file for themselves).
    Field("affected_name", _l("Name"), "affected", _affected(lambda p: p.name), IDENTITY),
    Field(
        "affected_date_of_birth",
        _l("Date of birth"),
        "affected",
        _affected(lambda p: date_text(p.date_of_birth)),
        IDENTITY,
    ),
    Field(
        "affected_a_number", _l("A-number"), "affected", _affected(lambda p: p.a_number), IDENTITY
    ),
    Field(
        "affected_country_of_birth",
        _l("Country of birth"),
        "affected",
        _affected(lambda p: country_name(p.country_of_birth)),
        IDENTITY,
    ),
    Field(
        "affected_language",
        _l("Language they speak best"),
        "affected",
        _affected(lambda p: p.preferred_language),
        label_for_self=_l("Language you speak best"),
    ),
    Field(
        "affected_interpreter_needed",
        _l("Interpreter needed"),
        "affected",
        _affected(lambda p: yes_no(p.interpreter_needed)),
    ),
    Field(
        "affected_in_custody",
        _l("In custody now"),
        "affected",
        _affected(lambda p: label(CUSTODY_ANSWERS, p.in_custody)),
    ),
    Field(
        "affected_facility",
        _l("Where"),
        "affected",
        _affected(_facility),
        frozenset({Category.CUSTODY_LOCATION}),
    ),
    Field(
        "affected_consent_attested",
        _l("Consents to this filing"),
        "affected",
        _affected(lambda p: yes_no(p.consent_attested)),
    ),
    # The incident.
    Field(
        "incident_date",
        _l("Date"),
        "incident",
        lambda c: date_text(c.incident_date, c.incident_date_precision),
    ),
    Field("incident_place", _l("Place"), "incident", _place),
    Field(
        "place_kind",
        _l("Kind of place"),
        "incident",
        lambda c: join_parts(label(PLACE_KINDS, c.place_kind), c.place_other),
    ),
    Field(
        "agencies",
        _l("Agencies involved"),
        "incident",
        lambda c: _listed(AGENCIES, (row.agency for row in c.agencies)),
    ),
    Field("local_agency_name", _l("Local agency"), "incident", lambda c: c.local_agency_name),
    Field("other_agency_name", _l("Other agency"), "incident", lambda c: c.other_agency_name),
    Field(
        "program_contexts",
        _l("Program context"),
        "incident",
        lambda c: _listed(PROGRAM_CONTEXTS, (row.context for row in c.program_contexts)),
    ),
    Field(
        "program_other", _l("Other program"), "incident", lambda c: c.program_other, IN_OWN_WORDS
    ),
    Field(
        "officers",
        _l("Officers"),
        "incident",
        lambda c: c.officers,
        frozenset({Category.OFFICER_IDENTIFIERS, Category.FREE_TEXT}),
    ),
    Field(
        "witnesses",
        _l("Witnesses"),
        "incident",
        lambda c: c.witnesses,
        frozenset({Category.IDENTITY, Category.CONTACT, Category.FREE_TEXT}),
    ),
    # What happened: one row per allegation, its details in the filer's words.
    *(
        Field(f"allegation_{code}", name, "allegations", _allegation(code), IN_OWN_WORDS)
        for code, name in ALLEGATIONS.items()
    ),
    # The story.
    Field(
        "narrative",
        _l("What happened, in the filer's words"),
        "story",
        lambda c: c.narrative,
        IN_OWN_WORDS,
        label_for_filer=_l("Tell us what happened"),
    ),
    Field(
        "desired_outcome",
        _l("What the filer wants"),
        "story",
        lambda c: c.desired_outcome,
        IN_OWN_WORDS,
        label_for_filer=_l("What would you like to happen as a result?"),
    ),
    # Complaints made elsewhere before: one row per body, with its case number.
    *(
        Field(
            f"prior_{body}",
            name,
            "history",
            _prior(body),
            IDENTITY,
            when_left_out=_l("Yes"),
        )
        for body, name in PRIOR_COMPLAINT_BODIES.items()
    ),
    # Consent and accommodations.
    Field(
        "privacy_consent",
        _l("Identity may be shared with the agency"),
        "consent",
        _privacy_consent,
    ),
    Field(
        "accommodation_disability",
        _l("Disability accommodation"),
        "consent",
        lambda c: c.accommodation_disability,
        frozenset({Category.IDENTITY, Category.FREE_TEXT}),
        when_left_out=_l("Requested (left out of this redacted copy)"),
    ),
    Field(
        "accommodation_language",
        _l("Language accommodation"),
        "consent",
        lambda c: c.accommodation_language,
        IN_OWN_WORDS,
    ),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}
# Headings of the story where a page lays it out on its own (the case page).
STORY_LABELS = {key: FIELDS_BY_KEY[key].label for key in ("narrative", "desired_outcome")}


# --- redaction of free text ------------------------------------------------------------------

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


# --- rendering -------------------------------------------------------------------------------


def _section_title(complaint: Complaint, section: Section) -> str:
    if section.key == "affected" and complaint.filer_relationship == "self":
        return _("Affected person (the filer)")
    return str(section.title)


def _field_label(complaint: Complaint, described: Field, audience: str) -> str:
    if audience != FILER:
        return str(described.label)
    if complaint.filer_relationship == "self" and described.label_for_self is not None:
        return str(described.label_for_self)
    return str(described.label_for_filer or described.label)


def _hidden_for(complaint: Complaint, described: Field) -> bool:
    if complaint.anonymous and described.key == "filer_contact_method":
        return True  # nobody to contact: the row would only say so
    # Filing for oneself: one person, whose name is the filer's and who needs no consent.
    return complaint.filer_relationship == "self" and described.key in {
        "affected_name",
        "affected_consent_attested",
    }


def section(
    complaint: Complaint,
    key: str,
    *,
    audience: str = STAFF,
    redacted: bool = False,
    scrub: Scrub = no_scrub,
) -> ShownSection:
    """One section of the complaint in words, in the current language, without empty rows."""
    described = SECTIONS[key]
    shown = ShownSection(key, _section_title(complaint, described), described.step)
    left_out: list[str] = []
    for entry in FIELDS:
        if entry.section != key or audience not in entry.shown_to or _hidden_for(complaint, entry):
            continue
        value = entry.read(complaint)
        if value in (None, ""):
            continue
        row_label = _field_label(complaint, entry, audience)
        if redacted and entry.left_out_when_redacted:
            if entry.when_left_out is not None:
                shown.rows.append(Row(row_label, str(entry.when_left_out)))
            else:
                left_out.append(row_label)
            continue
        if redacted and entry.scrubbed_when_redacted:
            value = scrub(value) or ""
        shown.rows.append(Row(row_label, value))
    if left_out:
        shown.note = _("Left out of this redacted copy: %(fields)s.", fields=", ".join(left_out))
    return shown


def sections(
    complaint: Complaint,
    keys: Iterable[str],
    *,
    audience: str = STAFF,
    redacted: bool = False,
) -> list[ShownSection]:
    scrub = scrubber(complaint) if redacted else no_scrub
    return [
        section(complaint, key, audience=audience, redacted=redacted, scrub=scrub) for key in keys
    ]


CASE_PAGE_SECTIONS = tuple(key for key, s in SECTIONS.items() if s.listed_on_case_page)


def filed_sections(complaint: Complaint) -> list[ShownSection]:
    """What the case page lists under "What was filed": everything but the allegations and the
    story, which it shows in a layout of their own."""
    return sections(complaint, CASE_PAGE_SECTIONS)
