"""Bulk export: a ZIP of case summaries for a queue selection, made by a job worker in
parts, with progress, only for the person who asked, with every summary audited.

The exports started through the web are made by the run's real worker process
(``jobs_worker``); tests of the making itself call it in this process."""

import io
import re
import time
import tracemalloc
import zipfile
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import MultiDict

from intake.accounts.models import User
from intake.audit.models import AuditEvent
from intake.complaints.models import Complaint
from intake.database import utcnow
from intake.demo.generator import generate_complaints
from intake.documents import export_jobs, export_zip, exports
from intake.documents.models import DocumentExport, DocumentExportPart
from intake.extensions import db
from tests.conftest import csrf_token
from tests.pdfs import text
from tests.staff import staff_client


@pytest.fixture(autouse=True)
def no_export_outlives_its_test(app, jobs_worker):
    """The worker writes to the test database: no export it makes may run into the next
    test."""
    yield
    deadline = time.monotonic() + 120
    with app.app_context():
        while time.monotonic() < deadline:
            working = db.session.execute(
                select(func.count())
                .select_from(DocumentExport)
                .where(
                    DocumentExport.status == "running",
                    DocumentExport.heartbeat_at > utcnow() - timedelta(seconds=10),
                )
            ).scalar_one()
            db.session.rollback()
            if not working:
                return
            time.sleep(0.2)
    raise AssertionError("an export was still being made")


