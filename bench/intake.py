"""Complaints accepted per second through the real form, against GET /healthz as the baseline.

After a short warm-up (each gunicorn worker compiles its templates and opens its database
connections on its first requests): (a) GET /healthz requests per second; (b) complete
filings per second, each by a new browser (its own cookies) that walks every step as a person
would: GET the step, POST its answers with the page's CSRF token, follow the redirect; then
the review, POST /file/submit, and the confirmation, which must show a tracking number;
(c) the ratio of (b) to (a). Afterwards the complaints in the database must number the
confirmations seen, warm-up included. Errors are counted in all three runs: the warm-up is
where races on a fresh database show.
"""

import re
import time
from dataclasses import dataclass

import httpx
from sqlalchemy import create_engine, text

from tests.filing import TRACKING_RE, VALID_ANSWERS, error_messages

from .load import ClientFactory, LoadResult, Tally, percentile, run_load
from .server import Server

STEPS = list(VALID_ANSWERS)  # filer, affected, ..., consent: the order the form asks them
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
TITLE_RE = re.compile(r"<title>\s*(.*?)\s*(?:\|[^<]*)?</title>", re.S)
WARMUP_SECONDS = 1.0


@dataclass
class IntakeResult:
    warmup: LoadResult  # filings, as below, not measured
    healthz: LoadResult  # one unit: a GET /healthz answered 200
    filing: LoadResult  # one unit: a complaint confirmed; latencies: the submit POSTs
    complaints_in_database: int

    @property
    def requests_per_complaint(self) -> float | None:
        confirmed = self.filing.tally.completed
        return self.filing.tally.requests / confirmed if confirmed else None

    @property
    def ratio(self) -> float | None:
        """Complaints per second for each /healthz request per second."""
        if not self.healthz.per_second:
            return None
        return self.filing.per_second / self.healthz.per_second

    @property
    def confirmed(self) -> int:
        return self.warmup.tally.completed + self.filing.tally.completed

    @property
    def errors(self) -> int:
        return sum(run.tally.errors.total() for run in (self.warmup, self.healthz, self.filing))

    def submit_ms(self, fraction: float) -> float | None:
        return percentile([seconds * 1000 for seconds in self.filing.tally.latencies], fraction)

    @property
    def submit_mean_ms(self) -> float | None:
        latencies = self.filing.tally.latencies
        return 1000 * sum(latencies) / len(latencies) if latencies else None

    def columns(self) -> dict[str, str]:
        return {
            "healthz req/s": f"{self.healthz.per_second:.0f}",
            "complaints/s": f"{self.filing.per_second:.2f}",
            "requests per complaint": _number(self.requests_per_complaint, "{:.1f}"),
            "submit mean ms": _number(self.submit_mean_ms, "{:.0f}"),
            "submit p50 ms": _number(self.submit_ms(0.50), "{:.0f}"),
            "submit p95 ms": _number(self.submit_ms(0.95), "{:.0f}"),
            "ratio": _number(self.ratio, "{:.4f}"),
            "errors": str(self.errors),
            "in db / confirmed": f"{self.complaints_in_database}/{self.confirmed}",
        }

    def to_json(self) -> dict:
        return {
            "warmup": _load_json(self.warmup),
            "healthz": _load_json(self.healthz),
            "filing": _load_json(self.filing),
            "complaints_in_database": self.complaints_in_database,
            "requests_per_complaint": self.requests_per_complaint,
            "submit_mean_ms": self.submit_mean_ms,
            "submit_p50_ms": self.submit_ms(0.50),
            "submit_p95_ms": self.submit_ms(0.95),
            "ratio": self.ratio,
        }


def measure(server: Server, *, concurrency: int, duration: float, options=None) -> IntakeResult:
    warmup = run_load(
        server.base_url, file_complaint, concurrency=concurrency, duration=WARMUP_SECONDS
    )
    _print_load("warm-up", warmup, "complaints/s")
    healthz = run_load(server.base_url, get_healthz, concurrency=concurrency, duration=duration)
    _print_load("healthz", healthz, "req/s")
    filing = run_load(server.base_url, file_complaint, concurrency=concurrency, duration=duration)
    _print_load("filing", filing, "complaints/s")
    stored = count_complaints(server.database_url)
    result = IntakeResult(warmup, healthz, filing, stored)
    verdict = "match" if stored == result.confirmed else "MISMATCH"
    print(f"  database: {stored} complaints stored, {result.confirmed} confirmed: {verdict}")
    return result


