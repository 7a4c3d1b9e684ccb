"""Entry point for `flask run`, `flask db upgrade` and gunicorn (`app:app`)."""

from intake.factory import create_app

app = create_app()
