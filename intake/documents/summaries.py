"""The case summary for staff, in full or redacted.

The redacted copy is for sharing with the agency when the affected person did not consent to
sharing their identity. It leaves out: names, organisations, email addresses, phone numbers,
mailing addresses, dates of birth, A-numbers and countries of birth of the filer and the
affected person; witnesses (private third parties, whose names and contact details are the
whole of that field); disability accommodation requests (health information); other bodies'
case numbers for prior complaints (they lead back to the person); document file names; and the
text of internal notes and of messages with the complainant. Officers stay: the agency needs
them to investigate, and they acted in an official capacity. Free text that stays (narrative,
allegation details, desired outcome, recommendations) has every known identifier of the people
on the case, and anything shaped like an A-number, email address or phone number, replaced by
"[redacted]". Staff names stay: they are the office's, not the complainant's.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from intake.complaints.models import Complaint
from intake.documents.models import Attachment
from intake.extensions import db
from intake.reference.categories import (
    AGENCIES,
    AGENCY_RESPONSES,
    ALLEGATIONS,
    ATTACHMENT_TYPES,
    CHANNELS,
    CLOSURE_REASONS,
    CONTACT_METHODS,
    CUSTODY_ANSWERS,
    FILER_RELATIONSHIPS,
    FINDINGS,
    LANGUAGES,
    PLACE_KINDS,
    PRIOR_COMPLAINT_BODIES,
    PROGRAM_CONTEXTS,
)
from intake.reference.lookups import country_choices, state_name
from intake.reference.models import County
from intake.review.models import Recommendation

from . import rendering
from .pdf import RenderedPdf

# Shapes of identifiers, wherever they appear in free text.
_A_NUMBER = re.compile(r"\bA[\s.-]?\d{3}[\s.-]?\d{3}[\s.-]?\d{2,3}\b", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")
# Name parts shorter than this are not replaced on their own (initials, "de", "la").
_MIN_NAME_PART = 3
# Events about looking at a case, not changing it: not part of its history on paper.
_NOT_ON_TIMELINE = {"document.exported"}


@dataclass
class Row:
    label: str
    value: str


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)
    note: str | None = None


def label(vocabulary: dict, code: str | None) -> str | None:
    return str(vocabulary.get(code, code)) if code else None


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return _("Yes") if value else _("No")


def join_parts(*parts, sep=", ") -> str | None:
    return sep.join(str(p) for p in parts if p) or None


def date_text(value, precision: str | None = "day") -> str | None:
    if value is None:
        return None
    if precision == "month":
        from babel.dates import format_skeleton

        return format_skeleton("yMMMM", value, locale=get_locale())
    return format_date(value, "long")


def country_name(code: str | None) -> str | None:
    return dict(country_choices("")).get(code, code) if code else None


def _rows(pairs) -> list[Row]:
    return [Row(str(name), str(value)) for name, value in pairs if value not in (None, "")]


def scrubber(complaint: Complaint) -> Callable[[str | None], str | None]:
    """A function that replaces the case's people's identifiers in a text with [redacted]."""
    known: set[str] = set()
    for person in complaint.people:
        for value in (
            person.name,
            person.organization,
            person.email,
            person.phone,
            person.a_number,
            person.address_line1,
            person.address_line2,
        ):
            if value and value.strip():
                known.add(value.strip())
        if person.name:
            known.update(
                part for part in re.split(r"[\s,.-]+", person.name) if len(part) >= _MIN_NAME_PART
            )
    # Longest first, so a full name goes before its parts.
    words = sorted(known, key=len, reverse=True)
    known_re = (
        re.compile(
            r"(?<!\w)(" + "|".join(re.escape(word) for word in words) + r")(?!\w)", re.IGNORECASE
        )
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


def _people_sections(complaint: Complaint, redacted: bool) -> list[Section]:
    filer, affected = complaint.person("filer"), complaint.person("affected")
    sections = []
    rows = [
        (_("Filed by"), label(FILER_RELATIONSHIPS, complaint.filer_relationship)),
        (_("Anonymous"), _("Yes") if complaint.anonymous else None),
    ]
    if filer is not None and not redacted:
        rows += [
            (_("Name"), filer.name),
            (_("Organization"), filer.organization),
            (_("Email"), filer.email),
            (_("Phone"), filer.phone),
            (
                _("Mailing address"),
                join_parts(
                    filer.address_line1,
                    filer.address_line2,
                    filer.address_city,
                    filer.address_state,
                    filer.address_zip,
                ),
            ),
        ]
    if filer is not None:
        rows += [
            (_("Write to them in"), label(LANGUAGES, filer.preferred_language)),
            (_("Contact by"), label(CONTACT_METHODS, filer.contact_method)),
        ]
    sections.append(
        Section(
            _("Filer"),
            _rows(rows),
            _("Name and contact details left out of this redacted copy.") if redacted else None,
        )
    )
    if affected is not None:
        rows = []
        if not redacted:
            rows += [
                (_("Name"), affected.name),
                (_("Date of birth"), date_text(affected.date_of_birth)),
                (_("A-number"), affected.a_number),
                (_("Country of birth"), country_name(affected.country_of_birth)),
            ]
        rows += [
            (_("Language they speak best"), affected.preferred_language),
            (_("Interpreter needed"), _yes_no(affected.interpreter_needed)),
            (_("In custody now"), label(CUSTODY_ANSWERS, affected.in_custody)),
            (
                _("Where"),
                join_parts(
                    affected.facility_name,
                    affected.facility_city,
                    state_name(affected.facility_state),
                ),
            ),
            (_("Consents to this filing"), _yes_no(affected.consent_attested)),
        ]
        sections.append(
            Section(
                _("Affected person"),
                _rows(rows),
                _(
                    "Name, date of birth, A-number and country of birth left out of this"
                    " redacted copy."
                )
                if redacted
                else None,
            )
        )
    return sections


def incident_section(complaint: Complaint, redacted: bool, scrub) -> Section:
    county = (
        db.session.get(County, complaint.incident_county_fips)
        if complaint.incident_county_fips
        else None
    )
    agencies = sorted(str(AGENCIES.get(row.agency, row.agency)) for row in complaint.agencies)
    contexts = sorted(
        str(PROGRAM_CONTEXTS.get(row.context, row.context)) for row in complaint.program_contexts
    )
    rows = [
        (_("Date"), date_text(complaint.incident_date, complaint.incident_date_precision)),
        (
            _("Place"),
            join_parts(
                complaint.incident_city,
                county.name if county else None,
                state_name(complaint.incident_state),
            ),
        ),
        (
            _("Kind of place"),
            join_parts(label(PLACE_KINDS, complaint.place_kind), complaint.place_other),
        ),
        (_("Agencies involved"), "; ".join(agencies)),
        (_("Local agency"), complaint.local_agency_name),
        (_("Other agency"), complaint.other_agency_name),
        (_("Program context"), "; ".join(contexts)),
        (_("Other program"), complaint.program_other),
        (_("Officers"), scrub(complaint.officers)),
        (_("Witnesses"), None if redacted else complaint.witnesses),
    ]
    note = (
        _("Witnesses left out of this redacted copy.") if redacted and complaint.witnesses else None
    )
    return Section(_("Incident"), _rows(rows), note)


def _other_sections(complaint: Complaint, redacted: bool, scrub) -> list[Section]:
    prior = Section(
        _("Prior complaints"),
        _rows(
            (
                PRIOR_COMPLAINT_BODIES.get(p.body, p.body),
                _("Yes") if redacted else (p.case_number or _("Yes, no case number given")),
            )
            for p in complaint.prior_complaints
        ),
    )
    consent = Section(
        _("Consent and accommodations"),
        _rows(
            [
                (
                    _("Identity may be shared with the agency"),
                    _("Yes")
                    if complaint.privacy_consent
                    else _("No: the office may be unable to investigate with the agency"),
                ),
                (
                    _("Disability accommodation"),
                    _("Requested (left out of this redacted copy)")
                    if redacted and complaint.accommodation_disability
                    else complaint.accommodation_disability,
                ),
                (_("Language accommodation"), scrub(complaint.accommodation_language)),
            ]
        ),
    )
    return [prior, consent]


@dataclass
class DocumentRow:
    name: str
    kind: str
    size: int
    source: str
    uploaded_at: object


def _documents(complaint: Complaint, redacted: bool) -> list[DocumentRow]:
    sources = {
        "filer": _("Filed with the complaint"),
        "staff": _("Added by staff"),
        "complainant_reply": _("Sent with a reply"),
    }
    stmt = (
        select(
            Attachment.filename,
            Attachment.content_type,
            Attachment.size_bytes,
            Attachment.source,
            Attachment.uploaded_at,
        )
        .where(Attachment.complaint_id == complaint.id)
        .order_by(Attachment.uploaded_at, Attachment.id)
    )
    return [
        DocumentRow(
            _("Document %(number)d", number=number) if redacted else filename,
            str(ATTACHMENT_TYPES.get(content_type, content_type)),
            size,
            sources.get(source, source),
            uploaded_at,
        )
        for number, (filename, content_type, size, source, uploaded_at) in enumerate(
            db.session.execute(stmt).all(), start=1
        )
    ]


def _timeline(complaint: Complaint, redacted: bool, scrub):
    from intake.review.services import timeline

    titles = {
        "case.letter.generated": _("Letter generated"),
    }
    entries = []
    for entry in timeline(complaint):
        if entry.title in _NOT_ON_TIMELINE:
            continue
        entry.title = titles.get(entry.title, entry.title)
        if redacted and entry.body:
            entry.body = (
                _("Text of the note left out of this redacted copy.")
                if entry.kind == "note"
                else _("Text of the message left out of this redacted copy.")
            )
        entries.append(entry)
    return entries


def summary_context(complaint: Complaint, *, redacted: bool) -> dict:
    """Everything the summary template shows, in the current language."""
    from intake.review.workflow import STAFF_STATUS_LABELS

    scrub = scrubber(complaint) if redacted else (lambda text: text)
    recommendations = list(
        db.session.execute(
            select(Recommendation)
            .where(Recommendation.complaint_id == complaint.id)
            .order_by(Recommendation.id)
        ).scalars()
    )
    allegations = [
        {
            "label": str(ALLEGATIONS.get(a.category, a.category)),
            "details": scrub(a.details),
            "finding": label(FINDINGS, a.finding),
        }
        for a in complaint.allegations
    ]
    return {
        "complaint": complaint,
        "redacted": redacted,
        "status_label": str(STAFF_STATUS_LABELS.get(complaint.status, complaint.status)),
        "closure_label": label(CLOSURE_REASONS, complaint.closure_reason),
        "referral_label": label(AGENCIES, complaint.referral_agency),
        "channel_label": label(CHANNELS, complaint.channel),
        "language_label": label(LANGUAGES, complaint.language),
        "assignee_name": complaint.assignee.name if complaint.assignee else None,
        "duplicate_of": db.session.get(Complaint, complaint.duplicate_of_id)
        if complaint.duplicate_of_id
        else None,
        "people": _people_sections(complaint, redacted),
        "incident": incident_section(complaint, redacted, scrub),
        "allegations": allegations,
        "narrative": scrub(complaint.narrative),
        "desired_outcome": scrub(complaint.desired_outcome),
        "other_sections": _other_sections(complaint, redacted, scrub),
        "documents": _documents(complaint, redacted),
        "recommendations": [
            {
                "body": scrub(rec.body),
                "response": label(AGENCY_RESPONSES, rec.agency_response),
                "response_notes": scrub(rec.response_notes),
                "recorded_at": rec.response_recorded_at,
            }
            for rec in recommendations
        ],
        "response_labels": AGENCY_RESPONSES,
        "timeline": _timeline(complaint, redacted, scrub),
    }


def render_summary(
    complaint: Complaint, *, redacted: bool, language: str, generated_by: str | None
) -> RenderedPdf:
    """The case summary as a PDF in ``language``, citing the audit chain head as of now."""
    head = rendering.chain_head()
    generated_at = rendering.now()
    with force_locale(language):
        context = summary_context(complaint, redacted=redacted)
    return rendering.render(
        "summary.html",
        language,
        **context,
        chain_head=head,
        generated_at=rendering.generated_at_text(generated_at, language),
        generated_by=generated_by,
    )


def summary_filename(complaint: Complaint, redacted: bool) -> str:
    suffix = "-redacted" if redacted else ""
    return f"case-{complaint.tracking_number}{suffix}.pdf"
