"""Open data: the de-identified complaint-level CSV, its dictionary and its page.

Run on the fixed oversight data set (tests/oversight_data.py), whose every personal field holds
a canary: none may reach the file. Counties are checked against the hand-counted cells there.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from flask import g, render_template_string
from playwright.sync_api import expect
from sqlalchemy import event, func, select, update

from intake.accounts.models import AnonymousStaff
from intake.audit.models import AuditEvent
from intake.audit.services import verify_chain
from intake.complaints.models import (
    Allegation,
    Complaint,
    Person,
    PriorComplaint,
)
from intake.extensions import db
from intake.factory import create_app
from intake.oversight import data_dictionary, open_data
from intake.oversight.csv_safety import neutralise, neutralise_row
from intake.oversight.months import MonthRange, parse_month
from intake.reference import categories
from intake.reference.models import County
from intake.review.models import CaseNote, Recommendation
from tests.browser import assert_accessible
from tests.conftest import _test_config
from tests.oversight_data import (
    CANARIES,
    COOK,
    HARRIS,
    KING,
    LOS_ANGELES,
    MARICOPA,
    MIAMI_DADE,
    WEBB,
    make_oversight_data,
)
from tests.staff import make_user, staff_client
from tests.test_browser_staff import sign_in_with_cookie, switch_language

PAGE = "/staff/oversight/open-data"
CSV_URL = "/staff/oversight/open-data.csv"
DICTIONARY_URL = "/staff/oversight/open-data/dictionary.csv"
RANGE = {"filed_from": "2026-01", "filed_to": "2026-06"}
BOM = "\ufeff".encode()

ALLEGATION_CODES = list(categories.ALLEGATIONS)
HEADER = [
    "record_id",
    "month_filed",
    "channel",
    "language",
    "filer_relationship",
    "anonymous",
    "incident_month",
    "incident_state",
    "incident_county_fips",
    "incident_county",
    "place_kind",
    "agencies",
    "program_contexts",
    "status",
    "closure_reason",
    "referred_to",
    "month_closed",
    "days_to_close",
    *(f"allegation_{code}" for code in ALLEGATION_CODES),
    *(f"finding_{code}" for code in ALLEGATION_CODES),
]
MONTH_COLUMNS = ("month_filed", "incident_month", "month_closed")
# Any day-precise date, in the forms a date could take in a cell.
DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|^\d{8}$")

# Hostile text for every free-text field (OWASP's CSV-injection examples).
HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3+cmd|' /C calc'!A0",
]
FREE_TEXT = {
    Complaint: [
        "incident_city",
        "place_other",
        "local_agency_name",
        "other_agency_name",
        "program_other",
        "officers",
        "witnesses",
        "narrative",
        "desired_outcome",
        "accommodation_disability",
        "accommodation_language",
    ],
    Person: [
        "name",
        "organization",
        "email",
        "phone",
        "address_line1",
        "address_line2",
        "address_city",
        "address_zip",
        "preferred_language",
        "facility_name",
        "facility_city",
    ],
    Allegation: ["details"],
    PriorComplaint: ["case_number"],
    CaseNote: ["body"],
    Recommendation: ["body", "response_notes"],
}
OVERSIGHT_ROLES = ["analyst", "supervisor", "administrator"]


@pytest.fixture
def data(app):
    return make_oversight_data(app)


def download(client, **args):
    response = client.get(CSV_URL, query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def parse(body: bytes) -> tuple[list[str], list[dict[str, str]]]:
    assert body.startswith(BOM)
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    head, *rows = list(reader)
    return head, [dict(zip(head, row, strict=True)) for row in rows]


def record_ids(app, data) -> dict[str, str]:
    """The record id of each complaint of the data set, by its key (C00..C31)."""
    with app.app_context():
        record_id = open_data.record_id_hasher()
        return {key: record_id(complaint_id) for key, complaint_id in data["ids"].items()}


def by_key(app, data, rows) -> dict[str, dict[str, str]]:
    keys = {record: key for key, record in record_ids(app, data).items()}
    return {keys[row["record_id"]]: row for row in rows}


# --- the neutraliser --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("-2+3", "'-2+3"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("  =1+1", "'  =1+1"),
        ("\uff1dSUM(1)", "'\uff1dSUM(1)"),  # full-width equals sign
        # Left alone: what the file's columns really hold.
        ("2026-03", "2026-03"),
        ("48479", "48479"),
        ("287g", "287g"),
        ("ice;local_police", "ice;local_police"),
        ("Miami-Dade County", "Miami-Dade County"),
        ("r3f9a0c12d4e5b678", "r3f9a0c12d4e5b678"),
        ("a = b", "a = b"),
        ("   ", "   "),
        ("", ""),
        (None, ""),
        (0, "0"),
        (17, "17"),
    ],
)
def test_neutralise(value, cell):
    assert neutralise(value) == cell


def test_neutralise_row_is_neutralise_on_each_cell():
    """The row version's shortcut for plain cells gives exactly what the cell-by-cell rule
    gives, for every kind of space in front of a formula too."""
    spaces = [chr(i) for i in range(0x110000) if chr(i).isspace()]
    cells = [
        *(space + "=1+1" for space in spaces),
        *(space for space in spaces),
        *(f"{space}{space}@SUM(1)" for space in spaces),
        "=1",
        "+1",
        "-1",
        "@1",
        "\uff0b1",
        "ok",
        "",
        None,
        3,
        -3,
        "2026-03",
    ]
    assert neutralise_row(cells) == [neutralise(cell) for cell in cells]
    assert all(cell.startswith("'") for cell in neutralise_row(cells[: len(spaces)]))


def test_neutralise_marks_a_negative_number_as_text():
    # Why no column of the file may hold a negative number: it would come out as text.
    assert neutralise(-5) == "'-5"


# --- the file ---------------------------------------------------------------------------------


def test_file_is_streamed_csv_with_exact_header_and_one_row_per_complaint(app, data):
    client = staff_client(app, "analyst")
    response = download(client, **RANGE)
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="complaints-open-data-2026-01-to-2026-06.csv"'
    )
    body = response.get_data()
    head, rows = parse(body)
    assert head == HEADER
    assert head == data_dictionary.header()
    assert len(rows) == 30  # filed 2026-01-01 .. 2026-06-30: C01..C30
    assert set(by_key(app, data, rows)) == {f"C{n:02d}" for n in range(1, 31)}
    # Every complaint, without a range: C00 and C31 too.
    _, everything = parse(download(client).get_data())
    assert len(everything) == 32
    # One month, and a range with nothing filed in it.
    _, february = parse(download(client, filed_from="2026-02", filed_to="2026-02").get_data())
    assert len(february) == 8
    _, april = parse(download(client, filed_from="2026-04", filed_to="2026-04").get_data())
    assert april == []
    _, open_start = parse(download(client, filed_to="2026-01").get_data())
    assert len(open_start) == 7  # C00 (December 2025) and January's six
    # Ends centuries apart: the months walked are those with complaints, not every one between.
    _, wide = parse(download(client, filed_from="1000-01", filed_to="9999-12").get_data())
    assert len(wide) == 32


def test_rows_hold_codes_and_months_as_documented(app, data, backend):
    client = staff_client(app, "analyst")
    rows = by_key(app, data, parse(download(client, **RANGE).get_data())[1])
    c03 = rows["C03"]
    assert c03["month_filed"] == "2026-01"
    assert (c03["channel"], c03["language"]) == ("web", "es")
    assert (c03["filer_relationship"], c03["anonymous"]) == ("relative", "no")
    assert c03["incident_month"] == "2025-12"  # month precision: the month before filing
    assert c03["incident_state"] == "TX"
    assert (c03["place_kind"], c03["agencies"], c03["program_contexts"]) == (
        "other",
        "cbp",
        "jail_screening",
    )
    assert (c03["status"], c03["closure_reason"], c03["referred_to"]) == (
        "closed",
        "recommendations_resolved",
        "",
    )
    assert c03["month_closed"] == "2026-04"  # 2026-01-12 + 100 days = 2026-04-22
    assert c03["days_to_close"] == "91_to_180"
    alleged = {code for code in ALLEGATION_CODES if c03[f"allegation_{code}"] == "1"}
    assert alleged == {"racial_profiling", "language_access"}
    assert all(c03[f"allegation_{code}"] in ("0", "1") for code in ALLEGATION_CODES)
    findings = {code: c03[f"finding_{code}"] for code in ALLEGATION_CODES if c03[f"finding_{code}"]}
    assert findings == {"racial_profiling": "substantiated", "language_access": "unfounded"}

    # Agencies in the vocabulary's order; none given is blank; no incident date is blank.
    assert rows["C10"]["agencies"] == "ice;local_police"
    assert rows["C30"]["agencies"] == ""
    assert rows["C14"]["incident_month"] == ""
    assert rows["C18"]["incident_state"] == ""
    # Open cases: no closing month, no time to close; a finding not yet made is blank.
    c04 = rows["C04"]
    assert (c04["status"], c04["closure_reason"], c04["month_closed"], c04["days_to_close"]) == (
        "investigation",
        "",
        "",
        "",
    )
    assert (c04["allegation_detention_medical"], c04["finding_detention_medical"]) == ("1", "")
    # Time to close, in ranges (hand-computed from the data set's days).
    ranges = {key: row["days_to_close"] for key, row in rows.items() if row["days_to_close"]}
    assert ranges == {
        "C18": "under_31",
        "C17": "under_31",
        "C16": "under_31",
        "C15": "31_to_90",
        "C09": "31_to_90",
        "C08": "31_to_90",
        "C07": "31_to_90",
        "C03": "91_to_180",
        "C02": "91_to_180",
        "C01": "91_to_180",
    }


def test_months_never_dates(app, data):
    client = staff_client(app, "analyst")
    _, rows = parse(download(client).get_data())
    for row in rows:
        for column in MONTH_COLUMNS:
            assert re.fullmatch(r"(\d{4}-\d{2})?", row[column]), (column, row[column])
        for column, cell in row.items():
            assert not DATE_RE.search(cell), (column, cell)


def test_no_canary_in_the_file_the_dictionary_or_the_page(app, data):
    client = staff_client(app, "analyst")
    outputs = {
        "file": download(client).get_data(),
        "file in range": download(client, **RANGE).get_data(),
        "dictionary": client.get(DICTIONARY_URL).get_data(),
        "page": client.get(PAGE, query_string=RANGE).get_data(),
    }
    for name, body in outputs.items():
        text = body.decode("utf-8").lower()
        found = [canary for canary in CANARIES if canary.lower() in text]
        assert found == [], (name, found)
        # Nor the tracking numbers (OVS..-ZZZZZ) or the country of birth planted there.
        assert "zzzzz" not in text, name
    _, rows = parse(outputs["file"])
    assert all(row["record_id"] not in data["ids"].values() for row in rows)


def test_record_ids_keyed_stable_and_not_the_database_id(app, data, database_url):
    client = staff_client(app, "analyst")
    first = [row["record_id"] for row in parse(download(client).get_data())[1]]
    again = [row["record_id"] for row in parse(download(client).get_data())[1]]
    assert first == again  # stable from one release to the next
    assert len(set(first)) == 32
    assert all(re.fullmatch(r"r[0-9a-f]{16}", record) for record in first)
    assert set(first) == set(record_ids(app, data).values())
    # Another secret key, other ids: they cannot be worked out without it.
    other = create_app(_test_config(database_url, SECRET_KEY="another-secret-key-" + "x" * 40))
    with other.app_context():
        record_id = open_data.record_id_hasher()
        assert not {record_id(i) for i in data["ids"].values()} & set(first)


def test_row_order_is_by_month_then_a_keyed_shuffle(app, data):
    """Not id order (ids follow filing time): the same order on every database."""
    client = staff_client(app, "analyst")
    rows = parse(download(client, **RANGE).get_data())[1]
    months = [row["month_filed"] for row in rows]
    assert months == sorted(months)
    with app.app_context():
        multiplier = open_data.shuffle_multiplier()
    keys = by_key(app, data, rows)
    ids = {keys[key]["record_id"]: data["ids"][key] for key in keys}
    order = [(row["month_filed"], ids[row["record_id"]]) for row in rows]
    expected = sorted(order, key=lambda item: (item[0], item[1] * multiplier % (2**31 - 1)))
    assert order == expected
    assert order != sorted(order)  # within a month, not in order of filing


def test_county_blank_below_k_with_the_default_k(app, data):
    """k = 11 (the default): in the range only Harris County (12) is shown."""
    client = staff_client(app, "analyst")
    rows = by_key(app, data, parse(download(client, **RANGE).get_data())[1])
    shown = {(row["incident_county_fips"], row["incident_county"]) for row in rows.values()}
    assert shown == {(HARRIS, "Harris County"), ("", "")}
    assert sum(row["incident_county_fips"] == HARRIS for row in rows.values()) == 12
    # The state stays.
    assert rows["C03"]["incident_state"] == "TX"
    assert rows["C03"]["incident_county_fips"] == ""


@pytest.mark.parametrize("app_config", [{"OVERSIGHT_SUPPRESSION_K": 3}])
def test_county_blank_exactly_where_its_cell_is_below_k(app, data):
    """k = 3. In the range (hand-counted): Harris 12, Cook 3, Los Angeles 3, Webb 3 shown;
    Maricopa 2, King 1, Miami-Dade 1 blank."""
    client = staff_client(app, "analyst")
    rows = by_key(app, data, parse(download(client, **RANGE).get_data())[1])
    county_of = {
        HARRIS: ["C01", "C02", "C07", "C08", "C10", "C15", "C19", "C22", "C23", "C27", "C28"]
        + ["C30"],
        COOK: ["C05", "C12", "C29"],
        LOS_ANGELES: ["C04", "C16", "C25"],
        WEBB: ["C03", "C11", "C24"],
        MARICOPA: ["C09", "C20"],
        KING: ["C17"],
        MIAMI_DADE: ["C13"],
    }
    names = {
        HARRIS: "Harris County",
        COOK: "Cook County",
        LOS_ANGELES: "Los Angeles County",
        WEBB: "Webb County",
    }
    expected = {key: ("", "") for key in rows}
    for fips, keys in county_of.items():
        for key in keys:
            expected[key] = (fips, names[fips]) if fips in names else ("", "")
    got = {key: (row["incident_county_fips"], row["incident_county"]) for key, row in rows.items()}
    assert got == expected
    # The threshold counts the file's own rows: without a range Webb has 4 (C00 too)...
    whole = by_key(app, data, parse(download(client).get_data())[1])
    assert whole["C00"]["incident_county_fips"] == WEBB
    # ... and one month alone leaves every county of February below 3 except Harris.
    feb = parse(download(client, filed_from="2026-02", filed_to="2026-02").get_data())[1]
    assert {row["incident_county_fips"] for row in feb} == {HARRIS, ""}
    # The page says how many rows have the county left blank: Maricopa 2 + King 1 + Miami 1.
    page = client.get(PAGE, query_string=RANGE).get_data(as_text=True)
    assert "The file has 30 complaints." in page
    assert "left blank for 4 complaints in counties with fewer than 3" in page


@pytest.mark.parametrize("app_config", [{"OVERSIGHT_SUPPRESSION_K": 3}])
def test_hostile_text_everywhere_never_becomes_a_formula(app, data, monkeypatch):
    with app.app_context():
        for model, fields in FREE_TEXT.items():
            table = model.__table__
            values = {}
            for number, name in enumerate(fields):
                value = HOSTILE[number % len(HOSTILE)]
                length = getattr(table.c[name].type, "length", None)
                values[name] = value[:length] if length else value
            db.session.execute(update(table).values(values))
        harris = db.session.get(County, HARRIS)
        original_name = harris.name
        harris.name = HOSTILE[0]  # a label that reaches the file: the county's name
        db.session.commit()
    try:
        client = staff_client(app, "analyst")
        body = download(client, **RANGE).get_data()
        _, rows = parse(body)
    finally:
        with app.app_context():
            db.session.get(County, HARRIS).name = original_name
            db.session.commit()
    cells = [cell for row in rows for cell in row.values()]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    harris_names = {row["incident_county"] for row in rows if row["incident_county_fips"] == HARRIS}
    assert harris_names == {"'" + HOSTILE[0]}
    # The free text itself never reaches the file at all.
    text = body.decode("utf-8")
    for hostile in HOSTILE[1:]:
        assert hostile not in text

    # Translated text reaches the dictionary (a translator's slip, or a hostile catalogue):
    # every one of its cells is neutralised too.
    monkeypatch.setattr(data_dictionary, "_l", lambda text, **values: HOSTILE[2])
    dictionary = client.get(DICTIONARY_URL).get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(dictionary, newline="")))
    assert rows[1][:3] == ["record_id", "'" + HOSTILE[2], "'" + HOSTILE[2]]
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]


def test_no_real_cell_is_changed_by_the_neutraliser(app, data):
    """Codes, months, FIPS codes, county names and record ids never start like a formula, so
    the neutraliser leaves the real file as it is (no apostrophes in it)."""
    client = staff_client(app, "analyst")
    _, rows = parse(download(client).get_data())
    assert not [cell for row in rows for cell in row.values() if cell.startswith("'")]
    dictionary = client.get(DICTIONARY_URL).get_data().decode("utf-8-sig")
    assert not [
        cell for row in csv.reader(io.StringIO(dictionary)) for cell in row if cell[:1] == "'"
    ]


@pytest.mark.parametrize("app_config", [{"OPEN_DATA_BATCH_SIZE": 4}])
def test_streams_in_batches_with_a_fixed_number_of_queries_each(app, data):
    """Batches of 4 over the range's months (6, 8, 7, 0, 5, 4 complaints): 2 + 2 + 2 + 0 + 2
    + 1 = 9 batches. Each batch reads its related rows with one query per table (not one per
    complaint), and the session's identity map does not grow while the file streams."""
    client = staff_client(app, "analyst")
    statements: list[str] = []
    identity_map_sizes: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)
        if "FROM allegations" in statement:  # once a batch
            identity_map_sizes.append(len(db.session.identity_map))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    response = client.get(CSV_URL, query_string=RANGE, buffered=False)
    try:
        assert response.status_code == 200
        chunks = list(response.response)
    finally:
        event.remove(engine, "before_cursor_execute", count)
        response.close()
    assert len(chunks) == 9  # one chunk per batch, written and sent before the next is read
    _, rows = parse(b"".join(chunks))
    assert len(rows) == 30

    def touching(table):
        return [s for s in statements if re.search(rf"\bFROM {table}\b", s)]

    assert len(touching("allegations")) == 9
    assert len(touching("complaint_agencies")) == 9
    assert len(touching("complaint_program_contexts")) == 9
    # Ids: one sorted query a month (January to June, April's empty), read in batches.
    complaint_queries = [
        s for s in touching("complaints") if "allegations" not in s and "complaint_" not in s
    ]
    assert len([s for s in complaint_queries if "ORDER BY" in s]) == 6
    by_id = [s for s in complaint_queries if re.search(r"complaints\.id (IN|= ANY)", s)]
    assert len(by_id) == 9  # each batch's complaints
    assert identity_map_sizes and max(identity_map_sizes) == min(identity_map_sizes)


