"""The application factory: configuration, extensions, every feature's blueprint."""

import logging
from pathlib import Path

from flask import Flask, request
from flask_babel import get_locale
from sqlalchemy.orm import configure_mappers
from werkzeug.middleware.proxy_fix import ProxyFix

from . import errors, i18n, pages, security
from .accounts import models as _accounts_models  # noqa: F401 - for migrations, create_all
from .accounts import tasks as _accounts_tasks  # noqa: F401 - the schedule's jobs
from .accounts.access import current_user, load_current_user
from .accounts.cli import bp as accounts_cli
from .accounts.views import bp as accounts
from .attachments import models as _attachments_models  # noqa: F401
from .audit import models as _audit_models  # noqa: F401
from .audit.cli import bp as audit_cli
from .complaints import models as _complaints_models  # noqa: F401
from .complaints import tasks as _complaints_tasks  # noqa: F401
from .complaints.drafts import STEP_TITLES
from .complaints.entry import bp as entry
from .complaints.views import bp as complaints
from .config import Settings, default_instance_path, folder
from .database import configure_engine, include_in_autogenerate
from .demo.cli import bp as demo_cli
from .documents import export_jobs as _export_jobs  # noqa: F401 - the export jobs
from .documents import models as _documents_models  # noqa: F401
from .documents.rendering import page_numbers_css
from .documents.views import bp as documents
from .extensions import babel, csrf, db, migrate
from .jobs import models as _jobs_models  # noqa: F401
from .jobs import queue as jobs_queue
from .jobs import tasks as _jobs_tasks  # noqa: F401
from .jobs.cli import bp as jobs_cli
from .jobs.views import bp as jobs_health
from .oversight import models as _oversight_models  # noqa: F401
from .oversight.views import bp as oversight
from .queue.views import bp as queue
from .reference import models as _reference_models  # noqa: F401
from .reference.categories import ATTACHMENT_TYPES
from .reference.views import bp as reference
from .review import models as _review_models  # noqa: F401
from .review.views import bp as review
from .tracking import models as _tracking_models  # noqa: F401
from .tracking import tasks as _tracking_tasks  # noqa: F401
from .tracking.views import bp as tracking


def create_app(config: dict | None = None) -> Flask:
    # The folders: top-level in a source checkout, inside the package from a wheel (config.py).
    settings = Settings.load(config)
    app = Flask(
        "intake",  # the package, whose name Flask gives the installed instance folder
        instance_path=settings.INTAKE_INSTANCE_PATH or default_instance_path(),
        template_folder=str(folder("templates")),
        static_folder=str(folder("static")),
        static_url_path="/static",  # whatever the folder's name
    )
    app.config.update(settings.flask_config(app.instance_path, config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    logging.basicConfig(level=logging.INFO)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(folder("migrations")),
        render_as_batch=True,
        include_object=include_in_autogenerate,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    with app.app_context():
        configure_engine(db.engine, app.config["DB_LOCK_TIMEOUT_MS"])
    jobs_queue.configure(app)

    # Resolve every relationship now, not inside the first request's write transaction.
    configure_mappers()
    security.init_url_converters(app)
    _register_blueprints(app)
    security.init_app(app)
    errors.init_app(app)
    _register_template_helpers(app)
    return app


def _register_blueprints(app: Flask) -> None:
    app.before_request(load_current_user)
    for blueprint in (
        pages.bp,
        jobs_health,
        i18n.bp,
        complaints,
        tracking,
        reference,
        accounts,
        accounts_cli,
        queue,
        review,
        entry,
        documents,
        oversight,
        audit_cli,
        demo_cli,
        jobs_cli,
    ):
        app.register_blueprint(blueprint)


def _register_template_helpers(app: Flask) -> None:
    app.add_template_global(page_numbers_css)

    @app.template_filter("filesize")
    def _filesize(size: int) -> str:
        if size >= 1024 * 1024:
            return f"{size / 1024 / 1024:.1f} MB"
        return f"{max(1, round(size / 1024))} KB"

    @app.context_processor
    def _globals():
        locale = str(get_locale() or "en")
        return {
            "step_titles": STEP_TITLES,
            "attachment_types": ATTACHMENT_TYPES,
            "current_locale": locale,
            "other_locale": "es" if locale == "en" else "en",
            "languages": app.config["LANGUAGES"],
            "current_path": request.full_path.rstrip("?") if request else "/",
            # Staff or AnonymousStaff: templates ask `current_user.can(...)`, never "signed in?"
            "current_user": current_user(),
        }
