"""The permission matrix: every route in the URL map × every role (and nobody signed in).

Each (endpoint, method) must have an entry in EXPECTED saying who may use it; a route added
without one fails `test_every_route_has_an_entry`. Requests carry valid CSRF tokens and real
object ids, so a refusal here is the access check, not a missing token or a 404 on a made-up id.
"""

import pytest
from sqlalchemy import func, select

from intake.audit.models import AuditEvent
from intake.extensions import db
from intake.factory import create_app
from intake.jobs.models import JobWorker
from tests.conftest import CSRF_RE, _test_config
from tests.staff import log_in, make_user

ANONYMOUS = "anonymous"
ROLES = ["intake_specialist", "investigator", "supervisor", "analyst", "administrator"]
EVERYONE = frozenset([ANONYMOUS, *ROLES])
STAFF = frozenset(ROLES)
CASE_ROLES = frozenset({"intake_specialist", "investigator", "supervisor"})
CASE_WHOLE_QUEUE = frozenset({"intake_specialist", "supervisor"})  # investigators: own cases only
SUPERVISOR = frozenset({"supervisor"})
ADMIN = frozenset({"administrator"})
NOBODY_SIGNED_IN = frozenset({ANONYMOUS})

# (endpoint, method) -> who gets through. The sample case is assigned to nobody, so an
# investigator is refused on it like anyone else without access to that case.
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    # Public: the filing form, status look-up, language, reference data, health.
    ("pages.home", "GET"): EVERYONE,
    ("jobs_health.health", "GET"): EVERYONE,
    ("jobs_health.ready", "GET"): EVERYONE,
    ("static", "GET"): EVERYONE,
    ("i18n.choose", "GET"): EVERYONE,
    ("reference.counties", "GET"): EVERYONE,
    ("complaints.start", "GET"): EVERYONE,
    ("complaints.step", "GET"): EVERYONE,
    ("complaints.step", "POST"): EVERYONE,
    ("complaints.confirmation", "GET"): EVERYONE,
    ("complaints.finish", "POST"): EVERYONE,
    ("complaints.submit", "POST"): EVERYONE,
    ("tracking.lookup", "GET"): EVERYONE,
    ("tracking.lookup", "POST"): EVERYONE,
    ("tracking.show", "GET"): EVERYONE,
    ("tracking.signout", "POST"): EVERYONE,
    # Signing in and out.
    ("accounts.sign_in", "GET"): EVERYONE,
    ("accounts.sign_in", "POST"): EVERYONE,
    ("accounts.code", "GET"): EVERYONE,
    ("accounts.code", "POST"): EVERYONE,
    ("accounts.enrol", "GET"): EVERYONE,
    ("accounts.enrol", "POST"): EVERYONE,
    ("accounts.sign_out", "POST"): EVERYONE,
    ("accounts.home", "GET"): STAFF,
    # Account administration.
    ("accounts.list_accounts", "GET"): ADMIN,
    ("accounts.new_account", "GET"): ADMIN,
    ("accounts.new_account", "POST"): ADMIN,
    ("accounts.edit_account", "GET"): ADMIN,
    ("accounts.edit_account", "POST"): ADMIN,
    ("accounts.reset_account", "POST"): ADMIN,
    # The complainant's answer on the status page (the look-up session decides whose case).
    ("tracking.reply", "POST"): EVERYONE,
    # The queue: case roles; investigators see only their own cases in it.
    ("queue.index", "GET"): CASE_ROLES,
    ("queue.search_and_filter", "POST"): CASE_ROLES,
    # Complaints entered by staff from mail, email, fax or phone.
    ("entry.new_complaint", "GET"): CASE_WHOLE_QUEUE,
    ("entry.new_complaint", "POST"): CASE_WHOLE_QUEUE,
    ("entry.entered", "GET"): CASE_WHOLE_QUEUE,
    # One case (not assigned to the investigator asking).
    ("review.case", "GET"): CASE_WHOLE_QUEUE,
    ("review.act", "POST"): CASE_WHOLE_QUEUE,
    ("review.attachment", "GET"): CASE_WHOLE_QUEUE,
    ("review.add_note", "POST"): CASE_WHOLE_QUEUE,
    ("review.record_findings", "POST"): SUPERVISOR,
    ("review.add_recommendation", "POST"): SUPERVISOR,
    ("review.edit_recommendation", "POST"): SUPERVISOR,
    ("review.record_response", "POST"): SUPERVISOR,
    # The trail holds no personal data: supervisors and administrators read it.
    ("review.trail", "GET"): frozenset({"supervisor", "administrator"}),
    # PDF documents. Receipts need the filer's session or a status look-up (nobody here has
    # one); case documents follow case access; letter wording is for administrators; an
    # export is only for the person who asked for it (the sample one is someone else's).
    ("documents.confirmation_receipt", "GET"): frozenset(),
    ("documents.status_receipt", "GET"): frozenset(),
    ("documents.status_receipt", "POST"): frozenset(),  # the receipt with the access code
    ("documents.case_summary", "GET"): CASE_WHOLE_QUEUE,
    ("documents.case_letters", "GET"): CASE_WHOLE_QUEUE,
    ("documents.generate_letter", "POST"): CASE_WHOLE_QUEUE,
    ("documents.download_letter", "GET"): CASE_WHOLE_QUEUE,
    # Letter wording: letter_templates.manage, held by administrators only.
    ("documents.letter_templates", "GET"): ADMIN,
    ("documents.letter_template", "GET"): ADMIN,
    ("documents.save_letter_template", "POST"): ADMIN,
    ("documents.new_export", "GET"): CASE_ROLES,
    ("documents.start_export", "POST"): CASE_ROLES,
    ("documents.export_progress", "GET"): frozenset(),
    ("documents.download_export", "GET"): frozenset(),
    # The oversight dashboard: aggregate figures only, for the oversight roles.
    ("oversight.dashboard", "GET"): frozenset({"analyst", "supervisor", "administrator"}),
    # Open data: de-identified, for oversight analysts, supervisors and administrators.
    ("oversight.open_data", "GET"): frozenset({"analyst", "supervisor", "administrator"}),
    ("oversight.open_data_csv", "GET"): frozenset({"analyst", "supervisor", "administrator"}),
    ("oversight.open_data_dictionary", "GET"): frozenset(
        {"analyst", "supervisor", "administrator"}
    ),
    # Program oversight and its jurisdiction registry: read by oversight roles, changed by
    # administrators.
    ("oversight.program", "GET"): frozenset({"analyst", "supervisor", "administrator"}),
    ("oversight.program_jurisdiction", "GET"): frozenset(
        {"analyst", "supervisor", "administrator"}
    ),
    ("oversight.jurisdictions", "GET"): frozenset({"analyst", "supervisor", "administrator"}),
    ("oversight.new_jurisdiction", "GET"): ADMIN,
    ("oversight.new_jurisdiction", "POST"): ADMIN,
    ("oversight.edit_jurisdiction", "GET"): ADMIN,
    ("oversight.edit_jurisdiction", "POST"): ADMIN,
    ("oversight.delete_jurisdiction", "GET"): ADMIN,
    ("oversight.delete_jurisdiction", "POST"): ADMIN,
    # The periodic report (aggregate figures, small counts suppressed): the oversight roles.
    # Without dates in the URL the PDF route answers with its form (400), not a refusal.
    ("oversight.report_form", "GET"): frozenset({"analyst", "supervisor", "administrator"}),
    ("oversight.report_pdf", "GET"): frozenset({"analyst", "supervisor", "administrator"}),
}

