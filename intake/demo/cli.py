"""``flask demo generate``: fill the database with generated complaints for demos and benchmarks."""

import time

import click
from flask import Blueprint
from sqlalchemy import func, select

from intake.complaints.models import Complaint
from intake.extensions import db

from .data import corpus
from .generator import generate_complaints
from .office import ensure_demo_staff

bp = Blueprint("demo", __name__, cli_group="demo")

PROGRESS_EVERY = 50_000


@bp.cli.command("generate")
@click.option(
    "--count",
    default=200,
    show_default=True,
    type=click.IntRange(min=0),
    help="How many complaints to insert.",
)
@click.option("--seed", type=int, default=None, help="Seed for repeatable content.")
@click.option(
    "--batch-size",
    default=2000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Complaints per insert batch (one commit each).",
)
@click.option(
    "--assign",
    is_flag=True,
    help="Have the staff accounts already in the database work the cases past 'received'"
    " (assigned, with their workflow history, findings and recommendations).",
)
def generate_command(count: int, seed: int | None, batch_size: int, assign: bool) -> None:
    """Insert COUNT generated complaints: invented people, fake contact details.

    Each is audited as a filing, like a real one. Their access codes are not usable.
    """
    started = time.perf_counter()
    next_report = PROGRESS_EVERY

    def progress(done: int) -> None:
        nonlocal next_report
        if count >= 2 * PROGRESS_EVERY and done >= next_report:
            rate = done / max(time.perf_counter() - started, 1e-9)
            click.echo(f"  {done:,} / {count:,} ({rate:,.0f} per second)", err=True)
            next_report = done + PROGRESS_EVERY

    try:
        inserted = generate_complaints(
            count, seed=seed, batch_size=batch_size, progress=progress, assign=assign
        )
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error
    elapsed = time.perf_counter() - started
    click.echo(f"generated {inserted} complaints in {elapsed:.1f} s")


@bp.cli.command("seed-if-empty")
@click.option("--count", default=200, show_default=True, type=click.IntRange(min=0))
@click.option("--seed", type=int, default=None, help="Seed for repeatable content.")
def seed_if_empty_command(count: int, seed: int | None) -> None:
    """Generate COUNT demo complaints, but only into a database that has none (make run).

    The cases are worked by the staff there; an office without case staff first gets a
    handful of demo accounts (nobody signs in as them).
    """
    existing = db.session.execute(select(func.count()).select_from(Complaint)).scalar_one()
    if existing:
        click.echo(f"{existing} complaints already there: no demo data added")
        return
    staff = ensure_demo_staff(corpus())
    if staff:
        click.echo(f"no case staff: added {len(staff)} demo staff accounts")
    inserted = generate_complaints(count, seed=seed, assign=True)
    click.echo(f"empty database: added {inserted} generated demo complaints")