def test_audit_event_committed_before_the_stream_starts(app, data):
    client = staff_client(app, "supervisor")
    response = client.get(CSV_URL, query_string=RANGE, buffered=False)
    with app.app_context():
        events = (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "oversight.open_data_exported")
            )
            .scalars()
            .all()
        )
        assert [(e.actor_type, e.actor_id, e.details) for e in events] == [
            ("staff", client.staff.id, {"filed_from": "2026-01", "filed_to": "2026-06"})
        ]
    list(response.response)
    response.close()
    download(client)
    with app.app_context():
        details = db.session.execute(
            select(AuditEvent.details)
            .where(AuditEvent.action == "oversight.open_data_exported")
            .order_by(AuditEvent.seq.desc())
        ).scalar()
        assert details == {"filed_from": None, "filed_to": None}
        assert verify_chain().ok
        # The page and the dictionary are not exports of data: no events.
        client.get(PAGE)
        client.get(DICTIONARY_URL)
        count = db.session.execute(
            select(func.count()).where(AuditEvent.action == "oversight.open_data_exported")
        ).scalar()
        assert count == 2


def test_dictionary_csv_documents_every_column(app):
    client = staff_client(app, "analyst")
    response = client.get(DICTIONARY_URL)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(BOM)
    head, *rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert head == ["column", "meaning", "values", "codes", "notes"]
    assert [row[0] for row in rows] == HEADER
    assert all(row[1] and row[2] for row in rows)
    documented = {row[0]: row for row in rows}
    assert "no_jurisdiction = Outside our jurisdiction" in documented["closure_reason"][3]
    assert "fewer than 11 complaints" in documented["incident_county"][4]
    assert "substantiated = Substantiated" in documented["finding_racial_profiling"][3]
    # Every code the file can hold is in the dictionary.
    assert "287g = " in documented["program_contexts"][3]
    for code in data_dictionary.DAYS_TO_CLOSE:
        assert f"{code} = " in documented["days_to_close"][3]


