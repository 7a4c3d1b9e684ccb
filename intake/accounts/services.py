"""Passwords, TOTP, throttling, sessions and account changes. Flushes only; views commit."""

import functools
import hashlib
import hmac
import secrets
import time
from datetime import timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from intake.audit.services import record_event
from intake.database import rows_matched, utcnow
from intake.extensions import db
from intake.keys import THROTTLE_KEY, keyed_hash

from .models import SignInAttempt, StaffSession, User


@functools.cache
def _hasher_with(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def _hasher() -> PasswordHasher:
    """argon2id; cost from ARGON2_TIME_COST / ARGON2_MEMORY_KIB (the library's defaults,
    except in the test configuration, where thousands of accounts are made)."""
    config = current_app.config
    return _hasher_with(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_KIB"])


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    # Verified against when the email is unknown, so both failures take the same time.
    return hasher.hash("not-a-real-password")


MIN_PASSWORD_LENGTH = 12


class AccountError(Exception):
    """An account change that cannot be made: a message for the person and the form field
    it belongs next to."""

    def __init__(self, message, field: str):
        super().__init__(message)
        self.message, self.field = message, field


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def new_password() -> str:
    return secrets.token_urlsafe(12)


def _keyed(kind: str, value: str) -> str:
    return keyed_hash(THROTTLE_KEY, kind, value)


def user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()


def check_password(user: User | None, password: str) -> bool:
    """Whether the password is the account's. A right one whose hash was made with lower cost
    settings than today's is hashed again (flushed with the request's other changes)."""
    try:
        hasher = _hasher()
        hasher.verify(user.password_hash if user else _dummy_hash(hasher), password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None:
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


# --- throttling ---------------------------------------------------------------------------


def is_throttled(email: str, client: str) -> bool:
    """Too many failures inside the window, for this account or from this address. An
    account's own successful sign-in forgives its earlier failures; an address's does not."""
    cfg = current_app.config
    since = utcnow() - timedelta(minutes=cfg["SIGNIN_WINDOW_MINUTES"])
    account_key = _keyed("account", email.strip().lower())
    last_success = db.session.execute(
        select(func.max(SignInAttempt.attempted_at)).where(
            SignInAttempt.account_key == account_key, SignInAttempt.succeeded.is_(True)
        )
    ).scalar_one()
    failures = (
        select(func.count()).select_from(SignInAttempt).where(SignInAttempt.succeeded.is_(False))
    )
    by_account = db.session.execute(
        failures.where(
            SignInAttempt.account_key == account_key,
            SignInAttempt.attempted_at >= max(since, last_success or since),
        )
    ).scalar_one()
    by_client = db.session.execute(
        failures.where(
            SignInAttempt.client_key == _keyed("client", client),
            SignInAttempt.attempted_at >= since,
        )
    ).scalar_one()
    return (
        by_account >= cfg["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]
        or by_client >= cfg["SIGNIN_MAX_FAILURES_PER_CLIENT"]
    )


def record_throttled(user: User | None) -> None:
    """A refused try while throttled: audited, but not counted, so the lockout still ends."""
    _audit_sign_in(user, succeeded=False, reason="throttled")


def purge_old_attempts() -> int:
    """Sign-in attempts older than four throttling windows count for nothing: delete them;
    how many. Flushes. Run by the schedule (accounts/tasks.py)."""
    window = timedelta(minutes=current_app.config["SIGNIN_WINDOW_MINUTES"])
    result = db.session.execute(
        delete(SignInAttempt).where(SignInAttempt.attempted_at < utcnow() - 4 * window)
    )
    return rows_matched(result)


def record_attempt(email: str, client: str, user: User | None, succeeded: bool, reason: str):
    db.session.add(
        SignInAttempt(
            account_key=_keyed("account", email.strip().lower()),
            client_key=_keyed("client", client),
            succeeded=succeeded,
        )
    )
    _audit_sign_in(user, succeeded=succeeded, reason=reason)


def _audit_sign_in(user: User | None, *, succeeded: bool, reason: str) -> None:
    # The email typed is never recorded: an unknown one is often a real person's address.
    record_event(
        "auth.sign_in" if succeeded else "auth.sign_in_failed",
        actor_type="staff",
        actor_id=user.id if user else None,
        object_type="user",
        object_id=user.id if user else None,
        details={"reason": reason},
    )


# --- TOTP ---------------------------------------------------------------------------------


def totp_uri(user: User) -> str:
    issuer = current_app.config["TOTP_ISSUER"]
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)


def verify_totp(user: User, code: str, now: float | None = None) -> bool:
    """Accept the current code or its neighbours, once each: a replayed code is refused."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    step_now = int((now or time.time()) // totp.interval)
    for step in (step_now - 1, step_now, step_now + 1):
        if step > user.totp_last_step and hmac.compare_digest(totp.at(step * totp.interval), code):
            return _use_step(user, step)
    return False


def _use_step(user: User, step: int) -> bool:
    """Record the step as used, unless another request used it (or a later one) first: the
    conditional update makes two simultaneous posts of one code succeed only once."""
    used = db.session.execute(
        update(User)
        .where(User.id == user.id, User.totp_last_step < step)
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(used) != 1:
        return False
    set_committed_value(user, "totp_last_step", step)  # the row already says so
    return True


def usable_code(user: User, now: float | None = None) -> tuple[str, int]:
    """Development helper: a code the next sign-in will accept (the current one, or the next
    one if the current one was used) and the seconds it stays valid."""
    totp = pyotp.TOTP(user.totp_secret)
    now = now or time.time()
    step = max(int(now // totp.interval), user.totp_last_step + 1)
    return totp.at(step * totp.interval), int((step + 2) * totp.interval - now)


def credential_stamp(user: User) -> str:
    """Changes when the password or TOTP secret changes: a sign-in half done before an
    administrator reset the credentials cannot be finished after it."""
    return _keyed("credentials", f"{user.password_hash}:{user.totp_secret}")[:32]


# --- sessions -----------------------------------------------------------------------------


def start_session(user: User) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(token_hash=_token_hash(token), user_id=user.id))
    db.session.flush()
    return token


def _token_hash(token: str) -> str:
    return hashlib.sha256(b"intake-staff:" + token.encode()).hexdigest()


def session_for(token: str | None) -> StaffSession | None:
    """The live session for a cookie's token, or None (ended, idle too long, account off).
    A session found idle is ended here for good (flushed; the caller commits)."""
    if not token:
        return None
    # Every staff request asks this, and every page then asks the user's roles: one statement
    # brings the session, its user and their roles (a row per role, made unique).
    staff_session = (
        db.session.execute(
            select(StaffSession)
            .options(joinedload(StaffSession.user).joinedload(User.role_rows))
            .where(StaffSession.token_hash == _token_hash(token))
        )
        .unique()
        .scalar_one_or_none()
    )
    if staff_session is None or staff_session.ended_at is not None:
        return None
    idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    if not staff_session.user.active:
        reason = "inactive_account"
    elif staff_session.last_seen_at < utcnow() - idle:
        reason = "idle"
    else:
        return staff_session
    staff_session.ended_at = utcnow()
    record_event(
        "auth.session_ended",
        actor_type="system",
        object_type="user",
        object_id=staff_session.user_id,
        details={"reason": reason},
    )
    return None


def end_session(staff_session: StaffSession) -> None:
    staff_session.ended_at = utcnow()
    record_event(
        "auth.sign_out",
        actor_type="staff",
        actor_id=staff_session.user_id,
        object_type="user",
        object_id=staff_session.user_id,
    )


def purge_ended_sessions() -> int:
    """Delete the sessions that have ended: signed out or ended by the app, and those idle
    past ``STAFF_IDLE_MINUTES`` (each audited as ended, as a visit would have done); how
    many. Flushes. Run by the schedule (accounts/tasks.py)."""
    idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    idle_ones = db.session.execute(
        select(StaffSession.id, StaffSession.user_id).where(
            StaffSession.ended_at.is_(None), StaffSession.last_seen_at < utcnow() - idle
        )
    ).all()
    for _session_id, user_id in idle_ones:
        record_event(
            "auth.session_ended",
            actor_type="system",
            object_type="user",
            object_id=user_id,
            details={"reason": "idle"},
        )
    idle_ids = [session_id for session_id, _user_id in idle_ones]
    ended = or_(StaffSession.ended_at.is_not(None), StaffSession.id.in_(idle_ids))
    return rows_matched(db.session.execute(delete(StaffSession).where(ended)))


def end_all_sessions(user: User) -> None:
    for staff_session in db.session.execute(
        select(StaffSession).where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
    ).scalars():
        staff_session.ended_at = utcnow()


# --- account changes ----------------------------------------------------------------------


def create_user(email: str, name: str, roles, actor: User | None, password: str) -> User:
    email = email.strip().lower()
    if user_by_email(email) is not None:
        raise AccountError(_l("An account with that email address already exists."), "email")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        totp_secret=pyotp.random_base32(),
        created_by_id=actor.id if actor else None,
        updated_by_id=actor.id if actor else None,
    )
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    _audit_account("account.created", user, actor, fields=["email", "name", "roles"])
    return user


def update_user(user: User, actor: User, *, name: str, roles, active: bool) -> None:
    # Administrators cannot lock themselves out: another administrator has to do it.
    if user.id == actor.id and not active:
        raise AccountError(_l("You cannot disable your own account."), "active")
    if user.id == actor.id and "administrator" not in set(roles):
        raise AccountError(_l("You cannot remove your own administrator role."), "roles")
    changed = []
    if user.name != name.strip():
        user.name = name.strip()
        changed.append("name")
    if user.roles != set(roles):
        user.set_roles(roles)
        changed.append("roles")
    if user.active != active:
        user.active = active
        changed.append("active")
        if not active:
            end_all_sessions(user)
    if changed:
        user.updated_by_id = actor.id
        _audit_account("account.updated", user, actor, fields=changed)


def reset_credentials(user: User, actor: User, password: str) -> None:
    """A new temporary password and a new TOTP secret; the user enrols again."""
    user.password_hash = hash_password(password)
    user.totp_secret = pyotp.random_base32()
    user.totp_enrolled_at = None
    user.totp_last_step = 0
    user.updated_by_id = actor.id
    end_all_sessions(user)
    _audit_account("account.credentials_reset", user, actor, fields=["password", "totp"])


def check_new_password(user: User, password: str, confirmation: str) -> None:
    """The rules for a password a person chooses; AccountError names what is wrong."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _l("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH), "password"
        )
    if password.strip().lower() == user.email.lower() or check_password(user, password):
        raise AccountError(
            _l("Choose a password that is not your email address or temporary password."),
            "password",
        )
    if password != confirmation:
        raise AccountError(_l("The two passwords do not match."), "confirmation")


def complete_enrolment(user: User, password: str) -> None:
    """First sign-in (or after a reset): the person's own password replaces the temporary one
    the administrator saw, and the TOTP secret they just confirmed is in use from now on."""
    user.password_hash = hash_password(password)
    user.totp_enrolled_at = utcnow()
    _audit_account("account.enrolled", user, user, fields=["password", "totp"])


def _audit_account(action: str, user: User, actor: User | None, fields: list[str]) -> None:
    record_event(
        action,
        actor_type="staff" if actor else "system",
        actor_id=actor.id if actor else None,
        object_type="user",
        object_id=user.id,
        details={"fields": fields, "roles": sorted(user.roles)},
    )
