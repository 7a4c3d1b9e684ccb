"""Fixtures: the app on a real SQLite file and, when TEST_DATABASE_URL is set, on PostgreSQL.

Every test that takes ``app`` (or anything built on it) runs once per database backend.
The schema comes from the migrations, once per backend per run; each test starts from
empty tables (reference data kept).
"""

import os
import re
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from intake.extensions import db
from intake.factory import create_app

REFERENCE_TABLES = {"states", "counties", "alembic_version"}
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


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
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                names = ", ".join(t.name for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(table.delete())
                conn.execute(text("DELETE FROM complaint_search"))  # FTS5, not a model
        db.engine.dispose()


@pytest.fixture
def app_config():
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(database_url, app_config):
    app = create_app(_test_config(database_url, **app_config))
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