def _print_load(label: str, load: LoadResult, unit: str) -> None:
    tally = load.tally
    print(
        f"  {label}: {load.per_second:.2f} {unit} ({tally.completed} in {load.elapsed:.1f} s, "
        f"{tally.requests} requests, errors: {tally.errors.total()}; "
        f"load generator used {load.client_cpu / load.elapsed:.0%} of a CPU)"
    )
    for error, count in tally.errors.most_common():
        print(f"    {count} x {error}")


def _load_json(load: LoadResult) -> dict:
    return {
        "per_second": load.per_second,
        "completed": load.tally.completed,
        "requests": load.tally.requests,
        "elapsed_s": load.elapsed,
        "client_cpu_s": load.client_cpu,
        "errors": dict(load.tally.errors),
    }


def get_healthz(new_client: ClientFactory, tally: Tally) -> None:
    tally.requests += 1
    try:
        response = new_client().get("/healthz")
    except httpx.RequestError as error:  # refused, reset, timed out
        tally.errors[f"GET /healthz: {error!r}"] += 1
        return
    if response.status_code == 200:
        tally.completed += 1
    else:
        tally.errors[_describe(response)] += 1


class FilingFailed(Exception):
    """A response that a person filing a complaint would not expect; the filing stops."""


def file_complaint(new_client: ClientFactory, tally: Tally) -> None:
    """One complete filing by a new browser; counted as completed once a tracking number shows."""
    client = new_client()
    try:
        page = _get(client, tally, "/file/filer")
        for step, next_step in zip(STEPS, [*STEPS[1:], "review"], strict=True):
            data = {**VALID_ANSWERS[step], "csrf_token": _csrf(page), "action": "next"}
            response = _send(client, tally, "POST", f"/file/{step}", data)
            _expect_redirect(response, f"/file/{next_step}")
            page = _get(client, tally, f"/file/{next_step}")
        started = time.perf_counter()
        response = _send(client, tally, "POST", "/file/submit", {"csrf_token": _csrf(page)})
        tally.latencies.append(time.perf_counter() - started)
        _expect_redirect(response, "/file/confirmation")
        page = _get(client, tally, "/file/confirmation")
        if not TRACKING_RE.search(page.text):
            raise FilingFailed("GET /file/confirmation: 200 without a tracking number")
    except FilingFailed as failure:
        tally.errors[str(failure)] += 1
    except httpx.RequestError as error:  # refused, reset, timed out
        tally.errors[f"{error.request.method} {error.request.url.path}: {error!r}"] += 1
    else:
        tally.completed += 1


def _send(
    client: httpx.Client, tally: Tally, method: str, path: str, data: dict | None = None
) -> httpx.Response:
    tally.requests += 1
    return client.request(method, path, data=data)


def _get(client: httpx.Client, tally: Tally, path: str) -> httpx.Response:
    response = _send(client, tally, "GET", path)
    if response.status_code != 200:
        raise FilingFailed(_describe(response))
    return response


def _expect_redirect(response: httpx.Response, path: str) -> None:
    location = response.headers.get("location")
    if response.status_code in (302, 303) and location and httpx.URL(location).path == path:
        return
    if response.is_redirect:
        raise FilingFailed(f"{_describe(response)} to {location}, not {path}")
    raise FilingFailed(_describe(response))


def _csrf(page: httpx.Response) -> str:
    match = CSRF_RE.search(page.text)
    if not match:
        raise FilingFailed(f"{page.request.method} {page.request.url.path}: no CSRF token")
    return match.group(1)


def _describe(response: httpx.Response) -> str:
    """'POST /file/submit: 503 Your complaint was not sent', with any field errors shown."""
    request = response.request
    summary = f"{request.method} {request.url.path}: {response.status_code}"
    title = TITLE_RE.search(response.text)
    if title:
        summary += f" {title.group(1)}"
    messages = error_messages(response.text)
    if messages:
        summary += f" [{'; '.join(messages)}]"
    return summary


def count_complaints(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM complaints")).scalar_one()
    finally:
        engine.dispose()


def _number(value: float | None, template: str) -> str:
    return "-" if value is None else template.format(value)