def start(staff, **fields):
    token = csrf_token(staff, "/staff/documents/exports/new?status=all")
    response = staff.post("/staff/documents/exports", data={"csrf_token": token, **fields})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def wait(staff, url, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = staff.get(url)
        body = page.get_data(as_text=True)
        if "The ZIP file is ready." in body or "The export failed." in body:
            return page, body
        # On a loaded machine the page may find the database busy (the export writes after
        # every case; tests wait only 300 ms for a lock): it says so and a poll tries again.
        if page.status_code == 503:
            time.sleep(0.3)
            continue
        assert page.headers.get("Refresh") == "3"
        time.sleep(0.3)
    raise AssertionError("the export did not finish")


def download(staff, url) -> zipfile.ZipFile:
    response = staff.get(url + "/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.is_streamed
    data = response.get_data()
    assert int(response.headers["Content-Length"]) == len(data)
    return zipfile.ZipFile(io.BytesIO(data))


def events(app, action):
    with app.app_context():
        found = (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
            )
            .scalars()
            .all()
        )
        db.session.expunge_all()
        return found


def test_the_queue_selection_exported_as_a_zip(app):
    staff = staff_client(app, "supervisor")
    with app.app_context():
        generate_complaints(6, seed=11)
        ids = (
            db.session.execute(
                select(Complaint.id).order_by(Complaint.submitted_at.desc(), Complaint.id.desc())
            )
            .scalars()
            .all()
        )
    new = staff.get("/staff/documents/exports/new?status=all").get_data(as_text=True)
    assert "6 case summaries, each a PDF, in one ZIP file." in new
    assert '<input type="hidden" name="status" value="all">' in new
    url = start(staff, status="all")
    _page, body = wait(staff, url)
    assert "The ZIP file is ready." in body and "6 cases." in body
    archive = download(staff, url)
    names = archive.namelist()
    assert len(names) == 7 and names[-1] == "contents.txt"
    assert archive.read("contents.txt").decode().startswith("6 case summaries\n")
    with app.app_context():
        numbers = {c.id: c.tracking_number for c in db.session.execute(select(Complaint)).scalars()}
    assert names[:6] == [f"case-{numbers[i]}.pdf" for i in ids]  # the queue's order
    assert text(archive.read(names[0])).startswith("Case summary")

    (requested,) = events(app, "document.export_requested")
    assert requested.details == {"cases": 6, "redacted": False}
    exported = events(app, "document.exported")
    per_case = [e for e in exported if e.details["kind"] == "case_summary"]
    assert sorted(e.object_id for e in per_case) == sorted(ids)
    assert {e.details["export_id"] for e in per_case} == {requested.object_id}
    (zip_event,) = [e for e in exported if e.details["kind"] == "bulk_zip"]
    assert zip_event.details == {"kind": "bulk_zip", "cases": 6, "redacted": False}


HIDDEN_RE = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
SELECTION_ROW_RE = re.compile(r"<dt>([^<]+)</dt><dd class=\"intake-prewrap\">([^<]*)</dd>")
EXPORT_LINK_RE = re.compile(r'<a class="usa-link" id="export-link" href="([^"]+)">')


def _queue_cases(app):
    """Cases that differ from the wanted ones in one way each: state, story, status, county."""
    from tests.test_queue import make_complaint

    word = "Quillwort sticker on the car."
    made = {
        "wanted_new": dict(incident_state="TX", narrative=word, days=1),
        "wanted_old": dict(incident_state="TX", narrative=word, days=3),
        "wanted_county": dict(
            incident_state="TX", incident_county_fips="48479", narrative=word, days=2
        ),
        "no_word": dict(incident_state="TX", days=1),
        "california": dict(incident_state="CA", narrative=word, days=1),
        "closed": dict(incident_state="TX", narrative=word, status="closed", days=1),
    }
    ids = {}
    for name, values in made.items():
        days = values.pop("days")
        ids[name] = make_complaint(app, submitted_at=utcnow() - timedelta(days=days), **values)
    with app.app_context():
        numbers = {c.id: c.tracking_number for c in db.session.execute(select(Complaint)).scalars()}
    return ids, numbers


def _search_queue(staff, words, **filters):
    token = csrf_token(staff, "/staff/queue/")
    posted = staff.post("/staff/queue/", data={"csrf_token": token, "q": words, **filters})
    assert posted.status_code == 303
    return staff.get(posted.headers["Location"])


def _export_link(page) -> str:
    match = EXPORT_LINK_RE.search(page.get_data(as_text=True))
    assert match, "no export link on the queue page"
    return unescape(match.group(1))


def _start_from(staff, export_page: str):
    """Press "Start the export" on the export page: post what its form holds."""
    fields = [(n, v) for n, v in HIDDEN_RE.findall(export_page) if n != "csrf_token"]
    token = csrf_token(staff, "/staff/queue/")
    data = MultiDict([("csrf_token", token), *((n, unescape(v)) for n, v in fields)])
    response = staff.post("/staff/documents/exports", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def test_the_queue_link_exports_exactly_the_filtered_and_searched_cases(app, monkeypatch):
    from intake.queue import services as queue_services

    monkeypatch.setattr(queue_services, "PAGE_SIZE", 1)  # the export takes every page
    ids, numbers = _queue_cases(app)
    staff = staff_client(app, "supervisor")
    queue = _search_queue(staff, "QUILLWORT", state="TX")
    link = _export_link(queue)
    # The queue's own filters and the kept search's id; never the words themselves.
    assert urlsplit(link).path == "/staff/documents/exports/new"
    query = parse_qs(urlsplit(link).query)
    assert set(query) == {"state", "search"} and query["state"] == ["TX"]
    assert "quillwort" not in link.lower()
    assert "Export this selection (ZIP of case summaries)" in queue.get_data(as_text=True)

    export_page = staff.get(link).get_data(as_text=True)
    assert "3 case summaries, each a PDF, in one ZIP file." in export_page
    # The page says what is exported (the words too, as the queue's search box does); its
    # form carries only the search's id.
    shown = dict(SELECTION_ROW_RE.findall(export_page))
    assert shown == {"Search": "QUILLWORT", "Status": "All open cases", "State": "Texas"}
    assert not any("quillwort" in value.lower() for _name, value in HIDDEN_RE.findall(export_page))
    url = _start_from(staff, export_page)
    _page, body = wait(staff, url)
    assert "The ZIP file is ready." in body
    names = download(staff, url).namelist()
    wanted = ["wanted_new", "wanted_county", "wanted_old"]  # the queue's order: newest first
    assert names == [f"case-{numbers[ids[name]]}.pdf" for name in wanted] + ["contents.txt"]

    # Narrowed further in the queue (a county, the oldest first), the link follows.
    queue = _search_queue(staff, "quillwort", state="TX", county="48479", sort="oldest")
    link = _export_link(queue)
    assert parse_qs(urlsplit(link).query).keys() == {"state", "county", "sort", "search"}
    export_page = staff.get(link).get_data(as_text=True)
    assert dict(SELECTION_ROW_RE.findall(export_page))["County"] == "Webb County"
    url = _start_from(staff, export_page)
    wait(staff, url)
    assert download(staff, url).namelist() == [
        f"case-{numbers[ids['wanted_county']]}.pdf",
        "contents.txt",
    ]


def test_the_queue_link_without_a_search_exports_the_filters_selection(app):
    ids, numbers = _queue_cases(app)
    staff = staff_client(app, "intake_specialist")
    queue = staff.get("/staff/queue/?state=TX&status=all&sort=oldest")
    link = _export_link(queue)
    assert parse_qs(urlsplit(link).query) == {
        "state": ["TX"],
        "status": ["all"],
        "sort": ["oldest"],
    }
    url = _start_from(staff, staff.get(link).get_data(as_text=True))
    wait(staff, url)
    names = download(staff, url).namelist()[:-1]
    texas = {name for name in ids if name != "california"}
    assert sorted(names) == sorted(f"case-{numbers[ids[name]]}.pdf" for name in texas)


def test_an_export_of_a_search_no_longer_kept_exports_nothing(app):
    """The queue lists nothing for a search its session no longer holds; nor may the export
    fall back to everything the filters match."""
    _queue_cases(app)
    staff = staff_client(app, "supervisor")
    link = _export_link(_search_queue(staff, "quillwort", state="TX"))
    other = staff_client(app, "supervisor")  # another session: the search id means nothing
    page = other.get(link).get_data(as_text=True)
    assert "This search is no longer available" in page
    assert 'id="export-selection"' not in page
    assert "Start the export" not in page
    token = csrf_token(other, "/staff/queue/")
    query = {name: values[0] for name, values in parse_qs(urlsplit(link).query).items()}
    refused = other.post("/staff/documents/exports", data={"csrf_token": token, **query})
    assert refused.status_code == 303 and "/staff/queue/" in refused.headers["Location"]
    assert "There are no cases to export in this selection." in other.get(
        refused.headers["Location"]
    ).get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(DocumentExport)).first() is None


def test_no_export_link_when_the_queue_lists_nothing(app):
    staff = staff_client(app, "supervisor")
    assert 'id="export-link"' not in staff.get("/staff/queue/").get_data(as_text=True)


def test_explicit_ids_are_limited_to_the_cases_the_person_may_open(app):
    staff = staff_client(app, "investigator")
    with app.app_context():
        generate_complaints(3, seed=12)
        mine, *others = db.session.execute(select(Complaint).order_by(Complaint.id)).scalars()
        mine.assignee = db.session.get(User, staff.staff.id)
        db.session.commit()
        all_ids = [str(mine.id), *(str(o.id) for o in others)]
        mine_number = mine.tracking_number
    url = start(staff, complaint_id=all_ids, redacted="y")
    wait(staff, url)
    archive = download(staff, url)
    assert archive.namelist() == [f"case-{mine_number}-redacted.pdf", "contents.txt"]
    assert "Case summary (redacted)" in text(archive.read(archive.namelist()[0]))


def test_nothing_to_export_goes_back_to_the_queue(app):
    staff = staff_client(app, "investigator")  # no cases assigned
    token = csrf_token(staff, "/staff/documents/exports/new")
    response = staff.post("/staff/documents/exports", data={"csrf_token": token, "status": "all"})
    assert response.status_code == 303 and "/staff/queue/" in response.headers["Location"]
    with app.app_context():
        assert db.session.execute(select(DocumentExport)).first() is None


def test_progress_and_download_are_only_for_the_person_who_asked(app):
    staff = staff_client(app, "supervisor")
    with app.app_context():
        generate_complaints(1, seed=13)
    url = start(staff, status="all")
    wait(staff, url)
    other = staff_client(app, "supervisor")
    assert other.get(url).status_code == 404
    assert other.get(url + "/download").status_code == 404
    assert staff_client(app, "analyst").get(url).status_code == 403


def test_a_case_reassigned_meanwhile_is_left_out_and_listed(app):
    staff = staff_client(app, "investigator")
    with app.app_context():
        generate_complaints(2, seed=14)
        first, second = db.session.execute(select(Complaint).order_by(Complaint.id)).scalars()
        user = db.session.get(User, staff.staff.id)
        first.assignee = second.assignee = user
        db.session.commit()
        export = exports.start_export(user, [first.id, second.id], redacted=False)
        db.session.commit()
        second.assignee = None  # taken off this investigator before the export runs
        db.session.commit()
        export_id, left_out = export.id, second.id
        attempt = exports.claim(export_id)
        db.session.commit()
        exports.make_export(export_id, attempt, "en")
    archive = download(staff, f"/staff/documents/exports/{export_id}")
    assert len(archive.namelist()) == 2
    contents = archive.read("contents.txt").decode()
    assert "1 case left out" in contents and contents.rstrip().endswith(str(left_out))


def test_a_stopped_export_is_started_again_by_the_progress_page(app):
    staff = staff_client(app, "supervisor")
    with app.app_context():
        generate_complaints(2, seed=15)
        user = db.session.get(User, staff.staff.id)
        ids = db.session.execute(select(Complaint.id)).scalars().all()
        export = exports.start_export(user, ids, redacted=False)
        db.session.commit()
        assert exports.claim(export.id) == 1  # a worker took it ... and died
        db.session.execute(
            update(DocumentExport).values(heartbeat_at=utcnow() - timedelta(minutes=5))
        )
        db.session.commit()
        export_id = export.id
    url = f"/staff/documents/exports/{export_id}"
    first = staff.get(url).get_data(as_text=True)
    assert "The export had stopped, so it was started again." in first
    wait(staff, url)
    assert len(download(staff, url).namelist()) == 3
    with app.app_context():
        assert db.session.get(DocumentExport, export_id).attempt == 2


def test_an_older_attempt_stops_writing(app):
    staff = staff_client(app, "supervisor")
    with app.app_context():
        generate_complaints(1, seed=16)
        user = db.session.get(User, staff.staff.id)
        export = exports.start_export(
            user, db.session.execute(select(Complaint.id)).scalars().all(), redacted=False
        )
        db.session.commit()
        old = exports.claim(export.id)
        db.session.execute(
            update(DocumentExport).values(heartbeat_at=utcnow() - timedelta(minutes=5))
        )
        db.session.commit()
        exports.claim(export.id)  # a newer attempt takes over
        db.session.commit()
        with pytest.raises(exports.Superseded):
            exports.make_export(export.id, old, "en")
        parts = db.session.execute(
            select(func.count()).select_from(DocumentExportPart)
        ).scalar_one()
        assert parts == 0


def test_the_zip_is_stored_and_sent_in_parts(app, monkeypatch):
    monkeypatch.setattr(export_zip, "PART_BYTES", 16 * 1024)
    staff = staff_client(app, "supervisor")
    with app.app_context():
        generate_complaints(3, seed=17)
        user = db.session.get(User, staff.staff.id)
        ids = db.session.execute(select(Complaint.id)).scalars().all()
        export_id = exports.start_export(user, ids, redacted=False).id
        db.session.commit()
        attempt = exports.claim(export_id)
        db.session.commit()
        exports.make_export(export_id, attempt, "en")
        rows = db.session.execute(
            select(
                func.length(DocumentExportPart.data),
                DocumentExportPart.complaint_id,
                DocumentExportPart.entry,
            ).order_by(DocumentExportPart.seq)
        ).all()
    sizes = [size for size, _case, _entry in rows]
    assert len(sizes) > 4 and max(sizes) == 16 * 1024
    # Each case's parts, its entry on the last; the list and the directory last of all.
    cases = [case for _size, case, _entry in rows]
    assert cases[-1] is None and set(cases[:-1]) == set(ids)
    assert sorted(case for _size, case, entry in rows if entry) == sorted(ids)
    url = f"/staff/documents/exports/{export_id}"
    archive = download(staff, url)
    assert archive.testzip() is None and len(archive.namelist()) == 4


def test_expired_exports_are_gone(app):
    staff = staff_client(app, "supervisor")
    with app.app_context():
        generate_complaints(1, seed=18)
    url = start(staff, status="all")
    wait(staff, url)
    with app.app_context():
        db.session.execute(update(DocumentExport).values(expires_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    assert staff.get(url).status_code == 404
    newer = start(staff, status="all")
    wait(staff, newer)
    export_jobs.sweep_exports.call_local()  # the schedule's sweep, every minute
    with app.app_context():
        assert (
            db.session.execute(select(func.count()).select_from(DocumentExport)).scalar_one() == 1
        )


def test_memory_while_exporting_does_not_grow_with_the_number_of_cases(app, monkeypatch):
    """Python memory of the process making the ZIP (rendering happens in the worker process)."""
    monkeypatch.setattr(export_zip, "PART_BYTES", 64 * 1024)
    staff = staff_client(app, "supervisor")
    with app.app_context():
        generate_complaints(16, seed=19)
        all_ids = db.session.execute(select(Complaint.id).order_by(Complaint.id)).scalars().all()
        renderer = exports.Renderer()
        peaks = {}
        try:
            for count in (4, 16):
                user = db.session.get(User, staff.staff.id)
                export_id = exports.start_export(user, all_ids[:count], redacted=False).id
                db.session.commit()
                attempt = exports.claim(export_id)
                db.session.commit()
                tracemalloc.start()
                exports.make_export(export_id, attempt, "en", renderer=renderer)
                peaks[count] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
        finally:
            renderer.close()
    assert peaks[16] < peaks[4] * 1.5, peaks


def test_the_export_limit_and_render_timeout_come_from_the_environment(app, monkeypatch):
    from intake.documents import pdf
    from intake.factory import create_app
    from tests.conftest import _test_config

    plain = create_app(_test_config("sqlite://"))
    with plain.app_context():
        assert exports.max_cases() == 5000
        assert "PDF_RENDER_TIMEOUT_SECONDS" not in plain.config  # pdf.py's default applies
    assert pdf.DEFAULT_TIMEOUT_SECONDS == 20
    monkeypatch.setenv("DOCUMENT_EXPORT_MAX_CASES", "2")
    monkeypatch.setenv("PDF_RENDER_TIMEOUT_SECONDS", "7.5")
    configured = create_app(_test_config("sqlite://"))
    with configured.app_context():
        assert exports.max_cases() == 2
        assert configured.config["PDF_RENDER_TIMEOUT_SECONDS"] == 7.5
