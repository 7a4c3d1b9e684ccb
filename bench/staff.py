"""Staff pages over a large data set: the review queue, its search, and the case page.

For PostgreSQL the data set is ``--staff-complaints`` generated complaints (default a million,
made once and kept: see ``staff_data``); for SQLite, ``--staff-sqlite-complaints``. A second
gunicorn serves that database; a supervisor's session is made directly in the database (the
sign-in pages have their own tests). Then, one measurement after another, each for
``--duration`` seconds with ``--staff-concurrency`` clients, p50 and p95 of:

- GET /healthz, the trivial endpoint, as the floor;
- the queue's first page, and a filtered page (status and state);
- pages deep in the queue: each client starts from a cursor 90% of the way down and keeps
  following "Next page";
- a search for a rare term and for a common one (a unit: POST the search, GET the results it
  redirects to; the latency is both together);
- the case page of random cases;
- the stack's floor (bench/fortunes.py, a third gunicorn on the same database): 50 complaints
  read and rendered as a Jinja table, with nothing of the app in it.

Targets (the issue's): p95 under 50 ms for pages, under 150 ms for searches; the queue's first
page within 2x the floor, the case page within 3x (p95 against p95, p50 shown beside).
"""

import logging
import os
import random
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import httpx
from sqlalchemy import create_engine, select

from intake.complaints.models import Complaint
from intake.queue.services import Cursor
from intake.review.workflow import OPEN_STATUSES

from . import report, staff_data
from .load import ClientFactory, LoadResult, Tally, percentile, run_load
from .server import Server, app_environment, log_errors, migrate, serve_database, serve_floor

PAGE_TARGET_MS = 50
SEARCH_TARGET_MS = 150
FLOOR = "stack floor (fortunes: 50 rows, Jinja table)"
QUEUE_PAGE = "queue, first page"
CASE_PAGE = "case page"
# Measurement -> at most this many times the floor's latency.
FLOOR_TARGETS = {QUEUE_PAGE: 2.0, CASE_PAGE: 3.0}
ROW_RE = re.compile(r'<th scope="row"[^>]*><a class="usa-link" href="/staff/cases/\d+">')
NEXT_RE = re.compile(r'href="([^"]+)" rel="next"')
CASE_SAMPLE = 500  # random cases whose pages are asked for
WARMUP_REQUESTS = 5  # per measurement, before timing: templates compiled, caches filled
RARE_TERM = "zamboni"  # ~0.05% of generated narratives
COMMON_TERM = "officer"  # most English narratives


@dataclass
class Measurement:
    name: str
    kind: str  # "page", "search", "baseline" or "floor"
    load: LoadResult | None = None
    note: str = ""
    load_average: float | None = None  # the machine's, when the measurement started

    def ms(self, fraction: float) -> float | None:
        if self.load is None:
            return None
        return percentile([s * 1000 for s in self.load.tally.latencies], fraction)

    @property
    def target_ms(self) -> int | None:
        return {"page": PAGE_TARGET_MS, "search": SEARCH_TARGET_MS}.get(self.kind)

    @property
    def errors(self) -> int:
        return self.load.tally.errors.total() if self.load else 0

    @property
    def verdict(self) -> str:
        p95 = self.ms(0.95)
        if self.load is None or p95 is None:
            return self.note or "not measured"
        if self.errors:
            return "ERRORS"
        if self.target_ms is None:
            return ""
        return "ok" if p95 < self.target_ms else "SLOW"