def test_dictionary_in_spanish_labels(app):
    client = staff_client(app, "analyst")
    client.get("/language/es")
    page = client.get(PAGE)
    assert page.status_code == 200
    assert '<html lang="es"' in page.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(client.get(DICTIONARY_URL).data.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == HEADER  # column names do not change with language


# --- the page and its range -------------------------------------------------------------------


def test_page_explains_the_file_and_links_the_downloads(app, data):
    client = staff_client(app, "analyst")
    page = client.get(PAGE, query_string=RANGE).get_data(as_text=True).replace("<wbr>", "")
    assert "<h1>Open data</h1>" in page
    assert "What the file leaves out" in page
    assert "The file has 30 complaints." in page
    assert 'href="/staff/oversight/open-data.csv?filed_from=2026-01&amp;filed_to=2026-06"' in page
    assert f'href="{DICTIONARY_URL}"' in page
    for column in HEADER[:18]:
        assert f"<code>{column}</code>" in page
    for code in ALLEGATION_CODES:
        assert f"<code>allegation_{code}</code>" in page
        assert f"<code>finding_{code}</code>" in page
    assert 'aria-current="page"' in page  # the oversight sub-navigation marks this page
    assert 'value="2026-01"' in page and 'value="2026-06"' in page
    whole = client.get(PAGE).get_data(as_text=True)
    assert "The file has 32 complaints." in whole
    assert f'href="{CSV_URL}"' in whole


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"filed_from": "2026-13"}, "filed_from", "Enter the month like 2026-03"),
        ({"filed_to": "June"}, "filed_to", "Enter the month like 2026-03"),
        (
            {"filed_from": "2026-06", "filed_to": "2026-01"},
            "filed_to",
            "The last month must be the same as or after the first.",
        ),
    ],
)
def test_bad_months_are_named_next_to_their_field(app, args, field, message):
    client = staff_client(app, "analyst")
    page = client.get(PAGE, query_string=args)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # The message sits in the field's own group, just before its input, which is marked invalid.
    group = re.search(rf'id="{field}-error">(.*?)(<input[^>]*id="{field}"[^>]*>)', html, re.S)
    assert group and message in group.group(1)
    assert 'aria-invalid="true"' in group.group(2)
    for value in args.values():
        assert f'value="{value}"' in html  # nothing typed is lost
    assert "open-data.csv" not in html  # no download for a range that does not make sense
    # The file itself refuses the same range, with the same page.
    refused = client.get(CSV_URL, query_string=args)
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.execute(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "oversight.open_data_exported")
            ).scalar()
            == 0
        )


