"""Error pages in the person's language; database failures never look like success."""

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from intake.extensions import db

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(413)
    def _too_large(error):
        return render_template("errors/too_large.html"), 413

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def _database(error):
        db.session.rollback()
        # The statement and its parameters could hold personal data: log the class only.
        log.error("database unavailable: %s", type(error.orig).__name__)
        return render_template("errors/unavailable.html"), 503

    @app.errorhandler(HTTPException)
    def _http(error):
        if error.code in (404, 405, 429, 400, 403):
            return render_template("errors/http.html", error=error), error.code
        return error
