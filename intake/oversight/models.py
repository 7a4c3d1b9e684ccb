from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.database import UTCDateTime, utcnow
from intake.extensions import Base
from intake.reference.categories import check_in
from intake.reference.models import County

# How exact an activation date is. The announcements rarely give a day: a month-precision or
# "on or before" date is stored as the first day of its month.
DATE_PRECISIONS = {
    "day": _l("Exact day"),
    "month": _l("Month"),
    "on_or_before": _l("Active on or before this date"),
    "approximate": _l("Approximate"),
    "announced": _l("Date announced (activation may differ)"),
}


class Jurisdiction(Base):
    """A county (or county equivalent) where an enforcement program was activated, and when.

    Program oversight compares the complaints about incidents in the county before and after
    the activation. Administrators correct and extend the registry; it starts from ICE's
    2009-2010 Secure Communities announcements (intake/oversight/data).
    """

    __tablename__ = "jurisdictions"
    __table_args__ = (
        UniqueConstraint("county_fips", "program", name="uq_jurisdictions_county_program"),
        CheckConstraint(check_in("date_precision", DATE_PRECISIONS), name="date_precision_known"),
        CheckConstraint("length(name) BETWEEN 1 AND 200", name="name_length"),
        CheckConstraint("length(program) BETWEEN 1 AND 120", name="program_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_fips: Mapped[str] = mapped_column(ForeignKey("counties.fips"), index=True)
    # The jurisdiction as the source names it ("City of Richmond", a police department).
    name: Mapped[str] = mapped_column(String(200))
    program: Mapped[str] = mapped_column(String(120))
    activation_date: Mapped[date] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # NULL: seeded by the migration.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    county: Mapped[County] = relationship()

    @property
    def state_code(self) -> str:
        return self.county.state_code