def test_month_typed_the_american_way(app, data):
    client = staff_client(app, "analyst")
    _, rows = parse(download(client, filed_from="02/2026", filed_to="3/2026").get_data())
    assert len(rows) == 15  # February 8 + March 7


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, CSV_URL, DICTIONARY_URL])
def test_who_may_open_it(app, url):
    for role in OVERSIGHT_ROLES:
        response = staff_client(app, role).get(url)
        assert response.status_code == 200, role
        response.close()
    for role in ("intake_specialist", "investigator"):
        assert staff_client(app, role).get(url).status_code == 403, role
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302
    assert "/staff/sign-in?next=" in anonymous.headers["Location"]


def test_sub_navigation_shows_the_link_only_to_those_who_may(app):
    with app.test_request_context("/staff/"):
        g.user = AnonymousStaff()
        nav = render_template_string('{% include "oversight/_nav.html" %}')
    assert "/staff/oversight/open-data" not in nav
    page = staff_client(app, "analyst").get(PAGE).get_data(as_text=True)
    assert 'href="/staff/oversight/open-data" aria-current="page"' in page


def test_period_covers_whole_utc_months(app, data):
    """The first and last instants of the range are in; a second either side is out."""
    with app.app_context():
        first, last = MonthRange(parse_month("2026-01"), parse_month("2026-06")).conditions()
        ids = set(db.session.execute(select(Complaint.id).where(first, last)).scalars())
    # C01 at 2026-01-01 00:00:00 and C30 at 2026-06-30 23:59:59 are in; C00 and C31 are not.
    assert data["ids"]["C01"] in ids and data["ids"]["C30"] in ids
    assert data["ids"]["C00"] not in ids and data["ids"]["C31"] not in ids


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
def test_page_in_a_browser_passes_axe_and_downloads(visit_factory, app, live_server, lang):
    make_oversight_data(app)
    v = visit_factory(lang)
    page, t = v.page, v.t
    sign_in_with_cookie(app, live_server, page, make_user(app, "analyst"))
    switch_language(page, lang, "/staff/")

    page.goto(PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Open data"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page, f"open data ({lang})")

    # A range, chosen with the form (no JavaScript needed: a plain GET form).
    page.get_by_label(t("First month filed")).fill("2026-01")
    page.get_by_label(t("Last month filed")).fill("2026-06")
    page.get_by_role("button", name=t("Show this file")).click()
    page.wait_for_load_state()
    expect(page.locator("#open-data-count")).to_contain_text("30")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=t("Download the file (CSV)")).click()
    download = download_info.value
    assert download.suggested_filename == "complaints-open-data-2026-01-to-2026-06.csv"
    head, rows = parse(Path(download.path()).read_bytes())
    assert head == HEADER and len(rows) == 30

    # A mistyped month: the error is next to its field, what was typed stays.
    page.get_by_label(t("First month filed")).fill("2026-13")
    page.get_by_role("button", name=t("Show this file")).click()
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#filed_from-error")).to_be_visible()
    expect(page.get_by_label(t("First month filed"))).to_have_value("2026-13")
    assert_accessible(page, f"open data with an error ({lang})")

    # Phone width: nothing wider than the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(PAGE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    v.console.assert_clean()
