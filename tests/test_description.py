# ruff: noqa: E501 - the expected rows read best one to a line
"""The field description: every filed field shown once, in words, and redacted by category.

The expected rows below are written out by hand from what each page should say; the code under
test only renders them.
"""

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import inspect

from intake.complaints import description, filed
from intake.complaints.models import (
    Allegation,
    Complaint,
    ComplaintAgency,
    ComplaintProgramContext,
    Person,
    PriorComplaint,
)

# Columns that are not something a person filed: the workflow's, the system's, and the codes
# another column puts into words (the date's precision, the county's state).
NOT_FILED = {
    "complaints": {
        "id",
        "tracking_number",
        "access_code_hash",
        "submission_key",
        "status",
        "status_changed_at",
        "closure_reason",
        "referral_agency",
        "duplicate_of_id",
        "assignee_id",
        "version",
        "submitted_at",
        "created_at",
        "updated_at",
        "created_by_id",
        "updated_by_id",
        "incident_date_precision",
    },
    "complaint_people": {"id", "complaint_id", "role"},
}


def _complaint() -> Complaint:
    complaint = Complaint(
        channel="mail",
        language="en",
        filer_relationship="relative",
        anonymous=False,
        incident_date=date(2025, 6, 3),
        incident_date_precision="day",
        incident_state="TX",
        incident_county_fips="48479",
        incident_city="Laredo",
        place_kind="other",
        place_other="Bus station",
        local_agency_name="Webb County Sheriff",
        other_agency_name="Office X",
        program_other="A checkpoint",
        officers="Deputy Ruiz, badge 4471, told Rosa Canary to wait",
        witnesses="Ana Witness, 555-201-3344",
        narrative="They stopped Rosa Canary at A123456789.",
        desired_outcome="An apology to Miguel",
        privacy_consent=False,
        accommodation_disability="Wheelchair",
        accommodation_language="Mixtec interpreter",
    )
    complaint.people = [
        Person(
            role="filer",
            name="Rosa Canary",
            organization="Canary Family",
            email="rosa.canary@example.org",
            phone="+15125550142",
            address_line1="12 Elm St",
            address_line2="Apt 4",
            address_city="Laredo",
            address_state="TX",
            address_zip="78040",
            preferred_language="es",
            contact_method="email",
        ),
        Person(
            role="affected",
            name="Miguel Canary",
            date_of_birth=date(1988, 3, 14),
            a_number="A123456789",
            country_of_birth="MX",
            preferred_language="Mixtec",
            interpreter_needed=True,
            in_custody="yes",
            facility_name="Webb County Jail",
            facility_city="Laredo",
            facility_state="TX",
            consent_attested=True,
        ),
    ]
    complaint.allegations = [Allegation(category="racial_profiling", details="Asked for papers")]
    complaint.agencies = [ComplaintAgency(agency="ice"), ComplaintAgency(agency="local_police")]
    complaint.program_contexts = [ComplaintProgramContext(context="287g")]
    complaint.prior_complaints = [PriorComplaint(body="court", case_number="CV-2025-77")]
    return complaint


# Every row of every section, for staff, unredacted: (section, label, value).
EXPECTED_ROWS = [
    ("filer", "Filed by", "A relative or friend"),
    ("filer", "Name", "Rosa Canary"),
    ("filer", "Organization", "Canary Family"),
    ("filer", "Email", "rosa.canary@example.org"),
    ("filer", "Phone", "+15125550142"),
    ("filer", "Mailing address", "12 Elm St, Apt 4, Laredo, TX, 78040"),
    ("filer", "Write to them in", "Spanish"),
    ("filer", "Contact by", "Email"),
    ("filer", "Received by", "Mail"),
    ("filer", "Language of the complaint", "English"),
    ("affected", "Name", "Miguel Canary"),
    ("affected", "Date of birth", "March 14, 1988"),
    ("affected", "A-number", "A123456789"),
    ("affected", "Country of birth", "Mexico"),
    ("affected", "Language they speak best", "Mixtec"),
    ("affected", "Interpreter needed", "Yes"),
    ("affected", "In custody now", "Yes"),
    ("affected", "Where", "Webb County Jail, Laredo, Texas"),
    ("affected", "Consents to this filing", "Yes"),
    ("incident", "Date", "June 3, 2025"),
    ("incident", "Place", "Laredo, Webb County, Texas"),
    ("incident", "Kind of place", "Other place, Bus station"),
    ("incident", "Agencies involved", "Immigration and Customs Enforcement (ICE); Local or state police, sheriff or jail"),
    ("incident", "Local agency", "Webb County Sheriff"),
    ("incident", "Other agency", "Office X"),
    ("incident", "Program context", "A 287(g) agreement (local officers acting as immigration officers)"),
    ("incident", "Other program", "A checkpoint"),
    ("incident", "Officers", "Deputy Ruiz, badge 4471, told Rosa Canary to wait"),
    ("incident", "Witnesses", "Ana Witness, 555-201-3344"),
    ("allegations", "Racial or ethnic profiling", "Asked for papers"),
    ("story", "What happened, in the filer's words", "They stopped Rosa Canary at A123456789."),
    ("story", "What the filer wants", "An apology to Miguel"),
    ("history", "A court", "CV-2025-77"),
    ("consent", "Identity may be shared with the agency", "No: the office may be unable to investigate with the agency"),
    ("consent", "Disability accommodation", "Wheelchair"),
    ("consent", "Language accommodation", "Mixtec interpreter"),
]  # fmt: skip

