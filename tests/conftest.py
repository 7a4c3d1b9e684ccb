"""Fixtures: the app on a real SQLite file and, when TEST_DATABASE_URL is set, on PostgreSQL.

Every test that takes ``app`` (or anything built on it) runs once per database backend.
The schema comes from the migrations, once per backend per run; each test starts from
empty tables (reference data kept).
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from werkzeug.serving import make_server

from intake.extensions import db
from intake.factory import create_app
from intake.jobs.models import JobWorker
from intake.jobs.queue import huey

REFERENCE_TABLES = {"states", "counties", "alembic_version"}
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
ROOT = Path(__file__).resolve().parent.parent
# Apps made without a queue of their own (create_app(_test_config(...))) share this file,
# never the checkout's instance folder.
DEFAULT_JOBS_PATH = str(Path(tempfile.gettempdir()) / f"intake-test-jobs-{os.getpid()}.sqlite3")


def _reset_postgres_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _test_config(url: str, **extra) -> dict:
    return {
        "INTAKE_ENV": "testing",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": url,
        "DB_LOCK_TIMEOUT_MS": 300,
        "JOBS_SQLITE_PATH": DEFAULT_JOBS_PATH,
        **extra,
    }


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'intake-test.sqlite3'}"
    else:
        url = os.environ["TEST_DATABASE_URL"]
        _reset_postgres_schema(url)
    app = create_app(_test_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _empty_tables(app) -> None:
    with app.app_context():
        tables = [t for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
        if db.engine.dialect.name == "postgresql":
            _truncate(tables)
        else:
            with db.engine.begin() as conn:
                for table in reversed(tables):
                    conn.execute(table.delete())
                conn.execute(text("DELETE FROM complaint_search"))  # FTS5, not a model
        db.engine.dispose()


def _truncate(tables, tries: int = 20) -> None:
    """TRUNCATE every table. The run's job worker may be inside a short transaction (an export
    a test started), and TRUNCATE's locks can then time out or deadlock with it: try again."""
    names = ", ".join(t.name for t in tables)
    for attempt in range(tries):
        try:
            with db.engine.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '5s'"))
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        except OperationalError:
            if attempt == tries - 1:
                raise
            time.sleep(0.25)


@pytest.fixture
def app_config():
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture(scope="session")
def jobs_config(database_url, tmp_path_factory) -> dict:
    """The job queue the tests' apps and workers share: for SQLite, Huey's SQLite storage;
    with PostgreSQL, Redis when TEST_REDIS_URL is set (as .ci/run sets it)."""
    redis_url = os.environ.get("TEST_REDIS_URL")
    if database_url.startswith("postgresql") and redis_url:
        config = {"REDIS_URL": redis_url, "JOBS_QUEUE": f"test-{os.getpid()}"}
    else:
        path = tmp_path_factory.mktemp("jobs") / "jobs.sqlite3"
        config = {"JOBS_SQLITE_PATH": str(path), "JOBS_QUEUE": "test"}
    return config


def worker_environment(database_url: str, jobs: dict, **extra) -> dict:
    """The environment of a `flask jobs ...` process for the tests' database and queue."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("INTAKE_") or key == "INTAKE_SCREENSHOTS"
    }
    env.update(
        {
            "INTAKE_ENV": "testing",
            "SECRET_KEY": _test_config(database_url)["SECRET_KEY"],
            "DATABASE_URL": database_url,
            "REDIS_URL": "",
            **{key: str(value) for key, value in jobs.items()},
            **{key: str(value) for key, value in extra.items()},
        }
    )
    return env


def start_jobs_process(database_url: str, jobs: dict, kind="worker", *args, log=None, **extra):
    """A real `flask jobs worker` (or scheduler) process; stop it with stop_process."""
    command = [sys.executable, "-m", "flask", "--app", "app", "jobs", kind, *args]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=worker_environment(database_url, jobs, **extra),
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_process(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def wait_for_worker(app, seconds=30) -> None:
    """Until a worker has written its heartbeat into the (emptied) tables."""
    deadline = time.monotonic() + seconds
    with app.app_context():
        while time.monotonic() < deadline:
            if db.session.execute(db.select(JobWorker)).first() is not None:
                db.session.rollback()
                return
            db.session.rollback()
            time.sleep(0.1)
    raise AssertionError("no worker started")


@pytest.fixture(scope="session")
def jobs_worker(database_url, jobs_config, tmp_path_factory):
    """One real worker process (two job threads) for the whole run on this backend's
    database and queue. Tests about the queue itself start their own."""
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    app = create_app(_test_config(database_url, **jobs_config))
    huey.flush()  # nothing left in a shared Redis from an earlier run
    with open(log_path, "wb") as log:
        process = start_jobs_process(database_url, jobs_config, "worker", "--threads", "2", log=log)
    yield process
    stop_process(process)
    del app


@pytest.fixture
def app(database_url, app_config, jobs_config):
    app = create_app(_test_config(database_url, **{**jobs_config, **app_config}))
    _empty_tables(app)
    yield app
    _empty_tables(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def backend(database_url):
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, url="/") -> str:
    page = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on loopback, for the browser tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run, shared by every browser test module."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def visit_factory(browser, live_server, app):
    from tests.browser import Visit, translator

    contexts = []

    def make(lang="en"):
        context = browser.new_context(base_url=live_server, locale="en-US")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Visit(context.new_page(), translator(app, lang), lang)

    yield make
    for context in contexts:
        context.close()
