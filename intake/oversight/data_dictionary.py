"""The open-data file's data dictionary: every column in the file's order, what it means, how
its values look, their codes with labels in the current language, and notes. The page and the
dictionary CSV show this one list, so what is published is what is documented (open_data.py
writes the file's columns from it).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from intake.reference import categories
from intake.review.workflow import STAFF_STATUS_LABELS

YES_NO = {"yes": _l("Yes"), "no": _l("No")}
DAYS_TO_CLOSE = {
    "under_31": _l("0 to 30 days"),
    "31_to_90": _l("31 to 90 days"),
    "91_to_180": _l("91 to 180 days"),
    "181_to_365": _l("181 to 365 days"),
    "over_365": _l("More than 365 days"),
}


@dataclass(frozen=True)
class DictionaryEntry:
    """One column of the file: what it means, how its values look, their codes and labels."""

    column: str
    meaning: str
    values: str
    codes: tuple[tuple[str, str], ...] = ()
    notes: str = ""
    # "complaint" for the complaint's own columns; "allegation" and "finding" for the two
    # columns each allegation category has (the page shows those as one table).
    group: str = "complaint"
    category: str = ""


def _codes(vocabulary) -> tuple[tuple[str, str], ...]:
    return tuple((code, str(label)) for code, label in vocabulary.items())


def _coded(column: str, meaning: str, vocabulary, **more) -> DictionaryEntry:
    """A column whose values are the codes of a vocabulary."""
    return DictionaryEntry(column, meaning, str(_l("A code.")), _codes(vocabulary), **more)


def data_dictionary(k: int) -> list[DictionaryEntry]:
    """Every column of the file, in the file's order, labels in the current language."""
    return [*_filing_columns(), *_incident_columns(k), *_review_columns(), *_allegation_columns()]


def _month() -> str:
    return str(_l("YYYY-MM, for example 2025-03."))


def _filing_columns() -> list[DictionaryEntry]:
    month = _month()
    return [
        DictionaryEntry(
            "record_id",
            str(_l("A pseudonymous id for the complaint, the same in every release.")),
            str(_l("The letter r and 16 hexadecimal characters, for example r3f9a0c12d4e5b678.")),
            notes=str(
                _l(
                    "Not the tracking number or any number the office uses: it is made from the"
                    " complaint's internal number with a secret key and cannot be turned back"
                    " into it. Use it to follow a complaint from one release to the next."
                )
            ),
        ),
        DictionaryEntry(
            "month_filed",
            str(_l("The month the complaint was filed (Coordinated Universal Time).")),
            month,
            notes=str(_l("Months only: no exact dates are published.")),
        ),
        _coded(
            "channel",
            str(_l("How the complaint reached the office.")),
            categories.CHANNELS,
        ),
        _coded(
            "language",
            str(_l("The language the complaint was filed in.")),
            categories.LANGUAGES,
        ),
        _coded(
            "filer_relationship",
            str(_l("Who filed the complaint: the person affected, or someone for them.")),
            categories.FILER_RELATIONSHIPS,
        ),
        _coded(
            "anonymous",
            str(_l("Whether the filer chose to stay anonymous.")),
            YES_NO,
        ),
    ]


def _incident_columns(k: int) -> list[DictionaryEntry]:
    month = _month()
    codes_joined = str(_l("Codes separated by semicolons, for example ice;local_police."))
    county_note = str(
        _l(
            "Blank when no county was given, and when fewer than %(k)d complaints in this file"
            " name the county: small numbers could point to a person.",
            k=k,
        )
    )
    return [
        DictionaryEntry(
            "incident_month",
            str(_l("The month of the incident.")),
            month,
            notes=str(_l("Blank when the filer gave no date.")),
        ),
        DictionaryEntry(
            "incident_state",
            str(_l("The state or territory where the incident happened.")),
            str(_l("Two-letter postal code, for example TX.")),
            notes=str(_l("Blank when not given.")),
        ),
        DictionaryEntry(
            "incident_county_fips",
            str(_l("The county where the incident happened: its Census FIPS code.")),
            str(_l("Five digits, for example 06037. Open this column as text to keep the 0.")),
            notes=county_note,
        ),
        DictionaryEntry(
            "incident_county",
            str(_l("The county's name, from the Census Bureau's list.")),
            str(_l("A name, for example Webb County.")),
            notes=county_note,
        ),
        _coded(
            "place_kind",
            str(_l("The kind of place where the incident happened.")),
            categories.PLACE_KINDS,
            notes=str(
                _l("Blank when not given. What the filer wrote for another place is left out.")
            ),
        ),
        DictionaryEntry(
            "agencies",
            str(_l("The agencies involved, as the filer named them.")),
            codes_joined,
            _codes(categories.AGENCIES),
            notes=str(_l("Blank when none was given. Names of local agencies are left out.")),
        ),
        DictionaryEntry(
            "program_contexts",
            str(_l("How the incident came about, as the filer described it.")),
            str(_l("Codes separated by semicolons, for example 287g;detainer.")),
            _codes(categories.PROGRAM_CONTEXTS),
            notes=str(_l("Blank when none was given.")),
        ),
    ]


def _review_columns() -> list[DictionaryEntry]:
    month = _month()
    return [
        _coded(
            "status",
            str(_l("Where the complaint is in the office's review now.")),
            STAFF_STATUS_LABELS,
        ),
        _coded(
            "closure_reason",
            str(_l("Why the case was closed.")),
            categories.CLOSURE_REASONS,
            notes=str(_l("Blank unless the status is closed.")),
        ),
        _coded(
            "referred_to",
            str(_l("The agency the case was referred to for fact-finding.")),
            categories.AGENCIES,
            notes=str(_l("Blank when the case was not referred.")),
        ),
        DictionaryEntry(
            "month_closed",
            str(_l("The month the case was closed.")),
            month,
            notes=str(_l("Blank unless the status is closed.")),
        ),
        _coded(
            "days_to_close",
            str(_l("Time from filing to closing, as a range of days.")),
            DAYS_TO_CLOSE,
            notes=str(
                _l(
                    "Blank unless the status is closed. Ranges, not exact days: with the months"
                    " of filing and closing, an exact number of days could give the dates away."
                )
            ),
        ),
    ]


def _allegation_columns() -> list[DictionaryEntry]:
    """Two columns for each allegation category: whether it is alleged, and its finding."""
    entries = []
    for code, label in categories.ALLEGATIONS.items():
        entries.append(
            DictionaryEntry(
                f"allegation_{code}",
                str(_l("1 when the complaint alleges: %(label)s. Otherwise 0.", label=label)),
                str(_l("1 or 0.")),
                group="allegation",
                category=code,
            )
        )
    finding_note = str(
        _l("Blank when the complaint does not make this allegation, or there is no finding yet.")
    )
    for code, label in categories.ALLEGATIONS.items():
        entries.append(
            _coded(
                f"finding_{code}",
                str(_l("The office's finding on the allegation: %(label)s.", label=label)),
                categories.FINDINGS,
                notes=finding_note,
                group="finding",
                category=code,
            )
        )
    return entries


def header() -> list[str]:
    """The file's column names, in order (fixed: they do not depend on the language)."""
    return [entry.column for entry in data_dictionary(0)]


def dictionary_rows(k: int) -> Iterator[list[str]]:
    """The dictionary as CSV rows: column, meaning, values, codes ("code = label; ..."), notes."""
    yield ["column", "meaning", "values", "codes", "notes"]
    for entry in data_dictionary(k):
        codes = "; ".join(f"{code} = {label}" for code, label in entry.codes)
        yield [entry.column, entry.meaning, entry.values, codes, entry.notes]
