"""PDF documents: render times, PDFs per second under gunicorn, and bulk exports.

A fresh database per backend gets ``--documents-complaints`` generated complaints (default
1,000) and a supervisor; a second gunicorn serves it with the bench's own secret key, so the
bench can hold a staff session cookie made directly in the database. Then:

- **render**: in this process, through the app's one rendering function (a render worker of its
  own), the median and 95th percentile time to render a case summary and a receipt, the HTML
  from the templates included (the database reads are not: they are the next figure's); beside
  it the render worker's own CPU time and the load average, since on a shared machine the wall
  clock also counts the time other programs had the CPU;
- **summary / receipt over HTTP**: one client asking for random cases' summaries (and one
  complaint's receipt through the status page's session) for ``--duration`` seconds: p50, p95;
- **PDFs/s**: ``--concurrency`` clients asking for summaries at once;
- **bulk export**: the ZIP of the first 100 and of ``--documents-export-cases`` (default 1,000)
  cases, through the real pages (POST, progress page until ready, download): the time, and the
  peak resident memory of every gunicorn worker and render worker meanwhile, sampled from
  /proc. Memory must not grow with the number of cases.

Target (the issue's): a case summary under 100 ms at the median.
"""

import logging
import os
import random
import secrets
import statistics
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import httpx
from psycopg import sql
from sqlalchemy import select

from . import server as bench_server
from .load import Tally, percentile, run_load
from .server import Server, app_environment, log_errors, migrate, serve_database

SUMMARY_TARGET_MS = 100
DEFAULT_COMPLAINTS = 1000
DEFAULT_EXPORT_CASES = 1000
SMALL_EXPORT_CASES = 100
RENDER_SAMPLES = 40
# One database per bench run: two runs at once (two people on one machine) must not drop
# each other's.
POSTGRES_DB = f"intake_bench_documents_{os.getpid()}"
SUPERVISOR_EMAIL = "bench-documents@example.gov"


@dataclass
class ExportRun:
    cases: int
    seconds: float = 0.0
    download_seconds: float = 0.0
    zip_bytes: int = 0
    entries: int = 0
    # Peak resident set size (MB) of any gunicorn worker, and of any render worker.
    app_peak_mb: float = 0.0
    app_before_mb: float = 0.0
    render_peak_mb: float = 0.0
    status: str = ""


@dataclass
class DocumentsResult:
    complaints: int = 0
    render_summary_ms: list[float] = field(default_factory=list)
    render_receipt_ms: list[float] = field(default_factory=list)
    # CPU time of the render worker for the same renders, and the 1-minute load average.
    render_summary_cpu_ms: list[float] = field(default_factory=list)
    render_receipt_cpu_ms: list[float] = field(default_factory=list)
    render_load: float = 0.0
    summary_pages: int = 0
    http_summary: Tally | None = None
    http_receipt: Tally | None = None
    throughput: float = 0.0
    throughput_errors: int = 0
    exports: list[ExportRun] = field(default_factory=list)
    skipped: str = ""

    def columns(self) -> dict[str, str]:
        if self.skipped:
            return {"documents": self.skipped}
        columns = {
            "summary render p50/p95 ms": _pair(self.render_summary_ms),
            "receipt render p50/p95 ms": _pair(self.render_receipt_ms),
            "summary/receipt render CPU p50 ms": (
                f"{_p50(self.render_summary_cpu_ms)}/{_p50(self.render_receipt_cpu_ms)}"
            ),
            "load": f"{self.render_load:.1f}",
            "summary GET p50/p95 ms": _pair(_ms(self.http_summary)),
            "receipt GET p50/p95 ms": _pair(_ms(self.http_receipt)),
            "PDFs/s": f"{self.throughput:.1f}",
        }
        for run in self.exports:
            columns[f"export {run.cases}: s / peak MB (app, render)"] = (
                f"{run.seconds:.0f} / {run.app_peak_mb:.0f}, {run.render_peak_mb:.0f}"
                + ("" if run.status == "done" else f" ({run.status})")
            )
        return columns

    def to_json(self) -> dict:
        return {
            "complaints": self.complaints,
            "summary_pages": self.summary_pages,
            "render_summary_ms": _stats(self.render_summary_ms),
            "render_receipt_ms": _stats(self.render_receipt_ms),
            "render_summary_cpu_ms": _stats(self.render_summary_cpu_ms),
            "render_receipt_cpu_ms": _stats(self.render_receipt_cpu_ms),
            "render_load_average": self.render_load,
            "http_summary_ms": _stats(_ms(self.http_summary)),
            "http_receipt_ms": _stats(_ms(self.http_receipt)),
            "http_errors": {
                "summary": dict(self.http_summary.errors) if self.http_summary else {},
                "receipt": dict(self.http_receipt.errors) if self.http_receipt else {},
            },
            "pdfs_per_second": self.throughput,
            "throughput_errors": self.throughput_errors,
            "summary_target_ms": SUMMARY_TARGET_MS,
            "exports": [run.__dict__ for run in self.exports],
            "skipped": self.skipped,
        }


