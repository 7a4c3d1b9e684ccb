"""A complaint and everything filed with it."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON

from intake.accounts.models import User
from intake.database import UTCDateTime, utcnow
from intake.extensions import Base
from intake.reference.categories import (
    AGENCIES,
    ALLEGATIONS,
    CHANNELS,
    CLOSURE_REASONS,
    CONTACT_METHODS,
    CUSTODY_ANSWERS,
    FILER_RELATIONSHIPS,
    FINDINGS,
    LANGUAGES,
    PLACE_KINDS,
    PRIOR_COMPLAINT_BODIES,
    PROGRAM_CONTEXTS,
    check_in,
)

from .status import STATUSES

NARRATIVE_MAX_CHARS = 10_000

# Columns the review queue filters on, carried in its indexes (see Complaint.__table_args__).
QUEUE_FILTER_COLUMNS = (
    "status",
    "status_changed_at",
    "assignee_id",
    "incident_state",
    "incident_county_fips",
    "channel",
    "language",
)


def _queue_index(name: str, *keys: str) -> Index:
    return Index(name, *keys, *(column for column in QUEUE_FILTER_COLUMNS if column not in keys))


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint(check_in("status", STATUSES), name="status_known"),
        CheckConstraint(check_in("channel", CHANNELS), name="channel_known"),
        CheckConstraint(check_in("language", LANGUAGES), name="language_known"),
        CheckConstraint(
            check_in("filer_relationship", FILER_RELATIONSHIPS), name="relationship_known"
        ),
        CheckConstraint(
            f"place_kind IS NULL OR {check_in('place_kind', PLACE_KINDS)}", name="place_known"
        ),
        CheckConstraint(
            "(incident_date IS NULL) = (incident_date_precision IS NULL)"
            " AND (incident_date_precision IS NULL OR incident_date_precision IN ('day', 'month'))",
            name="incident_date_precision",
        ),
        CheckConstraint(
            f"length(narrative) BETWEEN 1 AND {NARRATIVE_MAX_CHARS}", name="narrative_length"
        ),
        # A closed case always says why, and only a closed case has a closure reason.
        CheckConstraint(
            f"(status = 'closed') = (closure_reason IS NOT NULL)"
            f" AND (closure_reason IS NULL OR {check_in('closure_reason', CLOSURE_REASONS)})",
            name="closed_with_reason",
        ),
        CheckConstraint(
            f"referral_agency IS NULL OR {check_in('referral_agency', AGENCIES)}",
            name="referral_agency_known",
        ),
        CheckConstraint(
            "(closure_reason = 'duplicate') = (duplicate_of_id IS NOT NULL)",
            name="duplicate_names_original",
        ),
        CheckConstraint(
            "duplicate_of_id IS NULL OR duplicate_of_id <> id", name="not_own_duplicate"
        ),
        # The review queue. Each index leads with a keyset order (sort key, id) and then holds
        # every column the queue filters on, so the page's ids are found from the index alone,
        # without reading wide rows (narratives) that a filter then throws away.
        _queue_index("ix_complaints_queue", "submitted_at", "id"),
        _queue_index("ix_complaints_status_queue", "status", "submitted_at", "id"),
        _queue_index("ix_complaints_status_clock", "status_changed_at", "id"),
        # A search's matches, looked up by id, with the sort keys and filters at hand.
        _queue_index("ix_complaints_search_lookup", "id", "submitted_at", "status_changed_at"),
        Index("ix_complaints_assignee_queue", "assignee_id", "submitted_at", "id", "status"),
        # Overdue: one (status, entered before) range per status.
        Index("ix_complaints_status_age", "status", "status_changed_at", "id"),
        # Oversight figures for one incident state: its filing range, with every column the
        # figures count by, read from the index alone.
        Index(
            "ix_complaints_state_filed",
            "incident_state",
            "submitted_at",
            "id",
            "status",
            "status_changed_at",
            "incident_county_fips",
        ),
        # Program oversight: a county's complaints by incident date (else filing date).
        Index(
            "ix_complaints_county_incident",
            "incident_county_fips",
            "incident_date",
            "submitted_at",
            "id",
        ),
        # What the copies of the filing time on allegations and agencies refer to (see
        # _filed_with).
        UniqueConstraint("id", "submitted_at"),
        # Oversight counts by filing month: lets the planner know there are a dozen months in
        # a year, not a group per complaint, so it hashes (in parallel) rather than sorts.
        # Migration 0005 creates it (PostgreSQL only: SQLite has no extended statistics).
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(16), unique=True)
    access_code_hash: Mapped[str] = mapped_column(String(64))
    # Hash of the draft this complaint was filed from: a second submit of the same draft
    # hits this unique constraint instead of creating a second complaint.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(32), default="received")
    # When the case entered its current status: overdue is measured from here.
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closure_reason: Mapped[str | None] = mapped_column(String(32))
    referral_agency: Mapped[str | None] = mapped_column(String(16))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Optimistic locking: an update carrying a stale version changes nothing.
    version: Mapped[int] = mapped_column(Integer, default=1)
    channel: Mapped[str] = mapped_column(String(8), default="web")
    language: Mapped[str] = mapped_column(String(2))
    filer_relationship: Mapped[str] = mapped_column(String(16))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)

    incident_date: Mapped[date | None] = mapped_column(Date)
    incident_date_precision: Mapped[str | None] = mapped_column(String(5))
    incident_state: Mapped[str | None] = mapped_column(ForeignKey("states.code"), index=True)
    incident_county_fips: Mapped[str | None] = mapped_column(
        ForeignKey("counties.fips"), index=True
    )
    incident_city: Mapped[str | None] = mapped_column(String(120))
    place_kind: Mapped[str | None] = mapped_column(String(16))
    place_other: Mapped[str | None] = mapped_column(String(200))
    local_agency_name: Mapped[str | None] = mapped_column(String(200))
    other_agency_name: Mapped[str | None] = mapped_column(String(200))
    program_other: Mapped[str | None] = mapped_column(String(200))
    officers: Mapped[str | None] = mapped_column(Text)
    witnesses: Mapped[str | None] = mapped_column(Text)

    narrative: Mapped[str] = mapped_column(Text)
    desired_outcome: Mapped[str | None] = mapped_column(Text)
    privacy_consent: Mapped[bool] = mapped_column(Boolean)
    accommodation_disability: Mapped[str | None] = mapped_column(Text)
    accommodation_language: Mapped[str | None] = mapped_column(Text)

    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Staff who entered (mail, email, fax, phone) or last changed the case; web filings: none.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __mapper_args__ = {"version_id_col": version}

    assignee: Mapped["User | None"] = relationship(foreign_keys=[assignee_id])

    people: Mapped[list["Person"]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="Person.role"
    )
    allegations: Mapped[list["Allegation"]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="Allegation.id"
    )
    agencies: Mapped[list["ComplaintAgency"]] = relationship(cascade="all, delete-orphan")
    program_contexts: Mapped[list["ComplaintProgramContext"]] = relationship(
        cascade="all, delete-orphan"
    )
    prior_complaints: Mapped[list["PriorComplaint"]] = relationship(
        cascade="all, delete-orphan", order_by="PriorComplaint.id"
    )

    def person(self, role: str) -> "Person | None":
        return next((p for p in self.people if p.role == role), None)


class Person(Base):
    """The filer, and the affected person when someone else files for them."""

    __tablename__ = "complaint_people"
    __table_args__ = (
        UniqueConstraint("complaint_id", "role"),
        CheckConstraint("role IN ('filer', 'affected')", name="role_known"),
        CheckConstraint(
            f"contact_method IS NULL OR {check_in('contact_method', CONTACT_METHODS)}",
            name="contact_method_known",
        ),
        CheckConstraint(
            f"in_custody IS NULL OR {check_in('in_custody', CUSTODY_ANSWERS)}",
            name="custody_known",
        ),
        CheckConstraint(
            "a_number IS NULL OR (length(a_number) IN (9, 10) AND substr(a_number, 1, 1) = 'A')",
            name="a_number_format",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(8))
    name: Mapped[str | None] = mapped_column(String(200))
    organization: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    address_city: Mapped[str | None] = mapped_column(String(120))
    address_state: Mapped[str | None] = mapped_column(String(2))
    address_zip: Mapped[str | None] = mapped_column(String(10))
    preferred_language: Mapped[str | None] = mapped_column(String(80))
    contact_method: Mapped[str | None] = mapped_column(String(8))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    a_number: Mapped[str | None] = mapped_column(String(10), index=True)
    country_of_birth: Mapped[str | None] = mapped_column(String(2))
    interpreter_needed: Mapped[bool | None] = mapped_column(Boolean)
    in_custody: Mapped[str | None] = mapped_column(String(8))
    facility_name: Mapped[str | None] = mapped_column(String(200))
    facility_city: Mapped[str | None] = mapped_column(String(120))
    facility_state: Mapped[str | None] = mapped_column(String(2))
    consent_attested: Mapped[bool | None] = mapped_column(Boolean)

    complaint: Mapped[Complaint] = relationship(back_populates="people")


def _filed_with(table: str, *counted: str) -> tuple[ForeignKeyConstraint, Index]:
    """A copy of the complaint's filing time on a row filed with it, and the index the
    oversight figures count from.

    Allegations and agencies are counted over a filing range many times a day (the
    oversight dashboard); with the filing time on their own rows that is one index range,
    not a join with a million complaints (a third of a second each at 580,000 complaints).
    The foreign key is on (complaint, filing time), so the copy cannot differ from the
    complaint's: the database refuses a row whose copy is wrong, and the ORM fills it in
    from the complaint the row is added to. The index holds what is counted (``counted``),
    so a month's figures come from the index alone. Filing time never changes; if it did, the
    cascade would carry it."""
    return (
        ForeignKeyConstraint(
            ["complaint_id", "complaint_submitted_at"],
            ["complaints.id", "complaints.submitted_at"],
            ondelete="CASCADE",
            onupdate="CASCADE",
            name=f"fk_{table}_complaint_filed",
        ),
        Index(f"ix_{table}_filed", "complaint_submitted_at", *counted),
    )


class Allegation(Base):
    __tablename__ = "allegations"
    __table_args__ = (
        *_filed_with("allegations", "category", "finding"),
        UniqueConstraint("complaint_id", "category"),
        CheckConstraint(check_in("category", ALLEGATIONS), name="category_known"),
        CheckConstraint(
            f"finding IS NULL OR {check_in('finding', FINDINGS)}", name="finding_known"
        ),
        # The complaints alleging a category, from the index alone: over a filing range (the
        # oversight filter) or all of them (the program's profiling counts).
        Index(
            "ix_allegations_category_filed", "category", "complaint_submitted_at", "complaint_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(index=True)
    complaint_submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    category: Mapped[str] = mapped_column(String(40), index=True)
    details: Mapped[str | None] = mapped_column(Text)
    # Per-allegation finding, recorded by an investigator and approved with the findings.
    finding: Mapped[str | None] = mapped_column(String(24))
    finding_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finding_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    complaint: Mapped[Complaint] = relationship(back_populates="allegations")


class ComplaintAgency(Base):
    __tablename__ = "complaint_agencies"
    __table_args__ = (
        *_filed_with("complaint_agencies", "agency"),
        CheckConstraint(check_in("agency", AGENCIES), name="agency_known"),
        # The complaints naming an agency over a filing range, from the index alone (the
        # oversight agency filter).
        Index(
            "ix_complaint_agencies_agency_filed", "agency", "complaint_submitted_at", "complaint_id"
        ),
    )

    complaint_id: Mapped[int] = mapped_column(primary_key=True)
    complaint_submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    agency: Mapped[str] = mapped_column(String(16), primary_key=True, index=True)


class ComplaintProgramContext(Base):
    __tablename__ = "complaint_program_contexts"
    __table_args__ = (CheckConstraint(check_in("context", PROGRAM_CONTEXTS), name="context_known"),)

    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True
    )
    context: Mapped[str] = mapped_column(String(16), primary_key=True)


class PriorComplaint(Base):
    """Where else the filer already complained, with that body's case number."""

    __tablename__ = "prior_complaints"
    __table_args__ = (
        UniqueConstraint("complaint_id", "body"),
        CheckConstraint(check_in("body", PRIOR_COMPLAINT_BODIES), name="body_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(String(20))
    case_number: Mapped[str | None] = mapped_column(String(80))


class Draft(Base):
    """A complaint being filed: answers so far, kept on the server until it expires.

    The filer's session cookie holds only a random token; its hash finds the row.
    """

    __tablename__ = "complaint_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="SET NULL"), unique=True
    )
    complaint: Mapped[Complaint | None] = relationship()
