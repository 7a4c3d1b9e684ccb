"""Full-text search over narratives and names: PostgreSQL tsvector + GIN, SQLite FTS5.

Both index the same text, folded the same way in Python (lower case, accents removed), so a
search for "jose" finds "José" on either database. The `complaint_search` table is created by
migration 0002, not by a model, because its shape differs by database.
"""

import json
import re
import unicodedata
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    any_,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import object_session

from intake.complaints.models import Complaint
from intake.database import AnySession
from intake.extensions import db
from intake.signals import complaint_filed

_WORD = re.compile(r"\w+", re.UNICODE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
MAX_QUERY_WORDS = 12


def _without_combining_marks(match: re.Match) -> str:
    return "".join(ch for ch in match.group() if not unicodedata.combining(ch))


def fold(value: str) -> str:
    """Lower case, accents removed ("José" -> "jose")."""
    if value.isascii():
        return value.lower()
    # Only the non-ASCII runs are looked at character by character: most text is ASCII,
    # and the demo generator folds a million narratives.
    decomposed = unicodedata.normalize("NFKD", value)
    return _NON_ASCII.sub(_without_combining_marks, decomposed).lower()


# What a search can find: the story, names, officers, witnesses, places, details.
COMPLAINT_FIELDS = (
    "tracking_number",
    "narrative",
    "desired_outcome",
    "officers",
    "witnesses",
    "incident_city",
    "local_agency_name",
    "other_agency_name",
)
PERSON_FIELDS = ("name", "organization", "facility_name")
ALLEGATION_FIELDS = ("details",)


def document_for(complaint, people, allegations, get=getattr) -> str:
    """The folded text indexed for a complaint; ``get`` reads ORM objects or dict rows."""
    parts = [get(complaint, name) for name in COMPLAINT_FIELDS]
    parts += [get(person, name) for person in people for name in PERSON_FIELDS]
    parts += [get(item, name) for item in allegations for name in ALLEGATION_FIELDS]
    return fold(" ".join(part for part in parts if part))


def search_text(complaint: Complaint) -> str:
    return document_for(complaint, complaint.people, complaint.allegations)


def query_words(query: str) -> list[str]:
    return _WORD.findall(fold(query))[:MAX_QUERY_WORDS]


def index_complaint(session: AnySession, complaint: Complaint) -> None:
    """Add or replace the complaint's entry, in the caller's transaction."""
    document = search_text(complaint)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "INSERT INTO complaint_search (complaint_id, document)"
                " VALUES (:id, to_tsvector('simple', :document))"
                " ON CONFLICT (complaint_id) DO UPDATE SET document = excluded.document"
            ),
            {"id": complaint.id, "document": document},
        )
    else:
        session.execute(
            text("DELETE FROM complaint_search WHERE rowid = :id"), {"id": complaint.id}
        )
        session.execute(
            text("INSERT INTO complaint_search (rowid, document) VALUES (:id, :document)"),
            {"id": complaint.id, "document": document},
        )



@complaint_filed.connect
def _index_filed_complaint(complaint: Complaint, **_extra) -> None:
    index_complaint(object_session(complaint) or db.session, complaint)


# A search is "selective" when it matches few complaints: its matches are then fetched from
# the full-text index first, looked up by id and sorted (and counted). Otherwise walking the
# queue in order and checking each complaint finds a page sooner, and the search is not
# counted. Each way reads about one table page per complaint it looks at; at a million
# complaints in PostgreSQL they cost the same near 7,000 matches. SQLite counts the matches
# (cheap in FTS5) and looks rows up more slowly, so its limit is lower.
SELECTIVE_MATCHES = 10_000
SELECTIVE_MATCHES_SQLITE = 2_000
_MATCH_SQL = "document @@ plainto_tsquery('simple', :search_words)"


def matches(session: AnySession, query: str) -> ColumnElement[bool] | None:
    """A WHERE clause: complaints whose text has every word of the query; None if no words."""
    return search_clause(session, query)[0]


