"""A small, fixed oversight data set whose figures are worked out by hand below.

``make_oversight_data(app)`` inserts 32 complaints straight through the models (no audit chain):
30 filed in the reference range RANGE_START..RANGE_END (2026-01-01 to 2026-06-30, UTC, both days
included), one before it (C00, 2025-12-20) and one after it (C31, 2026-07-08). Ages and
on-time shares are taken at NOW = 2026-07-10 12:00 UTC. Every personal field holds one of the
CANARIES: none of them may ever show on an oversight page, chart, report or open-data file.

The figures below are for the reference range with no other filter, unless said otherwise.

Intake by month (filing month, UTC)
    2026-01: 6 (C01-C06; C01 at 2026-01-01 00:00:00, the first instant of the range)
    2026-02: 8 (C07-C14)
    2026-03: 7 (C15-C21)
    2026-04: 0 (no complaint: the zero month)
    2026-05: 5 (C22-C26)
    2026-06: 4 (C27-C30; C30 at 2026-06-30 23:59:59, the last second of the range)
    total 30; open 20, closed 10.

Intake by allegation (a complaint counts once under each of its allegations; 38 in all)
    racial_profiling 19: C01 C02 C03 C04 C06 C08 C10 C11 C14 C15 C18 C20 C21 C22 C24 C25 C27
                         C28 C30
    due_process_overdetention 6: C01 C05 C11 C12 C23 C29
    language_access 4: C03 C07 C16 C24
    detention_medical 3: C04 C09 C19
    due_process_counsel 3: C13 C16 C29
    retaliation 2: C06 C17
    other 1: C26
    every other category 0.

Intake by agency (once under each agency; C30 names none)
    ice 14: C01 C04 C05 C07 C09 C10 C12 C13 C16 C19 C21 C23 C25 C29
    local_police 13: C01 C02 C05 C06 C08 C10 C15 C20 C21 C22 C24 C27 C28
    cbp 3: C03 C11 C24
    uscis 1 (C14), tsa 1 (C17), other_dhs 1 (C26), not_sure 1 (C18).

Intake by incident state (count, then name; "unknown" last)
    Texas 17 (Harris 12 + Webb 3 + 2 without a county: C06 C21), California 4 (Los Angeles 3
    + C14 without a county), Illinois 3, Arizona 2, Florida 1, Washington 1; no state: 2 (C18 C26).

Intake by incident county
    Harris County, TX (48201) 12: C01 C02 C07 C08 C10 C15 C19 C22 C23 C27 C28 C30
    Cook County, IL (17031) 3: C05 C12 C29
    Los Angeles County, CA (06037) 3: C04 C16 C25
    Webb County, TX (48479) 3: C03 C11 C24
    Maricopa County, AZ (04013) 2: C09 C20
    King County, WA (53033) 1: C17
    Miami-Dade County, FL (12086) 1: C13
    no county: 5 (C06 C21 C14 C18 C26).

Time to close (days from filing to the move to "closed", exact whole days here)
    C18 10, C17 20, C16 30, C15 45, C09 60, C08 75, C07 90, C03 100, C02 120, C01 150 (n = 10)
    median: ranks 0..9, position 0.5 * 9 = 4.5 -> (60 + 75) / 2 = 67.5
    p90:    position 0.9 * 9 = 8.1 -> 120 + 0.1 * (150 - 120) = 123.0
    (C00, closed after 5 days, was filed before the range and is not counted.)
    Texas only (C15 45, C08 75, C07 90, C03 100, C02 120, C01 150; n = 6):
    median: position 2.5 -> (90 + 100) / 2 = 95.0; p90: position 4.5 -> 120 + 0.5 * 30 = 135.0
    Agency cbp only: C03 alone -> median 100.0, p90 100.0.

Backlog by status and age since filing at NOW (0-30, 31-90, 91-180, over 180 days)
    received 3:               0-30: 3 (C28 C29 C30)
    triage 4:                 31-90: 4 (C22 C23 C26 C27)
    awaiting_information 2:   31-90: 1 (C24); 91-180: 1 (C14)
    oig_review 1:             91-180: 1 (C20)
    component_referral 2:     91-180: 2 (C05 C13)
    investigation 4:          91-180: 3 (C10 C11 C19); over 180: 1 (C04, filed 2026-01-08)
    findings_review 1:        31-90: 1 (C25)
    recommendations_issued 3: 91-180: 3 (C06 C12 C21)
    (C27, filed 2026-06-08 09:00, is 32.1 days old: 31-90.)

Within the status's target time at NOW (time since status_changed_at <= STATUS_TARGET_DAYS)
    received (3 days)                0 of 3 (C28 25.5, C29 11.5, C30 9.5 days)
    triage (14)                      2 of 4 (C23 9.5, C27 8.5 within; C22 61.5, C26 35.5 not)
    awaiting_information (30)        1 of 2 (C14 15.5 within; C24 39.5 not)
    oig_review (30)                  0 of 1 (C20 70.5)
    component_referral (90)          1 of 2 (C05 70.5 within; C13 112.5 not)
    investigation (120)              3 of 4 (C10 86.5, C11 39.5, C19 51.5 within; C04 131.5 not)
    findings_review (14)             1 of 1 (C25 5.5)
    recommendations_issued (60)      1 of 3 (C12 20.5 within; C06 100.5, C21 66.5 not)

Findings by allegation (substantiated / not substantiated / unfounded / unable to determine /
no jurisdiction / no finding yet)
    racial_profiling          5 / 2 / 1 / 0 / 1 / 10
    due_process_overdetention 2 / 0 / 0 / 0 / 0 / 4
    language_access           1 / 0 / 1 / 1 / 0 / 1
    detention_medical         0 / 1 / 0 / 0 / 0 / 2
    due_process_counsel       0 / 0 / 0 / 1 / 0 / 2
    retaliation               0 / 0 / 1 / 1 / 0 / 0
    other                     0 / 0 / 0 / 0 / 0 / 1

Agency concurrence (over the 10 recommendations of complaints in the range)
    concur 4 (C01 x2, C07, C21), partially concur 2 (C03, C21), non-concur 1 (C02),
    awaiting response 3 (C06, C12 x2). (C00's concurrence is outside the range.)

Filters
    state TX: 17 filed; by month 4 / 4 / 3 / 0 / 3 / 3 (Jan C01 C02 C03 C06, Feb C07 C08 C10
    C11, Mar C15 C19 C21, May C22 C23 C24, Jun C27 C28 C30); 6 closed (C15 45, C08 75, C07 90,
    C03 100, C02 120, C01 150).
    agency cbp: 3 filed (C03 C11 C24). allegation language_access: 4 filed (C03 C07 C16 C24),
    one a month in January, February, March and May; their allegations: language_access 4,
    racial_profiling 2 (C03 C24), due_process_counsel 1 (C16).
    February alone (2026-02-01..2026-02-28): 8 filed, 3 closed (C07 90, C08 75, C09 60: median
    75.0, p90 87.0 = 75 + 0.8 * 15).

Incident dates: day precision, seven days before filing, except C03 and C24 (Webb County, month
precision: the first of the month before filing), C14, C18 and C26 (none). The program-oversight
helper uses them with the Webb County (48479) and Harris County (48201) registry rows.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from intake.complaints.models import (
    Allegation,
    Complaint,
    ComplaintAgency,
    ComplaintProgramContext,
    Person,
    PriorComplaint,
)
from intake.extensions import db
from intake.queue.search import index_complaint
from intake.review.models import CaseNote, Recommendation
from tests.staff import make_user

NOW = datetime(2026, 7, 10, 12, 0, tzinfo=UTC)
RANGE_START = date(2026, 1, 1)
RANGE_END = date(2026, 6, 30)

# Planted in every personal field. Distinctive enough never to appear by accident.
CANARY_FILER_NAME = "Canaryfiler Zqxwv"
CANARY_AFFECTED_NAME = "Canaryaffected Zqxwv"
CANARY_ORGANIZATION = "Canaryorg Zqxwv Collective"
CANARY_EMAIL = "canary.zqxwv@example.org"
CANARY_PHONE = "+15550009173"
CANARY_ADDRESS_1 = "4417 Canarystreet Zqxwv"
CANARY_ADDRESS_2 = "Apt Zqxwv-9"
CANARY_ADDRESS_CITY = "Canaryville Zqxwv"
CANARY_ZIP = "99417-2417"
CANARY_PREFERRED_LANGUAGE = "Canarytongue Zqxwv"
CANARY_DATE_OF_BIRTH = date(1911, 11, 11)
CANARY_A_NUMBER = "A987654321"
CANARY_FACILITY = "Canaryfacility Zqxwv"
CANARY_FACILITY_CITY = "Canaryfacilitycity Zqxwv"
CANARY_INCIDENT_CITY = "Canarytown Zqxwv"
CANARY_PLACE = "Canaryplace Zqxwv"
CANARY_LOCAL_AGENCY = "Canarycounty Sheriff Zqxwv"
CANARY_OTHER_AGENCY = "Canaryagency Zqxwv"
CANARY_PROGRAM = "Canaryprogram Zqxwv"
CANARY_OFFICERS = "Deputy Canaryofficer Zqxwv, badge 7731"
CANARY_WITNESSES = "Canarywitness Zqxwv"
CANARY_NARRATIVE = "Canarystory Zqxwv: the officer asked where I was from."
CANARY_DESIRED_OUTCOME = "Canaryoutcome Zqxwv"
CANARY_ACCOMMODATION = "Canaryaccommodation Zqxwv"
CANARY_ALLEGATION_DETAILS = "Canarydetails Zqxwv"
CANARY_CASE_NUMBER = "CANARYCASE-ZQXWV"
CANARY_RECOMMENDATION = "Canaryrecommendation Zqxwv"
CANARY_RESPONSE_NOTES = "Canaryresponse Zqxwv"
CANARY_NOTE = "Canarynote Zqxwv"

CANARIES: list[str] = [
    CANARY_FILER_NAME,
    CANARY_AFFECTED_NAME,
    CANARY_ORGANIZATION,
    CANARY_EMAIL,
    CANARY_PHONE,
    "5550009173",
    CANARY_ADDRESS_1,
    CANARY_ADDRESS_2,
    CANARY_ADDRESS_CITY,
    CANARY_ZIP,
    CANARY_PREFERRED_LANGUAGE,
    "1911-11-11",
    "11/11/1911",
    "November 11, 1911",
    CANARY_A_NUMBER,
    CANARY_FACILITY,
    CANARY_FACILITY_CITY,
    CANARY_INCIDENT_CITY,
    CANARY_PLACE,
    CANARY_LOCAL_AGENCY,
    CANARY_OTHER_AGENCY,
    CANARY_PROGRAM,
    CANARY_OFFICERS,
    CANARY_WITNESSES,
    CANARY_NARRATIVE,
    CANARY_DESIRED_OUTCOME,
    CANARY_ACCOMMODATION,
    CANARY_ALLEGATION_DETAILS,
    CANARY_CASE_NUMBER,
    CANARY_RECOMMENDATION,
    CANARY_RESPONSE_NOTES,
    CANARY_NOTE,
    "Zqxwv",  # the common mark: any canary at all, or a piece of one
]

HARRIS, WEBB, LOS_ANGELES, COOK = "48201", "48479", "06037", "17031"
MARICOPA, MIAMI_DADE, KING = "04013", "12086", "53033"

RP, OD, LANG = "racial_profiling", "due_process_overdetention", "language_access"
MED, COUNSEL, RET, OTHER = "detention_medical", "due_process_counsel", "retaliation", "other"
SUB, NOT_SUB, UNFOUNDED = "substantiated", "not_substantiated", "unfounded"
UNABLE, NO_JUR = "unable_to_determine", "no_jurisdiction"


@dataclass(frozen=True)
class Row:
    key: str
    submitted_at: datetime
    status: str
    # Closed: days from filing to closing. Open: when the case entered its status.
    closed_after_days: int | None
    status_since: datetime | None
    state: str | None
    county: str | None
    allegations: dict[str, str | None]
    agencies: tuple[str, ...]
    closure_reason: str | None = None
    recommendations: tuple[str | None, ...] = ()
    incident: str = "day"  # "day", "month" (first of the month before filing) or "none"


def _at(text: str) -> datetime:
    """'2026-01-05 09:00' (UTC)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _closed(key, at, days, reason, state, county, allegations, agencies, **extra) -> Row:
    return Row(
        key,
        _at(at),
        "closed",
        days,
        None,
        state,
        county,
        allegations,
        agencies,
        closure_reason=reason,
        **extra,
    )


