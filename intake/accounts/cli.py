import click
import pyotp
from flask import Blueprint, current_app

from intake.database import utcnow
from intake.extensions import db

from . import services
from .roles import ROLES

bp = Blueprint("accounts_cli", __name__, cli_group="accounts")

DEV_EMAIL = "staff@example.gov"
DEV_PASSWORD = "intake-dev-password"  # noqa: S105 - development only, refused elsewhere


@bp.cli.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", required=True)
def create_admin(email: str, name: str) -> None:
    """Create an administrator; prints a one-time password. TOTP is set up at first sign-in."""
    password = services.new_password()
    try:
        services.create_user(email, name, ["administrator"], None, password)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"administrator {email} created; temporary password: {password}")
    click.echo("Sign in at /staff/sign-in and scan the QR code to set up two-factor codes.")


def _development_only() -> None:
    if current_app.config["INTAKE_ENV"] != "development":
        raise click.ClickException("only in the development configuration")


@bp.cli.command("dev-user")
def dev_user() -> None:
    """Development only: a staff account with every role, ready to sign in."""
    _development_only()
    user = services.user_by_email(DEV_EMAIL)
    if user is None:
        user = services.create_user(DEV_EMAIL, "Demo Staff", list(ROLES), None, DEV_PASSWORD)
        user.totp_enrolled_at = utcnow()
        db.session.commit()
    click.echo("Staff sign-in (development only): http://127.0.0.1:5000/staff/sign-in")
    click.echo(f"  email: {DEV_EMAIL}   password: {DEV_PASSWORD}")
    click.echo(f"  TOTP secret (add to an authenticator app): {user.totp_secret}")
    click.echo("  or print the current code: .venv/bin/flask --app app accounts totp-code")


@bp.cli.command("totp-code")
@click.argument("email", default=DEV_EMAIL)
def totp_code(email: str) -> None:
    """Development only: print the current TOTP code of an account."""
    _development_only()
    user = services.user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account {email}")
    click.echo(pyotp.TOTP(user.totp_secret).now())
