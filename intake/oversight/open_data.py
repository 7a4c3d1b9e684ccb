"""Open data: a de-identified CSV with one row per complaint, streamed, and the dictionary CSV
(the page that explains both is rendered in views.py).

What a row holds is decided column by column in ``data_dictionary.py`` (the page and the
dictionary CSV show the same list, so what is published is what is documented). Codes, never
typed text: no names, organisations, contact details, addresses, dates of birth, A-numbers,
countries of birth, narratives, allegation details, desired outcomes, officers, witnesses,
cities, facility or local agency names, "other" answers, prior complaints' case numbers,
attachments, notes or messages. Dates become months. The county is left blank wherever fewer
than ``OVERSIGHT_SUPPRESSION_K`` complaints in the file name it.

Why some choices:
- The record id is a keyed hash (HMAC-SHA256 with the app's RECORD_ID_KEY) of the complaint's
  database id, truncated to 64 bits: stable across releases, so people can follow a complaint
  from one release to the next; not the tracking number (which opens the status page with the
  access code) and not the database id (ids grow with filing time, so they would date each
  complaint, and they count the office's complaints). It starts with a letter so spreadsheets
  keep it as text (an all-digit or "1e5..." id would become a number).
- Rows come in order of the month filed and, within a month, in a keyed shuffle of the id:
  in id order a row's place in its month would tell roughly the day it was filed.
- Time to close is a range of days, not the exact number: with the months of filing and
  closing, an exact count can pin down both dates.
- Country of birth is left out: joined with the county and the month it picks out one person
  far more often than any cell-size rule here could catch.

Streaming: a million complaints never sit in memory. One grouped query counts complaints per
county first (which counties are shown). Then ids come month by month, from one sorted query
per month read in batches (a server-side cursor on PostgreSQL); each batch fetches its
complaints, allegations, agencies and program contexts with one query each (``IN``; on
PostgreSQL ``= ANY`` of one array), as plain rows (no ORM objects, so no identity map grows),
and is written and sent before the next is read. On PostgreSQL the whole file is read in one
REPEATABLE READ snapshot, so the county counts and the rows agree even while complaints come
in; SQLite's single read transaction gives the same.
"""

import csv
import hashlib
import hmac
import io
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask import Response, current_app, stream_with_context
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    any_,
    bindparam,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql

from intake.accounts.access import current_user
from intake.audit.services import record_event
from intake.complaints.models import (
    Allegation,
    Complaint,
    ComplaintAgency,
    ComplaintProgramContext,
)
from intake.database import reads_only_from_now, write_lock_from_now
from intake.extensions import db
from intake.keys import RECORD_ID_KEY, key
from intake.reference import categories
from intake.reference.models import County

from .csv_safety import neutralise_row
from .data_dictionary import dictionary_rows, header
from .months import MonthRange, month_label, next_month

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 2000
RECORD_ID_PREFIX = "r"
RECORD_ID_HEX_CHARS = 16  # 64 bits: no collision to expect among tens of millions of rows
# Excel opens a UTF-8 file without a byte-order mark in the local code page, which garbles
# county names such as "Doña Ana County"; with the mark it reads UTF-8. Python's "utf-8-sig",
# R's readr and pandas skip the mark.
BOM = "\ufeff"
# A prime at the top of PostgreSQL's integer range: multiplying ids (1 .. 2**31 - 1) by a
# non-zero number modulo it is a one-to-one shuffle, and the product fits in 64 bits.
SHUFFLE_MODULUS = 2**31 - 1

_DAY_RANGES = ((30, "under_31"), (90, "31_to_90"), (180, "91_to_180"), (365, "181_to_365"))


# --- which counties are shown -----------------------------------------------------------------


@dataclass(frozen=True)
class CountyCells:
    """Complaints per county in the file; counties below k are left blank."""

    k: int
    counts: dict[str | None, int]  # None: complaints without a county
    names: dict[str, str]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def shown(self) -> dict[str, str]:
        return {fips: self.names[fips] for fips, n in self.counts.items() if fips and n >= self.k}

    @property
    def withheld(self) -> dict[str, int]:
        return {fips: n for fips, n in self.counts.items() if fips and n < self.k}


def county_cells(months: MonthRange, k: int) -> CountyCells:
    """One grouped query: complaints in the range per incident county (and without one)."""
    rows = db.session.execute(
        select(Complaint.incident_county_fips, County.name, func.count())
        .select_from(Complaint)
        .outerjoin(County, County.fips == Complaint.incident_county_fips)
        .where(*months.conditions())
        .group_by(Complaint.incident_county_fips, County.name)
    ).all()
    return CountyCells(
        k,
        {fips: count for fips, _name, count in rows},
        {fips: name for fips, name, _count in rows if fips},
    )


# --- the rows ---------------------------------------------------------------------------------


def _secret() -> bytes:
    return key(RECORD_ID_KEY)


