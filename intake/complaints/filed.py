"""What was filed, in words: the sections of a complaint as each page shows them, from the
field description (``description.py``), full or redacted, for the filer or for staff."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from flask_babel import gettext as _

from .description import EVERYONE, FIELDS, FILER, SECTIONS, STAFF, Field, Section
from .models import Complaint
from .redaction import Scrub, no_scrub, scrubber

__all__ = ["EVERYONE", "FILER", "STAFF", "Row", "ShownSection", "section", "sections"]


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


def case_page_sections(complaint: Complaint) -> list[ShownSection]:
    """What the case page lists under "What was filed": everything but the allegations and the
    story, which it shows in a layout of their own."""
    return sections(complaint, CASE_PAGE_SECTIONS)