def _ms(tally: Tally | None) -> list[float]:
    return [seconds * 1000 for seconds in tally.latencies] if tally else []


def _pair(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{percentile(values, 0.5):.0f}/{percentile(values, 0.95):.0f}"


def _p50(values: list[float]) -> str:
    return f"{percentile(values, 0.5):.0f}" if values else "-"


def _load_average() -> float:
    return os.getloadavg()[0]


def _stats(values: list[float]) -> dict:
    if not values:
        return {}
    return {
        "count": len(values),
        "p50": percentile(values, 0.5),
        "p95": percentile(values, 0.95),
        "mean": statistics.fmean(values),
    }


# --- the data set -----------------------------------------------------------------------------


def _database_url(backend: str, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'documents.sqlite3'}"
    name = sql.Identifier(POSTGRES_DB)
    bench_server._postgres_admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    bench_server._postgres_admin(sql.SQL("CREATE DATABASE {}").format(name))
    return f"postgresql+psycopg://postgres@{bench_server.POSTGRES_HOST}/{POSTGRES_DB}"


def _drop(backend: str) -> None:
    if backend == "postgresql":
        name = sql.Identifier(POSTGRES_DB)
        bench_server._postgres_admin(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
        )


@dataclass
class Prepared:
    complaint_ids: list[int]
    cookies: dict[str, str]
    csrf_token: str
    receipt_tracking: str


def _prepare(url: str, secret_key: str, complaints: int) -> Prepared:
    from flask import session
    from flask_wtf.csrf import generate_csrf

    from intake.accounts import services as accounts
    from intake.accounts.access import SESSION_KEY
    from intake.complaints.models import Complaint
    from intake.database import utcnow
    from intake.demo.generator import generate_complaints
    from intake.extensions import db
    from intake.factory import create_app

    app = create_app(
        {"INTAKE_ENV": "production", "SECRET_KEY": secret_key, "SQLALCHEMY_DATABASE_URI": url}
    )
    with app.app_context():
        user = accounts.create_user(
            SUPERVISOR_EMAIL, "Bench Supervisor", ("supervisor",), None, secrets.token_urlsafe(24)
        )
        user.totp_enrolled_at = utcnow()
        db.session.commit()
        generate_complaints(complaints, seed=20261121, assign=True)
        ids = list(
            db.session.execute(
                select(Complaint.id).order_by(Complaint.submitted_at.desc(), Complaint.id.desc())
            ).scalars()
        )
        tracking = db.session.execute(
            select(Complaint.tracking_number).where(Complaint.id == ids[0])
        ).scalar_one()
        token = accounts.start_session(user)
        db.session.commit()
        with app.test_request_context("/"):
            csrf_token = generate_csrf()
            session[SESSION_KEY] = token
            cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
        db.engine.dispose()
    return Prepared(ids, {app.config["SESSION_COOKIE_NAME"]: cookie}, csrf_token, tracking)


# --- measurements -----------------------------------------------------------------------------


@dataclass
class RenderTimes:
    summary_ms: list[float] = field(default_factory=list)
    receipt_ms: list[float] = field(default_factory=list)
    # The render worker's CPU time for each (no HTML, no pipe; not stretched by other programs).
    summary_cpu_ms: list[float] = field(default_factory=list)
    receipt_cpu_ms: list[float] = field(default_factory=list)
    pages: int = 0
    load: float = 0.0


def _render_times(url: str, secret_key: str, complaint_ids: list[int]) -> RenderTimes:
    """Summary and receipt render times in this process (HTML from templates + PDF)."""
    from intake.complaints.models import Complaint
    from intake.documents import receipts, rendering, summaries
    from intake.documents.pdf import Renderer
    from intake.extensions import db
    from intake.factory import create_app

    app = create_app(
        {"INTAKE_ENV": "production", "SECRET_KEY": secret_key, "SQLALCHEMY_DATABASE_URI": url}
    )
    renderer = Renderer()
    times, pages = RenderTimes(), []
    sample = random.Random(4).sample(complaint_ids, min(RENDER_SAMPLES, len(complaint_ids)))
    try:
        with app.test_request_context("/"):
            from flask_babel import force_locale

            for complaint_id in sample:
                complaint = db.session.get(Complaint, complaint_id)
                with force_locale("en"):
                    summary = summaries.summary_context(complaint, redacted=False)
                    receipt = receipts.receipt_context(complaint)
                head = rendering.chain_head()
                started = time.perf_counter()
                html = rendering.document_html(
                    "summary.html",
                    "en",
                    **summary,
                    chain_head=head,
                    generated_at="now",
                    generated_by="Bench",
                )
                rendered = renderer.render(html)
                times.summary_ms.append(1000 * (time.perf_counter() - started))
                times.summary_cpu_ms.append(rendered.cpu_ms)
                pages.append(rendered.pages)
                started = time.perf_counter()
                html = rendering.document_html(
                    "receipt.html",
                    complaint.language,
                    **receipt,
                    access_code=None,
                    generated_at="now",
                )
                rendered = renderer.render(html)
                times.receipt_ms.append(1000 * (time.perf_counter() - started))
                times.receipt_cpu_ms.append(rendered.cpu_ms)
            times.load = _load_average()
            db.session.rollback()
    finally:
        renderer.close()
        with app.app_context():
            db.engine.dispose()
    times.pages = round(statistics.median(pages)) if pages else 0
    return times


def _client(base_url: str, prepared: Prepared, transport=None) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        cookies=prepared.cookies,
        timeout=httpx.Timeout(60.0),
        trust_env=False,
        transport=transport,
    )


