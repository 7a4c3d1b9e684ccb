from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import String

from intake.accounts.models import User
from intake.database import UTCDateTime, utcnow
from intake.extensions import Base
from intake.reference.categories import AGENCY_RESPONSES, check_in


class CaseNote(Base):
    """An internal note on a case. Staff only; never shown to the complainant."""

    __tablename__ = "case_notes"
    __table_args__ = (CheckConstraint("length(body) BETWEEN 1 AND 20000", name="body_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    author: Mapped[User] = relationship()


class Recommendation(Base):
    """A recommendation to the agency, and the agency's answer to it once it comes."""

    __tablename__ = "recommendations"
    __table_args__ = (
        CheckConstraint("length(body) BETWEEN 1 AND 20000", name="body_length"),
        CheckConstraint(
            f"agency_response IS NULL OR {check_in('agency_response', AGENCY_RESPONSES)}",
            name="agency_response_known",
        ),
        CheckConstraint(
            "(agency_response IS NULL) = (response_recorded_at IS NULL)",
            name="response_dated",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    agency_response: Mapped[str | None] = mapped_column(String(20))
    response_notes: Mapped[str | None] = mapped_column(Text)
    response_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Message(Base):
    """A message between the office and the complainant, shown on the status page."""

    __tablename__ = "complaint_messages"
    __table_args__ = (
        CheckConstraint("direction IN ('to_complainant', 'from_complainant')", name="direction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The staff member who wrote a message to the complainant; replies have none.
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
