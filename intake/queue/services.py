"""The queue's query: filters as WHERE clauses, keyset pages, capped counts.

Pages are found by keyset, never OFFSET: a cursor holds the sort key and id of the row a page
starts after (or before), so page 20,000 costs what page 1 costs. Ties on the timestamp are
broken by id, so every complaint appears exactly once while paging. Counts stop at
``COUNT_CAP``: past that, staff read "More than 1,000", not a number that costs a scan of
everything that matches.
"""

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select

from intake.accounts.models import User, UserRole
from intake.accounts.roles import CASE_ROLES
from intake.complaints.models import Allegation, Complaint, ComplaintAgency
from intake.database import AnySession, utcnow
from intake.reference.models import County
from intake.review.access import visible_to
from intake.review.deadlines import is_overdue, overdue_clause

PAGE_SIZE = 50
COUNT_CAP = 1000

# Sort name -> (column, newest first?). "status_age": longest in its current status first.
SORTS = {
    "newest": (Complaint.submitted_at, True),
    "oldest": (Complaint.submitted_at, False),
    "status_age": (Complaint.status_changed_at, False),
}
DEFAULT_SORT = "newest"

# Status filter values besides a status code.
OPEN = ""  # the default: every status but closed
ANY_STATUS = "all"
# Assignee filter values besides a user id.
ASSIGNED_TO_ME = "me"
UNASSIGNED = "none"


@dataclass(frozen=True)
class Filters:
    """What the queue is limited to; every value is a code, never typed text."""

    status: str = OPEN
    allegation: str = ""
    agency: str = ""
    state: str = ""
    county: str = ""
    assignee: str = ""  # "", ASSIGNED_TO_ME, UNASSIGNED or a user id
    channel: str = ""
    language: str = ""
    overdue: bool = False
    submitted_from: date | None = None
    submitted_to: date | None = None
    sort: str = DEFAULT_SORT

    def query_args(self) -> dict[str, Any]:  # url_for's **values
        """The filters as URL query parameters, leaving out defaults."""
        args = {
            "status": self.status,
            "allegation": self.allegation,
            "agency": self.agency,
            "state": self.state,
            "county": self.county,
            "assignee": self.assignee,
            "channel": self.channel,
            "language": self.language,
            "overdue": "1" if self.overdue else "",
            "submitted_from": self.submitted_from.isoformat() if self.submitted_from else "",
            "submitted_to": self.submitted_to.isoformat() if self.submitted_to else "",
            "sort": "" if self.sort == DEFAULT_SORT else self.sort,
        }
        return {name: value for name, value in args.items() if value}


def conditions(filters: Filters, user, now: datetime | None = None) -> list[ColumnElement[bool]]:
    """WHERE clauses for the filters, limited to the cases ``user`` may open."""
    where: list[ColumnElement[bool]] = [visible_to(user)]
    if filters.status == OPEN:
        # "Not closed" rather than a list of the open statuses: no index range on status,
        # so both databases walk a queue index in order (or, for a rare search, its matches).
        where.append(Complaint.status != "closed")
    elif filters.status != ANY_STATUS:
        where.append(Complaint.status == filters.status)
    if filters.allegation:
        where.append(
            exists().where(
                Allegation.complaint_id == Complaint.id,
                Allegation.category == filters.allegation,
            )
        )
    if filters.agency:
        where.append(
            exists().where(
                ComplaintAgency.complaint_id == Complaint.id,
                ComplaintAgency.agency == filters.agency,
            )
        )
    if filters.state:
        where.append(Complaint.incident_state == filters.state)
    if filters.county:
        where.append(Complaint.incident_county_fips == filters.county)
    if filters.assignee == ASSIGNED_TO_ME:
        where.append(Complaint.assignee_id == user.id)
    elif filters.assignee == UNASSIGNED:
        where.append(Complaint.assignee_id.is_(None))
    elif filters.assignee:
        where.append(Complaint.assignee_id == int(filters.assignee))
    if filters.channel:
        where.append(Complaint.channel == filters.channel)
    if filters.language:
        where.append(Complaint.language == filters.language)
    if filters.overdue:
        where.append(overdue_clause(now))
    if filters.submitted_from:
        where.append(Complaint.submitted_at >= _start_of(filters.submitted_from))
    if filters.submitted_to:
        where.append(Complaint.submitted_at < _start_of(filters.submitted_to + timedelta(days=1)))
    return where


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


# --- cursors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (or, going back, before) the row with this key and id."""

    sort: str
    key: datetime
    id: int
    backwards: bool = False

    def encode(self) -> str:
        raw = json.dumps(
            [self.sort, self.key.isoformat(), self.id, "b" if self.backwards else "f"],
            separators=(",", ":"),
        )
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str | None, sort: str) -> "Cursor | None":
        """The cursor in ``token``, or None if it is missing, malformed or for another sort."""
        if not token or len(token) > 200:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            name, key, row_id, direction = json.loads(raw)
            key = datetime.fromisoformat(key)
            if (
                name != sort
                or key.tzinfo is None
                or not isinstance(row_id, int)
                or isinstance(row_id, bool)
                or direction not in ("f", "b")
            ):
                return None
            return cls(name, key.astimezone(UTC), row_id, direction == "b")
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            return None


def _after(sort: str, key: datetime, row_id: int, backwards: bool) -> ColumnElement[bool]:
    """Rows that come after (key, id) in the sort's order, or before it when ``backwards``.

    Written as ``key <= k AND (key < k OR id < i)`` rather than a row comparison: both
    databases use the (key, id) index for the first part.
    """
    column, newest_first = SORTS[sort]
    toward_smaller = newest_first != backwards
    if toward_smaller:
        return and_(column <= key, or_(column < key, Complaint.id < row_id))
    return and_(column >= key, or_(column > key, Complaint.id > row_id))