def _summary_work(prepared: Prepared, rng: random.Random):
    def work(new_client, tally: Tally) -> None:
        client = new_client()
        complaint_id = rng.choice(prepared.complaint_ids)
        tally.requests += 1
        started = time.perf_counter()
        try:
            response = client.get(f"/staff/documents/cases/{complaint_id}/summary.pdf")
        except httpx.RequestError as error:
            tally.errors[f"GET summary: {error!r}"] += 1
            return
        if response.status_code == 200 and response.content.startswith(b"%PDF-"):
            tally.latencies.append(time.perf_counter() - started)
            tally.completed += 1
        else:
            tally.errors[f"GET summary: {response.status_code}"] += 1

    return work


def _receipt_work(tracking: str):
    def work(new_client, tally: Tally) -> None:
        client = new_client()
        if not client.cookies:
            page = client.get("/status/")
            token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            looked_up = client.post(
                "/status/",
                data={
                    "csrf_token": token,
                    "tracking_number": tracking,
                    "access_code": "DEMO-" + tracking,
                },
            )
            if looked_up.status_code != 302:
                tally.errors[f"status look-up: {looked_up.status_code}"] += 1
                return
        tally.requests += 1
        started = time.perf_counter()
        response = client.get("/status/case/receipt.pdf")
        if response.status_code == 200 and response.content.startswith(b"%PDF-"):
            tally.latencies.append(time.perf_counter() - started)
            tally.completed += 1
        else:
            tally.errors[f"GET receipt: {response.status_code}"] += 1

    return work


def _sequential(base_url: str, work, duration: float, warmup: int, cookies=None) -> Tally:
    """One client, one request after another, for ``duration`` seconds after ``warmup``."""
    tally, ignored = Tally(), Tally()
    with httpx.HTTPTransport() as transport:
        client = httpx.Client(
            base_url=base_url, transport=transport, timeout=httpx.Timeout(60.0), trust_env=False
        )
        for _ in range(warmup):
            work(lambda: client, ignored)
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline:
            work(lambda: client, tally)
    return tally


class MemorySampler:
    """Peak RSS of the gunicorn workers and their render workers, from /proc, every 0.2 s."""

    def __init__(self, master_pid: int):
        self.master_pid = master_pid
        self.app_peak = self.render_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.before = max(self._sizes()[0] or [0])
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            app, render = self._sizes()
            self.app_peak = max(self.app_peak, *app, 0)
            self.render_peak = max(self.render_peak, *render, 0)
            time.sleep(0.2)

    def _sizes(self) -> tuple[list[int], list[int]]:
        app = _children(self.master_pid)
        render = [child for worker in app for child in _children(worker)]
        return [_rss(pid) for pid in app], [_rss(pid) for pid in render]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _export(base_url: str, prepared: Prepared, cases: int, master_pid: int) -> ExportRun:
    run = ExportRun(cases)
    client = _client(base_url, prepared)
    with MemorySampler(master_pid) as memory:
        started = time.perf_counter()
        response = client.post(
            "/staff/documents/exports",
            data={
                "csrf_token": prepared.csrf_token,
                "complaint_id": [str(i) for i in prepared.complaint_ids[:cases]],
            },
        )
        if response.status_code != 303:
            run.status = f"POST {response.status_code}"
            return run
        progress = response.headers["location"]
        while True:
            page = client.get(progress)
            if "The ZIP file is ready." in page.text:
                run.status = "done"
                break
            if "The export failed." in page.text or page.status_code != 200:
                run.status = "failed"
                return run
            time.sleep(0.5)
        run.seconds = time.perf_counter() - started
        started = time.perf_counter()
        download = client.get(progress + "/download")
        run.download_seconds = time.perf_counter() - started
    run.zip_bytes = len(download.content)
    run.entries = len(zipfile.ZipFile(BytesIO(download.content)).namelist())
    run.app_peak_mb = memory.app_peak / 1e6
    run.app_before_mb = memory.before / 1e6
    run.render_peak_mb = memory.render_peak / 1e6
    return run


