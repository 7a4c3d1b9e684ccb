import click
from flask import Blueprint

from .services import verify_chain

bp = Blueprint("audit", __name__, cli_group="audit")


@bp.cli.command("verify")
def verify_command() -> None:
    """Verify the audit chain; exit 1 naming the first broken event."""
    report = verify_chain()
    if report.ok:
        click.echo(f"audit chain intact: {report.checked} events")
        return
    click.echo(
        f"audit chain BROKEN at event seq={report.broken_seq}: {report.reason}"
        f" ({report.checked} events verified before it)",
        err=True,
    )
    raise SystemExit(1)
