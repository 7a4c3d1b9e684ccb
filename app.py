"""Entry point for `flask run`, `flask db upgrade` and gunicorn (`app:app`).

A configuration the app may not start with (a wrong type, an unknown ``INTAKE_`` variable, a
missing production secret) ends the process with the reason, not a traceback."""

from intake.config import ConfigError
from intake.factory import create_app

try:
    app = create_app()
except ConfigError as error:
    raise SystemExit(f"intake: configuration error:\n{error}") from None