@dataclass
class StaffResult:
    complaints: int = 0
    data_set_seconds: float = 0.0
    generated_now: int = 0
    measurements: list[Measurement] = field(default_factory=list)
    skipped: str = ""

    def named(self, name: str) -> Measurement | None:
        return next((m for m in self.measurements if m.name == name and m.load), None)

    def times_floor(self, name: str, fraction: float) -> float | None:
        """How many times the floor's latency (at this percentile) a measurement's is."""
        floor, measured = self.named(FLOOR), self.named(name)
        if floor is None or measured is None or not floor.ms(fraction):
            return None
        return measured.ms(fraction) / floor.ms(fraction)

    def versus_floor(self, name: str) -> str:
        """E.g. "1.6x, 1.8x (< 2x) ok": p50 and p95 against the floor's, and the target."""
        p50, p95 = self.times_floor(name, 0.5), self.times_floor(name, 0.95)
        if p50 is None or p95 is None:
            return ""
        text = f"{p50:.1f}x, {p95:.1f}x"
        target = FLOOR_TARGETS.get(name)
        if target is not None:
            text += f" (< {target:g}x) " + ("ok" if p95 < target else "SLOW")
        return text

    def worst(self, kind: str) -> float | None:
        values = [m.ms(0.95) for m in self.measurements if m.kind == kind and m.load]
        values = [v for v in values if v is not None]
        return max(values) if values else None

    def columns(self) -> dict[str, str]:
        if self.skipped:
            return {"staff": self.skipped}
        floor, queue, case = self.named(FLOOR), self.named(QUEUE_PAGE), self.named(CASE_PAGE)
        return {
            "staff complaints": f"{self.complaints:,}",
            "floor p50/p95 ms": _pair(floor),
            "queue p50/p95 ms": _pair(queue),
            "case p50/p95 ms": _pair(case),
            "queue/floor": self.versus_floor(QUEUE_PAGE),
            "case/floor": self.versus_floor(CASE_PAGE),
            "staff pages p95 ms (worst)": _number(self.worst("page")),
            "staff searches p95 ms (worst)": _number(self.worst("search")),
            "staff errors": str(sum(m.errors for m in self.measurements)),
        }

    def to_json(self) -> dict:
        if self.skipped:
            return {"skipped": self.skipped}
        return {
            "complaints": self.complaints,
            "generated_now": self.generated_now,
            "data_set_seconds": self.data_set_seconds,
            "targets_ms": {"page_p95": PAGE_TARGET_MS, "search_p95": SEARCH_TARGET_MS},
            "floor_targets_p95_times": FLOOR_TARGETS,
            "times_floor": {
                m.name: {
                    "p50": self.times_floor(m.name, 0.5),
                    "p95": self.times_floor(m.name, 0.95),
                }
                for m in self.measurements
                if m.kind != "floor"
            },
            "measurements": {
                m.name: {
                    "kind": m.kind,
                    "p50_ms": m.ms(0.50),
                    "p95_ms": m.ms(0.95),
                    "requests": m.load.tally.requests if m.load else 0,
                    "completed": m.load.tally.completed if m.load else 0,
                    "errors": dict(m.load.tally.errors) if m.load else {},
                    "verdict": m.verdict,
                    "load_average_1m": m.load_average,
                }
                for m in self.measurements
            },
        }

    def table(self) -> str:
        rows = [
            {
                "measurement": m.name,
                "p50 ms": _number(m.ms(0.50)),
                "p95 ms": _number(m.ms(0.95)),
                "target p95": f"< {m.target_ms} ms" if m.target_ms else "",
                "x floor (p50, p95)": self.versus_floor(m.name) if m.kind != "floor" else "",
                "requests": str(m.load.tally.requests) if m.load else "0",
                "errors": str(m.errors),
                "load 1m": _number(m.load_average),
                "": m.verdict,
            }
            for m in self.measurements
        ]
        return report.table(rows)


