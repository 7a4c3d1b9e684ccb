"""Sign-in (password, then TOTP; enrolment on first sign-in), sign-out, account management."""

import time
from urllib.parse import urlsplit

import segno
from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from intake.database import utcnow
from intake.extensions import db

from . import services
from .access import SESSION_KEY, current_user, requires
from .forms import AccountForm, CodeForm, SignInForm
from .models import User

bp = Blueprint("accounts", __name__, url_prefix="/staff")
PENDING_KEY = "staff_pending"
PENDING_SECONDS = 5 * 60


def _client() -> str:
    return request.remote_addr or "unknown"


def _safe_next(target: str | None) -> str:
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("accounts.home")


@bp.route("/")
@requires()
def home():
    user = current_user()
    if user.can("queue.view"):
        return redirect(url_for("queue.index"))
    if user.can("accounts.manage"):
        return redirect(url_for("accounts.list_accounts"))
    return render_template("accounts/home.html")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("accounts/sign_in.html", form=form)
    email = form.email.data
    if services.is_throttled(email, _client()):
        return render_template("accounts/sign_in.html", form=form, throttled=True), 429
    user = services.user_by_email(email)
    if not services.check_password(user, form.password.data) or not user.active:
        services.record_attempt(email, _client(), user, False, "password")
        db.session.commit()
        form.form_errors.append(_("That email address and password do not match an account."))
        return render_template("accounts/sign_in.html", form=form), 200
    session[PENDING_KEY] = {
        "user_id": user.id,
        "email": user.email,
        "until": time.time() + PENDING_SECONDS,
        "next": _safe_next(request.args.get("next")),
    }
    step = "accounts.code" if user.totp_enrolled_at else "accounts.enrol"
    return redirect(url_for(step))


def _pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not pending or pending["until"] < time.time():
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(User, pending["user_id"])
    return user if user is not None and user.active else None


def _finish_sign_in(user: User):
    pending = session.pop(PENDING_KEY)
    services.record_attempt(pending["email"], _client(), user, True, "totp")
    token = services.start_session(user)
    db.session.commit()
    session[SESSION_KEY] = token
    return redirect(pending["next"])


def _code_failed(user: User, form: CodeForm, template: str, **context):
    services.record_attempt(user.email, _client(), user, False, "totp")
    db.session.commit()
    form.code.errors = [_("That code is not right, or was already used. Try the next one.")]
    return render_template(template, form=form, **context), 200


@bp.route("/sign-in/code", methods=["GET", "POST"])
def code():
    user = _pending_user()
    if user is None or user.totp_enrolled_at is None:
        return redirect(url_for(".sign_in"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("accounts/code.html", form=form)
    if services.is_throttled(user.email, _client()):
        return render_template("accounts/code.html", form=form, throttled=True), 429
    if not services.verify_totp(user, form.code.data):
        return _code_failed(user, form, "accounts/code.html")
    return _finish_sign_in(user)


@bp.route("/sign-in/enrol", methods=["GET", "POST"])
def enrol():
    user = _pending_user()
    if user is None or user.totp_enrolled_at is not None:
        return redirect(url_for(".sign_in"))
    form = CodeForm()
    qr = segno.make(services.totp_uri(user), error="m").svg_data_uri(scale=5, border=2)
    context = {"qr": qr, "secret": user.totp_secret}
    if not form.validate_on_submit():
        return render_template("accounts/enrol.html", form=form, **context)
    if not services.verify_totp(user, form.code.data):
        return _code_failed(user, form, "accounts/enrol.html", **context)
    user.totp_enrolled_at = utcnow()
    return _finish_sign_in(user)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    if g.get("staff_session") is not None:
        services.end_session(g.staff_session)
        db.session.commit()
    session.pop(SESSION_KEY, None)
    return redirect(url_for(".sign_in"))


# --- administration -----------------------------------------------------------------------


@bp.route("/accounts")
@requires("accounts.manage")
def list_accounts():
    users = db.session.execute(db.select(User).order_by(User.name)).scalars().all()
    return render_template("accounts/list.html", users=users)


@bp.route("/accounts/new", methods=["GET", "POST"])
@requires("accounts.manage")
def new_account():
    form = AccountForm()
    if form.validate_on_submit():
        password = services.new_password()
        try:
            user = services.create_user(
                form.email.data, form.name.data, form.roles.data, current_user(), password
            )
        except services.AccountError as error:
            form.email.errors = [str(error)]
        else:
            db.session.commit()
            return render_template("accounts/created.html", user=user, password=password)
    return render_template("accounts/edit.html", form=form, user=None)


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@requires("accounts.manage")
def edit_account(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = AccountForm(
        obj=user, data={"roles": sorted(user.roles)} if request.method == "GET" else None
    )
    form.email.render_kw = {"readonly": True}
    if form.validate_on_submit():
        try:
            services.update_user(
                user,
                current_user(),
                name=form.name.data,
                roles=form.roles.data,
                active=form.active.data,
            )
        except services.AccountError as error:
            form.active.errors = [str(error)]
        else:
            db.session.commit()
            return redirect(url_for(".list_accounts"))
    return render_template("accounts/edit.html", form=form, user=user)


@bp.route("/accounts/<int:user_id>/reset", methods=["POST"])
@requires("accounts.manage")
def reset_account(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    password = services.new_password()
    services.reset_credentials(user, current_user(), password)
    db.session.commit()
    return render_template("accounts/created.html", user=user, password=password, reset=True)
