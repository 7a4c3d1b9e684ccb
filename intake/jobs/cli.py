"""`flask jobs ...`: run a worker or the scheduler, see the queue, run a sweep now."""

import click
from flask import Blueprint, current_app

from intake.database import utcnow

from . import worker
from .queue import huey, storage_description

bp = Blueprint("jobs", __name__, cli_group="jobs")


@bp.cli.command("worker")
@click.option("--threads", default=1, show_default=True, help="Jobs this process runs at once.")
def worker_command(threads: int) -> None:
    """Take jobs from the queue until stopped (Ctrl-C or SIGTERM finish the current job)."""
    click.echo(f"jobs worker: {storage_description(current_app.config)}, {threads} thread(s)")
    worker.run_consumer(current_app._get_current_object(), "worker", threads)  # type: ignore[attr-defined]


@bp.cli.command("scheduler")
def scheduler_command() -> None:
    """Queue the periodic jobs on time. Run one per installation."""
    click.echo(f"jobs scheduler: {storage_description(current_app.config)}")
    worker.run_consumer(current_app._get_current_object(), "scheduler", 0)  # type: ignore[attr-defined]


@bp.cli.command("status")
def status_command() -> None:
    """The queue's length, the workers seen in the last hour, and the jobs that failed."""
    found = worker.status()
    click.echo(f"queue: {storage_description(current_app.config)}")
    click.echo(f"jobs waiting: {found.pending}  scheduled for later: {found.scheduled}")
    now = utcnow()
    click.echo(f"workers seen in the last hour: {len(found.workers)}")
    for name, kind, seen in found.workers:
        click.echo(f"  {kind:<9} {name}  seen {int((now - seen).total_seconds())} s ago")
    click.echo(f"failed jobs: {len(found.failures)}")
    for failure in found.failures:
        click.echo(
            f"  {failure.failed_at:%Y-%m-%d %H:%M:%S} {failure.task}{failure.arguments}"
            f": {failure.reason.splitlines()[0] if failure.reason else ''}"
        )


@bp.cli.command("sweep")
@click.argument("name", required=False)
def sweep_command(name: str | None) -> None:
    """Run the periodic jobs now, in this process (or only the one named)."""
    for task in huey._registry._periodic_tasks:
        wrapper_name = task.__name__
        if name and wrapper_name != name:
            continue
        click.echo(f"running {wrapper_name}")
        task().execute()
