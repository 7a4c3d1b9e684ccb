"""The stack's floor: what a page costs on this stack with nothing of the app in it.

TechEmpower's "fortunes" test, on the app's stack: Flask, Flask-SQLAlchemy (the app's engine
options), Jinja with autoescaping, gunicorn with the app's settings (gunicorn.conf.py). One
request reads 50 rows from the staff bench's complaints table (tracking number, status, filing
time: the queue's first 50, by the queue's index) and renders them as an HTML table. No
session, no sign-in, no translation, no audit: the staff pages' times are read against this.

Served by ``gunicorn 'bench.fortunes:create_app()'`` with DATABASE_URL set (server.serve_floor).
"""

import os
from datetime import datetime

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROWS = 50


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Complaint(db.Model):
    """The three columns the floor shows of the app's complaints table."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def create_app(database_url: str | None = None) -> Flask:
    database_url = database_url or os.environ["DATABASE_URL"]
    app = Flask(__name__)  # templates from bench/templates
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    # As the app's engine on PostgreSQL (intake/config.py): a connection is checked on checkout.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = (
        {"pool_pre_ping": True} if database_url.startswith("postgresql") else {}
    )
    db.init_app(app)

    @app.get("/healthz")
    def healthz():
        return "ok"

    @app.get("/fortunes")
    def fortunes():
        rows = db.session.execute(
            select(
                Complaint.id, Complaint.tracking_number, Complaint.status, Complaint.submitted_at
            )
            .order_by(Complaint.submitted_at.desc(), Complaint.id.desc())
            .limit(ROWS)
        ).all()
        return render_template("fortunes.html", rows=rows)

    return app