def measure(server: Server, *, concurrency: int, duration: float, options=None) -> DocumentsResult:
    complaints = getattr(options, "documents_complaints", None) or DEFAULT_COMPLAINTS
    export_cases = min(
        getattr(options, "documents_export_cases", None) or DEFAULT_EXPORT_CASES, complaints
    )
    secret_key = secrets.token_urlsafe(36)
    result = DocumentsResult(complaints=complaints)
    # The app's logging set-up (create_app, below) would otherwise log every bench request.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="intake-bench-documents-") as tmp:
        url = _database_url(server.backend, Path(tmp))
        try:
            migrate(app_environment(url, Path(tmp), secret_key))
            print(f"  documents: generating {complaints:,} complaints...", flush=True)
            prepared = _prepare(url, secret_key, complaints)
            times = _render_times(url, secret_key, prepared.complaint_ids)
            result.render_summary_ms, result.render_receipt_ms = times.summary_ms, times.receipt_ms
            result.render_summary_cpu_ms = times.summary_cpu_ms
            result.render_receipt_cpu_ms = times.receipt_cpu_ms
            result.render_load, result.summary_pages = times.load, times.pages
            print(
                f"  documents render (in process, median {times.pages} pages): summary"
                f" {_pair(times.summary_ms)} ms, receipt {_pair(times.receipt_ms)} ms (p50/p95;"
                f" render worker CPU p50: summary {_p50(times.summary_cpu_ms)} ms, receipt"
                f" {_p50(times.receipt_cpu_ms)} ms; load average {times.load:.1f})",
                flush=True,
            )
            with serve_database(
                server.backend,
                url,
                workers=server.workers,
                instance=Path(tmp),
                secret_key=secret_key,
            ) as documents_server:
                base = documents_server.base_url
                rng = random.Random(7)
                # Every gunicorn worker starts its render worker on its first document.
                warmup = 3 * documents_server.workers
                result.http_summary = _sequential(
                    base, _with_cookies(_summary_work(prepared, rng), prepared), duration, warmup
                )
                result.http_receipt = _sequential(
                    base, _receipt_work(prepared.receipt_tracking), duration, 2
                )
                print(
                    f"  documents GET (one client): summary {_pair(_ms(result.http_summary))} ms,"
                    f" receipt {_pair(_ms(result.http_receipt))} ms (p50/p95)",
                    flush=True,
                )
                load = run_load(
                    base,
                    _with_cookies(_summary_work(prepared, rng), prepared),
                    concurrency=concurrency,
                    duration=duration,
                )
                result.throughput = load.per_second
                result.throughput_errors = load.tally.errors.total()
                print(
                    f"  documents: {load.per_second:.1f} summaries/s with {concurrency} clients"
                    f" (errors: {result.throughput_errors})",
                    flush=True,
                )
                master = _gunicorn_master(documents_server)
                for cases in sorted({min(SMALL_EXPORT_CASES, export_cases), export_cases}):
                    run = _export(base, prepared, cases, master)
                    result.exports.append(run)
                    print(
                        f"  documents export of {cases} cases: {run.status}, {run.seconds:.1f} s"
                        f" (+{run.download_seconds:.1f} s download, {run.zip_bytes / 1e6:.1f} MB,"
                        f" {run.entries} files); peak RSS: gunicorn worker"
                        f" {run.app_peak_mb:.0f} MB (before {run.app_before_mb:.0f} MB),"
                        f" render worker {run.render_peak_mb:.0f} MB",
                        flush=True,
                    )
                for line, count in log_errors(documents_server.log_path).most_common():
                    print(f"  documents server log: {count} x {line}")
        finally:
            _drop(server.backend)
    return result


def _with_cookies(work, prepared: Prepared):
    def with_cookies(new_client, tally):
        def client_with_cookies():
            client = new_client()
            client.cookies.update(prepared.cookies)
            return client

        work(client_with_cookies, tally)

    return with_cookies


def _gunicorn_master(documents_server: Server) -> int:
    """The gunicorn master's pid, from its log line ("Starting gunicorn ... Listening")."""
    import re

    text = documents_server.log_path.read_text(errors="replace")
    match = re.search(r"\[(\d+)\] \[INFO\] Starting gunicorn", text)
    return int(match.group(1)) if match else 0