def _open(key, at, status, since, state, county, allegations, agencies, **extra) -> Row:
    since_at = _at(at) if since is None else _at(since)
    return Row(key, _at(at), status, None, since_at, state, county, allegations, agencies, **extra)


# fmt: off
ROWS: list[Row] = [
    # Before the range.
    _closed("C00", "2025-12-20 10:00", 5, "recommendations_resolved", "TX", WEBB, {RP: SUB},
            ("local_police",), recommendations=("concur",)),
    # January 2026.
    _closed("C01", "2026-01-01 00:00", 150, "recommendations_resolved", "TX", HARRIS,
            {RP: SUB, OD: SUB}, ("ice", "local_police"),
            recommendations=("concur", "concur")),
    _closed("C02", "2026-01-05 09:00", 120, "recommendations_resolved", "TX", HARRIS,
            {RP: NOT_SUB}, ("local_police",), recommendations=("non_concur",)),
    _closed("C03", "2026-01-12 14:30", 100, "recommendations_resolved", "TX", WEBB,
            {RP: SUB, LANG: UNFOUNDED}, ("cbp",), recommendations=("partially_concur",),
            incident="month"),
    _open("C04", "2026-01-08 10:00", "investigation", "2026-03-01 00:00", "CA", LOS_ANGELES,
          {RP: None, MED: None}, ("ice",)),
    _open("C05", "2026-01-25 16:00", "component_referral", "2026-05-01 00:00", "IL", COOK,
          {OD: None}, ("ice", "local_police")),
    _open("C06", "2026-01-31 23:59", "recommendations_issued", "2026-04-01 00:00", "TX", None,
          {RP: SUB, RET: UNABLE}, ("local_police",), recommendations=(None,)),
    # February 2026.
    _closed("C07", "2026-02-02 08:00", 90, "recommendations_resolved", "TX", HARRIS,
            {LANG: SUB}, ("ice",), recommendations=("concur",)),
    _closed("C08", "2026-02-06 11:00", 75, "no_violation", "TX", HARRIS, {RP: UNFOUNDED},
            ("local_police",)),
    _closed("C09", "2026-02-10 15:00", 60, "no_violation", "AZ", MARICOPA, {MED: NOT_SUB},
            ("ice",)),
    _open("C10", "2026-02-14 12:00", "investigation", "2026-04-15 00:00", "TX", HARRIS,
          {RP: None}, ("local_police", "ice")),
    _open("C11", "2026-02-18 12:00", "investigation", "2026-06-01 00:00", "TX", WEBB,
          {RP: None, OD: None}, ("cbp",)),
    _open("C12", "2026-02-22 12:00", "recommendations_issued", "2026-06-20 00:00", "IL", COOK,
          {OD: SUB}, ("ice",), recommendations=(None, None)),
    _open("C13", "2026-02-26 12:00", "component_referral", "2026-03-20 00:00", "FL", MIAMI_DADE,
          {COUNSEL: None}, ("ice",)),
    _open("C14", "2026-02-28 12:00", "awaiting_information", "2026-06-25 00:00", "CA", None,
          {RP: None}, ("uscis",), incident="none"),
    # March 2026.
    _closed("C15", "2026-03-03 09:00", 45, "no_jurisdiction", "TX", HARRIS, {RP: NO_JUR},
            ("local_police",)),
    _closed("C16", "2026-03-09 09:00", 30, "insufficient_information", "CA", LOS_ANGELES,
            {LANG: UNABLE, COUNSEL: UNABLE}, ("ice",)),
    _closed("C17", "2026-03-15 09:00", 20, "no_violation", "WA", KING, {RET: UNFOUNDED},
            ("tsa",)),
    _closed("C18", "2026-03-21 09:00", 10, "withdrawn", None, None, {RP: NOT_SUB},
            ("not_sure",), incident="none"),
    _open("C19", "2026-03-25 12:00", "investigation", "2026-05-20 00:00", "TX", HARRIS,
          {MED: None}, ("ice",)),
    _open("C20", "2026-03-29 12:00", "oig_review", "2026-05-01 00:00", "AZ", MARICOPA,
          {RP: None}, ("local_police",)),
    _open("C21", "2026-03-31 12:00", "recommendations_issued", "2026-05-05 00:00", "TX", None,
          {RP: SUB}, ("local_police", "ice"),
          recommendations=("concur", "partially_concur")),
    # April 2026: nothing filed.
    # May 2026.
    _open("C22", "2026-05-04 12:00", "triage", "2026-05-10 00:00", "TX", HARRIS, {RP: None},
          ("local_police",)),
    _open("C23", "2026-05-12 12:00", "triage", "2026-07-01 00:00", "TX", HARRIS, {OD: None},
          ("ice",)),
    _open("C24", "2026-05-20 12:00", "awaiting_information", "2026-06-01 00:00", "TX", WEBB,
          {RP: None, LANG: None}, ("cbp", "local_police"), incident="month"),
    _open("C25", "2026-05-27 12:00", "findings_review", "2026-07-05 00:00", "CA", LOS_ANGELES,
          {RP: SUB}, ("ice",)),
    _open("C26", "2026-05-30 12:00", "triage", "2026-06-05 00:00", None, None, {OTHER: None},
          ("other_dhs",), incident="none"),
    # June 2026.
    _open("C27", "2026-06-08 09:00", "triage", "2026-07-02 00:00", "TX", HARRIS, {RP: None},
          ("local_police",)),
    _open("C28", "2026-06-15 00:00", "received", None, "TX", HARRIS, {RP: None},
          ("local_police",)),
    _open("C29", "2026-06-29 00:00", "received", None, "IL", COOK, {COUNSEL: None, OD: None},
          ("ice",)),
    _open("C30", "2026-06-30 23:59:59", "received", None, "TX", HARRIS, {RP: None}, ()),
    # After the range.
    _open("C31", "2026-07-08 12:00", "received", None, "TX", HARRIS, {RP: None},
          ("local_police",)),
]
# fmt: on

