"""Do one unit of work over and over from several threads for a fixed time, and tally it."""

import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

REQUEST_TIMEOUT = httpx.Timeout(10.0)  # one slow request cannot hold a loop past its deadline


@dataclass
class Tally:
    """What one thread (or, merged, a whole run) did."""

    completed: int = 0  # units of work that succeeded
    requests: int = 0  # HTTP requests sent, successful or not
    errors: Counter[str] = field(default_factory=Counter)  # description -> count
    latencies: list[float] = field(default_factory=list)  # seconds, of a request the work times

    def merge(self, other: "Tally") -> None:
        self.completed += other.completed
        self.requests += other.requests
        self.errors.update(other.errors)
        self.latencies.extend(other.latencies)


@dataclass
class LoadResult:
    tally: Tally
    elapsed: float  # seconds, from the start until the last thread finished its last unit
    client_cpu: float  # CPU seconds this process (the load generator) used meanwhile

    @property
    def per_second(self) -> float:
        return self.tally.completed / self.elapsed if self.elapsed else 0.0


# A new client each call: its own cookies (a new browser), sharing the thread's connections.
ClientFactory = Callable[[], httpx.Client]
Work = Callable[[ClientFactory, Tally], None]


def run_load(base_url: str, work: Work, *, concurrency: int, duration: float) -> LoadResult:
    """Run ``work`` in a loop on ``concurrency`` threads; no unit starts after ``duration`` s."""
    deadline = time.monotonic() + duration
    tallies = [Tally() for _ in range(concurrency)]

    def loop(tally: Tally) -> None:
        with httpx.HTTPTransport() as transport:

            def new_client() -> httpx.Client:
                return httpx.Client(
                    base_url=base_url, transport=transport, timeout=REQUEST_TIMEOUT, trust_env=False
                )

            while time.monotonic() < deadline:
                work(new_client, tally)

    threads = [threading.Thread(target=loop, args=(tally,), daemon=True) for tally in tallies]
    started, cpu_started = time.monotonic(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return LoadResult(total, time.monotonic() - started, time.process_time() - cpu_started)


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (``fraction`` 0.5 is the median); None when there is no data."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]
