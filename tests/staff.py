"""Staff accounts for tests: make users with roles, sign a test client in."""

from dataclasses import dataclass

import pyotp

from intake.accounts import services
from intake.accounts.access import SESSION_KEY
from intake.database import utcnow
from intake.extensions import db

PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only


@dataclass
class StaffUser:
    id: int
    email: str
    password: str
    totp_secret: str
    roles: tuple[str, ...]

    def totp_now(self) -> str:
        return pyotp.TOTP(self.totp_secret).now()


def make_user(
    app, *roles: str, email: str | None = None, name: str | None = None, enrolled: bool = True
) -> StaffUser:
    """A staff account with these roles (TOTP already enrolled unless ``enrolled=False``)."""
    with app.app_context():
        email = email or f"{'-'.join(roles) or 'nobody'}-{services.new_password()[:6]}@example.gov"
        user = services.create_user(email, name or " ".join(roles).title(), roles, None, PASSWORD)
        if enrolled:
            user.totp_enrolled_at = utcnow()
        db.session.commit()
        return StaffUser(user.id, user.email, PASSWORD, user.totp_secret, tuple(roles))


def log_in(app, client, staff: StaffUser) -> None:
    """Give the client a live staff session without the sign-in pages (tested elsewhere)."""
    with app.app_context():
        token = services.start_session(db.session.get(services.User, staff.id))
        db.session.commit()
    with client.session_transaction() as session:
        session[SESSION_KEY] = token


def staff_client(app, *roles: str, **user_args):
    """A test client signed in as a new user with these roles; ``client.staff`` is the user."""
    client = app.test_client()
    staff = make_user(app, *roles, **user_args)
    log_in(app, client, staff)
    client.staff = staff
    return client
