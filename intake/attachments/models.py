"""Files sent with a complaint: by the filer, by staff, or with a complainant's reply."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from intake.database import UTCDateTime, utcnow
from intake.extensions import Base
from intake.reference.categories import ATTACHMENT_TYPES, check_in

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class Attachment(Base):
    """A file belongs to a draft while the complaint is being filed, then to the complaint.

    Submitting moves the row from the draft to the complaint; the bytes are never copied.
    """

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint("(draft_id IS NULL) <> (complaint_id IS NULL)", name="one_owner"),
        CheckConstraint(check_in("content_type", ATTACHMENT_TYPES), name="type_allowed"),
        CheckConstraint(f"size_bytes BETWEEN 1 AND {MAX_ATTACHMENT_BYTES}", name="size_limit"),
        CheckConstraint("source IN ('filer', 'staff', 'complainant_reply')", name="source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint_drafts.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20), default="filer")
    # A document sent with a reply to a request for information.
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint_messages.id", ondelete="SET NULL"), index=True
    )
    # Staff who attached it (a scanned original of a mailed complaint); filers have none.
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Loaded only when the file itself is wanted, never with lists of attachments.
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