def _order(sort: str, backwards: bool):
    column, newest_first = SORTS[sort]
    descending = newest_first != backwards
    return (column.desc(), Complaint.id.desc()) if descending else (column, Complaint.id)


# --- pages -----------------------------------------------------------------------------------


@dataclass
class QueueRow:
    id: int
    tracking_number: str
    submitted_at: datetime
    status: str
    status_changed_at: datetime
    incident_state: str | None
    incident_county_fips: str | None
    assignee_id: int | None
    county_name: str | None = None
    assignee_name: str | None = None
    allegations: list[str] = field(default_factory=list)
    overdue: bool = False


@dataclass
class Page:
    rows: list[QueueRow]
    next_cursor: str | None  # None: this is the last page
    previous_cursor: str | None  # None: this is the first page
    matches: int | None  # how many complaints match, up to COUNT_CAP + 1; None: not counted
    first_page: bool

    cap: int = COUNT_CAP

    @property
    def matches_capped(self) -> bool:
        return self.matches is not None and self.matches > self.cap


def queue_page(
    session: AnySession,
    where: list[ColumnElement[bool]],
    sort: str = DEFAULT_SORT,
    cursor: Cursor | None = None,
    page_size: int | None = None,
    *,
    count: bool = True,
) -> Page:
    """One page of the queue: the rows after (or before) ``cursor``, and, if ``count``, a
    capped count of all matches."""
    page_size = page_size or PAGE_SIZE
    if cursor is not None and cursor.sort != sort:
        cursor = None
    rows = _fetch(session, where, sort, cursor, page_size + 1)
    if cursor is not None and cursor.backwards:
        more_before = len(rows) > page_size
        rows = rows[:page_size][::-1]
        if not more_before:
            # Back at the start: show a full first page rather than a short one.
            cursor = None
            rows = _fetch(session, where, sort, None, page_size + 1)
            more_after = len(rows) > page_size
            rows = rows[:page_size]
        else:
            more_after = True
    else:
        more_before = cursor is not None
        more_after = len(rows) > page_size
        rows = rows[:page_size]

    _add_details(session, rows)
    column_name = (
        "submitted_at" if SORTS[sort][0] is Complaint.submitted_at else "status_changed_at"
    )

    def cursor_at(row: QueueRow, backwards: bool) -> str:
        return Cursor(sort, getattr(row, column_name), row.id, backwards).encode()

    return Page(
        rows=rows,
        next_cursor=cursor_at(rows[-1], False) if rows and more_after else None,
        previous_cursor=cursor_at(rows[0], True) if rows and more_before else None,
        matches=count_matches(session, where) if count else None,
        first_page=not more_before,
        cap=COUNT_CAP,
    )


def _fetch(session, where, sort, cursor, limit) -> list[QueueRow]:
    return [QueueRow(*row) for row in session.execute(page_query(where, sort, cursor, limit))]


def page_query(where, sort: str, cursor: Cursor | None, limit: int):
    """The SELECT for one page (``limit`` rows after or before ``cursor``)."""
    backwards = cursor is not None and cursor.backwards
    # First the page's ids, then its rows: the ids come from a queue index alone (it holds
    # every filtered column), so a filter that skips many rows never reads them from the table.
    wanted = select(Complaint.id).where(*where)
    if cursor is not None:
        wanted = wanted.where(_after(sort, cursor.key, cursor.id, cursor.backwards))
    ids = wanted.order_by(*_order(sort, backwards)).limit(limit).subquery()
    return (
        select(
            Complaint.id,
            Complaint.tracking_number,
            Complaint.submitted_at,
            Complaint.status,
            Complaint.status_changed_at,
            Complaint.incident_state,
            Complaint.incident_county_fips,
            Complaint.assignee_id,
            County.name,
            User.name,
        )
        .join(ids, ids.c.id == Complaint.id)
        .outerjoin(County, County.fips == Complaint.incident_county_fips)
        .outerjoin(User, User.id == Complaint.assignee_id)
        .order_by(*_order(sort, backwards))
    )


def count_matches(session: AnySession, where: list[ColumnElement[bool]]) -> int:
    """How many complaints match, but never more than COUNT_CAP + 1 (cheap at any size)."""
    return session.execute(count_query(where)).scalar_one()


def count_query(where):
    limited = select(Complaint.id).where(*where).limit(COUNT_CAP + 1).subquery()
    return select(func.count()).select_from(limited)


def _add_details(session: AnySession, rows: list[QueueRow]) -> None:
    """Allegations (one query for the page) and the overdue flag."""
    if not rows:
        return
    allegations: dict[int, list[str]] = {}
    for complaint_id, category in session.execute(
        select(Allegation.complaint_id, Allegation.category)
        .where(Allegation.complaint_id.in_([row.id for row in rows]))
        .order_by(Allegation.complaint_id, Allegation.id)
    ):
        allegations.setdefault(complaint_id, []).append(category)
    now = utcnow()
    for row in rows:
        row.allegations = allegations.get(row.id, [])
        row.overdue = is_overdue(row, now)


def assignable_staff(session: AnySession) -> list[tuple[int, str]]:
    """Active staff who may hold cases, for the assignee filter."""
    query = (
        select(User.id, User.name)
        .where(
            User.active,
            User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(CASE_ROLES))),
        )
        .order_by(User.name, User.id)
    )
    return [(user_id, name) for user_id, name in session.execute(query)]
