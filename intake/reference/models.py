from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.extensions import Base


class State(Base):
    """US states, DC and territories (Census FIPS list)."""

    __tablename__ = "states"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    fips: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(80))


class County(Base):
    """Counties and county equivalents, keyed by their five-digit FIPS code."""

    __tablename__ = "counties"

    fips: Mapped[str] = mapped_column(String(5), primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    name: Mapped[str] = mapped_column(String(120))
