from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.database import UTCDateTime, utcnow
from intake.extensions import Base
from intake.reference.categories import check_in

from .roles import PERMISSIONS, ROLES


class User(Base):
    """A staff member. Members of the public have no account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str] = mapped_column(String(64))
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last TOTP time step accepted: a code is good once, never replayed.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    role_rows: Mapped[list["UserRole"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    is_authenticated = True

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def set_roles(self, roles) -> None:
        wanted = set(roles)
        self.role_rows = [row for row in self.role_rows if row.role in wanted] + [
            UserRole(role=role) for role in sorted(wanted - self.roles)
        ]

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def can(self, permission: str) -> bool:
        return bool(self.roles & PERMISSIONS[permission])


class AnonymousStaff:
    """Who is asking when nobody is signed in: every check says no, so templates never branch
    on whether someone is signed in before asking what they may do."""

    id = None
    name = None
    is_authenticated = False
    roles: set[str] = set()

    def has_role(self, role: str) -> bool:
        return False

    def can(self, permission: str) -> bool:
        return False


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (CheckConstraint(check_in("role", ROLES), name="role_known"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; ending the row ends the session,
    so logging out or disabling an account makes a copied cookie worthless."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Every staff request looks its session up by token and needs the user at once (and its
    # roles: services.session_for joins them into the same statement).
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class SignInAttempt(Base):
    """Sign-in attempts, for throttling. Keys are keyed hashes of the email and the address."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64), index=True)
    client_key: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


assert set().union(*PERMISSIONS.values()) <= set(ROLES)
