"""Full-text search over narratives and names: PostgreSQL tsvector + GIN, SQLite FTS5.

Both index the same text, folded the same way in Python (lower case, accents removed), so a
search for "jose" finds "José" on either database. The `complaint_search` table is created by
migration 0002, not by a model, because its shape differs by database.
"""

import re
import unicodedata

from sqlalchemy import ColumnElement, Integer, bindparam, column, text
from sqlalchemy.orm import Session

from intake.complaints.models import Complaint

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


def index_complaint(session: Session, complaint: Complaint) -> None:
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


def matches(session: Session, query: str) -> ColumnElement[bool] | None:
    """A WHERE clause: complaints whose text has every word of the query; None if no words."""
    words = query_words(query)
    if not words:
        return None
    if session.get_bind().dialect.name == "postgresql":
        subquery = text(
            "SELECT complaint_id FROM complaint_search"
            " WHERE document @@ plainto_tsquery('simple', :search_words)"
        ).bindparams(bindparam("search_words", " ".join(words)))
    else:
        # Each word quoted: FTS5 operators typed by a user are searched for, not obeyed.
        subquery = text(
            "SELECT rowid FROM complaint_search WHERE complaint_search MATCH :search_words"
        ).bindparams(bindparam("search_words", " ".join(f'"{word}"' for word in words)))
    return Complaint.id.in_(subquery.columns(column("id", Integer)))


def index_new(session: Session, entries: list[tuple[int, str]]) -> None:
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
