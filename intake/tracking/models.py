"""The status look-up's rate limit."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from intake.database import UTCDateTime, utcnow
from intake.extensions import Base


class LookupFailure(Base):
    """A failed status look-up, for rate limiting. Keys are keyed hashes, never the raw values."""

    __tablename__ = "status_lookup_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_key: Mapped[str] = mapped_column(String(64), index=True)
    tracking_key: Mapped[str] = mapped_column(String(64), index=True)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
