"""Invented people and places: names, contact details, where an incident happened.

Everything is fictional: email addresses use example.org / example.com, phone numbers the
555-01xx range reserved for fiction.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from intake.accounts.models import User, UserRole
from intake.extensions import db
from intake.reference.models import County, State

from .data import Corpus
from .rand import Choice, weighted_sample

EMAIL_DOMAINS = ("example.org", "example.com")


@dataclass
class Reference:
    """What the generator needs from the database, read once."""

    counties_by_state: dict[str, list[tuple[str, str]]]  # state -> [(fips, county name)]
    other_counties: list[tuple[str, str, str]]  # (fips, state, name) outside the weighted states
    state_names: dict[str, str]
    county_names: dict[str, str]
    staff: dict[str, list[int]]  # role -> ids of active staff with it


def load_reference(data: Corpus, with_staff: bool) -> Reference:
    rows = db.session.execute(
        select(County.fips, County.state_code, County.name).order_by(County.fips)
    ).all()
    if not rows:
        raise RuntimeError("no counties in the database: load the reference data first")
    state_names = dict(db.session.execute(select(State.code, State.name)).all())
    by_state: dict[str, list[tuple[str, str]]] = {}
    for fips, state, name in rows:
        by_state.setdefault(state, []).append((fips, name))
    weighted = data.places["state_weights"]
    other = [(f, s, n) for f, s, n in rows if s not in weighted]
    staff: dict[str, list[int]] = {}
    if with_staff:
        for user_id, role in db.session.execute(
            select(UserRole.user_id, UserRole.role)
            .join(User, User.id == UserRole.user_id)
            .where(User.active)
            .order_by(UserRole.user_id)
        ):
            staff.setdefault(role, []).append(user_id)
    names = {fips: name for fips, _state, name in rows}
    return Reference(by_state, other, state_names, names, staff)


def ascii_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


class People:
    """Mixin for the complaint maker: needs ``rng``, ``data``, ``ref`` and ``today``."""

    rng: random.Random
    data: Corpus
    ref: Reference
    today: date

    def setup_people(self) -> None:
        places, origins = self.data.places, self.data.origins
        self.groups = {lang: Choice(w) for lang, w in origins["group_weights"].items()}
        self.countries = {g: Choice(w) for g, w in origins["countries"].items()}
        self.spoken = {
            g: Choice(((en, es), w) for en, es, w in langs)
            for g, langs in origins["spoken_languages"].items()
        }
        self.states = Choice({**places["state_weights"], None: places["other_states_weight"]})
        self.border_states = Choice(places["border_state_weights"])
        hot = [c for c in places["hot_counties"] if c["fips"] in self.ref.county_names]
        self.hot_share = places["hot_county_share"] if hot else 0.0
        self.hot = Choice((c, c["weight"]) for c in hot) if hot else None
        self.hot_by_state = {}
        for state in places["border_state_weights"]:
            in_state = [(c, c["weight"]) for c in hot if c["state"] == state]
            if in_state:
                self.hot_by_state[state] = Choice(in_state)

    def name(self, group: str, female: bool) -> tuple[str, str]:
        rng = self.rng
        males, females, surnames = self.data.names[group]
        first = rng.choice(females if female else males)
        last = rng.choice(surnames)
        if group == "hispanic" and rng.random() < 0.35:
            last = f"{last} {rng.choice(surnames)}"
        return first, last

    def email(self, first: str, last: str) -> str:
        rng = self.rng
        first_part, last_part = ascii_word(first), ascii_word(last.split(" ")[0])
        style = rng.random()
        if style < 0.4:
            local = f"{first_part}.{last_part}"
        elif style < 0.7:
            local = f"{first_part[0]}{last_part}{rng.randint(1, 99)}"
        else:
            local = f"{first_part}{last_part}{rng.randint(1960, 2006)}"
        return f"{local}@{rng.choice(EMAIL_DOMAINS)}"

    def phone(self, state: str | None) -> str:
        places = self.data.places
        codes = places["area_codes"].get(state, places["other_area_codes"])
        return f"+1{self.rng.choice(codes)}55501{self.rng.randint(0, 99):02d}"

    def zip_code(self, state: str | None) -> str:
        low, high = self.data.places["zip_prefixes"].get(state, (1, 99))
        return f"{self.rng.randint(low, high):02d}{self.rng.randint(0, 999):03d}"

    def location(self, border: bool) -> tuple[str | None, str | None, str | None, str | None]:
        """(state, county fips, county name, city): mostly the hot counties, by weight."""
        rng, ref, towns = self.rng, self.ref, self.data.pools["generic_towns"]
        roll = rng.random()
        if roll < 0.02:
            return None, None, None, None
        state = self.border_states.pick(rng) if border else None
        hot = self.hot_by_state.get(state) if border else self.hot
        if hot is not None and rng.random() < (1.0 if border else self.hot_share):
            county = hot.pick(rng)
            state, fips = county["state"], county["fips"]
            name = ref.county_names[fips]
            city = rng.choice(county["cities"]) if rng.random() < 0.85 else None
        else:
            state = state or self.states.pick(rng)
            if state is None or not ref.counties_by_state.get(state):
                fips, state, name = rng.choice(ref.other_counties)
            else:
                fips, name = rng.choice(ref.counties_by_state[state])
            city = rng.choice(towns) if rng.random() < 0.4 else None
        if roll < 0.05:  # the filer knew the state but not the county
            return state, None, None, city
        return state, fips, name, city

    def filer(self, anonymous, first, last, organization, state, city, lang) -> dict:
        rng = self.rng
        roll = rng.random()
        other_language = "es" if lang == "en" else "en"
        filer = {
            "role": "filer",
            "preferred_language": lang if roll < 0.65 else other_language if roll < 0.72 else None,
        }
        if anonymous:
            filer["contact_method"] = "none"
            return filer
        email = self.email(first, last) if rng.random() < 0.75 else None
        phone = self.phone(state) if rng.random() < 0.7 else None
        address = {}
        if rng.random() < 0.45:
            address_state = state or rng.choice(tuple(self.data.places["state_weights"]))
            street = rng.choice(self.data.pools["streets"])
            address = {
                "address_line1": f"{rng.randint(100, 9899)} {street}",
                "address_line2": f"Apt {rng.randint(1, 40)}{rng.choice('ABCD')}"
                if rng.random() < 0.2
                else None,
                "address_city": city or rng.choice(self.data.pools["generic_towns"]),
                "address_state": address_state,
                "address_zip": self.zip_code(address_state),
            }
        methods: list[tuple[str | None, int]] = [("email", 50)] if email else []
        methods += [("phone", 30)] if phone else []
        methods += [("mail", 10)] if address else []
        methods += [("none", 3), (None, 7)]
        filer.update(
            name=f"{first} {last}",
            organization=organization,
            email=email,
            phone=phone,
            contact_method=weighted_sample(rng, methods, 1)[0],
            **address,
        )
        return filer

    def affected(self, v: dict, in_custody, facility_name, city, state) -> dict:
        """The affected person's row; ``v`` holds who they are (see ComplaintMaker.values)."""
        rng = self.rng
        facility = {}
        if in_custody == "yes" and rng.random() < 0.85:
            facility = {
                "facility_name": facility_name,
                "facility_city": city,
                "facility_state": state,
            }
        dob = None
        if rng.random() < 0.55:
            dob = self.today - timedelta(days=rng.randint(17 * 365, 72 * 365))
        a_number = None
        if v["country"] != "US" and rng.random() < 0.45:  # ~40% of all affected people
            a_number = f"A{rng.randint(0, 999_999_999):09d}"
        interpreter = None
        if rng.random() < 0.8:
            interpreter = v["spoken_en"] != "English" and rng.random() < 0.75
        language = v["spoken_en"] if v["lang"] == "en" else v["spoken_es"].capitalize()
        return {
            "role": "affected",
            "name": None if v["for_self"] else f"{v['aff_first']} {v['aff_last']}",
            "date_of_birth": dob,
            "a_number": a_number,
            "country_of_birth": v["country"],
            "preferred_language": language if rng.random() < 0.6 else None,
            "interpreter_needed": interpreter,
            "in_custody": in_custody,
            "consent_attested": None if v["for_self"] else rng.random() < 0.95,
            **facility,
        }

    def case_number(self, body: str) -> str | None:
        rng = self.rng
        if rng.random() < 0.25:
            return None
        year = rng.randint(self.today.year - 5, self.today.year)
        if body == "inspector_general":
            return f"OIG-{year % 100:02d}-{rng.randint(1, 99999):05d}"
        if body == "court":
            return f"{rng.randint(1, 7)}:{year % 100:02d}-cv-{rng.randint(1, 9999):05d}"
        return f"IA-{year}-{rng.randint(1, 9999):04d}"