def record_id_hasher():
    """``record_id(complaint_id)``: the keyed, truncated hash described in the module's notes."""
    keyed = hmac.new(_secret(), b"intake open data record id\n", hashlib.sha256)

    def record_id(complaint_id: int) -> str:
        digest = keyed.copy()
        digest.update(str(complaint_id).encode())
        return RECORD_ID_PREFIX + digest.hexdigest()[:RECORD_ID_HEX_CHARS]

    return record_id


def shuffle_multiplier() -> int:
    """A secret multiplier for the row order, from RECORD_ID_KEY (2 .. modulus - 1)."""
    digest = hmac.new(_secret(), b"intake open data row order", hashlib.sha256).digest()
    return 2 + int.from_bytes(digest[:8], "big") % (SHUFFLE_MODULUS - 2)


def _shuffle_key() -> ColumnElement[int]:
    product = cast(Complaint.id, BigInteger) * literal(shuffle_multiplier(), BigInteger)
    return product % literal(SHUFFLE_MODULUS, BigInteger)


def _months(months: MonthRange) -> list[date]:
    """Every month from the first to the last complaint filed in the range (the range's own
    ends could be centuries apart: one query per month of that would be a long wait)."""
    earliest, latest = db.session.execute(
        select(func.min(Complaint.submitted_at), func.max(Complaint.submitted_at)).where(
            *months.conditions()
        )
    ).one()
    if earliest is None:
        return []
    first, last = earliest.date().replace(day=1), latest.date().replace(day=1)
    out: list[date] = []
    month: date | None = first
    while month is not None and month <= last:
        out.append(month)
        month = next_month(month)
    return out


COMPLAINT_COLUMNS = (
    Complaint.id,
    Complaint.submitted_at,
    Complaint.channel,
    Complaint.language,
    Complaint.filer_relationship,
    Complaint.anonymous,
    Complaint.incident_date,
    Complaint.incident_state,
    Complaint.incident_county_fips,
    Complaint.place_kind,
    Complaint.status,
    Complaint.closure_reason,
    Complaint.referral_agency,
    Complaint.status_changed_at,
)


def id_batches(connection, months: MonthRange, batch_size: int) -> Iterator[list[int]]:
    """Complaint ids in the file's order, ``batch_size`` at a time: month by month, and within
    a month by the keyed shuffle. One query per month, read ``batch_size`` rows at a time
    (a server-side cursor on PostgreSQL), so the month is sorted once and never held whole."""
    key = _shuffle_key()
    for month in _months(months):
        result = connection.execute(
            select(Complaint.id)
            .where(*MonthRange(month, month).conditions())
            .order_by(key)
            .execution_options(yield_per=batch_size)
        )
        for partition in result.partitions():
            yield [row[0] for row in partition]


def _days_to_close(submitted_at: datetime, closed_at: datetime) -> str:
    days = (closed_at - submitted_at).days
    for most, code in _DAY_RANGES:
        if days <= most:
            return code
    return "over_365"


def _id_in(column, ids: list[int]) -> ColumnElement[bool]:
    """``column IN (ids)``. On PostgreSQL as ``= ANY`` of one array parameter: 2,000 separate
    parameters cost more to render, send and parse than the query takes to run."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(ids, postgresql.ARRAY(Integer)))
    # One expanding parameter: the list is not coerced element by element.
    return column.in_(bindparam(None, ids, expanding=True))


def _related(connection, ids: list[int]):
    """A batch's allegations, agencies and program contexts: one query each."""
    allegations: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for complaint_id, category, finding in connection.execute(
        select(Allegation.complaint_id, Allegation.category, Allegation.finding).where(
            _id_in(Allegation.complaint_id, ids)
        )
    ).all():
        allegations[complaint_id].append((category, finding))
    agencies: dict[int, set[str]] = defaultdict(set)
    for complaint_id, agency in connection.execute(
        select(ComplaintAgency.complaint_id, ComplaintAgency.agency).where(
            _id_in(ComplaintAgency.complaint_id, ids)
        )
    ).all():
        agencies[complaint_id].add(agency)
    contexts: dict[int, set[str]] = defaultdict(set)
    for complaint_id, context in connection.execute(
        select(ComplaintProgramContext.complaint_id, ComplaintProgramContext.context).where(
            _id_in(ComplaintProgramContext.complaint_id, ids)
        )
    ).all():
        contexts[complaint_id].add(context)
    return allegations, agencies, contexts


def _joiner(vocabulary) -> Callable[[set[str]], str]:
    """Codes joined by ";" in the vocabulary's order, so the same set always reads the same."""
    order = tuple(vocabulary)
    joined: dict[frozenset[str], str] = {}

    def join(codes: set[str]) -> str:
        key = frozenset(codes)
        if key not in joined:  # few distinct sets: each is worked out once
            joined[key] = ";".join(code for code in order if code in key)
        return joined[key]

    return join