# The hand-computed figures of the docstring, as literals, for the tests of every helper.
EXPECTED_BY_MONTH = [
    ("2026-01", 6),
    ("2026-02", 8),
    ("2026-03", 7),
    ("2026-04", 0),
    ("2026-05", 5),
    ("2026-06", 4),
]
EXPECTED_TX_BY_MONTH = [
    ("2026-01", 4),  # C01 C02 C03 C06
    ("2026-02", 4),  # C07 C08 C10 C11
    ("2026-03", 3),  # C15 C19 C21
    ("2026-04", 0),
    ("2026-05", 3),  # C22 C23 C24
    ("2026-06", 3),  # C27 C28 C30
]
EXPECTED_TX_MEDIAN_DAYS = 95.0
EXPECTED_TX_P90_DAYS = 135.0
EXPECTED_BY_ALLEGATION = {
    "racial_profiling": 19,
    "due_process_overdetention": 6,
    "language_access": 4,
    "detention_medical": 3,
    "due_process_counsel": 3,
    "retaliation": 2,
    "other": 1,
}
EXPECTED_BY_AGENCY = {
    "ice": 14,
    "cbp": 3,
    "uscis": 1,
    "tsa": 1,
    "other_dhs": 1,
    "local_police": 13,
    "not_sure": 1,
}
EXPECTED_BY_STATE = [("TX", 17), ("CA", 4), ("IL", 3), ("AZ", 2), ("FL", 1), ("WA", 1)]
EXPECTED_STATE_UNKNOWN = 2
EXPECTED_BY_COUNTY = [
    (HARRIS, "Harris County, TX", 12),
    (COOK, "Cook County, IL", 3),
    (LOS_ANGELES, "Los Angeles County, CA", 3),
    (WEBB, "Webb County, TX", 3),
    (MARICOPA, "Maricopa County, AZ", 2),
    (KING, "King County, WA", 1),
    (MIAMI_DADE, "Miami-Dade County, FL", 1),
]
EXPECTED_COUNTY_UNKNOWN = 5
EXPECTED_CLOSE_DAYS = [10, 20, 30, 45, 60, 75, 90, 100, 120, 150]
EXPECTED_MEDIAN_DAYS = 67.5
EXPECTED_P90_DAYS = 123.0
# status -> (0-30, 31-90, 91-180, over 180)
EXPECTED_BACKLOG = {
    "received": (3, 0, 0, 0),
    "triage": (0, 4, 0, 0),
    "awaiting_information": (0, 1, 1, 0),
    "oig_review": (0, 0, 1, 0),
    "component_referral": (0, 0, 2, 0),
    "investigation": (0, 0, 3, 1),
    "findings_review": (0, 1, 0, 0),
    "recommendations_issued": (0, 0, 3, 0),
}
# status -> (cases, within target)
EXPECTED_ON_TIME = {
    "received": (3, 0),
    "triage": (4, 2),
    "awaiting_information": (2, 1),
    "oig_review": (1, 0),
    "component_referral": (2, 1),
    "investigation": (4, 3),
    "findings_review": (1, 1),
    "recommendations_issued": (3, 1),
}
# allegation -> (substantiated, not_substantiated, unfounded, unable_to_determine,
#                no_jurisdiction, no finding yet)
EXPECTED_FINDINGS = {
    "racial_profiling": (5, 2, 1, 0, 1, 10),
    "due_process_overdetention": (2, 0, 0, 0, 0, 4),
    "language_access": (1, 0, 1, 1, 0, 1),
    "detention_medical": (0, 1, 0, 0, 0, 2),
    "due_process_counsel": (0, 0, 0, 1, 0, 2),
    "retaliation": (0, 0, 1, 1, 0, 0),
    "other": (0, 0, 0, 0, 0, 1),
}
EXPECTED_CONCURRENCE = {"concur": 4, "partially_concur": 2, "non_concur": 1, "awaiting": 3}


