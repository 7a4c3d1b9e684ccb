"""Passwords, TOTP, throttling, sessions and account changes. Flushes only; views commit."""

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import delete, func, select

from intake.audit.services import record_event
from intake.database import utcnow
from intake.extensions import db

from .models import SignInAttempt, StaffSession, User

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class AccountError(Exception):
    """An account change that cannot be made, with a message for the administrator."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def new_password() -> str:
    return secrets.token_urlsafe(12)


def _keyed(kind: str, value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()


def check_password(user: User | None, password: str) -> bool:
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return user is not None


# --- throttling ---------------------------------------------------------------------------


def is_throttled(email: str, client: str) -> bool:
    cfg = current_app.config
    since = utcnow() - timedelta(minutes=cfg["SIGNIN_WINDOW_MINUTES"])
    failures = (
        select(func.count())
        .select_from(SignInAttempt)
        .where(SignInAttempt.succeeded.is_(False), SignInAttempt.attempted_at >= since)
    )
    by_account = db.session.execute(
        failures.where(SignInAttempt.account_key == _keyed("account", email.strip().lower()))
    ).scalar_one()
    by_client = db.session.execute(
        failures.where(SignInAttempt.client_key == _keyed("client", client))
    ).scalar_one()
    return (
        by_account >= cfg["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]
        or by_client >= cfg["SIGNIN_MAX_FAILURES_PER_CLIENT"]
    )


def record_attempt(email: str, client: str, user: User | None, succeeded: bool, reason: str):
    window = timedelta(minutes=current_app.config["SIGNIN_WINDOW_MINUTES"])
    db.session.execute(
        delete(SignInAttempt).where(SignInAttempt.attempted_at < utcnow() - 4 * window)
    )
    db.session.add(
        SignInAttempt(
            account_key=_keyed("account", email.strip().lower()),
            client_key=_keyed("client", client),
            succeeded=succeeded,
        )
    )
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
            user.totp_last_step = step
            return True
    return False


# --- sessions -----------------------------------------------------------------------------


def start_session(user: User) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(token_hash=_token_hash(token), user_id=user.id))
    db.session.flush()
    return token


def _token_hash(token: str) -> str:
    return hashlib.sha256(b"intake-staff:" + token.encode()).hexdigest()


def session_for(token: str | None) -> StaffSession | None:
    """The live session for a cookie's token, or None (ended, idle too long, account off)."""
    if not token:
        return None
    staff_session = db.session.execute(
        select(StaffSession).where(StaffSession.token_hash == _token_hash(token))
    ).scalar_one_or_none()
    if staff_session is None or staff_session.ended_at is not None:
        return None
    idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    if staff_session.last_seen_at < utcnow() - idle or not staff_session.user.active:
        staff_session.ended_at = utcnow()
        return None
    return staff_session


def end_session(staff_session: StaffSession) -> None:
    staff_session.ended_at = utcnow()
    record_event(
        "auth.sign_out",
        actor_type="staff",
        actor_id=staff_session.user_id,
        object_type="user",
        object_id=staff_session.user_id,
    )


def end_all_sessions(user: User) -> None:
    for staff_session in db.session.execute(
        select(StaffSession).where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
    ).scalars():
        staff_session.ended_at = utcnow()


# --- account changes ----------------------------------------------------------------------


def create_user(email: str, name: str, roles, actor: User | None, password: str) -> User:
    email = email.strip().lower()
    if user_by_email(email) is not None:
        raise AccountError("An account with that email address already exists.")
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
    changed = []
    if user.name != name.strip():
        user.name, changed = name.strip(), [*changed, "name"]
    if user.roles != set(roles):
        user.set_roles(roles)
        changed.append("roles")
    if user.active != active:
        if user.id == actor.id and not active:
            raise AccountError("You cannot disable your own account.")
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


def _audit_account(action: str, user: User, actor: User | None, fields: list[str]) -> None:
    record_event(
        action,
        actor_type="staff" if actor else "system",
        actor_id=actor.id if actor else None,
        object_type="user",
        object_id=user.id,
        details={"fields": fields, "roles": sorted(user.roles)},
    )
