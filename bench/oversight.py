"""Oversight over the staff section's large data set: the dashboard, the program overview, the
periodic report PDF and the open-data CSV.

The data set is the staff section's (``staff_data``: a million generated complaints in the
PostgreSQL database ``bench`` by default, made once and reused; 100,000 in a SQLite file), sized
with ``--staff-complaints``. Its dates are relative to the day it was made, so the ranges here
end on its last filing day, not today: the dashboard's default range (the 12 full months before
that day's month, and that month), the report's year (the 12 months to that day), the open
data's small range (the last full month).

Starts, cold to warm:

- **cold, new process**: the first oversight request of a gunicorn started for it, once all
  its workers have loaded the app and compiled its templates (gunicorn.conf.py does that at
  start-up), with no SQL statement caches, database connections or figures in the worker;
  PostgreSQL's shared buffers and the operating system's file cache hold what earlier work
  left there.
- **cold, buffers evicted** (PostgreSQL): the same, after filling PostgreSQL's shared buffers
  with pages of tables the oversight pages never read (``pg_prewarm`` of the people and search
  tables), checked with ``pg_buffercache``. The pages then come from the operating system's
  file cache: emptying that needs root (``drop_caches``), which the bench does not use.
- **warm**: one client, one request after another for ``--duration`` seconds after a warm-up
  of every worker; p50 and p95.

Each cold figure is ``--oversight-runs`` fresh starts (their median, and the worst); the report
PDF is asked for that many times on a warm server. Open data: the file for one month and the
whole file (``--oversight-open-data year``: the report's year instead), streamed, with rows per
second and the peak resident memory of the gunicorn workers sampled from /proc meanwhile: it
must not grow with the rows. The bench's gunicorn runs with the project's gunicorn.conf.py
(threaded workers); a file cut off mid-stream (a worker killed at its timeout, say) is marked
CUT in the table.

Targets (the issue's): the dashboard under 1 s cold, the year's report PDF under 10 s.
The 1-minute load average is kept with every figure: the machine has 2 cores, often shared.
"""

import logging
import os
import secrets
import statistics
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
from sqlalchemy import create_engine, func, inspect, select, text

from intake.complaints.models import Allegation, Complaint, ComplaintAgency, ComplaintProgramContext
from intake.extensions import db
from intake.review.models import Recommendation

from . import report, staff_data
from .documents import MemorySampler, _children, _gunicorn_master
from .load import Tally, percentile
from .server import Server, app_environment, log_errors, migrate, serve_database

DASHBOARD_TARGET_S = 1.0
REPORT_TARGET_S = 10.0
DEFAULT_RUNS = 3
OPEN_DATA_CHOICES = ("full", "year")
# The filtered dashboard: the state and allegation the generated complaints name most.
FILTER = {"state": "TX", "allegation": "racial_profiling"}
REQUEST_TIMEOUT = httpx.Timeout(180.0)  # a slow figure is measured, not cut off
# Tables the oversight figures read; a reused data set gets the indexes declared on them since.
OVERSIGHT_TABLES = (Complaint, Allegation, ComplaintAgency, ComplaintProgramContext, Recommendation)
# Tables whose pages fill PostgreSQL's shared buffers to push the oversight tables' out.
EVICTING_TABLES = ("complaint_people", "complaint_search", "audit_events")

COLD_PROCESS = "cold: new gunicorn"
COLD_BUFFERS = "cold: new gunicorn, PostgreSQL buffers evicted"
WARM = "warm"


