"""``python -m bench``: serve the app on each backend in turn, run every section, report."""

import argparse
import os
import platform
import sys
import traceback
from collections import Counter
from datetime import UTC, datetime
from typing import Protocol

from . import documents, intake, jobs, oversight, report, staff, staff_data
from .server import BACKENDS, BackendUnavailable, Server, log_errors, serve


class SectionResult(Protocol):
    def columns(self) -> dict[str, str]: ...
    def to_json(self) -> dict: ...


class Section(Protocol):
    def __call__(
        self, server: Server, *, concurrency: int, duration: float, options: argparse.Namespace
    ) -> SectionResult: ...


# Each section measures against a running server and adds columns to its backend's row.
SECTIONS: dict[str, Section] = {
    "intake": intake.measure,
    "staff": staff.measure,
    "documents": documents.measure,
    "oversight": oversight.measure,
    "jobs": jobs.measure,
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated")
    parser.add_argument("--sections", default=",".join(SECTIONS), help="comma-separated")
    parser.add_argument(
        "--staff-complaints",
        type=int,
        default=staff_data.FULL_SIZE,
        help="complaints in the staff section's PostgreSQL data set (made once, then reused;"
        " a million takes about 20 minutes the first time; 0 skips the section)",
    )
    parser.add_argument(
        "--staff-sqlite-complaints",
        type=int,
        default=None,
        help="complaints in the staff section's SQLite data set (default: the smaller of"
        " --staff-complaints and 100,000)",
    )
    parser.add_argument(
        "--staff-concurrency",
        type=int,
        default=1,
        help="clients at once in the staff section (1: the latency of one person's request)",
    )
    parser.add_argument(
        "--documents-complaints",
        type=int,
        default=documents.DEFAULT_COMPLAINTS,
        help="complaints generated for the documents section (a fresh database each run)",
    )
    parser.add_argument(
        "--documents-export-cases",
        type=int,
        default=documents.DEFAULT_EXPORT_CASES,
        help="cases in the documents section's large bulk export (the small one has 100)",
    )
    parser.add_argument(
        "--jobs-export-cases",
        type=int,
        default=jobs.DEFAULT_EXPORT_CASES,
        help="cases in the jobs section's bulk export, timed with 1 and 2 workers",
    )
    parser.add_argument(
        "--oversight-runs",
        type=int,
        default=oversight.DEFAULT_RUNS,
        help="oversight section: fresh gunicorn starts per cold figure, and report PDFs timed"
        " (its data set is the staff section's: --staff-complaints)",
    )
    parser.add_argument(
        "--oversight-open-data",
        choices=oversight.OPEN_DATA_CHOICES,
        default="full",
        help="oversight section: the large open-data file streamed, every complaint (full) or"
        " the report's year (one month is always streamed too)",
    )
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers (threaded)"
    )
    args = parser.parse_args(argv)
    args.backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    unknown = set(args.backends) - set(BACKENDS)
    if unknown:
        parser.error(f"unknown backend(s) {', '.join(sorted(unknown))}; choose from {BACKENDS}")
    args.sections = [name.strip() for name in args.sections.split(",") if name.strip()]
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        parser.error(
            f"unknown section(s) {', '.join(sorted(unknown))}; choose from {list(SECTIONS)}"
        )
    if args.staff_concurrency < 1:
        parser.error("--staff-concurrency must be positive")
    if args.oversight_runs < 1:
        parser.error("--oversight-runs must be positive")
    if args.duration <= 0 or args.concurrency < 1 or args.workers < 1:
        parser.error("--duration, --concurrency and --workers must be positive")
    return args


def run_backend(backend: str, args: argparse.Namespace) -> tuple[dict, Counter[str]]:
    """Every section against ``backend``, and the server log's errors; the server always stops."""
    with serve(backend, workers=args.workers) as server:
        print(f"{backend}: gunicorn, {server.workers} threaded workers, at {server.base_url}")
        results = {
            name: SECTIONS[name](
                server, concurrency=args.concurrency, duration=args.duration, options=args
            )
            for name in args.sections
        }
        server_errors = log_errors(server.log_path)
    for line, count in server_errors.most_common():
        print(f"  server log: {count} x {line}")
    return results, server_errors


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rows: list[dict[str, str]] = []
    output: dict = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {
            "duration_s": args.duration,
            "concurrency": args.concurrency,
            "workers": args.workers,
            "worker_class": "gthread",
            "cpu_count": os.cpu_count(),
            "load_average_1m_at_start": os.getloadavg()[0],  # other work on the machine
            "python": platform.python_version(),
        },
        "backends": {},
    }
    failed = False
    for backend in args.backends:
        try:
            results, server_errors = run_backend(backend, args)
        except BackendUnavailable as error:
            print(f"{backend}: skipped. {error}")
            output["backends"][backend] = {"skipped": str(error)}
            continue
        except Exception as error:  # report it, and still measure the other backends
            traceback.print_exc()
            output["backends"][backend] = {"failed": repr(error)}
            failed = True
            continue
        rows.append({"backend": backend})
        for result in results.values():
            rows[-1].update(result.columns())
        output["backends"][backend] = {
            **{name: result.to_json() for name, result in results.items()},
            "server_log_errors": dict(server_errors),
        }
    print()
    print(report.table(rows) if rows else "no backend was measured")
    print(f"\nwritten to {report.write_json('intake', output)}")
    return 1 if failed or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
