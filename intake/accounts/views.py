"""Sign-in (password, then TOTP; enrolment on first sign-in), sign-out, account management."""

import time
from urllib.parse import urlsplit

import segno
from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from intake.extensions import db

from . import services
from .access import NOTICE_KEY, SESSION_KEY, current_user, requires
from .forms import AccountForm, CodeForm, NewPasswordForm, SignInForm
from .models import User
from .roles import ROLES

bp = Blueprint("accounts", __name__, url_prefix="/staff")
PENDING_KEY = "staff_pending"
# Time to type a code after the password; first-time set-up (installing an authenticator
# app, scanning, choosing a password) gets longer.
CODE_SECONDS = 5 * 60
ENROL_SECONDS = 20 * 60


def _client() -> str:
    return request.remote_addr or "unknown"


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (//host, /\\host, scheme:...)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and not any(ch in target for ch in "\\\r\n\t")
        and not urlsplit(target).netloc
        and not urlsplit(target).scheme
    ):
        return target
    return url_for("accounts.home")


def _queue_url() -> str:
    try:
        return url_for("queue.index")
    except BuildError:  # the queue's views are not registered in this build
        return "/staff/queue/"


@bp.route("/")
@requires()
def home():
    user = current_user()
    if user.can("queue.view"):
        return redirect(_queue_url())
    if user.can("accounts.manage"):
        return redirect(url_for("accounts.list_accounts"))
    return render_template("accounts/home.html", role_labels=ROLES)


# --- signing in ---------------------------------------------------------------------------


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    next_url = _safe_next(request.args.get("next"))
    if current_user().is_authenticated:
        return redirect(next_url)
    form = SignInForm()
    context = {"form": form, "next_url": request.args.get("next") and next_url}
    if not form.validate_on_submit():
        return render_template(
            "accounts/sign_in.html", notice=session.pop(NOTICE_KEY, None), **context
        )
    email = form.email.data
    user = services.user_by_email(email)
    if services.is_throttled(email, _client()):
        services.record_throttled(user)
        db.session.commit()
        return render_template("accounts/sign_in.html", throttled=True, **context), 429
    # The password is checked even for a disabled account, so both take the same time.
    password_ok = services.check_password(user, form.password.data)
    if user is None or not password_ok or not user.active:
        reason = "password" if not password_ok else "inactive_account"
        services.record_attempt(email, _client(), user, False, reason)
        db.session.commit()
        # One message for every case: it must not tell a stranger which emails have accounts.
        form.form_errors.append(
            _("That email address and password do not match an active account.")
        )
        return render_template("accounts/sign_in.html", **context), 200
    enrolled = user.totp_enrolled_at is not None
    session[PENDING_KEY] = {
        "user_id": user.id,
        "stamp": services.credential_stamp(user),
        "until": time.time() + (CODE_SECONDS if enrolled else ENROL_SECONDS),
        "next": next_url,
    }
    return redirect(url_for(".code" if enrolled else ".enrol"))


def _pending_user() -> User | None:
    """The person between the password and the code, if that half-done sign-in is still good:
    not too old, account still active, credentials not reset since."""
    pending = session.get(PENDING_KEY)
    if not pending:
        return None
    user = db.session.get(User, pending["user_id"])
    if (
        pending["until"] < time.time()
        or user is None
        or not user.active
        or pending["stamp"] != services.credential_stamp(user)
    ):
        session.pop(PENDING_KEY, None)
        session[NOTICE_KEY] = "restart"
        return None
    return user


def _restart():
    return redirect(url_for(".sign_in"))


def _finish_sign_in(user: User):
    pending = session.pop(PENDING_KEY)
    services.record_attempt(user.email, _client(), user, True, "totp")
    token = services.start_session(user)
    db.session.commit()
    session[SESSION_KEY] = token
    return redirect(pending["next"])


