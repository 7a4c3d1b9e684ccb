"""Who is asking, and the decorators every staff view uses to say who may."""

from functools import wraps

from flask import abort, g, redirect, request, session, url_for
from sqlalchemy.exc import SQLAlchemyError

from intake.database import utcnow
from intake.extensions import db

from . import services
from .models import AnonymousStaff

SESSION_KEY = "staff_token"
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
        db.session.commit()  # an idle session found expired is ended for good
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
                    return redirect(url_for("accounts.sign_in", next=request.full_path))
                abort(401)
            if permission is not None and not user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permission = permission
        return wrapped

    return decorator
