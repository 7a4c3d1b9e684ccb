"""`flask accounts ...`: the first administrator, and a ready-made account for development."""

import os

import click
from email_validator import EmailNotValidError, validate_email
from flask import Blueprint, current_app

from intake.database import utcnow
from intake.extensions import db

from . import services
from .roles import ROLES

bp = Blueprint("accounts_cli", __name__, cli_group="accounts")

DEV_EMAIL = "staff@example.gov"
DEV_PASSWORD = "intake-dev-password"  # noqa: S105 - development only, refused elsewhere  # nosec B105
DEV_NAME = "Demo Staff"
TOTP_COMMAND = ".venv/bin/flask --app app accounts totp-code"


@bp.cli.command("create-admin")
@click.option("--email", required=True, help="The administrator's email address (sign-in name).")
@click.option("--name", required=True, help="The administrator's full name.")
def create_admin(email: str, name: str) -> None:
    """Create an administrator; prints a temporary password. At first sign-in they scan a QR
    code for two-factor codes and choose their own password."""
    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise click.ClickException(f"not a valid email address: {error}") from error
    if not name.strip():
        raise click.ClickException("give the administrator's name with --name")
    if services.user_by_email(email) is not None:
        raise click.ClickException(f"an account with the email address {email} already exists")
    password = services.new_password()
    services.create_user(email, name, ["administrator"], None, password)
    db.session.commit()
    click.echo(f"Administrator {email} created. Temporary password: {password}")
    click.echo(
        "Sign in at /staff/sign-in with it: you will scan a QR code with an authenticator app "
        "and choose your own password."
    )


def _development_only() -> None:
    if current_app.config["INTAKE_ENV"] != "development":
        raise click.ClickException("only in the development configuration (INTAKE_ENV=development)")


@bp.cli.command("dev-user")
@click.option(
    "--port",
    default=lambda: os.environ.get("PORT", "5000"),
    show_default="$PORT or 5000",
    help="The port `flask run` serves on, for the printed address.",
)
def dev_user(port: str) -> None:
    """Development only: a staff account with every role, ready to sign in, and how to."""
    _development_only()
    user = services.user_by_email(DEV_EMAIL)
    if user is None:
        user = services.create_user(DEV_EMAIL, DEV_NAME, list(ROLES), None, DEV_PASSWORD)
    # Whatever was done to it since (password, roles, disabled), it works as printed.
    if not services.check_password(user, DEV_PASSWORD):
        user.password_hash = services.hash_password(DEV_PASSWORD)
    user.set_roles(ROLES)
    user.active = True
    user.totp_enrolled_at = user.totp_enrolled_at or utcnow()
    db.session.commit()
    secret = " ".join(user.totp_secret[i : i + 4] for i in range(0, len(user.totp_secret), 4))
    rule = "-" * 72
    click.echo(
        "\n".join(
            [
                rule,
                "Staff sign-in (development only; the account has every role):",
                f"  1. open      http://127.0.0.1:{port}/staff/sign-in",
                f"  2. email     {DEV_EMAIL}",
                f"     password  {DEV_PASSWORD}",
                "  3. code      in another terminal, in this folder, run:",
                f"                {TOTP_COMMAND}",
                f"              (or add this key to an authenticator app: {secret})",
                rule,
            ]
        )
    )


@bp.cli.command("totp-code")
@click.argument("email", default=DEV_EMAIL)
def totp_code(email: str) -> None:
    """Development only: print a two-factor code the next sign-in of EMAIL will accept."""
    _development_only()
    user = services.user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account {email}")
    code, seconds = services.usable_code(user)
    click.echo(code)
    click.echo(f"(good for about {seconds} more seconds, once)", err=True)