def _incident_date(row: Row) -> tuple[date | None, str | None]:
    filed = row.submitted_at.date()
    if row.incident == "none":
        return None, None
    if row.incident == "month":
        previous = filed.replace(day=1) - timedelta(days=1)
        return previous.replace(day=1), "month"
    return filed - timedelta(days=7), "day"


def _complaint(row: Row, number: int) -> Complaint:
    if row.status == "closed":
        status_changed_at = row.submitted_at + timedelta(days=row.closed_after_days)
    else:
        status_changed_at = row.status_since
    incident_date, precision = _incident_date(row)
    complaint = Complaint(
        tracking_number=f"OVS{number:02d}-ZZZZZ",
        access_code_hash="0" * 64,
        status=row.status,
        status_changed_at=status_changed_at,
        closure_reason=row.closure_reason,
        channel="web" if number % 4 else "mail",
        language="es" if number % 3 == 0 else "en",
        filer_relationship="relative",
        anonymous=False,
        incident_date=incident_date,
        incident_date_precision=precision,
        incident_state=row.state,
        incident_county_fips=row.county,
        incident_city=CANARY_INCIDENT_CITY,
        place_kind="other",
        place_other=CANARY_PLACE,
        local_agency_name=CANARY_LOCAL_AGENCY,
        other_agency_name=CANARY_OTHER_AGENCY,
        program_other=CANARY_PROGRAM,
        officers=CANARY_OFFICERS,
        witnesses=CANARY_WITNESSES,
        narrative=CANARY_NARRATIVE,
        desired_outcome=CANARY_DESIRED_OUTCOME,
        privacy_consent=True,
        accommodation_disability=CANARY_ACCOMMODATION,
        accommodation_language=CANARY_ACCOMMODATION,
        submitted_at=row.submitted_at,
        created_at=row.submitted_at,
    )
    complaint.people.append(
        Person(
            role="filer",
            name=CANARY_FILER_NAME,
            organization=CANARY_ORGANIZATION,
            email=CANARY_EMAIL,
            phone=CANARY_PHONE,
            address_line1=CANARY_ADDRESS_1,
            address_line2=CANARY_ADDRESS_2,
            address_city=CANARY_ADDRESS_CITY,
            address_state="TX",
            address_zip=CANARY_ZIP,
            preferred_language=CANARY_PREFERRED_LANGUAGE,
            contact_method="email",
        )
    )
    complaint.people.append(
        Person(
            role="affected",
            name=CANARY_AFFECTED_NAME,
            date_of_birth=CANARY_DATE_OF_BIRTH,
            a_number=CANARY_A_NUMBER,
            country_of_birth="MX",
            preferred_language=CANARY_PREFERRED_LANGUAGE,
            interpreter_needed=True,
            in_custody="yes",
            facility_name=CANARY_FACILITY,
            facility_city=CANARY_FACILITY_CITY,
            facility_state="TX",
            consent_attested=True,
        )
    )
    finding_at = status_changed_at
    for category, finding in row.allegations.items():
        complaint.allegations.append(
            Allegation(
                category=category,
                details=CANARY_ALLEGATION_DETAILS,
                finding=finding,
                finding_at=finding_at if finding else None,
            )
        )
    for agency in row.agencies:
        complaint.agencies.append(ComplaintAgency(agency=agency))
    complaint.program_contexts.append(ComplaintProgramContext(context="jail_screening"))
    complaint.prior_complaints.append(
        PriorComplaint(body="other_agency", case_number=CANARY_CASE_NUMBER)
    )
    return complaint