def measure(server: Server, *, concurrency: int, duration: float, options=None) -> StaffResult:
    """Prepare the backend's data set, serve it, and measure the staff pages against it."""
    size = _size(server.backend, options)
    if size <= 0:
        return StaffResult(skipped="skipped (no complaints asked for)")
    concurrency = getattr(options, "staff_concurrency", None) or 1
    # The app's logging set-up (create_app, in staff_data) would otherwise log every request.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    secret_key = secrets.token_urlsafe(36)
    url = staff_data.database_url(server.backend, size)
    print(f"  staff: data set of {size:,} complaints at {_safe(url)}", flush=True)
    with tempfile.TemporaryDirectory(prefix="intake-bench-staff-") as tmp:
        migrate(app_environment(url, Path(tmp), secret_key))
        data_set = staff_data.prepare(server.backend, url, size, secret_key)
        print(
            f"  staff: data set ready in {data_set.seconds_to_prepare:.0f} s"
            f" ({data_set.generated_now:,} generated now)",
            flush=True,
        )
        browser = staff_data.sign_in(url, secret_key)
        targets = _targets(url, size)
        with (
            serve_database(
                server.backend,
                url,
                workers=server.workers,
                instance=Path(tmp),
                secret_key=secret_key,
            ) as staff_server,
            serve_floor(
                server.backend, url, workers=server.workers, instance=Path(tmp)
            ) as floor_server,
        ):
            result = StaffResult(size, data_set.seconds_to_prepare, data_set.generated_now)
            plan = [
                (Measurement(FLOOR, "floor"), _floor_work(), floor_server.base_url),
                *(
                    (measurement, work, staff_server.base_url)
                    for measurement, work in _plan(staff_server.base_url, browser, targets)
                ),
            ]
            for measurement, work, base_url in plan:
                if measurement.kind == "page" and not _answers(base_url, work):
                    measurement.note = "not built yet"
                    result.measurements.append(measurement)
                    print(f"  staff {measurement.name}: not measured (no page there yet)")
                    continue
                _warm_up(base_url, work)
                measurement.load_average = os.getloadavg()[0]
                measurement.load = run_load(
                    base_url, work, concurrency=concurrency, duration=duration
                )
                result.measurements.append(measurement)
                _print(measurement)
            for line, count in log_errors(staff_server.log_path).most_common():
                print(f"  staff server log: {count} x {line}")
            for line, count in log_errors(floor_server.log_path).most_common():
                print(f"  floor server log: {count} x {line}")
    print()
    print(result.table())
    print()
    return result


def _size(backend: str, options) -> int:
    full = getattr(options, "staff_complaints", staff_data.FULL_SIZE)
    if backend == "sqlite":
        return getattr(options, "staff_sqlite_complaints", None) or min(full, 100_000)
    return full


def _safe(url: str) -> str:
    return url.split("@")[-1]


@dataclass
class Targets:
    deep_cursor: str
    case_ids: list[int]
    deep_position: int


def _targets(url: str, size: int) -> Targets:
    """A cursor 90% of the way down the default queue, and a sample of case ids.

    The bench may use OFFSET to find the row once; the app never does.
    """
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            open_cases = Complaint.status.in_(OPEN_STATUSES)
            position = int(size * 0.9 * 0.7)  # about 70% of generated cases are open
            deep = conn.execute(
                select(Complaint.submitted_at, Complaint.id)
                .where(open_cases)
                .order_by(Complaint.submitted_at.desc(), Complaint.id.desc())
                .offset(position)
                .limit(1)
            ).one_or_none()
            if deep is None:  # fewer open cases than guessed: the last one
                deep = conn.execute(
                    select(Complaint.submitted_at, Complaint.id)
                    .where(open_cases)
                    .order_by(Complaint.submitted_at, Complaint.id)
                    .limit(1)
                ).one()
            highest = conn.execute(select(Complaint.id).order_by(Complaint.id.desc())).first()[0]
    finally:
        engine.dispose()
    rng = random.Random(7)
    case_ids = [rng.randint(1, highest) for _ in range(CASE_SAMPLE)]
    cursor = Cursor("newest", deep.submitted_at, deep.id).encode()
    return Targets(cursor, case_ids, position)


Work = Callable[[ClientFactory, Tally], None]


def _floor_work() -> Work:
    def work(new_client: ClientFactory, tally: Tally) -> None:
        _get(new_client(), tally, "/fortunes", "", True)

    return work