# The redacted copy, by hand, as changes to the rows above: None for a row left out, else what
# the row says instead.
REDACTED_CHANGES = {
    ("filer", "Name"): None,
    ("filer", "Organization"): None,
    ("filer", "Email"): None,
    ("filer", "Phone"): None,
    ("filer", "Mailing address"): None,
    ("affected", "Name"): None,
    ("affected", "Date of birth"): None,
    ("affected", "A-number"): None,
    ("affected", "Country of birth"): None,
    ("affected", "Where"): None,
    ("incident", "Officers"): "Deputy Ruiz, badge 4471, told [redacted] to wait",
    ("incident", "Witnesses"): None,
    ("story", "What happened, in the filer's words"): "They stopped [redacted] at [redacted].",
    ("story", "What the filer wants"): "An apology to [redacted]",
    ("history", "A court"): "Yes",
    ("consent", "Disability accommodation"): "Requested (left out of this redacted copy)",
}
EXPECTED_REDACTED_ROWS = [
    (key, label, REDACTED_CHANGES.get((key, label), value))
    for key, label, value in EXPECTED_ROWS
    if REDACTED_CHANGES.get((key, label), value) is not None
]

EXPECTED_NOTES = {
    "filer": "Left out of this redacted copy: Name, Organization, Email, Phone, Mailing address.",
    "affected": (
        "Left out of this redacted copy: Name, Date of birth, A-number, Country of birth, Where."
    ),
    "incident": "Left out of this redacted copy: Witnesses.",
}


def _rows(shown_sections) -> list[tuple[str, str, str]]:
    return [(s.key, row.label, row.value) for s in shown_sections for row in s.rows]


def test_every_section_and_field_is_described_once():
    keys = [f.key for f in description.FIELDS]
    assert len(keys) == len(set(keys))
    assert {f.section for f in description.FIELDS} == set(description.SECTIONS)


def test_every_filed_column_is_described(app):
    """A brute-force check that a new column cannot be forgotten: change each filed column of the
    complaint and its people (a boolean flipped, anything else emptied): each must change what
    is shown."""
    with app.test_request_context(), force_locale("en"):
        baseline = _rows(filed.sections(_complaint(), description.SECTIONS))
        for table, model in (("complaints", Complaint), ("complaint_people", Person)):
            for column in inspect(model).columns:
                if column.key in NOT_FILED[table] or column.foreign_keys - _place_keys(column):
                    continue
                complaint = _complaint()
                targets = [complaint] if model is Complaint else complaint.people
                for target in targets:
                    value = getattr(target, column.key)
                    setattr(target, column.key, (not value) if isinstance(value, bool) else None)
                assert _rows(filed.sections(complaint, description.SECTIONS)) != baseline, (
                    column.key
                )


def _place_keys(column) -> set:
    # The incident's state and county are foreign keys to reference data, but filed.
    return {fk for fk in column.foreign_keys if fk.column.table.name in {"states", "counties"}}


def test_staff_see_every_row_in_words(app):
    with app.test_request_context(), force_locale("en"):
        shown = filed.sections(_complaint(), description.SECTIONS)
    assert _rows(shown) == EXPECTED_ROWS
    assert all(s.note is None for s in shown)


def test_the_redacted_copy_leaves_out_identity_contact_and_custody_location(app):
    with app.test_request_context(), force_locale("en"):
        shown = filed.sections(_complaint(), description.SECTIONS, redacted=True)
    assert _rows(shown) == EXPECTED_REDACTED_ROWS
    assert {s.key: s.note for s in shown if s.note} == EXPECTED_NOTES


def test_the_filer_sees_their_own_words_without_the_offices_bookkeeping(app):
    complaint = _complaint()
    complaint.filer_relationship = "self"
    complaint.people[1].name = None
    with app.test_request_context(), force_locale("en"):
        rows = _rows(filed.sections(complaint, description.SECTIONS, audience=filed.FILER))
    labels = [(key, label) for key, label, _value in rows]
    assert ("filer", "Received by") not in labels
    assert ("filer", "Language of the complaint") not in labels
    assert ("filer", "Write to you in") in labels
    assert ("affected", "Language you speak best") in labels
    assert ("affected", "Consents to this filing") not in labels
    assert ("story", "Tell us what happened") in labels


@pytest.mark.parametrize(
    ("category", "left_out"),
    [
        (description.Category.IDENTITY, True),
        (description.Category.CONTACT, True),
        (description.Category.CUSTODY_LOCATION, True),
        (description.Category.OFFICER_IDENTIFIERS, False),
        (description.Category.FREE_TEXT, False),
    ],
)
def test_which_categories_a_redacted_copy_leaves_out(category, left_out):
    assert (category in description.LEFT_OUT_WHEN_REDACTED) is left_out
    assert (category in description.SCRUBBED_WHEN_REDACTED) is not left_out
