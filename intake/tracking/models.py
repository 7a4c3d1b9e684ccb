from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.database import UTCDateTime, utcnow
from intake.extensions import db


class Message(db.Model):
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


class LookupFailure(db.Model):
    """A failed status look-up, for rate limiting. Keys are keyed hashes, never the raw values."""

    __tablename__ = "status_lookup_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_key: Mapped[str] = mapped_column(String(64), index=True)
    tracking_key: Mapped[str] = mapped_column(String(64), index=True)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
