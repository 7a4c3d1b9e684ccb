"""Engine set-up and column types shared by every feature's models."""

from datetime import UTC, datetime
from typing import Any, cast

from flask import current_app, g, has_request_context, request
from sqlalchemy import DateTime, Table, event
from sqlalchemy.engine import CursorResult, Engine, Result
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.types import TypeDecorator

from .extensions import Base, db

# A function that reads or writes takes the request's scoped session (db.session) or a plain one.
AnySession = Session | scoped_session[Any]


def rows_matched(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched. SQLAlchemy types every execute() as a Result;
    a data-changing statement's is a CursorResult, which counts them."""
    return cast(CursorResult[Any], result).rowcount


def table_of(model: type[Base]) -> Table:
    """A model's Table, for Core statements and bulk loads. Declarative types ``__table__`` as
    any FromClause (a class may be mapped to a join or a select); every model here is mapped
    to a table."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timestamps stored as UTC and always read back timezone-aware.

    SQLite keeps no zone; PostgreSQL does. Normalising here keeps hashes, comparisons
    and rendering identical on both.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """SQLite: WAL, foreign keys, durable commits, and write transactions that lock early."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is wrong).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A deferred transaction that reads and then writes fails at once (SQLITE_BUSY)
        # if another writer committed in between; taking the write lock up front makes
        # concurrent form posts wait their turn instead.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


def _wants_write_lock() -> bool:
    if not has_request_context():
        return True  # CLI commands and scripts write
    if request.method not in {"GET", "HEAD", "OPTIONS"} or g.get("write_lock_from_now"):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "writes_on_get", False))


def write_lock_from_now() -> None:
    """For a GET that reads for a long while (renders a PDF) and writes only at the end:
    end the read transaction here; the next one takes the write lock up front. The lock is
    then held for the write alone, not for the whole render."""
    db.session.commit()
    g.write_lock_from_now = True


def reads_only_from_now() -> None:
    """After write_lock_from_now's write is committed: the request's next transactions only
    read (a long streamed download), so they take no write lock."""
    g.pop("write_lock_from_now", None)


def writes_on_get(view):
    """Mark a view whose GET writes (an audited view of personal data): on SQLite it takes
    the write lock up front like a form post, so it waits its turn instead of failing."""
    view.writes_on_get = True
    return view


# Tables the migrations create outside the models: the full-text index differs by database
# (a tsvector table on PostgreSQL, an FTS5 virtual table and its shadow tables on SQLite).
UNMODELLED_TABLE_PREFIX = "complaint_search"


def include_in_autogenerate(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter: leave the full-text index tables alone when comparing schemas."""
    if type_ == "table" and reflected and compare_to is None:
        return not name.startswith(UNMODELLED_TABLE_PREFIX)
    if type_ == "index" and reflected and compare_to is None:
        return not name.startswith("ix_" + UNMODELLED_TABLE_PREFIX)
    return True