def make_oversight_data(app) -> dict:
    """Insert the data set; return the complaints' ids by key and the reference values."""
    author = make_user(app, "supervisor", name="Oversight Data Author")
    with app.app_context():
        complaints = {}
        for number, row in enumerate(ROWS):
            complaint = _complaint(row, number)
            db.session.add(complaint)
            complaints[row.key] = complaint
        db.session.flush()
        for row in ROWS:
            complaint = complaints[row.key]
            index_complaint(db.session, complaint)
            db.session.add(
                CaseNote(complaint_id=complaint.id, body=CANARY_NOTE, created_by_id=author.id)
            )
            for response in row.recommendations:
                responded_at = complaint.status_changed_at if response else None
                db.session.add(
                    Recommendation(
                        complaint_id=complaint.id,
                        body=CANARY_RECOMMENDATION,
                        agency_response=response,
                        response_notes=CANARY_RESPONSE_NOTES if response else None,
                        response_recorded_at=responded_at,
                        response_recorded_by_id=author.id if response else None,
                        created_at=complaint.submitted_at,
                        created_by_id=author.id,
                    )
                )
        db.session.commit()
        ids = {key: complaint.id for key, complaint in complaints.items()}
        assert len(db.session.execute(select(Complaint.id)).all()) == len(ROWS)
    return {
        "ids": ids,
        "now": NOW,
        "start": RANGE_START,
        "end": RANGE_END,
        "author_id": author.id,
    }