def search_clause(session: AnySession, query: str) -> tuple[ColumnElement[bool] | None, bool]:
    """The clause of ``matches``, and whether the search is selective (``is_selective``):
    only then is counting its matches cheap."""
    words = query_words(query)
    if not words:
        return None, True
    selective = is_selective(session, query)
    if session.get_bind().dialect.name != "postgresql":
        subquery = _fts5_matches(words).columns(column("id", Integer))
        if selective:
            return Complaint.id.in_(subquery), True
        # "id + 0": SQLite may not use the id for look-ups, so it walks the queue index in
        # order and checks each row against the matches instead of fetching them all.
        return (Complaint.id + 0).in_(subquery), False
    found = text(_MATCH_SQL).bindparams(bindparam("search_words", " ".join(words)))
    if not selective:
        subquery = select(column("complaint_id", Integer)).select_from(table("complaint_search"))
        return Complaint.id.in_(subquery.where(found)), False
    # The matches as one array, computed once: the planner then looks each up by id. As a
    # plain semi-join it would rather check every open complaint's index entry against a hash
    # of the matches, which costs far more at a million complaints.
    ids = (
        select(func.array_agg(column("complaint_id", Integer)))
        .select_from(table("complaint_search"))
        .where(found)
        .scalar_subquery()
    )
    # coalesce: no match gives an empty array (not NULL), and makes ANY take one array value
    # rather than read the subquery as a set of rows.
    empty: ColumnElement[Any] = literal_column("'{}'::integer[]")
    return Complaint.id == any_(func.coalesce(ids, empty)), True


def _fts5_matches(words: list[str]):
    # Each word quoted: FTS5 operators typed by a user are searched for, not obeyed.
    return text(
        "SELECT rowid FROM complaint_search WHERE complaint_search MATCH :search_words"
    ).bindparams(bindparam("search_words", " ".join(f'"{word}"' for word in words)))


def is_selective(session: AnySession, query: str) -> bool:
    """Whether the query matches few enough complaints to fetch and count them all cheaply.

    PostgreSQL: the planner's estimate (from the word statistics ANALYZE keeps; migration 0002
    raises their detail), which costs a plan, not a search. SQLite: FTS5 counts them, up to
    the limit.
    """
    words = query_words(query)
    if not words:
        return True
    if session.get_bind().dialect.name != "postgresql":
        limited = _fts5_matches(words).columns(column("rowid", Integer)).subquery()
        found = session.execute(
            select(func.count()).select_from(
                select(limited.c.rowid).limit(SELECTIVE_MATCHES_SQLITE).subquery()
            )
        ).scalar_one()
        return found < SELECTIVE_MATCHES_SQLITE
    plan = session.execute(
        text(
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM complaint_search"
            " WHERE document @@ plainto_tsquery('simple', :search_words)"
        ),
        {"search_words": " ".join(words)},
    ).scalar_one()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"]["Plan Rows"] < SELECTIVE_MATCHES


def index_new(session: AnySession, entries: list[tuple[int, str]]) -> None:
    """Bulk-add entries (complaint id, folded document) for complaints not yet indexed."""
    if not entries:
        return
    ids = [entry[0] for entry in entries]
    documents = [entry[1] for entry in entries]
    if session.get_bind().dialect.name == "postgresql":
        # One statement per batch: the arrays travel as two parameters.
        session.execute(
            text(
                "INSERT INTO complaint_search (complaint_id, document)"
                " SELECT id, to_tsvector('simple', document)"
                " FROM unnest(CAST(:ids AS integer[]), CAST(:documents AS text[]))"
                " AS entry(id, document)"
            ),
            {"ids": ids, "documents": documents},
        )
    else:
        session.execute(
            text("INSERT INTO complaint_search (rowid, document) VALUES (:id, :document)"),
            [{"id": i, "document": d} for i, d in entries],
        )
