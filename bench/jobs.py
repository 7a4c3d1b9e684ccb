"""The job queue: jobs per second through it, queue-to-start latency, and bulk export times.

On the backend's fresh database, with Huey's SQLite storage for the SQLite backend and Redis
(``BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/0``, a queue name of this run's own)
for PostgreSQL, real ``flask jobs worker`` processes (one job thread each):

- **no-op jobs/s** with 1, 2 and 4 workers: ``NOOP_JOBS`` jobs queued at once, from the first
  queued to the last finished;
- **PDF jobs/s**: the same with one case summary rendered per job (``PDF_JOBS`` jobs);
- **latency**: queue-to-start of one no-op job at a time on idle workers, p50 and p95;
- **export**: one bulk export of ``--jobs-export-cases`` (default 1,000) cases made by a worker,
  with 1 and with 2 workers running (one export is one job: the second worker shows whether
  anything else gets in its way).
"""

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from intake.accounts import services as accounts
from intake.complaints.models import Complaint
from intake.database import utcnow
from intake.demo.generator import generate_complaints
from intake.documents import export_jobs, exports
from intake.documents.models import DocumentExport
from intake.extensions import db
from intake.factory import create_app
from intake.jobs import tasks
from intake.jobs.models import JobWorker
from intake.jobs.queue import huey

from .load import percentile
from .server import ROOT, Server, app_environment

WORKER_COUNTS = (1, 2, 4)
NOOP_JOBS = 500
PDF_JOBS = 48
LATENCY_SAMPLES = 40
DEFAULT_EXPORT_CASES = 1000
EXPORT_WORKERS = (1, 2)


@dataclass
class JobsResult:
    storage: str = ""
    noop_per_second: dict[int, float] = field(default_factory=dict)
    pdf_per_second: dict[int, float] = field(default_factory=dict)
    latency_ms: dict[int, list[float]] = field(default_factory=dict)
    export_seconds: dict[int, float] = field(default_factory=dict)
    export_cases: int = 0
    load_average: list[float] = field(default_factory=list)
    skipped: str = ""

    def columns(self) -> dict[str, str]:
        if self.skipped:
            return {"jobs": self.skipped}
        columns = {"job storage": self.storage}
        for n in self.noop_per_second:
            latency = self.latency_ms.get(n, [])
            columns[f"{n}w no-op/s, PDF/s, start p50/p95 ms"] = (
                f"{self.noop_per_second[n]:.0f}, {self.pdf_per_second.get(n, 0):.1f},"
                f" {_pct(latency, 50)}/{_pct(latency, 95)}"
            )
        for n, seconds in self.export_seconds.items():
            columns[f"export {self.export_cases} ({n}w) s"] = f"{seconds:.0f}"
        columns["jobs load"] = "/".join(f"{value:.1f}" for value in self.load_average)
        return columns

    def to_json(self) -> dict:
        return {
            "storage": self.storage,
            "noop_jobs_per_second": self.noop_per_second,
            "pdf_jobs_per_second": self.pdf_per_second,
            "latency_ms": {
                n: {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95), "n": len(v)}
                for n, v in self.latency_ms.items()
            },
            "export_cases": self.export_cases,
            "export_seconds": self.export_seconds,
            "load_average": self.load_average,
            "skipped": self.skipped,
        }


def _pct(values: list[float], p: int) -> str:
    return f"{percentile(values, p / 100):.0f}" if values else "-"