@dataclass
class Figure:
    """Several timings of one request (seconds), with the machine's load at each."""

    name: str
    start: str  # COLD_PROCESS, COLD_BUFFERS or WARM
    target_s: float | None = None
    seconds: list[float] = field(default_factory=list)
    load_averages: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    note: str = ""

    def at(self, fraction: float) -> float | None:
        return percentile(self.seconds, fraction)

    @property
    def load_average(self) -> float | None:
        return statistics.fmean(self.load_averages) if self.load_averages else None

    @property
    def verdict(self) -> str:
        if self.note and not self.seconds:
            return self.note
        if self.errors:
            return "ERRORS"
        worst = self.at(0.95)
        if self.target_s is None or worst is None:
            return self.note
        return "ok" if worst < self.target_s else "SLOW"

    def to_json(self) -> dict:
        return {
            "start": self.start,
            "runs": len(self.seconds),
            "p50_s": self.at(0.5),
            "p95_s": self.at(0.95),
            "seconds": self.seconds if self.start != WARM else None,
            "target_s": self.target_s,
            "load_average_1m": self.load_average,
            "errors": dict(self.errors),
            "verdict": self.verdict,
            "note": self.note,
        }


@dataclass
class Download:
    """One open-data file, streamed."""

    name: str
    path: str
    expected_rows: int
    rows: int = 0
    bytes: int = 0
    seconds: float = 0.0
    first_byte_s: float = 0.0
    app_before_mb: float = 0.0
    app_peak_mb: float = 0.0
    load_average: float | None = None
    status: str = ""

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def complete(self) -> bool:
        return self.status == "200" and self.rows == self.expected_rows


@dataclass
class OversightResult:
    complaints: int = 0
    anchor: str = ""  # the data set's last filing day
    buffers_left_mb: float | None = None  # oversight tables' pages in shared buffers, evicted
    figures: list[Figure] = field(default_factory=list)
    downloads: list[Download] = field(default_factory=list)
    skipped: str = ""

    def figure(self, name: str, start: str) -> Figure | None:
        return next((f for f in self.figures if f.name == name and f.start == start), None)

    def _worst(self, prefix: str, cold: bool) -> float | None:
        values = [
            f.at(0.95)
            for f in self.figures
            if f.name.startswith(prefix) and (f.start != WARM) == cold and f.seconds
        ]
        values = [v for v in values if v is not None]
        return max(values) if values else None

    def columns(self) -> dict[str, str]:
        if self.skipped:
            return {"oversight": self.skipped}
        report_pdf = self.figure(REPORT, WARM)
        columns = {
            "oversight complaints": f"{self.complaints:,}",
            "dashboard cold s (worst)": _number(self._worst(DASHBOARD, cold=True), 2),
            "dashboard warm p95 s": _number(self._worst(DASHBOARD, cold=False), 2),
            "program cold / warm p95 s": (
                f"{_number(self._worst(PROGRAM, cold=True), 2)}"
                f" / {_number(self._worst(PROGRAM, cold=False), 2)}"
            ),
            "report PDF median s": (
                _number(report_pdf.at(0.5), 1) if report_pdf and report_pdf.seconds else "-"
            ),
        }
        for run in self.downloads:
            columns[f"open data {run.name}: rows/s, peak MB"] = (
                f"{run.rows_per_second:,.0f}, {run.app_peak_mb:.0f}"
                + ("" if run.complete else f" ({_download_problem(run)})")
            )
        columns["oversight errors"] = str(sum(f.errors.total() for f in self.figures))
        return columns

    def to_json(self) -> dict:
        if self.skipped:
            return {"skipped": self.skipped}
        return {
            "complaints": self.complaints,
            "last_filing_day": self.anchor,
            "targets_s": {"dashboard_cold": DASHBOARD_TARGET_S, "report_pdf": REPORT_TARGET_S},
            "evicted_buffers_left_mb": self.buffers_left_mb,
            "figures": [{"name": f.name, **f.to_json()} for f in self.figures],
            "open_data": [
                {**run.__dict__, "rows_per_second": run.rows_per_second, "complete": run.complete}
                for run in self.downloads
            ],
        }

    def table(self) -> str:
        rows = [
            {
                "measurement": f.name,
                "start": f.start,
                "runs": str(len(f.seconds)),
                "p50 s": _number(f.at(0.5), 3),
                "p95 / worst s": _number(f.at(0.95), 3),
                "target": f"< {f.target_s:g} s" if f.target_s else "",
                "load 1m": _number(f.load_average, 1),
                "": f.verdict,
            }
            for f in self.figures
        ]
        lines = [report.table(rows)]
        if self.downloads:
            lines.append("")
            lines.append(
                report.table(
                    [
                        {
                            "open data": run.name,
                            "rows": f"{run.rows:,}",
                            "MB": f"{run.bytes / 1e6:,.1f}",
                            "s": f"{run.seconds:.1f}",
                            "first byte s": f"{run.first_byte_s:.2f}",
                            "rows/s": f"{run.rows_per_second:,.0f}",
                            "worker RSS MB before / peak": (
                                f"{run.app_before_mb:.0f} / {run.app_peak_mb:.0f}"
                            ),
                            "load 1m": _number(run.load_average, 1),
                            "": "ok" if run.complete else _download_problem(run),
                        }
                        for run in self.downloads
                    ]
                )
            )
        return "\n".join(lines)


