"""The staff benchmark's data set: N generated complaints, staff accounts, a signed-in browser.

Generating a million complaints takes many minutes, so the data set is kept between runs: in
the PostgreSQL database ``bench`` (``bench_<N>`` for any other size) and, for SQLite, in a file
under ``bench/output/``. A run reuses it when it holds exactly N complaints, adds the missing
ones when it holds fewer (an interrupted generation), and starts again when it holds more.
"""

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, inspect, select, text

from intake.accounts import services as accounts
from intake.accounts.access import SESSION_KEY
from intake.accounts.models import User
from intake.complaints.models import Allegation, Complaint, ComplaintAgency
from intake.database import utcnow
from intake.demo.generator import generate_complaints
from intake.extensions import db
from intake.factory import create_app

from .report import OUTPUT_DIR
from .server import POSTGRES_HOST, ensure_postgres_database

FULL_SIZE = 1_000_000
SEED = 20261121  # the same complaints every time a data set of a size is made on one day
BATCH_SIZE = 5000

# Who works the generated cases: the generator assigns cases to active staff it finds.
BENCH_SUPERVISOR = "bench-supervisor@example.gov"
STAFF = [
    (BENCH_SUPERVISOR, ("supervisor",)),
    *((f"bench-intake-{n}@example.gov", ("intake_specialist",)) for n in range(1, 13)),
    *((f"bench-investigator-{n}@example.gov", ("investigator",)) for n in range(1, 31)),
    *((f"bench-supervisor-{n}@example.gov", ("supervisor",)) for n in range(2, 5)),
]

# Tables whose indexes the queue relies on; a reused data set gets index changes made since.
QUEUE_TABLES = (Complaint, Allegation, ComplaintAgency)


@dataclass(frozen=True)
class DataSet:
    backend: str
    database_url: str
    complaints: int
    generated_now: int  # complaints added by this run (0: reused as it was)
    seconds_to_prepare: float


@dataclass(frozen=True)
class SignedInBrowser:
    """Cookies of a supervisor's live staff session, and a CSRF token valid in it."""

    secret_key: str  # the server must run with it, or it cannot read the cookie
    cookies: dict[str, str]
    csrf_token: str
    user_id: int


def database_url(backend: str, size: int) -> str:
    if backend == "postgresql":
        name = "bench" if size == FULL_SIZE else f"bench_{size}"
        ensure_postgres_database(name)
        return f"postgresql+psycopg://postgres@{POSTGRES_HOST}/{name}"
    OUTPUT_DIR.mkdir(exist_ok=True)
    return f"sqlite:///{OUTPUT_DIR / f'staff-{size}.sqlite3'}"


def app_for(url: str, secret_key: str):
    return create_app(
        {"INTAKE_ENV": "production", "SECRET_KEY": secret_key, "SQLALCHEMY_DATABASE_URI": url}
    )


def prepare(backend: str, url: str, size: int, secret_key: str) -> DataSet:
    """Bring the (migrated) database at ``url`` to ``size`` generated complaints."""
    started = time.perf_counter()
    app = app_for(url, secret_key)
    with app.app_context():
        existing = _count()
        if existing > size:
            print(f"  {existing:,} complaints, more than {size:,}: starting again")
            _empty(backend)
            existing = 0
        _ensure_staff()
        sync_indexes()
        missing = size - existing
        if missing:
            print(f"  generating {missing:,} complaints (about 1,000 a second)...", flush=True)
            _generate(missing)
        _analyze(backend, vacuum=bool(missing))
        db.engine.dispose()
    return DataSet(backend, url, size, missing, time.perf_counter() - started)


def _count() -> int:
    return db.session.execute(select(func.count()).select_from(Complaint)).scalar_one()


def _empty(backend: str) -> None:
    tables = [t for t in db.metadata.sorted_tables if t.name not in {"states", "counties"}]
    tables = [t for t in tables if t.name != "alembic_version"]
    with db.engine.begin() as conn:
        if backend == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.execute(text(f"TRUNCATE {names}, complaint_search RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())
            conn.execute(text("DELETE FROM complaint_search"))


def _ensure_staff() -> None:
    known = set(db.session.execute(select(User.email)).scalars())
    for email, roles in STAFF:
        if email not in known:
            user = accounts.create_user(email, email.split("@")[0], roles, None, _password())
            user.totp_enrolled_at = utcnow()
    db.session.commit()


def _password() -> str:
    return secrets.token_urlsafe(24)  # nobody signs in with it: the bench makes sessions


def sync_indexes() -> None:
    """Make the queue tables' ``ix_`` indexes what the models declare (names and columns).

    Migration 0002 is still being tuned, so a data set generated under an earlier version of
    it would otherwise be measured with the wrong indexes.
    """
    inspector = inspect(db.engine)
    for model in QUEUE_TABLES:
        table = model.__table__
        declared = {
            index.name: (index, [column.name for column in index.columns])
            for index in table.indexes
        }
        present = {
            index["name"]: index["column_names"] for index in inspector.get_indexes(table.name)
        }
        for name, columns in sorted(present.items()):
            if name.startswith("ix_") and (name not in declared or declared[name][1] != columns):
                print(f"  dropping index {name} {columns} (not as declared)")
                quoted = db.engine.dialect.identifier_preparer.quote(name)
                with db.engine.begin() as conn:
                    conn.execute(text(f"DROP INDEX {quoted}"))
                del present[name]
        for name in sorted(set(declared) - set(present)):
            print(f"  creating index {name} {declared[name][1]}", flush=True)
            declared[name][0].create(db.engine)


def _generate(count: int) -> None:
    started = time.perf_counter()
    next_report = [50_000]

    def progress(done: int) -> None:
        if done >= next_report[0] or done == count:
            rate = done / max(time.perf_counter() - started, 1e-9)
            print(f"    {done:,} / {count:,} ({rate:,.0f} per second)", flush=True)
            next_report[0] = done + 50_000

    generate_complaints(count, seed=SEED, batch_size=BATCH_SIZE, progress=progress, assign=True)


def _analyze(backend: str, *, vacuum: bool) -> None:
    """Planner statistics (and, after a bulk load, the visibility map for index-only scans)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if backend == "postgresql":
            conn.execute(text("VACUUM ANALYZE" if vacuum else "ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))


def sign_in(url: str, secret_key: str) -> SignedInBrowser:
    """A live session for the bench supervisor, as the cookie a browser would hold."""
    app = app_for(url, secret_key)
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == BENCH_SUPERVISOR)).scalar_one()
        token = accounts.start_session(user)
        db.session.commit()
        user_id = user.id
        with app.test_request_context("/"):
            csrf_token = generate_csrf()
            session[SESSION_KEY] = token
            cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
        db.engine.dispose()
    cookies = {app.config["SESSION_COOKIE_NAME"]: cookie}
    return SignedInBrowser(secret_key, cookies, csrf_token, user_id)


def instance_dir() -> Path:
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR
