"""The job queue with real worker processes: jobs follow commits, a killed worker's export is
finished by another, a lost job is repaired by the sweep, one sweep runs at a time, the
schedule removes what is due and nothing else, and health says whether work gets done.

Runs on Huey's SQLite storage with SQLite, and on Redis with PostgreSQL when TEST_REDIS_URL
is set (.ci/run sets it)."""

import io
import signal
import time
import uuid
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from intake.accounts import tasks as account_tasks
from intake.accounts.models import SignInAttempt, StaffSession, User
from intake.audit.models import AuditEvent
from intake.complaints import tasks as complaint_tasks
from intake.complaints.models import Complaint, Draft
from intake.database import utcnow
from intake.demo.generator import generate_complaints
from intake.documents import export_jobs, exports
from intake.documents.models import DocumentExport, DocumentExportPart
from intake.extensions import db
from intake.factory import create_app
from intake.jobs import leases, tasks
from intake.jobs.models import JobFailure, JobLease, JobWorker
from intake.jobs.queue import enqueue_after_commit, huey
from intake.tracking import tasks as tracking_tasks
from intake.tracking.models import LookupFailure
from tests.conftest import (
    _test_config,
    csrf_token,
    start_jobs_process,
    stop_process,
    wait_for_worker,
)
from tests.staff import make_user, staff_client


def until(check, seconds=60.0, every=0.1, what="the condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def lines(path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


@pytest.fixture
def own_queue(jobs_config):
    """A queue of this test's own, so only the workers it starts take its jobs."""
    return {**jobs_config, "JOBS_QUEUE": f"t{uuid.uuid4().hex[:10]}"}


# Workers give up on a silent export after 3 s instead of 90 (the kill test waits that long).
STALE = {"EXPORT_STALE_SECONDS": 3}


@pytest.fixture
def app_config(own_queue):
    return {**own_queue, **STALE}


@pytest.fixture
def workers(database_url, own_queue, tmp_path):
    """Start real `flask jobs worker` processes on this test's queue; all stopped after."""
    started = []

    def start(*args, **extra):
        with open(tmp_path / f"worker-{len(started)}.log", "wb") as log:
            process = start_jobs_process(
                database_url, own_queue, "worker", *args, log=log, **{**STALE, **extra}
            )
        started.append(process)
        return process

    yield start
    for process in started:
        stop_process(process)


# --- jobs follow commits ----------------------------------------------------------------------


def test_a_job_queued_in_a_rolled_back_transaction_never_runs_a_committed_one_runs_once(
    app, workers, tmp_path
):
    workers()
    rolled_back, committed = tmp_path / "rolled-back", tmp_path / "committed"
    with app.app_context():
        db.session.add(JobLease(name="row-a", holder="t", expires_at=utcnow()))
        enqueue_after_commit(tasks.noop, str(rolled_back))
        db.session.rollback()
        db.session.add(JobLease(name="row-b", holder="t", expires_at=utcnow()))
        enqueue_after_commit(tasks.noop, str(committed))
        assert not committed.exists()  # not before the commit
        db.session.commit()
    until(lambda: committed.exists(), what="the committed job")
    # A later job has run too: had the rolled-back one been queued, it would have run by now.
    later = tmp_path / "later"
    tasks.noop(str(later))
    until(lambda: later.exists(), what="a later job")
    time.sleep(0.5)
    assert not rolled_back.exists()
    assert len(lines(committed)) == 1


# --- exports ----------------------------------------------------------------------------------


def _export_of(app, staff, count, seed):
    with app.app_context():
        generate_complaints(count, seed=seed)
    token = csrf_token(staff, "/staff/documents/exports/new?status=all")
    response = staff.post("/staff/documents/exports", data={"csrf_token": token, "status": "all"})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _export(app, export_id) -> DocumentExport:
    with app.app_context():
        export = db.session.get_one(DocumentExport, export_id)
        db.session.expunge(export)
        return export


def _download(staff, export_id) -> zipfile.ZipFile:
    response = staff.get(f"/staff/documents/exports/{export_id}/download")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


CASES = 40


def test_a_worker_killed_mid_export_another_finishes_it_every_case_once(app, workers):
    staff = staff_client(app, "supervisor")
    first = workers()
    export_id = _export_of(app, staff, CASES, seed=41)
    until(lambda: _export(app, export_id).done >= 3, seconds=120, what="a few cases done")
    stop_process(first, signal.SIGKILL)  # the worker and its render process, mid-export
    killed_at = _export(app, export_id)
    assert killed_at.status == "running" and killed_at.done < killed_at.total, killed_at.__dict__
    workers()
    # The job died with its worker; once the export is silent for 3 s, the sweep queues it.
    time.sleep(3.5)
    export_jobs.sweep_exports.call_local()
    done = until(
        lambda: (e := _export(app, export_id)).status == "done" and e,
        seconds=180,
        what="the export finished by the second worker",
    )
    assert done.attempt == 2, done.__dict__
    archive = _download(staff, export_id)
    assert archive.testzip() is None
    names = archive.namelist()
    with app.app_context():
        numbers = db.session.execute(select(Complaint.tracking_number)).scalars().all()
        # Each case rendered and audited once: the second worker went on, it did not start
        # again from the first case.
        per_case = db.session.execute(
            select(AuditEvent.object_id, func.count())
            .where(
                AuditEvent.action == "document.exported",
                AuditEvent.object_type != "document_export",  # the download's own event
            )
            .group_by(AuditEvent.object_id)
        ).all()
    assert sorted(names) == sorted([f"case-{n}.pdf" for n in numbers] + ["contents.txt"])
    assert len(names) == len(set(names)) == CASES + 1
    assert archive.read("contents.txt").decode().startswith(f"{CASES} case summaries\n")
    assert len(per_case) == CASES and {count for _case, count in per_case} == {1}, per_case


def test_a_crash_between_commit_and_queueing_is_repaired_by_the_sweep(app, workers):
    staff = staff_client(app, "supervisor")
    workers()
    with app.app_context():
        generate_complaints(3, seed=42)
        user = db.session.get_one(User, staff.staff.id)
        ids = db.session.execute(select(Complaint.id)).scalars().all()
        # The row committed, the process gone before queueing the job (no queue_export).
        lost = exports.start_export(user, ids, redacted=False).id
        fresh = exports.start_export(user, ids, redacted=False).id
        db.session.execute(
            update(DocumentExport)
            .where(DocumentExport.id == lost)
            .values(created_at=utcnow() - timedelta(minutes=2))
        )
        db.session.commit()
    time.sleep(1)
    assert _export(app, lost).status == "queued"  # nobody knows of it
    export_jobs.sweep_exports.call_local()
    until(lambda: _export(app, lost).status == "done", seconds=120, what="the repaired export")
    assert len(_download(staff, lost).namelist()) == 4
    # One that has not waited long yet is not queued twice by the sweep (its job may still
    # be on its way): it stays queued until it has waited a minute.
    assert _export(app, fresh).status == "queued"


def test_a_job_run_twice_makes_the_export_once(app, workers):
    staff = staff_client(app, "supervisor")
    with app.app_context():
        generate_complaints(4, seed=43)
        user = db.session.get_one(User, staff.staff.id)
        ids = db.session.execute(select(Complaint.id)).scalars().all()
        export_id = exports.start_export(user, ids, redacted=False).id
        db.session.commit()
    for _ in range(3):
        export_jobs.run_export(export_id)  # three copies of the job, two workers
    workers()
    workers()
    until(lambda: _export(app, export_id).status == "done", seconds=120, what="the export")
    time.sleep(1)
    export = _export(app, export_id)
    assert export.attempt == 1
    with app.app_context():
        cases = (
            db.session.execute(
                select(DocumentExportPart.complaint_id).where(DocumentExportPart.entry.is_not(None))
            )
            .scalars()
            .all()
        )
    assert sorted(cases) == sorted(ids)


def test_a_failing_export_is_retried_then_failed_with_a_reason_staff_see(app, workers, runner):
    staff = staff_client(app, "supervisor")
    # Every render takes longer than a millisecond: each try fails.
    workers(PDF_RENDER_TIMEOUT_SECONDS="0.001")
    export_id = _export_of(app, staff, 1, seed=44)
    failed = until(
        lambda: (e := _export(app, export_id)).status == "failed" and e,
        seconds=90,
        what="the export to fail",
    )
    assert failed.attempt == 1 + export_jobs.RETRIES  # tried, then retried with back-off
    assert "RenderTimeout" in (failed.failure_reason or "")
    page = staff.get(f"/staff/documents/exports/{export_id}").get_data(as_text=True)
    assert "The export failed." in page and "RenderTimeout" in page
    with app.app_context():
        (failure,) = db.session.execute(select(JobFailure)).scalars()
        assert failure.task == "documents.export" and "RenderTimeout" in failure.reason
    status = runner.invoke(args=["jobs", "status"])
    assert "failed jobs: 1" in status.output and "documents.export" in status.output


def test_at_most_n_exports_are_made_at_once(app, workers):
    staff = staff_client(app, "supervisor")
    with app.app_context():
        generate_complaints(6, seed=45)
        user = db.session.get_one(User, staff.staff.id)
        ids = db.session.execute(select(Complaint.id)).scalars().all()
        made = [exports.start_export(user, ids, redacted=False).id for _ in range(3)]
        for export_id in made:
            export_jobs.queue_export(export_id)
        db.session.commit()
    workers("--threads", "3", EXPORTS_AT_ONCE=1)
    most = 0
    deadline = time.monotonic() + 180
    statuses: list[str] = []
    while time.monotonic() < deadline:
        with app.app_context():
            try:
                statuses = db.session.execute(select(DocumentExport.status)).scalars().all()
            except OperationalError:  # SQLite: the workers hold the write lock; look again
                continue
            finally:
                db.session.rollback()
        most = max(most, statuses.count("running"))
        if statuses.count("done") == 3:
            break
        time.sleep(0.05)
    assert statuses.count("done") == 3 and most == 1


# --- one sweep at a time ----------------------------------------------------------------------


def test_two_workers_never_run_the_same_sweep_at_once(app, workers, tmp_path):
    marker = tmp_path / "probe"
    workers()
    workers()
    for _ in range(6):
        tasks.exclusive_probe("documents.export-sweep", 0.4, str(marker))
    until(lambda: len(lines(marker)) == 6, seconds=60, what="six probes")
    ran = sorted(
        (float(start), float(end))
        for kind, _pid, start, end in (line.split() for line in lines(marker) if "ran" in line)
    )
    assert ran and all(earlier[1] <= later[0] for earlier, later in zip(ran, ran[1:], strict=False))
    assert any(line.startswith("skipped") for line in lines(marker))


def test_a_sweep_queued_twice_runs_once_while_the_first_holds_its_lease(app):
    """What two schedulers do: both queue the minute's sweep; the second copy finds the
    lease held and does nothing."""
    staff = staff_client(app, "supervisor")
    with app.app_context():
        user = db.session.get_one(User, staff.staff.id)
        export = exports.start_export(user, [], redacted=False)
        export.expires_at = utcnow() - timedelta(minutes=1)
        assert leases.acquire("documents.export-sweep", "another worker", timedelta(minutes=1))
        db.session.commit()
        export_id = export.id
    export_jobs.sweep_exports.call_local()
    with app.app_context():
        assert db.session.get(DocumentExport, export_id) is not None  # skipped
        leases.release("documents.export-sweep", "another worker")
        db.session.commit()
    export_jobs.sweep_exports.call_local()
    with app.app_context():
        assert db.session.get(DocumentExport, export_id) is None


# --- the schedule -----------------------------------------------------------------------------


def test_housekeeping_removes_what_is_due_and_nothing_else(app):
    now = utcnow()
    staff = make_user(app, "supervisor")
    with app.app_context():
        window = timedelta(minutes=app.config["SIGNIN_WINDOW_MINUTES"])
        lookup = timedelta(minutes=app.config["LOOKUP_WINDOW_MINUTES"])
        idle = timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])
        minute = timedelta(minutes=1)
        for name, expires in (("expired", now - minute), ("due-soon", now + minute)):
            db.session.add(Draft(token_hash=name.ljust(64, "0"), answers={}, expires_at=expires))
        for name, at in (("old", now - 4 * window - minute), ("recent", now - 4 * window + minute)):
            db.session.add(
                SignInAttempt(account_key=name, client_key=name, succeeded=False, attempted_at=at)
            )
        for name, at in (("old", now - 2 * lookup - minute), ("recent", now - 2 * lookup + minute)):
            db.session.add(LookupFailure(client_key=name, tracking_key=name, failed_at=at))
        for name, seen, ended in (
            ("ended", now, now - minute),
            ("idle", now - idle - minute, None),
            ("live", now - idle + minute, None),
        ):
            db.session.add(
                StaffSession(
                    token_hash=name.ljust(64, "0"),
                    user_id=staff.id,
                    last_seen_at=seen,
                    ended_at=ended,
                )
            )
        for name, seen in (
            ("gone", now - timedelta(days=1, minutes=1)),
            ("recent", now - timedelta(hours=23)),
        ):
            db.session.add(JobWorker(name=name, kind="worker", queue="q", last_seen_at=seen))
        user = db.session.get_one(User, staff.id)
        for expires in (now - minute, now + minute):
            exports.start_export(user, [], redacted=False).expires_at = expires
        db.session.commit()
    for sweep in (
        complaint_tasks.purge_expired_drafts,
        account_tasks.purge_sign_in_attempts,
        account_tasks.purge_sessions,
        tracking_tasks.purge_lookup_failures,
        export_jobs.sweep_exports,
        tasks.forget_processes,
    ):
        sweep.call_local()
    with app.app_context():

        def kept(column):
            return sorted(db.session.execute(select(column)).scalars())

        assert kept(Draft.token_hash) == ["due-soon".ljust(64, "0")]
        assert kept(SignInAttempt.account_key) == ["recent"]
        assert kept(LookupFailure.client_key) == ["recent"]
        assert kept(StaffSession.token_hash) == ["live".ljust(64, "0")]
        ours = [name for name in kept(JobWorker.name) if name in ("gone", "recent")]
        assert ours == ["recent"]  # (a worker of the run's may have beaten meanwhile)
        (left,) = db.session.execute(select(DocumentExport)).scalars()
        assert left.expires_at > now
        ended = (
            db.session.execute(
                select(AuditEvent.details).where(AuditEvent.action == "auth.session_ended")
            )
            .scalars()
            .all()
        )
        assert ended == [{"reason": "idle"}]


def test_the_schedule_holds_every_sweep():
    names = {task.__name__ for task in huey._registry._periodic_tasks}
    assert names == {
        "complaints.purge-drafts",
        "accounts.purge-sign-in-attempts",
        "accounts.purge-sessions",
        "tracking.purge-lookup-failures",
        "documents.export-sweep",
        "jobs.forget-processes",
    }


# --- health -----------------------------------------------------------------------------------


def test_health_checks_the_database_and_readiness_a_worker(app, workers, runner):
    client = app.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503
    assert "worker" in not_ready.get_json()["problems"]
    assert client.get("/healthz?ready=1").status_code == 503
    workers()
    wait_for_worker(app)
    assert client.get("/readyz").get_json() == {"status": "ok"}
    status = runner.invoke(args=["jobs", "status"])
    assert "jobs waiting: 0" in status.output
    assert "workers seen in the last hour: 1" in status.output


def test_health_fails_when_the_database_does_not_answer(tmp_path):
    broken = create_app(_test_config(f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and "database" in response.get_json()["problems"]


def test_two_schedulers_queue_the_sweeps_and_the_workers_remove_what_is_due(
    app, workers, database_url, own_queue, tmp_path
):
    """Nobody uses the site: the schedule alone removes the expired draft. Each scheduler
    queues every sweep on starting (and each minute after); two workers take the copies, and
    the leases let one copy of a sweep run at a time (the other is skipped, or finds nothing)."""
    now = utcnow()
    with app.app_context():
        for name, expires in (
            ("expired", now - timedelta(seconds=5)),
            ("later", now + timedelta(minutes=1)),
        ):
            db.session.add(Draft(token_hash=name.ljust(64, "0"), answers={}, expires_at=expires))
        db.session.commit()
    workers()
    workers()
    logs = [tmp_path / f"scheduler-{n}.log" for n in range(2)]
    schedulers = []
    for log_path in logs:
        with open(log_path, "wb") as log:
            schedulers.append(
                start_jobs_process(database_url, own_queue, "scheduler", log=log, **STALE)
            )
    try:

        def drafts():
            with app.app_context():
                found = sorted(db.session.execute(select(Draft.token_hash)).scalars())
                db.session.rollback()
                return found

        until(lambda: drafts() == ["later".ljust(64, "0")], seconds=60, what="the sweep")
        for log_path in logs:
            until(
                lambda p=log_path: "complaints.purge-drafts" in p.read_text(),
                seconds=30,
                what="each scheduler to queue the sweep",
            )

        def schedulers_seen() -> int:
            with app.app_context():
                kinds = db.session.execute(select(JobWorker.kind)).scalars().all()
                db.session.rollback()
            return kinds.count("scheduler")

        # Each writes its heartbeat from a thread of its own, within HEARTBEAT_SECONDS.
        until(lambda: schedulers_seen() == 2, seconds=45, what="both schedulers' heartbeats")
    finally:
        for process in schedulers:
            stop_process(process)
    until(lambda: not _leases_held(app), seconds=20, what="every sweep's lease released")


def _leases_held(app) -> list[str]:
    with app.app_context():
        held = (
            db.session.execute(
                select(JobLease.name).where(JobLease.name.not_like("documents.export-slot-%"))
            )
            .scalars()
            .all()
        )
        db.session.rollback()
        return list(held)