class Workers:
    """``count`` real worker processes on the bench's queue, stopped on leaving."""

    def __init__(self, env: dict, count: int, log_dir: Path, app):
        self.env, self.count, self.log_dir, self.app = env, count, log_dir, app
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> "Workers":
        since = utcnow()
        for n in range(self.count):
            with (self.log_dir / f"worker-{self.count}-{n}.log").open("wb") as log:
                self.processes.append(
                    subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                        [sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"],
                        cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                    )  # fmt: skip
                )
        deadline = time.monotonic() + 60
        with self.app.app_context():
            while time.monotonic() < deadline:
                seen = db.session.execute(
                    select(JobWorker.name).where(
                        JobWorker.queue == self.env["JOBS_QUEUE"], JobWorker.started_at >= since
                    )
                ).all()
                db.session.rollback()
                if len(seen) >= self.count:
                    time.sleep(0.5)  # past the consumer's start-up
                    return self
                time.sleep(0.1)
        raise RuntimeError("the bench's workers did not start")

    def __exit__(self, *_exc) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _count(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def _through(queue_jobs, total: int, marker: Path) -> float:
    """Jobs per second from the first queued to the last finished."""
    started = time.perf_counter()
    queue_jobs()
    while _count(marker) < total:
        if time.perf_counter() - started > 300:
            raise RuntimeError(f"only {_count(marker)} of {total} jobs ran in 300 s")
        time.sleep(0.005)
    return total / (time.perf_counter() - started)


def _latencies(tmp: Path, n: int) -> list[float]:
    found = []
    for sample in range(LATENCY_SAMPLES):
        marker = tmp / f"latency-{n}-{sample}"
        time.sleep(0.05 + (sample % 5) * 0.02)  # idle workers, at varied points of their poll
        queued = time.time()
        tasks.noop(str(marker))
        while not marker.exists() or not marker.read_text().strip():
            if time.time() - queued > 60:
                raise RuntimeError("a latency job did not start within 60 s")
            time.sleep(0.001)
        found.append((float(marker.read_text().split()[1]) - queued) * 1000)
    return found


def _export_time(app, user_id: int, ids: list[int]) -> float:
    with app.app_context():
        user = db.session.get_one(accounts.User, user_id)
        export = exports.start_export(user, ids, redacted=False)
        export_jobs.queue_export(export.id)
        db.session.commit()
        export_id = export.id
        started = time.perf_counter()
        while True:
            status = db.session.execute(
                select(DocumentExport.status).where(DocumentExport.id == export_id)
            ).scalar_one()
            db.session.rollback()
            if status in ("done", "failed"):
                break
            if time.perf_counter() - started > 900:
                raise RuntimeError(f"the bench's export {export_id} was not done in 900 s")
            time.sleep(0.2)
        if status != "done":
            raise RuntimeError(f"the bench's export {export_id} failed")
        return time.perf_counter() - started


def measure(server: Server, *, concurrency: int, duration: float, options=None) -> JobsResult:
    export_cases = getattr(options, "jobs_export_cases", None) or DEFAULT_EXPORT_CASES
    result = JobsResult(export_cases=export_cases)
    secret_key = secrets.token_urlsafe(36)
    queue = f"bench-{os.getpid()}-{server.backend}"
    with tempfile.TemporaryDirectory(prefix="intake-bench-jobs-") as tmp_name:
        tmp = Path(tmp_name)
        jobs = {"JOBS_QUEUE": queue, "JOBS_SQLITE_PATH": str(tmp / "jobs.sqlite3")}
        if server.backend == "postgresql":
            jobs["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
        env = {**app_environment(server.database_url, tmp, secret_key), **jobs}
        app = create_app(
            {
                "INTAKE_ENV": "production",
                "SECRET_KEY": secret_key,
                "SQLALCHEMY_DATABASE_URI": server.database_url,
                **jobs,
            }
        )
        try:
            huey.pending_count()
        except Exception as error:
            result.skipped = f"queue unreachable: {type(error).__name__}"
            return result
        result.storage = "redis" if "REDIS_URL" in jobs else "sqlite"
        print(f"  jobs: {result.storage} storage; generating {export_cases:,} complaints...")
        with app.app_context():
            user = accounts.create_user(
                "bench-jobs@example.gov", "Bench Jobs", ("supervisor",), None,
                secrets.token_urlsafe(24),
            )  # fmt: skip
            db.session.commit()
            user_id = user.id
            generate_complaints(export_cases, seed=20261204, assign=True)
            ids = list(db.session.execute(select(Complaint.id).order_by(Complaint.id)).scalars())
            db.session.rollback()
        try:
            for n in WORKER_COUNTS:
                with Workers(env, n, tmp, app):
                    marker = tmp / f"noop-{n}"
                    result.noop_per_second[n] = _through(
                        lambda m=marker: [tasks.noop(str(m)) for _ in range(NOOP_JOBS)],
                        NOOP_JOBS,
                        marker,
                    )
                    result.latency_ms[n] = _latencies(tmp, n)
                    marker = tmp / f"pdf-{n}"
                    result.pdf_per_second[n] = _through(
                        lambda m=marker: [
                            export_jobs.render_summary(ids[i % len(ids)], str(m))
                            for i in range(PDF_JOBS)
                        ],
                        PDF_JOBS,
                        marker,
                    )
                lat = result.latency_ms[n]
                print(
                    f"  jobs, {n} worker(s): {result.noop_per_second[n]:.0f} no-op/s,"
                    f" {result.pdf_per_second[n]:.1f} PDF/s, queue-to-start p50"
                    f" {percentile(lat, 0.5):.0f} ms p95 {percentile(lat, 0.95):.0f} ms"
                    f" (load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
                result.load_average.append(os.getloadavg()[0])
            for n in EXPORT_WORKERS:
                with Workers(env, n, tmp, app):
                    result.export_seconds[n] = _export_time(app, user_id, ids[:export_cases])
                print(
                    f"  jobs: export of {export_cases} cases with {n} worker(s):"
                    f" {result.export_seconds[n]:.1f} s (load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
        finally:
            huey.flush()
            with app.app_context():
                db.engine.dispose()
    return result

