from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from intake.database import UTCDateTime, utcnow
from intake.extensions import Base

GENESIS_HASH = "0" * 64


class AuditEvent(Base):
    """One thing that happened. Holds ids and field names, never personal data values."""

    __tablename__ = "audit_events"
    __table_args__ = (
        CheckConstraint("actor_type IN ('public', 'staff', 'system')", name="actor_type_known"),
        # A case's timeline and trail read its events in order.
        Index("ix_audit_events_object", "object_type", "object_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Position in the chain: unique, gapless, assigned under the chain-head lock.
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_type: Mapped[str] = mapped_column(String(8))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """A single row: the last event's position and hash. Locking it serialises appends."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
