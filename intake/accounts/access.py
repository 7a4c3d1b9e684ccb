"""Who is asking, and the decorators every staff view uses to say who may."""

from functools import wraps
from typing import Any, cast

from flask import abort, g, make_response, redirect, render_template, request, session, url_for
from sqlalchemy.exc import SQLAlchemyError

from intake.database import utcnow
from intake.extensions import db

from . import services
from .models import AnonymousStaff

SESSION_KEY = "staff_token"
# Why the sign-in page is shown: "ended" (idle, disabled, signed out elsewhere),
# "signed_out", "restart" (a half-done sign-in ran out of time).
NOTICE_KEY = "staff_notice"
_TOUCH_EVERY_SECONDS = 60


def load_current_user() -> None:
    """Before each request: g.user is the signed-in staff member or AnonymousStaff."""
    g.user = AnonymousStaff()
    g.staff_session = None
    token = session.get(SESSION_KEY)
    if not token or request.endpoint == "static":
        return
    staff_session = services.session_for(token)
    if staff_session is None:
        session.pop(SESSION_KEY, None)
        session[NOTICE_KEY] = "ended"
        try:
            db.session.commit()  # a session found idle is ended for good
        except SQLAlchemyError:
            db.session.rollback()  # still refused now; the next request ends it
        return
    g.user, g.staff_session = staff_session.user, staff_session
    if (utcnow() - staff_session.last_seen_at).total_seconds() > _TOUCH_EVERY_SECONDS:
        staff_session.last_seen_at = utcnow()
        try:
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()  # a missed touch only shortens the idle allowance


def current_user():
    return g.get("user") or AnonymousStaff()


def requires(permission: str | None = None):
    """Signed-in staff only; with a permission, only roles that have it (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_user()
            if not user.is_authenticated:
                if request.method == "GET":
                    next_url = request.full_path.rstrip("?")
                    return redirect(url_for("accounts.sign_in", next=next_url))
                # A form posted after the session ended: say so, and how to keep what was
                # typed (the browser's Back button), rather than a bare error.
                page = render_template("accounts/session_ended.html")
                abort(make_response(page, 401))
            if permission is not None and not user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        cast(Any, wrapped).required_permission = permission  # read by the permission tests
        return wrapped

    return decorator