def _check_code(user: User, form: CodeForm, template: str, **context):
    """None if the code is good; otherwise the page to show (throttled, or the error)."""
    if services.is_throttled(user.email, _client()):
        services.record_throttled(user)
        db.session.commit()
        return render_template(template, form=form, throttled=True, **context), 429
    if services.verify_totp(user, form.code.data):
        return None
    services.record_attempt(user.email, _client(), user, False, "totp")
    db.session.commit()
    form.code.errors = [
        _("That code is not right, or it was already used. Wait for the next code and try it.")
    ]
    return render_template(template, form=form, **context), 200


@bp.route("/sign-in/code", methods=["GET", "POST"])
def code():
    user = _pending_user()
    if user is None or user.totp_enrolled_at is None:
        return _restart()
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("accounts/code.html", form=form)
    refusal = _check_code(user, form, "accounts/code.html")
    return refusal or _finish_sign_in(user)


@bp.route("/sign-in/enrol", methods=["GET", "POST"])
def enrol():
    """First sign-in, or the first after a reset: confirm a code from the new secret, then
    choose a password (the administrator saw the temporary one)."""
    user = _pending_user()
    if user is None or user.totp_enrolled_at is not None:
        return _restart()
    if session[PENDING_KEY].get("code_confirmed"):
        return _choose_password(user)
    form = CodeForm()
    qr = segno.make(services.totp_uri(user), error="m").svg_data_uri(scale=5, border=4)
    context = {"qr": qr, "secret": user.totp_secret}
    if not form.validate_on_submit():
        return render_template("accounts/enrol.html", form=form, **context)
    refusal = _check_code(user, form, "accounts/enrol.html", **context)
    if refusal:
        return refusal
    db.session.commit()  # the code's time step is used up: it cannot be replayed
    session[PENDING_KEY] = {
        **session[PENDING_KEY],
        "code_confirmed": True,
        "until": time.time() + ENROL_SECONDS,
    }
    return redirect(url_for(".enrol"))


def _choose_password(user: User):
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.check_new_password(user, form.password.data, form.confirmation.data)
        except services.AccountError as error:
            form[error.field].errors = [error.message]
        else:
            services.complete_enrolment(user, form.password.data)
            return _finish_sign_in(user)
    return render_template("accounts/password.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    if g.get("staff_session") is not None:
        services.end_session(g.staff_session)
        db.session.commit()
        session[NOTICE_KEY] = "signed_out"
    session.pop(SESSION_KEY, None)
    session.pop(PENDING_KEY, None)
    return redirect(url_for(".sign_in"))


# --- administration -----------------------------------------------------------------------


@bp.route("/accounts")
@requires("accounts.manage")
def list_accounts():
    users = db.session.execute(db.select(User).order_by(User.name, User.id)).scalars().all()
    saved_id = request.args.get("saved", type=int)
    saved = next((user for user in users if user.id == saved_id), None)
    return render_template("accounts/list.html", users=users, saved=saved, role_labels=ROLES)


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
            form[error.field].errors = [error.message]
        else:
            db.session.commit()
            # Shown on this response only (no-store): it is never kept anywhere readable.
            return render_template("accounts/created.html", user=user, password=password)
    return render_template("accounts/edit.html", form=form, user=None)


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@requires("accounts.manage")
def edit_account(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = AccountForm(
        obj=user, data={"roles": sorted(user.roles)} if request.method == "GET" else None
    )
    # The email is the sign-in name and the audit's anchor: shown, never changed here.
    form.email.data = user.email
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
            form[error.field].errors = [error.message]
        else:
            db.session.commit()
            return redirect(url_for(".list_accounts", saved=user.id))
    return render_template("accounts/edit.html", form=form, user=user)


@bp.route("/accounts/<int:user_id>/reset", methods=["POST"])
@requires("accounts.manage")
def reset_account(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    password = services.new_password()
    services.reset_credentials(user, current_user(), password)
    db.session.commit()
    return render_template("accounts/created.html", user=user, password=password, reset=True)
