from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column
from sqlalchemy.types import JSON

from intake.database import UTCDateTime, utcnow
from intake.extensions import Base
from intake.reference.categories import check_in

# --- letters and exports ----------------------------------------------------------------------

LETTER_KINDS = ("acknowledgment", "request_information", "referral_notice", "closure")
LETTER_LANGUAGES = ("en", "es")
EXPORT_STATUSES = ("queued", "running", "done", "failed")


class LetterTemplate(Base):
    """An administrator's wording for one kind of letter in one language.

    Each save is a new row (the history stays); the newest row for a kind and language is the
    wording in use, and without one the built-in wording in templates/documents/letters/ is.
    """

    __tablename__ = "letter_templates"
    __table_args__ = (
        CheckConstraint(check_in("kind", LETTER_KINDS), name="kind_known"),
        CheckConstraint(check_in("language", LETTER_LANGUAGES), name="language_known"),
        CheckConstraint("length(subject) BETWEEN 1 AND 200", name="subject_length"),
        CheckConstraint("length(body) BETWEEN 1 AND 20000", name="body_length"),
        Index("ix_letter_templates_current", "kind", "language", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class CaseLetter(Base):
    """A letter generated for a case: the words as filled in, and the PDF as given out."""

    __tablename__ = "case_letters"
    __table_args__ = (
        CheckConstraint(check_in("kind", LETTER_KINDS), name="kind_known"),
        CheckConstraint(check_in("language", LETTER_LANGUAGES), name="language_known"),
        CheckConstraint("size_bytes > 0", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    language: Mapped[str] = mapped_column(String(2))
    # The administrator's wording used; none means the built-in wording.
    template_id: Mapped[int | None] = mapped_column(ForeignKey("letter_templates.id"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))


class DocumentExport(Base):
    """A ZIP of case summaries being made for one staff member, and how far it has got.

    The ZIP is written in parts (document_export_parts) as it is made, so neither making nor
    downloading it holds more than one part in memory. Kept until ``expires_at``.
    """

    __tablename__ = "document_exports"
    __table_args__ = (
        CheckConstraint(check_in("status", EXPORT_STATUSES), name="status_known"),
        CheckConstraint("done BETWEEN 0 AND total", name="progress_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), default="queued")
    redacted: Mapped[bool] = mapped_column(Boolean, default=False)
    # The cases asked for (ids only), in the order they go into the ZIP.
    complaint_ids: Mapped[list] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped whenever a worker (re)starts the export: a worker from an earlier attempt that
    # is somehow still running sees the change and stops writing.
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    # The language of the person who asked: the ZIP's list and the summaries are in it.
    language: Mapped[str] = mapped_column(String(2), default="en")
    # Why it failed, when it did (shown on the progress page).
    failure_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class DocumentExportPart(Base):
    """One piece of an export's ZIP, in order.

    Each case's bytes are stored, in parts of at most ``PART_BYTES``, in the same
    transaction as the progress that counts it, and the case's last part carries its ZIP
    entry (name, offset, CRC, size): a worker that takes over a stopped export rebuilds the
    ZIP's directory from those and goes on with the next case. A case left out has one empty
    part without an entry; the list and the ZIP's directory come last, without a case."""

    __tablename__ = "document_export_parts"

    export_id: Mapped[int] = mapped_column(
        ForeignKey("document_exports.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    complaint_id: Mapped[int | None] = mapped_column(Integer)
    entry: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
