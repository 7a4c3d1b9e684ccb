"""A database that fails during submit: a clear "try again" page, answers kept, no receipt."""

import sqlite3
from contextlib import contextmanager

import psycopg
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from intake.complaints.models import Complaint
from intake.extensions import db
from tests.conftest import csrf_token
from tests.filing import TRACKING_RE, fill_all_steps


@contextmanager
def complaints_locked(database_url: str):
    """Another connection holds a lock that keeps the app from writing a complaint."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
    else:
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(dsn) as conn:
            conn.execute("LOCK TABLE complaints IN ACCESS EXCLUSIVE MODE")
            yield
            conn.rollback()


def complaints(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Complaint)).scalar_one()


def test_locked_database_during_submit_shows_try_again_and_keeps_answers(app, client, database_url):
    fill_all_steps(client)
    token = csrf_token(client, "/status/")
    with complaints_locked(database_url):
        response = client.post("/file/submit", data={"csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Your complaint was not sent yet" in html
    assert not TRACKING_RE.search(html) and "access-code" not in html
    assert complaints(app) == 0
    # The answers are all still there, and "Try again" now works.
    assert "rosa.canary@example.org" in client.get("/file/filer").get_data(as_text=True)
    retry = client.post("/file/submit", data={"csrf_token": token})
    assert retry.status_code == 302 and retry.headers["Location"].endswith("/file/confirmation")
    assert complaints(app) == 1
    assert TRACKING_RE.search(client.get("/file/confirmation").get_data(as_text=True))


def test_database_down_on_any_page_gives_a_clear_error_page(app):
    broken = app.test_client()
    with app.app_context():
        # A real connection failure: the app's engine is swapped for one whose server is down.
        dead = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
        db.session.remove()
        original = db.engines[None]
        db.engines[None] = dead
        try:
            with broken.session_transaction() as session:
                session["status_access"] = {"complaint_id": 1, "until": 9e12}
            response = broken.get("/status/case")
        finally:
            db.engines[None] = original
    assert response.status_code == 503
    assert "something went wrong on our side" in response.get_data(as_text=True)
