"""Bulk export: a ZIP of case summaries for a queue selection, made in the background in
parts, with progress, only for the person who asked, with every summary audited."""

import io
import threading
import time
import tracemalloc
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from intake.accounts.models import User
from intake.audit.models import AuditEvent
from intake.complaints.models import Complaint
from intake.database import utcnow
from intake.demo.generator import generate_complaints
from intake.documents import exports
from intake.documents.models import DocumentExport, DocumentExportPart
from intake.extensions import db
from tests.conftest import csrf_token
from tests.pdfs import text
from tests.staff import staff_client


@pytest.fixture(autouse=True)
def no_export_outlives_its_test(app):
    """Export threads write to the test database: none may run into the next test."""
    yield
    for thread in threading.enumerate():
        if thread.name.startswith("document-export-"):
            thread.join(timeout=120)
            assert not thread.is_alive(), thread.name


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
    monkeypatch.setattr(exports, "PART_BYTES", 16 * 1024)
    staff = staff_client(app, "supervisor")
    with app.app_context():
        generate_complaints(3, seed=17)
    url = start(staff, status="all")
    wait(staff, url)
    with app.app_context():
        sizes = (
            db.session.execute(
                select(func.length(DocumentExportPart.data)).order_by(DocumentExportPart.seq)
            )
            .scalars()
            .all()
        )
    assert len(sizes) > 3 and max(sizes) == 16 * 1024 and sizes[-1] <= 16 * 1024
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
    newer = start(staff, status="all")  # a new export clears expired ones away
    wait(staff, newer)
    with app.app_context():
        assert (
            db.session.execute(select(func.count()).select_from(DocumentExport)).scalar_one() == 1
        )


def test_memory_while_exporting_does_not_grow_with_the_number_of_cases(app, monkeypatch):
    """Python memory of the process making the ZIP (rendering happens in the worker process)."""
    monkeypatch.setattr(exports, "PART_BYTES", 64 * 1024)
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