_APP = create_app(_test_config("sqlite://"))
ROUTES = sorted(
    (rule.endpoint, method, rule.rule)
    for rule in _APP.url_map.iter_rules()
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
)


def test_every_route_has_an_entry():
    missing = [
        (endpoint, method) for endpoint, method, _ in ROUTES if (endpoint, method) not in EXPECTED
    ]
    assert missing == [], f"routes with no permission-matrix entry: {missing}"
    stale = set(EXPECTED) - {(endpoint, method) for endpoint, method, _ in ROUTES}
    assert stale == set(), f"entries for routes that no longer exist: {stale}"


@pytest.fixture
def world(app):
    """One of each object a URL can name, owned by nobody in particular."""
    from tests.sample_objects import make_sample_objects

    return make_sample_objects(app)


def _url(rule: str, world: dict) -> str:
    url = rule
    for name, value in world["url_values"].items():
        for converter in ("", "int:", "path:"):
            url = url.replace(f"<{converter}{name}>", str(value))
    assert "<" not in url, f"no sample value for a URL part of {rule}; add it to sample_objects"
    return url


def _client_for(app, role: str):
    client = app.test_client()
    if role != ANONYMOUS:
        log_in(app, client, make_user(app, role))
    return client


def _token(client) -> str:
    page = client.get("/status/").get_data(as_text=True)
    return CSRF_RE.search(page).group(1)


def _events(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def _refused(role: str, response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    # `requires` sends a stranger to sign in and back (with `next`); the sign-in steps'
    # own redirects between themselves are not refusals.
    location = response.headers.get("Location", "")
    return role == ANONYMOUS and response.status_code == 302 and "/staff/sign-in?next=" in location


def _a_worker_was_seen(app) -> None:
    with app.app_context():
        queue = app.config["JOBS_QUEUE"]
        db.session.add(JobWorker(name="worker:test", kind="worker", queue=queue))
        db.session.commit()


@pytest.mark.parametrize(("endpoint", "method", "rule"), ROUTES, ids=lambda v: str(v))
def test_permission_matrix(app, world, endpoint, method, rule):
    """Each role in turn on one route (one sample world per route keeps the suite quick)."""
    url = _url(rule, world)
    if endpoint == "jobs_health.ready":
        _a_worker_was_seen(app)  # else it answers 503: no worker; this test is about who asks
    wrong = []
    for role in sorted(EVERYONE):
        allowed = role in EXPECTED[(endpoint, method)]
        client = _client_for(app, role)
        if method == "GET":
            response = client.get(url)
        else:
            token = _token(client)
            before = _events(app)
            response = client.post(url, data={"csrf_token": token, **world["form_data"]})
        assert response.status_code < 500, (endpoint, method, role, response.status_code)
        response.close()  # a streamed body (open data) ends its request context now
        refused = _refused(role, response)
        if refused == allowed:
            wrong.append(
                f"{role} {'was refused' if refused else 'got through'} ({response.status_code})"
            )
        elif method == "POST" and refused and role != ANONYMOUS:
            # A refused post changes nothing: not even an audit event.
            assert _events(app) == before, (endpoint, role)
    assert wrong == [], f"{method} {url}: {wrong}"
