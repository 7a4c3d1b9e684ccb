"""Choice lists read from reference data, cached per process (the data is read-only here)."""

import gettext
from functools import cache

import pycountry
from flask_babel import get_locale
from sqlalchemy import select

from intake.extensions import db

from .models import County, State


@cache
def _states() -> tuple[tuple[str, str], ...]:
    rows = db.session.execute(select(State.code, State.name).order_by(State.name))
    return tuple((code, name) for code, name in rows)


@cache
def _counties(state_code: str) -> tuple[tuple[str, str], ...]:
    rows = db.session.execute(
        select(County.fips, County.name)
        .where(County.state_code == state_code)
        .order_by(County.name)
    )
    return tuple((fips, name) for fips, name in rows)


def state_choices(blank_label) -> list[tuple[str, str]]:
    return [("", blank_label), *_states()]


def state_name(code: str | None) -> str | None:
    return dict(_states()).get(code) if code else None


@cache
def _county_names() -> dict[str, str]:
    rows = db.session.execute(select(County.fips, County.name))
    return {fips: name for fips, name in rows}


def county_name(fips: str | None) -> str | None:
    return _county_names().get(fips) if fips else None


def county_choices(state_code: str | None, blank_label) -> list[tuple[str, str]]:
    return [("", blank_label), *(_counties(state_code) if state_code else ())]


@cache
def _country_names(locale: str) -> tuple[tuple[str, str], ...]:
    translate = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    ).gettext
    names = ((c.alpha_2, translate(c.name)) for c in pycountry.countries)
    return tuple(sorted(names, key=lambda item: item[1].casefold()))


def country_choices(blank_label) -> list[tuple[str, str]]:
    return [("", blank_label), *_country_names(str(get_locale() or "en"))]


def country_name(code: str | None) -> str | None:
    return dict(_country_names(str(get_locale() or "en"))).get(code, code) if code else None