DASHBOARD = "dashboard"
PROGRAM = "program overview"
REPORT = "report PDF, one year"
DASHBOARD_ENDPOINT = "oversight.dashboard"
PROGRAM_ENDPOINT, PROGRAM_PATH = "oversight.program", "/staff/oversight/program"
REPORT_ENDPOINT = "oversight.report_pdf"
OPEN_DATA_ENDPOINT, OPEN_DATA_PATH = "oversight.open_data_csv", "/staff/oversight/open-data.csv"


def _download_problem(run: Download) -> str:
    if not run.status:
        return "not measured"
    if not run.status.startswith("200"):
        return f"HTTP {run.status}"
    return f"CUT after {run.seconds:.0f} s: {run.rows:,} of {run.expected_rows:,} rows"


def _number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


# --- the plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranges:
    last_day: date  # the data set's last filing day (UTC)
    default_start: date  # the dashboard's default range: 12 full months before, and this one
    year_start: date  # the report's year: 12 months to last_day
    month: date  # the last full month, for the small open-data file
    in_default: int
    in_year: int
    in_month: int
    total: int


def _first_of_month(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _ranges(url: str) -> Ranges:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            total, last = conn.execute(select(func.count(), func.max(Complaint.submitted_at))).one()
            if isinstance(last, str):  # SQLite: an aggregate's value skips the column type
                last = datetime.fromisoformat(last)
            last_day = last.date()
            default_start = _first_of_month(last_day, 12)
            year_start = date(last_day.year - 1, last_day.month, 1) + timedelta(
                days=last_day.day
            )  # the day after the same day a year before (29 February: 1 March)
            month = _first_of_month(last_day, 1)

            def filed(first: date, last_included: date) -> int:
                return conn.execute(
                    select(func.count()).where(
                        Complaint.submitted_at >= _midnight(first),
                        Complaint.submitted_at < _midnight(last_included + timedelta(days=1)),
                    )
                ).scalar_one()

            return Ranges(
                last_day,
                default_start,
                year_start,
                month,
                filed(default_start, last_day),
                filed(year_start, last_day),
                filed(month, _first_of_month(last_day) - timedelta(days=1)),
                total,
            )
    finally:
        engine.dispose()


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _dashboard_path(ranges: Ranges, **filters: str) -> str:
    args = {"start": ranges.default_start.isoformat(), "end": ranges.last_day.isoformat()}
    return "/staff/oversight/?" + urlencode({**args, **filters})


def _report_path(ranges: Ranges) -> str:
    args = {"start": ranges.year_start.isoformat(), "end": ranges.last_day.isoformat()}
    return "/staff/oversight/report.pdf?" + urlencode({**args, "lang": "en"})


def _month_arg(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# --- indexes on a reused data set --------------------------------------------------------------


def ensure_indexes(url: str, secret_key: str) -> list[str]:
    """Create the ``ix_`` indexes the models declare on OVERSIGHT_TABLES that the database
    lacks (or has with other columns): a data set generated, and migrated to 0004, before an
    oversight index was added. Then ANALYZE the tables that changed. Returns what was made."""
    app = staff_data.app_for(url, secret_key)
    made = []
    with app.app_context():
        inspector = inspect(db.engine)
        for model in OVERSIGHT_TABLES:
            table = model.__table__
            present = {i["name"]: i["column_names"] for i in inspector.get_indexes(table.name)}
            for index in sorted(table.indexes, key=lambda i: i.name):
                columns = [column.name for column in index.columns]
                if not index.name.startswith("ix_") or present.get(index.name) == columns:
                    continue
                if index.name in present:
                    print(f"  oversight: replacing index {index.name} with {columns}")
                    index.drop(db.engine)
                print(f"  oversight: creating index {index.name} {columns}", flush=True)
                index.create(db.engine)
                made.append(index.name)
        if made:
            tables = {model.__table__.name for model in OVERSIGHT_TABLES}
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                for name in sorted(tables):
                    conn.execute(text(f"ANALYZE {name}"))
        db.engine.dispose()
    return made


# --- cold PostgreSQL buffers -----------------------------------------------------------------


def evict_shared_buffers(url: str) -> float:
    """Fill PostgreSQL's shared buffers with pages the oversight pages never read; returns the
    megabytes of OVERSIGHT_TABLES' pages (tables and indexes) still there afterwards.

    pg_prewarm reads through the ordinary buffer replacement (a large sequential scan uses a
    small ring instead, and would leave the buffers as they were). Three times the shared
    buffers' size is read, so even often-used pages (usage counts) go; a small data set may
    not have that much, which the megabytes left show.
    """
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_buffercache"))
            buffers = conn.execute(
                text("SELECT setting::bigint FROM pg_settings WHERE name = 'shared_buffers'")
            ).scalar_one()
            sizes = {
                name: conn.execute(
                    text("SELECT pg_relation_size(to_regclass(:name)) / 8192"), {"name": name}
                ).scalar_one()
                or 0
                for name in EVICTING_TABLES
            }
            read, wanted = 0, 3 * buffers
            for name, blocks in sizes.items():
                count = min(blocks, wanted - read)
                if count > 0:
                    read += conn.execute(
                        text(
                            "SELECT pg_prewarm(CAST(:name AS regclass), 'buffer', 'main', 0, :last)"
                        ),
                        {"name": name, "last": count - 1},
                    ).scalar_one()
            return _oversight_buffers_mb(conn)
    finally:
        engine.dispose()


def _oversight_buffers_mb(conn) -> float:
    names = [model.__table__.name for model in OVERSIGHT_TABLES]
    blocks = conn.execute(
        text(
            "SELECT count(*) FROM pg_buffercache b"
            " JOIN pg_class c ON b.relfilenode = pg_relation_filenode(c.oid)"
            " AND b.reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " WHERE c.oid IN (SELECT oid FROM pg_class WHERE relname = ANY(:names)"
            " UNION SELECT indexrelid FROM pg_index WHERE indrelid IN"
            " (SELECT oid FROM pg_class WHERE relname = ANY(:names)))"
        ),
        {"names": names},
    ).scalar_one()
    return blocks * 8192 / 1e6


# --- requests --------------------------------------------------------------------------------


def _client(base_url: str, cookie: str) -> httpx.Client:
    return httpx.Client(
        base_url=base_url, timeout=REQUEST_TIMEOUT, trust_env=False, headers={"Cookie": cookie}
    )


def _timed_get(client: httpx.Client, path: str, kind: str, tally: Tally) -> float | None:
    """GET ``path``; its seconds if the answer is what ``kind`` expects, else an error tallied."""
    tally.requests += 1
    started = time.perf_counter()
    try:
        response = client.get(path)
    except httpx.RequestError as error:
        tally.errors[f"{kind}: {error!r}"] += 1
        return None
    elapsed = time.perf_counter() - started
    problem = _problem(response, kind)
    if problem:
        tally.errors[f"{kind}: {problem}"] += 1
        return None
    tally.latencies.append(elapsed)
    tally.completed += 1
    return elapsed


def _problem(response: httpx.Response, kind: str) -> str:
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    if kind == REPORT:
        return "" if response.content.startswith(b"%PDF-") else "not a PDF"
    if kind == DASHBOARD and "<table" not in response.text:
        return "no figures"
    return ""


def _routes(url: str, secret_key: str) -> set[str]:
    """The app's endpoint names (some oversight pages are built by others as this bench is)."""
    app = staff_data.app_for(url, secret_key)
    with app.app_context():
        db.engine.dispose()
    return {rule.endpoint for rule in app.url_map.iter_rules()}


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Context:
    backend: str
    url: str
    workers: int
    instance: Path
    secret_key: str
    cookie: str
    runs: int
    duration: float


def _cold(ctx: Context, figure: Figure, path: str, kind: str, evict: bool, result) -> None:
    """``ctx.runs`` times: a new gunicorn (buffers evicted first if asked), one GET, stop."""
    for _ in range(ctx.runs):
        if evict:
            result.buffers_left_mb = evict_shared_buffers(ctx.url)
        with serve_database(
            ctx.backend,
            ctx.url,
            workers=ctx.workers,
            instance=ctx.instance,
            secret_key=ctx.secret_key,
        ) as fresh:
            _settle(_gunicorn_master(fresh), ctx.workers)
            tally = Tally()
            figure.load_averages.append(os.getloadavg()[0])
            with _client(fresh.base_url, ctx.cookie) as client:
                seconds = _timed_get(client, path, kind, tally)
            if seconds is not None:
                figure.seconds.append(seconds)
            figure.errors.update(tally.errors)
            for line, count in log_errors(fresh.log_path).most_common():
                figure.errors[f"server log: {line}"] += count
    _print(figure)


def _settle(master_pid: int, workers: int, timeout: float = 30.0) -> None:
    """Wait until every gunicorn worker has loaded the app: /healthz answers as soon as one
    has, and the others' start-up (importing the app) would otherwise share the CPU with the
    cold request being timed."""
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        pids = _children(master_pid)
        used = sum(_cpu_ticks(pid) for pid in pids)
        if len(pids) >= workers and used == last:
            return
        last = used
        time.sleep(0.3)


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime


def _warm(ctx: Context, base_url: str, figure: Figure, path: str, kind: str) -> None:
    """The workers warmed up (two requests per worker, all at once, so each worker most
    likely gets one: which worker accepts a connection is up to the kernel), then one
    client, one request after another, for ``ctx.duration`` seconds and at least
    ``ctx.runs`` requests."""
    ignored = Tally()

    def warm_one() -> None:
        with _client(base_url, ctx.cookie) as client:
            _timed_get(client, path, kind, ignored)

    threads = [threading.Thread(target=warm_one) for _ in range(2 * ctx.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally = Tally()
    with _client(base_url, ctx.cookie) as client:
        figure.load_averages.append(os.getloadavg()[0])
        deadline = time.monotonic() + ctx.duration
        while tally.requests < ctx.runs or time.monotonic() < deadline:
            _timed_get(client, path, kind, tally)
    figure.seconds = tally.latencies
    figure.errors.update(tally.errors)
    _print(figure)


def _repeated(ctx: Context, base_url: str, figure: Figure, path: str, kind: str) -> None:
    """``ctx.runs`` requests one after another, each timed (a slow document, not a load)."""
    with _client(base_url, ctx.cookie) as client:
        for _ in range(ctx.runs):
            tally = Tally()
            figure.load_averages.append(os.getloadavg()[0])
            seconds = _timed_get(client, path, kind, tally)
            if seconds is not None:
                figure.seconds.append(seconds)
            figure.errors.update(tally.errors)
    _print(figure)


def _download(base_url: str, cookie: str, run: Download, master_pid: int) -> Download:
    """Stream the file, counting rows and bytes, with the workers' memory sampled meanwhile."""
    run.load_average = os.getloadavg()[0]
    newlines = 0
    with _client(base_url, cookie) as client, MemorySampler(master_pid) as memory:
        started = time.perf_counter()
        try:
            with client.stream("GET", run.path) as response:
                run.status = str(response.status_code)
                for chunk in response.iter_bytes(1 << 16):
                    if not run.bytes:
                        run.first_byte_s = time.perf_counter() - started
                    run.bytes += len(chunk)
                    newlines += chunk.count(b"\n")
        except httpx.HTTPError as error:  # cut off mid-stream (a worker timeout, say)
            run.status = f"{run.status}, then {type(error).__name__}" if run.status else ""
            print(f"  oversight open data {run.name}: {error!r}", flush=True)
        run.seconds = time.perf_counter() - started
    run.rows = max(0, newlines - 1)  # the header; codes only, so one line per row
    run.app_before_mb = memory.before / 1e6
    run.app_peak_mb = memory.app_peak / 1e6
    print(
        f"  oversight open data {run.name}: HTTP {run.status}, {run.rows:,} rows"
        f" (expected {run.expected_rows:,}), {run.bytes / 1e6:,.1f} MB in {run.seconds:.1f} s"
        f" = {run.rows_per_second:,.0f} rows/s; gunicorn worker RSS {run.app_before_mb:.0f} MB"
        f" before, peak {run.app_peak_mb:.0f} MB (load {run.load_average:.1f})",
        flush=True,
    )
    return run


def _print(figure: Figure) -> None:
    print(
        f"  oversight {figure.name} ({figure.start}): p50 {_number(figure.at(0.5), 3)} s,"
        f" p95/worst {_number(figure.at(0.95), 3)} s over {len(figure.seconds)} runs,"
        f" load {_number(figure.load_average, 1)} {figure.verdict}",
        flush=True,
    )
    for error, count in figure.errors.most_common(5):
        print(f"    {count} x {error}")


def measure(server: Server, *, concurrency: int, duration: float, options=None) -> OversightResult:
    """Prepare the staff data set (and the oversight indexes), serve it, and measure."""
    size = _size(server.backend, options)
    if size <= 0:
        return OversightResult(skipped="skipped (no complaints asked for)")
    # The app's logging set-up (create_app, below) would otherwise log every bench request.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    runs = max(1, getattr(options, "oversight_runs", None) or DEFAULT_RUNS)
    open_data = getattr(options, "oversight_open_data", None) or "full"
    secret_key = secrets.token_urlsafe(36)
    url = staff_data.database_url(server.backend, size)
    print(f"  oversight: data set of {size:,} complaints at {url.split('@')[-1]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="intake-bench-oversight-") as tmp:
        migrate(app_environment(url, Path(tmp), secret_key))
        data_set = staff_data.prepare(server.backend, url, size, secret_key)
        print(
            f"  oversight: data set ready in {data_set.seconds_to_prepare:.0f} s"
            f" ({data_set.generated_now:,} generated now)",
            flush=True,
        )
        ensure_indexes(url, secret_key)
        ranges = _ranges(url)
        print(
            f"  oversight: last filing {ranges.last_day}; default range from"
            f" {ranges.default_start} ({ranges.in_default:,} complaints), report year from"
            f" {ranges.year_start} ({ranges.in_year:,}), month {_month_arg(ranges.month)}"
            f" ({ranges.in_month:,})",
            flush=True,
        )
        browser = staff_data.sign_in(url, secret_key)
        name, value = next(iter(browser.cookies.items()))
        ctx = Context(
            server.backend, url, server.workers, Path(tmp), secret_key, f"{name}={value}",
            runs, duration,
        )  # fmt: skip
        result = OversightResult(complaints=size, anchor=ranges.last_day.isoformat())
        routes = _routes(url, secret_key)
        default_name = f"{DASHBOARD}, default range ({ranges.in_default:,} filed)"
        filtered_name = f"{DASHBOARD}, {FILTER['state']} + {FILTER['allegation']}"
        # (figure, path, kind, target, endpoint)
        default = (
            default_name,
            _dashboard_path(ranges),
            DASHBOARD,
            DASHBOARD_TARGET_S,
            DASHBOARD_ENDPOINT,
        )
        filtered = (
            filtered_name,
            _dashboard_path(ranges, **FILTER),
            DASHBOARD,
            DASHBOARD_TARGET_S,
            DASHBOARD_ENDPOINT,
        )
        program = (PROGRAM, PROGRAM_PATH, PROGRAM, None, PROGRAM_ENDPOINT)

        # Cold: a new gunicorn for every request.
        cold = [(*default, COLD_PROCESS)]
        if server.backend == "postgresql":
            cold.append((*default, COLD_BUFFERS))
        cold += [(*filtered, COLD_PROCESS), (*program, COLD_PROCESS)]
        for figure_name, path, kind, target, endpoint, start in cold:
            figure = Figure(figure_name, start, target)
            result.figures.append(figure)
            if _built(figure, endpoint, routes):
                _cold(ctx, figure, path, kind, start == COLD_BUFFERS, result)
        if result.buffers_left_mb is not None:
            print(
                f"  oversight: after eviction, {result.buffers_left_mb:.1f} MB of the oversight"
                " tables' pages were left in PostgreSQL's shared buffers",
                flush=True,
            )

        with serve_database(
            server.backend, url, workers=server.workers, instance=Path(tmp), secret_key=secret_key
        ) as warm:
            base = warm.base_url
            for figure_name, path, kind, _target, endpoint in (default, filtered, program):
                figure = Figure(figure_name, WARM)
                result.figures.append(figure)
                if _built(figure, endpoint, routes):
                    _warm(ctx, base, figure, path, kind)

            figure = Figure(REPORT, WARM, REPORT_TARGET_S)
            result.figures.append(figure)
            if _built(figure, REPORT_ENDPOINT, routes):
                _repeated(ctx, base, figure, _report_path(ranges), REPORT)

            if OPEN_DATA_ENDPOINT in routes:
                master = _gunicorn_master(warm)
                for run in _open_data_files(url, ranges, open_data):
                    result.downloads.append(_download(base, ctx.cookie, run, master))
            else:
                print("  oversight open data: not measured (no route yet)", flush=True)
            for line, count in log_errors(warm.log_path).most_common():
                print(f"  oversight server log: {count} x {line}")
    print()
    print(result.table())
    print()
    return result


def _built(figure: Figure, endpoint: str, routes: set[str]) -> bool:
    if endpoint in routes:
        return True
    figure.note = "not built yet"
    print(f"  oversight {figure.name}: not measured (no {endpoint} route yet)", flush=True)
    return False


def _open_data_files(url: str, ranges: Ranges, large: str) -> list[Download]:
    """The last full month's file, and the whole file or the last 12 months' (the month of
    the last filing and the 11 before)."""
    month = _month_arg(ranges.month)
    files = [
        Download(
            f"one month ({month})",
            f"{OPEN_DATA_PATH}?" + urlencode({"filed_from": month, "filed_to": month}),
            ranges.in_month,
        )
    ]
    if large == "full":
        files.append(Download("every month", OPEN_DATA_PATH, ranges.total))
        return files
    first, last = _first_of_month(ranges.last_day, 11), _first_of_month(ranges.last_day)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(func.count()).where(Complaint.submitted_at >= _midnight(first))
            ).scalar_one()
    finally:
        engine.dispose()
    span = f"{_month_arg(first)} to {_month_arg(last)}"
    args = {"filed_from": _month_arg(first), "filed_to": _month_arg(last)}
    files.append(Download(f"12 months ({span})", f"{OPEN_DATA_PATH}?{urlencode(args)}", rows))
    return files


def _size(backend: str, options) -> int:
    """The staff section's data set (the same database, made once for both)."""
    full = getattr(options, "staff_complaints", staff_data.FULL_SIZE)
    if backend == "sqlite":
        return getattr(options, "staff_sqlite_complaints", None) or min(full, 100_000)
    return full