def row_batches(
    months: MonthRange, cells: CountyCells, batch_size: int
) -> Iterator[list[list[str]]]:
    """The file's rows (before neutralising), one list per batch of complaints."""
    make_row = _row_maker(cells)
    # Core rows straight from the connection (the session's transaction): no ORM loading.
    connection = db.session.connection()
    for ids in id_batches(connection, months, batch_size):
        complaints = {
            row[0]: row
            for row in connection.execute(
                select(*COMPLAINT_COLUMNS).where(_id_in(Complaint.id, ids))
            ).all()
        }
        related = _related(connection, ids)
        # A complaint deleted since its id was read (outside a snapshot) has no row.
        yield [make_row(complaints[i], *related) for i in ids if i in complaints]


def _row_maker(cells: CountyCells):
    """``make_row(complaint, allegations, agencies, contexts)``: one complaint's row, from
    its COMPLAINT_COLUMNS and its batch's related codes."""
    record_id = record_id_hasher()
    shown = cells.shown
    position = {code: number for number, code in enumerate(categories.ALLEGATIONS)}
    not_alleged = ["0"] * len(position)
    no_finding = [""] * len(position)
    join_agencies = _joiner(categories.AGENCIES)
    join_contexts = _joiner(categories.PROGRAM_CONTEXTS)
    nothing: set[str] = set()

    def make_row(row, allegations, agencies, contexts) -> list[str]:
        (
            complaint_id,
            submitted_at,
            channel,
            language,
            filer_relationship,
            anonymous,
            incident_date,
            incident_state,
            county,
            place_kind,
            status,
            closure_reason,
            referral_agency,
            status_changed_at,
        ) = row
        county_name = shown.get(county, "") if county else ""
        closed = status == "closed"
        alleged, findings = not_alleged.copy(), no_finding.copy()
        for category, finding in allegations.get(complaint_id, ()):
            alleged[position[category]] = "1"
            findings[position[category]] = finding or ""
        return [
            record_id(complaint_id),
            month_label(submitted_at),
            channel,
            language,
            filer_relationship,
            "yes" if anonymous else "no",
            month_label(incident_date) if incident_date else "",
            incident_state or "",
            county if county_name else "",
            county_name,
            place_kind or "",
            join_agencies(agencies.get(complaint_id, nothing)),
            join_contexts(contexts.get(complaint_id, nothing)),
            status,
            closure_reason or "",
            referral_agency or "",
            month_label(status_changed_at) if closed else "",
            _days_to_close(submitted_at, status_changed_at) if closed else "",
            *alleged,
            *findings,
        ]

    return make_row


def csv_chunks(rows: Iterator[list[list[str]]], head: list[str]) -> Iterator[bytes]:
    """The CSV's bytes: the byte-order mark and header, then one chunk per batch of rows.
    Every cell passes through ``neutralise``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(neutralise_row(head))
    for batch in rows:
        writer.writerows([neutralise_row(row) for row in batch])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    tail = buffer.getvalue()
    if tail:
        yield tail.encode("utf-8")


def batch_size() -> int:
    return max(1, int(current_app.config.get("OPEN_DATA_BATCH_SIZE", DEFAULT_BATCH_SIZE)))


def suppression_k() -> int:
    return int(current_app.config["OVERSIGHT_SUPPRESSION_K"])


# --- the downloads ----------------------------------------------------------------------------


def record_export(months: MonthRange) -> None:
    """Put the export on the audit trail and commit. The stream cannot commit, so this comes
    before the first byte goes: written with the write lock taken up front (SQLite)."""
    user = current_user()
    write_lock_from_now()
    args = months.query_args()
    record_event(
        "oversight.open_data_exported",
        actor_type="staff",
        actor_id=user.id,
        details={"filed_from": args.get("filed_from"), "filed_to": args.get("filed_to")},
    )
    db.session.commit()


def _read_one_snapshot() -> None:
    """From here on the request only reads: no write lock on SQLite while the file streams;
    on PostgreSQL one snapshot for the county counts and every row (set before the first
    query)."""
    reads_only_from_now()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )


def file_response(months: MonthRange) -> Response:
    """The file, streamed batch by batch as an attachment (call after ``record_export``)."""
    _read_one_snapshot()
    k, size = suppression_k(), batch_size()
    cells = county_cells(months, k)

    def generate() -> Iterator[bytes]:
        try:
            yield from csv_chunks(row_batches(months, cells, size), header())
        except Exception as error:
            # The response has started: nothing to do but stop, leaving a short file.
            log.error("open data export failed: %s", type(error).__name__)
            raise
        finally:
            db.session.rollback()  # end the read transaction (nothing was written)

    return _csv_attachment(Response(stream_with_context(generate())), months.filename())


def dictionary_response() -> Response:
    """The data dictionary as CSV, in the page's language."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerows(neutralise_row(row) for row in dictionary_rows(suppression_k()))
    response = Response(buffer.getvalue().encode("utf-8"))
    return _csv_attachment(response, "complaints-open-data-dictionary.csv")


def _csv_attachment(response: Response, filename: str) -> Response:
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
