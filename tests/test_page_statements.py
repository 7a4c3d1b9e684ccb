"""How many SQL statements a case page view and a queue page view send: a bound per page, with
the list of what each needs, so a lazy load (one statement per relationship or per row) that
creeps back in fails here rather than in a benchmark."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from intake.extensions import db
from tests.staff import staff_client
from tests.test_case_page import (
    EXTRA_ANSWERS,
    add_attachment,
    case_page,
    case_version,
    filed_case,
    post,
    version_in,
)

# The case page, for a supervisor on an open case that someone else holds (so the assign menu
# shows), with two people, allegations, agencies, program contexts, a prior complaint, a
# document, a note, messages and a recommendation:
#   1  BEGIN IMMEDIATE (SQLite only: the page records that it was seen)
#   2  the staff session, its user and the user's roles
#   3  the complaint, its assignee, its people and its incident county
#   4-7  its allegations, agencies, program contexts and prior complaints
#   8  its recommendations
#   9  the assign menu: active case staff, (id, name)
#  10  its documents
#  11  its events (the timeline)
#  12  its notes and messages
#  13  the names of the staff on the timeline
#  14  related complaints
#  15-17  the "case viewed" audit event: read the chain's head, move it, insert the event
CASE_PAGE_STATEMENTS = 17

# The queue's first page, for a supervisor:
#   1  BEGIN (SQLite only)
#   2  the staff session, its user and the user's roles
#   3  the assignee filter's list: active case staff, (id, name)
#   4  the page's rows, with county and assignee names
#   5  the page's allegations
#   6  the capped count of matches
QUEUE_PAGE_STATEMENTS = 6


@contextmanager
def counted(app):
    """The SQL statements sent while the block runs, as a list of their texts."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _listing(statements) -> str:
    return "\n".join(" ".join(s.split())[:150] for s in statements)


@pytest.fixture
def busy_case(app):
    """A case with something in every part of its page, held by an investigator."""
    complaint_id = filed_case(app, EXTRA_ANSWERS)
    add_attachment(app, complaint_id)
    specialist = staff_client(app, "intake_specialist")
    supervisor = staff_client(app, "supervisor")
    investigator = staff_client(app, "investigator", name="Ivy Investigator")
    base = f"/staff/cases/{complaint_id}"

    def act(client, action, **fields):
        page = case_page(client, complaint_id)
        response = post(
            client, f"{base}/actions/{action}", action, fields, version_in(page, action)
        )
        assert response.status_code == 302, (action, response.status_code)

    act(specialist, "claim")
    act(specialist, "request_information", message="Please send the release papers.")
    act(specialist, "complainant_replied", message="Sent by mail.")
    act(supervisor, "retain")
    act(supervisor, "assign", assignee=str(investigator.staff.id))
    version = str(case_version(app, complaint_id))
    assert post(investigator, f"{base}/notes", "note", {"body": "Called."}, version).status_code
    version = str(case_version(app, complaint_id))
    response = post(
        investigator,
        f"{base}/recommendations",
        "recommendation_new",
        {"body": "Check release dates daily."},
        version,
    )
    assert response.status_code == 302
    # A second case sharing the filer's email: the related list is not empty.
    filed_case(app)
    return complaint_id, supervisor


def _bound(statements: int, backend: str) -> int:
    return statements - (backend == "postgresql")  # no BEGIN statement: the driver begins


def test_a_case_page_view_sends_a_bounded_number_of_statements(app, backend, busy_case):
    complaint_id, supervisor = busy_case
    page = case_page(supervisor, complaint_id)  # compiled and cached: what every view costs
    assert "Ivy Investigator" in page and "Check release dates daily." in page
    with counted(app) as statements:
        page = case_page(supervisor, complaint_id)
    assert 'name="assign-assignee"' in page  # the assign menu was shown
    assert "Related (1)" in page
    assert len(statements) <= _bound(CASE_PAGE_STATEMENTS, backend), _listing(statements)


def test_a_queue_page_view_sends_a_bounded_number_of_statements(app, backend, busy_case):
    _complaint_id, supervisor = busy_case
    assert supervisor.get("/staff/queue/").status_code == 200
    with counted(app) as statements:
        response = supervisor.get("/staff/queue/")
    assert response.status_code == 200
    assert "Ivy Investigator" in response.get_data(as_text=True)
    assert len(statements) <= _bound(QUEUE_PAGE_STATEMENTS, backend), _listing(statements)
