"""The review queue: filters, search, keyset pages, the views, who sees what, no search in URLs."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from intake.complaints import identifiers
from intake.complaints.models import Allegation, Complaint, ComplaintAgency, Person
from intake.database import utcnow
from intake.extensions import db
from intake.queue import search, services
from tests.conftest import csrf_token
from tests.staff import make_user, staff_client

ROW_RE = re.compile(r'<th scope="row"[^>]*><a class="usa-link" href="/staff/cases/(\d+)">')
HREF_RE = re.compile(r'href="([^"]+)"')
NOW = utcnow()


def make_complaint(app, **values) -> int:
    """A complaint with exactly these values (and dull defaults), indexed for search."""
    allegations = values.pop("allegations", ["racial_profiling"])
    agencies = values.pop("agencies", ["ice"])
    filer_name = values.pop("filer_name", None)
    details = values.pop("details", None)
    submitted_at = values.pop("submitted_at", NOW - timedelta(days=1))
    tracking = identifiers.new_tracking_number()
    defaults = {
        "tracking_number": tracking,
        "access_code_hash": identifiers.access_code_hash(tracking, "unused"),
        "status": "received",
        "channel": "web",
        "language": "en",
        "filer_relationship": "self",
        "narrative": "I was stopped on the highway and asked for my papers.",
        "privacy_consent": True,
        "submitted_at": submitted_at,
        "status_changed_at": values.get("status_changed_at", submitted_at),
    }
    if values.get("status") == "closed":
        defaults["closure_reason"] = "withdrawn"
    with app.app_context():
        complaint = Complaint(**{**defaults, **values})
        complaint.people = [Person(role="filer", name=filer_name)]
        complaint.allegations = [Allegation(category=c, details=details) for c in allegations]
        complaint.agencies = [ComplaintAgency(agency=a) for a in agencies]
        db.session.add(complaint)
        db.session.flush()
        search.index_complaint(db.session, complaint)
        db.session.commit()
        return complaint.id


def shown(response) -> list[int]:
    """Complaint ids listed on a queue page, in order."""
    assert response.status_code == 200, response.status_code
    return [int(found) for found in ROW_RE.findall(response.get_data(as_text=True))]


def links(response) -> list[str]:
    return [unescape(href) for href in HREF_RE.findall(response.get_data(as_text=True))]


def link_labelled(response, label: str) -> str | None:
    match = re.search(
        r'href="([^"]+)"[^>]*>' + re.escape(label) + "<", response.get_data(as_text=True)
    )
    return unescape(match.group(1)) if match else None


def post_search(client, words: str, **filters):
    token = csrf_token(client, "/staff/queue/")
    return client.post("/staff/queue/", data={"csrf_token": token, "q": words, **filters})


def search_ids(client, words: str, **filters) -> list[int]:
    response = post_search(client, words, **filters)
    assert response.status_code == 303
    return shown(client.get(response.headers["Location"]))


# --- filters ---------------------------------------------------------------------------------


@pytest.fixture
def cases(app):
    """Complaints that differ in one filterable value each from the plain one."""
    worker = make_user(app, "investigator", name="Ines Investigator")
    ids = {
        "plain": make_complaint(app),
        "triage": make_complaint(app, status="triage"),
        "closed": make_complaint(app, status="closed"),
        "language_access": make_complaint(app, allegations=["language_access", "retaliation"]),
        "cbp": make_complaint(app, agencies=["cbp"]),
        "texas": make_complaint(app, incident_state="TX", incident_county_fips="48479"),
        "texas_other_county": make_complaint(
            app, incident_state="TX", incident_county_fips="48141"
        ),
        "assigned": make_complaint(app, status="investigation", assignee_id=worker.id),
        "mail": make_complaint(app, channel="mail"),
        "spanish": make_complaint(app, language="es"),
        "overdue": make_complaint(app, status_changed_at=NOW - timedelta(days=10)),
        "old": make_complaint(app, submitted_at=datetime(2024, 1, 15, 12, tzinfo=UTC)),
    }
    ids["worker"] = worker.id
    return ids


def _open(ids, *names):
    return {ids[name] for name in names}


def _every_case(ids) -> set[int]:
    return {value for name, value in ids.items() if name != "worker"}


FILTER_CASES = [
    ({"status": "triage"}, ["triage"]),
    ({"status": "closed"}, ["closed"]),
    ({"allegation": "language_access"}, ["language_access"]),
    ({"allegation": "retaliation"}, ["language_access"]),
    ({"agency": "cbp"}, ["cbp"]),
    ({"state": "TX"}, ["texas", "texas_other_county"]),
    ({"state": "TX", "county": "48479"}, ["texas"]),
    ({"channel": "mail"}, ["mail"]),
    ({"language": "es"}, ["spanish"]),
    ({"overdue": "1"}, ["overdue", "old"]),
    ({"submitted_to": "2024-01-15"}, ["old"]),
    ({"submitted_from": "2024-01-14", "submitted_to": "2024-01-16"}, ["old"]),
    ({"submitted_from": "2024-01-16", "status": "received"}, None),  # all received but "old"
    ({"assignee": "none", "status": "investigation"}, []),
]


@pytest.mark.parametrize(("args", "expected"), FILTER_CASES)
def test_each_filter_lists_exactly_the_matching_cases(app, cases, args, expected):
    client = staff_client(app, "supervisor")
    found = set(shown(client.get("/staff/queue/", query_string=args)))
    if expected is None:
        received = _every_case(cases) - _open(cases, "triage", "closed", "assigned", "old")
        assert found == received
    else:
        assert found == _open(cases, *expected)


def test_default_lists_open_cases_and_all_includes_closed(app, cases):
    client = staff_client(app, "intake_specialist")
    everything = _every_case(cases)
    assert set(shown(client.get("/staff/queue/"))) == everything - {cases["closed"]}
    assert set(shown(client.get("/staff/queue/?status=all"))) == everything


def test_assignee_filter_by_person(app, cases):
    client = staff_client(app, "supervisor")
    page = client.get(f"/staff/queue/?assignee={cases['worker']}")
    assert shown(page) == [cases["assigned"]]
    assert "Ines Investigator" in page.get_data(as_text=True)


def test_county_list_follows_the_chosen_state(app, cases):
    client = staff_client(app, "supervisor")
    page = client.get("/staff/queue/?state=TX").get_data(as_text=True)
    assert "Webb County" in page and "Los Angeles County" not in page
    # A county from another state than the one chosen (a state changed without JavaScript)
    # is dropped, not applied.
    found = set(shown(client.get("/staff/queue/?state=CA&county=48479")))
    assert cases["texas"] not in found


def test_unknown_codes_in_the_url_are_ignored_and_bad_dates_explained(app, cases):
    client = staff_client(app, "supervisor")
    everything_open = set(shown(client.get("/staff/queue/")))
    odd = client.get("/staff/queue/?status=bogus&allegation=x&assignee=abc&sort=up&cursor=!!")
    assert set(shown(odd)) == everything_open
    bad = client.get("/staff/queue/?submitted_from=31/31/2024")
    assert bad.status_code == 200
    assert "Enter the date like 03/31/2026." in bad.get_data(as_text=True)


def test_rows_show_what_staff_need_and_link_to_the_case(app, cases):
    client = staff_client(app, "supervisor")
    page = client.get("/staff/queue/?state=TX&county=48479")
    html = page.get_data(as_text=True)
    assert shown(page) == [cases["texas"]]
    with app.app_context():
        tracking = db.session.get(Complaint, cases["texas"]).tracking_number
    assert f'href="/staff/cases/{cases["texas"]}">{tracking}</a>' in html
    assert "Webb County, TX" in html
    assert "Received" in html and "Racial or ethnic profiling" in html
    assert "Unassigned" in html and "On time" in html
    overdue = client.get("/staff/queue/?overdue=1&submitted_from=2025-01-01")
    assert shown(overdue) == [cases["overdue"]]
    assert ">Overdue</span>" in overdue.get_data(as_text=True)  # in words, not colour alone


# --- search ----------------------------------------------------------------------------------


@pytest.fixture
def searchable(app):
    return {
        "jose": make_complaint(app, filer_name="José Ramírez Peña"),
        "quince": make_complaint(
            app, narrative="They came to the quinceañera and checked everyone's papers."
        ),
        "officer": make_complaint(app, officers="Deputy Hollister, badge 4471"),
        "details": make_complaint(app, details="No interpreter at the hearing."),
        "other": make_complaint(app, filer_name="Ana Smith"),
    }


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("José Ramírez", ["jose"]),
        ("jose ramirez", ["jose"]),  # accents folded
        ("RAMIREZ pena", ["jose"]),
        ("quinceanera", ["quince"]),
        ("quinceañera papers", ["quince"]),
        ("hollister 4471", ["officer"]),
        ("interpreter", ["details"]),
        ("highway", ["jose", "officer", "details", "other"]),  # the default narrative
        ("jose smith", []),  # every word must match
    ],
)
def test_search_finds_names_stories_officers_and_details(app, searchable, words, expected):
    client = staff_client(app, "intake_specialist")
    assert set(search_ids(client, words)) == {searchable[name] for name in expected}


@pytest.mark.parametrize(
    "words",
    [
        'jose" OR 1=1 --',
        "jose & | ! ( ) : * ^ -",
        'NEAR(jose ramirez) AND "x',
        "jose:* <-> ramirez",
        "'; DROP TABLE complaints; --",
        "\\x00 % _ ramirez",
    ],
)
def test_operator_characters_are_searched_for_not_obeyed(app, searchable, words):
    client = staff_client(app, "intake_specialist")
    response = post_search(client, words)
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert set(shown(page)) <= set(searchable.values())


def test_search_combines_with_filters_and_a_tracking_number_finds_its_case(app, searchable):
    client = staff_client(app, "intake_specialist")
    assert search_ids(client, "highway", status="triage") == []
    with app.app_context():
        tracking = db.session.get(Complaint, searchable["officer"]).tracking_number
    assert search_ids(client, tracking) == [searchable["officer"]]


def test_punctuation_only_search_lists_the_filtered_queue(app, searchable):
    client = staff_client(app, "intake_specialist")
    response = post_search(client, "&& !!")
    assert "search=" not in response.headers["Location"]
    assert set(shown(client.get(response.headers["Location"]))) == set(searchable.values())


# --- no search words in URLs -------------------------------------------------------------------


def test_search_words_never_appear_in_urls_or_redirects(app, searchable, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    client = staff_client(app, "intake_specialist")
    response = post_search(client, "Highway", sort="oldest", status="received")
    location = response.headers["Location"]
    assert response.status_code == 303
    assert "highway" not in location.lower()
    query = parse_qs(urlsplit(location).query)
    assert set(query) == {"search", "sort", "status"}
    page = client.get(location)
    html = page.get_data(as_text=True)
    assert 'value="Highway"' in html  # the search box still shows what was typed
    every_link = links(page)
    next_page = link_labelled(page, "Next page")
    assert next_page and "search=" in next_page
    every_link += links(client.get(next_page))
    assert every_link and not any("highway" in link.lower() for link in every_link)


def test_an_unknown_or_expired_search_says_so_and_lists_nothing(app, searchable):
    client = staff_client(app, "intake_specialist")
    page = client.get("/staff/queue/?search=made-up")
    assert shown(page) == []
    assert "This search is no longer available" in page.get_data(as_text=True)
    # Another staff member's search id means nothing in this session.
    other = staff_client(app, "intake_specialist")
    location = post_search(other, "ramirez").headers["Location"]
    assert shown(client.get(location)) == []


def test_a_bad_post_keeps_what_was_typed_and_explains(app, searchable):
    client = staff_client(app, "intake_specialist")
    response = post_search(client, "Ramírez", submitted_from="2025-02-30")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Ramírez"' in html
    assert "Enter the date like 03/31/2026." in html
    too_long = post_search(client, "x" * 201)
    assert too_long.status_code == 400
    assert "Use 200 characters or fewer." in too_long.get_data(as_text=True)


def test_posting_without_a_csrf_token_is_refused(app):
    client = staff_client(app, "intake_specialist")
    assert client.post("/staff/queue/", data={"q": "ramirez"}).status_code == 400


# --- keyset pages ------------------------------------------------------------------------------


@pytest.fixture
def crowd(app):
    """23 complaints whose timestamps repeat: ties must be broken by id, nothing lost."""
    base = NOW - timedelta(days=40)
    ids = []
    for n in range(23):
        moment = base + timedelta(hours=n // 4)  # groups of four share a timestamp
        ids.append(
            make_complaint(
                app,
                submitted_at=moment,
                status_changed_at=base + timedelta(hours=(n * 7) % 5),
                status="triage" if n % 2 else "received",
            )
        )
    return ids


def _walk(client, start: str, label: str) -> list[list[int]]:
    pages, url, seen = [], start, set()
    while url:
        assert url not in seen
        seen.add(url)
        response = client.get(url)
        pages.append(shown(response))
        url = link_labelled(response, label)
    return pages


def _expected_order(app, ids, sort: str) -> list[int]:
    with app.app_context():
        rows = [db.session.get(Complaint, i) for i in ids]
        if sort == "newest":
            rows.sort(key=lambda c: (c.submitted_at, c.id), reverse=True)
        elif sort == "oldest":
            rows.sort(key=lambda c: (c.submitted_at, c.id))
        else:
            rows.sort(key=lambda c: (c.status_changed_at, c.id))
        return [c.id for c in rows]


@pytest.mark.parametrize("sort", ["newest", "oldest", "status_age"])
def test_keyset_pages_list_every_case_once_in_order_both_ways(app, crowd, monkeypatch, sort):
    monkeypatch.setattr(services, "PAGE_SIZE", 4)
    client = staff_client(app, "supervisor")
    expected = _expected_order(app, crowd, sort)
    forward = _walk(client, f"/staff/queue/?sort={sort}", "Next page")
    assert [len(page) for page in forward] == [4, 4, 4, 4, 4, 3]
    assert [i for page in forward for i in page] == expected

    # From the last page back to the first, the same pages in reverse.
    last = client.get(f"/staff/queue/?sort={sort}")
    for _ in range(5):
        last = client.get(link_labelled(last, "Next page"))
    assert link_labelled(last, "Next page") is None
    backward = _walk(client, link_labelled(last, "Previous page"), "Previous page")
    assert backward[::-1] == forward[:-1]
    assert link_labelled(last, "First page") is not None


def test_paging_keeps_filters_and_the_first_page_has_no_previous(app, crowd, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 4)
    client = staff_client(app, "supervisor")
    first = client.get("/staff/queue/?status=triage")
    assert link_labelled(first, "Previous page") is None
    assert link_labelled(first, "First page") is None
    pages = _walk(client, "/staff/queue/?status=triage", "Next page")
    listed = [i for page in pages for i in page]
    assert sorted(listed) == sorted(crowd[1::2]) and len(listed) == len(set(listed))


def test_a_new_case_filed_while_paging_does_not_shift_the_pages(app, crowd, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 4)
    client = staff_client(app, "supervisor")
    first = client.get("/staff/queue/")
    second_url = link_labelled(first, "Next page")
    before = shown(client.get(second_url))
    make_complaint(app)  # newest of all: page one grows, page two stays put
    assert shown(client.get(second_url)) == before


def test_counts_stop_at_the_cap(app, crowd, monkeypatch):
    monkeypatch.setattr(services, "COUNT_CAP", 11)
    client = staff_client(app, "supervisor")
    html = client.get("/staff/queue/?status=triage").get_data(as_text=True)
    assert "11 cases match." in html and "More than" not in html
    html = client.get("/staff/queue/?status=received").get_data(as_text=True)
    assert "More than 11 cases match." in html


# --- views and who sees what -------------------------------------------------------------------


def test_my_cases_unassigned_and_overdue_views(app):
    client = staff_client(app, "intake_specialist")
    me = client.staff.id
    colleague = make_user(app, "intake_specialist")
    mine = make_complaint(app, status="triage", assignee_id=me)
    theirs = make_complaint(app, status="triage", assignee_id=colleague.id)
    nobody = make_complaint(app)
    late = make_complaint(app, status="triage", status_changed_at=NOW - timedelta(days=30))
    page = client.get("/staff/queue/")
    assert set(shown(page)) == {mine, theirs, nobody, late}
    my_cases = link_labelled(page, "My cases")
    unassigned = link_labelled(page, "Unassigned")
    overdue = link_labelled(page, "Overdue")
    assert shown(client.get(my_cases)) == [mine]
    assert set(shown(client.get(unassigned))) == {nobody, late}
    assert shown(client.get(overdue)) == [late]
    # The current view is marked for screen readers too.
    assert 'aria-current="page">My cases<' in client.get(my_cases).get_data(as_text=True)


def test_investigators_see_only_their_own_cases(app):
    client = staff_client(app, "investigator")
    colleague = make_user(app, "investigator")
    mine = make_complaint(app, status="investigation", assignee_id=client.staff.id)
    make_complaint(app, status="investigation", assignee_id=colleague.id)
    make_complaint(app, filer_name="Ramírez")
    assert shown(client.get("/staff/queue/")) == [mine]
    assert shown(client.get("/staff/queue/?status=all")) == [mine]
    assert shown(client.get(f"/staff/queue/?assignee={colleague.id}")) == [mine]
    assert shown(client.get("/staff/queue/?assignee=none")) == [mine]
    assert search_ids(client, "ramirez") == []
    page = client.get("/staff/queue/").get_data(as_text=True)
    assert "Unassigned</a>" not in page and 'name="assignee"' not in page


@pytest.mark.parametrize("role", ["analyst", "administrator"])
def test_analysts_and_administrators_are_refused(app, role):
    client = staff_client(app, role)
    assert client.get("/staff/queue/").status_code == 403
    token = csrf_token(client, "/status/")  # any page with a form: the token is per session
    assert client.post("/staff/queue/", data={"csrf_token": token, "q": "x"}).status_code == 403


def test_nobody_signed_in_is_sent_to_sign_in(client):
    response = client.get("/staff/queue/")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/staff/sign-in"


def test_generated_cases_can_be_assigned_to_staff_for_realistic_queues(app):
    from intake.demo.generator import generate_complaints

    client = staff_client(app, "investigator")
    with app.app_context():
        generate_complaints(60, seed=11, assign=True)
        rows = db.session.execute(db.select(Complaint.status, Complaint.assignee_id)).all()
    assert all(assignee is None for status, assignee in rows if status == "received")
    casework = {"component_referral", "investigation", "findings_review", "recommendations_issued"}
    mine = {
        status for status, assignee in rows if assignee == client.staff.id and status != "closed"
    }
    assert mine and mine <= casework  # the only investigator gets casework, not triage
    listed = shown(client.get("/staff/queue/?assignee=me&status=all"))
    assert len(listed) == sum(1 for _, assignee in rows if assignee == client.staff.id)


@pytest.mark.parametrize("common", [True, False])
def test_common_and_rare_searches_find_the_same_cases(app, searchable, monkeypatch, common):
    """A common word is searched one way and a rare one another: the same answers."""
    if common:  # every search counts as common
        monkeypatch.setattr(search, "SELECTIVE_MATCHES", 0)
        monkeypatch.setattr(search, "SELECTIVE_MATCHES_SQLITE", 0)
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    client = staff_client(app, "intake_specialist")
    assert set(search_ids(client, "josé ramírez")) == {searchable["jose"]}
    assert search_ids(client, "nothing-like-this") == []
    response = post_search(client, "highway")
    pages = _walk(client, response.headers["Location"], "Next page")
    listed = [i for page in pages for i in page]
    assert sorted(listed) == sorted(
        searchable[name] for name in ("jose", "officer", "details", "other")
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    if common:
        # A common word is not counted (that is what would be slow at scale).
        assert "2 cases shown on this page. More on the next pages." in " ".join(html.split())
        assert "cases match" not in html
    else:
        assert "4 cases match." in html
