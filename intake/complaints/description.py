"""A complaint described once: every field a person files, in the order it is shown.

Each field has its label, the section it belongs to, how its value reads in words, and the
redaction categories it falls in. The filer's review page, the receipt, the case page and the
case summary (full and redacted) all render from ``FIELDS`` (through ``filed.py``): a new field
is one entry here.

Redaction: a field in a category of ``LEFT_OUT_WHEN_REDACTED`` is not in a redacted copy at all
(its section says which of its fields were left out); a field in ``SCRUBBED_WHEN_REDACTED``
stays, with the case's own names, contact details and A-numbers (and anything shaped like an
A-number, an email address or a phone number) replaced by "[redacted]" (``redaction.py``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

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


def _person(role: str, read: Callable[[Person], object]) -> Reader:
    def reader(complaint: Complaint) -> str | None:
        person = complaint.person(role)
        value = read(person) if person is not None else None
        return str(value) if value not in (None, "") else None

    return reader


def _filer(read: Callable[[Person], object]) -> Reader:
    return _person("filer", read)


def _affected(read: Callable[[Person], object]) -> Reader:
    return _person("affected", read)


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
        label_for_filer=_l("Write to you in"),
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