def _plan(base_url: str, browser: staff_data.SignedInBrowser, targets: Targets):
    session_cookie = next(iter(browser.cookies.items()))
    cookie_header = f"{session_cookie[0]}={session_cookie[1]}"

    def page(path: str, expect_rows: bool = True) -> Work:
        def work(new_client: ClientFactory, tally: Tally) -> None:
            _get(new_client(), tally, path, cookie_header, expect_rows)

        return work

    def following_next(start: str) -> Work:
        where = threading.local()

        def work(new_client: ClientFactory, tally: Tally) -> None:
            path = getattr(where, "path", None) or start
            body = _get(new_client(), tally, path, cookie_header, True)
            found = NEXT_RE.search(body or "")
            # At the end of the queue (or after an error), start over from the deep cursor.
            where.path = found.group(1).replace("&amp;", "&") if found else start

        return work

    def searching(words: str) -> Work:
        def work(new_client: ClientFactory, tally: Tally) -> None:
            _search(new_client(), tally, words, cookie_header, browser.csrf_token)

        return work

    case_ids = list(targets.case_ids)

    def case_page(new_client: ClientFactory, tally: Tally) -> None:
        complaint_id = random.choice(case_ids)  # noqa: S311 - picking a page, not a secret
        _get(new_client(), tally, f"/staff/cases/{complaint_id}", cookie_header, False)

    deep = f"/staff/queue/?cursor={targets.deep_cursor}"
    return [
        (Measurement("GET /healthz", "baseline"), page("/healthz", expect_rows=False)),
        (Measurement(QUEUE_PAGE, "page"), page("/staff/queue/")),
        (
            Measurement("queue, filtered (investigation, TX)", "page"),
            page("/staff/queue/?status=investigation&state=TX"),
        ),
        (
            Measurement(f"queue, deep (from row {targets.deep_position:,}, Next...)", "page"),
            following_next(deep),
        ),
        (Measurement(f'search, rare term "{RARE_TERM}"', "search"), searching(RARE_TERM)),
        (Measurement(f'search, common term "{COMMON_TERM}"', "search"), searching(COMMON_TERM)),
        (Measurement(CASE_PAGE, "page"), case_page),
    ]


def _get(client: httpx.Client, tally: Tally, path: str, cookie: str, expect_rows: bool):
    tally.requests += 1
    started = time.perf_counter()
    try:
        response = client.get(path, headers={"Cookie": cookie})
    except httpx.RequestError as error:
        tally.errors[f"GET {path.split('?')[0]}: {error!r}"] += 1
        return None
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        tally.errors[f"GET {path.split('?')[0]}: {response.status_code}"] += 1
        return None
    if expect_rows and not ROW_RE.search(response.text):
        tally.errors[f"GET {path.split('?')[0]}: no cases listed"] += 1
        return None
    tally.latencies.append(elapsed)
    tally.completed += 1
    return response.text


def _search(client: httpx.Client, tally: Tally, words: str, cookie: str, csrf_token: str):
    """POST the search, then GET the page it redirects to, with the cookie the POST set."""
    tally.requests += 2
    started = time.perf_counter()
    try:
        posted = client.post(
            "/staff/queue/",
            data={"csrf_token": csrf_token, "q": words},
            headers={"Cookie": cookie},
        )
        location = posted.headers.get("location")
        new_cookie = posted.cookies.get(cookie.split("=", 1)[0])
        if posted.status_code != 303 or not location or not new_cookie:
            tally.errors[f"POST /staff/queue/: {posted.status_code}"] += 1
            return
        results = client.get(
            urljoin("/staff/queue/", location),
            headers={"Cookie": f"{cookie.split('=', 1)[0]}={new_cookie}"},
        )
    except httpx.RequestError as error:
        tally.errors[f"search: {error!r}"] += 1
        return
    elapsed = time.perf_counter() - started
    if results.status_code != 200 or not ROW_RE.search(results.text):
        tally.errors[f"GET search results: {results.status_code}, no cases listed"] += 1
        return
    tally.latencies.append(elapsed)
    tally.completed += 1


def _answers(base_url: str, work: Work) -> bool:
    """Whether the page exists: the case page is built by another part of the issue."""
    tally = Tally()
    with httpx.Client(base_url=base_url, timeout=30.0, trust_env=False) as client:
        work(lambda: client, tally)
    return not any(": 404" in error for error in tally.errors)


def _warm_up(base_url: str, work: Work) -> None:
    tally = Tally()
    with httpx.Client(base_url=base_url, timeout=30.0, trust_env=False) as client:
        for _ in range(WARMUP_REQUESTS):
            work(lambda: client, tally)


def _print(m: Measurement) -> None:
    load = m.load
    print(
        f"  staff {m.name}: p50 {_number(m.ms(0.5))} ms, p95 {_number(m.ms(0.95))} ms"
        f" ({load.tally.completed} in {load.elapsed:.1f} s, errors: {m.errors}) {m.verdict}",
        flush=True,
    )
    for error, count in load.tally.errors.most_common(5):
        print(f"    {count} x {error}")


def _pair(m: Measurement | None) -> str:
    return f"{_number(m.ms(0.5))} / {_number(m.ms(0.95))}" if m else "-"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
