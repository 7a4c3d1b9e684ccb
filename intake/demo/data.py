"""The demo's story text and word lists, read once from the files in ``data/``.

- ``stories_en.txt``, ``stories_es.txt``: narrative templates and free-text pools;
- ``office.txt``: what staff write (recommendations, agency answers, requests to complainants);
- ``names.json``: common names by origin; Faker's es_MX and en_US lists widen two of them;
- ``origins.json``: origins by filing language, countries of birth, languages spoken;
- ``scenarios.json``: kinds of incident and the codes (place, agency, allegation) that go with
  each, by weight;
- ``places.json``: where incidents happen (the counties most complaints come from), phone area
  codes and ZIP prefixes;
- ``pools.json``: organizations, facilities, streets, roads, jobs and other small pools.

A ``.txt`` file is sections: a ``[name]`` line starts one, and its paragraphs (separated by
blank lines, wrapped lines joined with spaces) are its alternatives. Scenario stories use
``<name>.open``, the numbered stages ``<name>.1``, ``<name>.2``, ... (one alternative each, in
order), then ``<name>.end``. Narratives are in the affected person's voice; someone filing for
them says so in an ``intro.<relationship>`` paragraph first. ``{placeholders}`` are filled per
complaint.
"""

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from faker.providers.person.en_US import Provider as EnglishNames
from faker.providers.person.es_MX import Provider as MexicanNames

from intake.complaints.status import STATUSES
from intake.reference.categories import (
    AGENCIES,
    AGENCY_RESPONSES,
    ALLEGATIONS,
    CHANNELS,
    CONTACT_METHODS,
    CUSTODY_ANSWERS,
    FILER_RELATIONSHIPS,
    LANGUAGES,
    PLACE_KINDS,
    PRIOR_COMPLAINT_BODIES,
    PROGRAM_CONTEXTS,
)

DATA_DIR = Path(__file__).parent / "data"
STREET_SUFFIXES = ("St", "Ave", "Dr", "Rd", "Blvd", "Ln", "Way", "Ct")
FAKER_ANGLO_FIRST = 120  # most common en_US first names of each sex added to the anglo list
FAKER_ANGLO_SURNAMES = 300
FAKER_STREETS = 60
COMMON_REPEAT = 6


@dataclass(frozen=True)
class Scenario:
    name: str
    weight: int
    place_kinds: tuple[tuple[str, int], ...]
    place_other: tuple[str, ...]
    agencies: tuple[tuple[str, int], ...]
    contexts: tuple[tuple[str, int], ...]
    allegations: tuple[tuple[str, int], ...]
    custody: tuple[tuple[str | None, int], ...]  # answer (None: not answered), weight
    border: bool = False  # happens at the border (or an international airport)


@dataclass(frozen=True)
class Corpus:
    texts: dict[str, dict[str, tuple[str, ...]]]  # language -> section -> alternatives
    office: dict[str, tuple[str, ...]]
    names: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]  # m, f, surnames
    origins: dict
    scenarios: tuple[Scenario, ...]
    extra_allegations: tuple[tuple[str, int], ...]
    places: dict
    pools: dict


def parse_sections(text: str) -> dict[str, tuple[str, ...]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.strip().splitlines()]
        if lines and lines[0].startswith("[") and lines[0].endswith("]"):
            current = sections.setdefault(lines[0][1:-1], [])
            lines = lines[1:]
        if lines:
            if current is None:
                raise ValueError("template text must start with a [section]")
            current.append(" ".join(lines))
    return {name: tuple(items) for name, items in sections.items()}


def _read_json(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _read_sections(name: str) -> dict[str, tuple[str, ...]]:
    return parse_sections((DATA_DIR / name).read_text(encoding="utf-8"))


def _most_common(weighted: dict, n: int) -> list[str]:
    return [name for name, _ in sorted(weighted.items(), key=lambda kv: -kv[1])[:n]]


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _names() -> dict:
    listed = _read_json("names.json")
    names = {g: (v["male"], v["female"], v["surnames"]) for g, v in listed.items()}
    male, female, surnames = names["hispanic"]
    # Drawn uniformly: the hand-picked common names, repeated, stay the most frequent.
    names["hispanic"] = (
        male * COMMON_REPEAT + list(MexicanNames.first_names_male),
        female * COMMON_REPEAT + list(MexicanNames.first_names_female),
        surnames * COMMON_REPEAT + list(MexicanNames.last_names),
    )
    male, female, surnames = names["anglo"]
    names["anglo"] = (
        male + _most_common(EnglishNames.first_names_male, FAKER_ANGLO_FIRST),
        female + _most_common(EnglishNames.first_names_female, FAKER_ANGLO_FIRST),
        surnames + _most_common(EnglishNames.last_names, FAKER_ANGLO_SURNAMES),
    )
    return {g: tuple(tuple(part) for part in parts) for g, parts in names.items()}


def _scenarios(listed: list[dict]) -> tuple[Scenario, ...]:
    return tuple(
        Scenario(
            name=s["name"],
            weight=s["weight"],
            place_kinds=tuple(s["place_kinds"].items()),
            place_other=tuple(s["place_other"]),
            agencies=tuple(s["agencies"].items()),
            contexts=tuple(s["contexts"].items()),
            allegations=tuple(s["allegations"].items()),
            custody=tuple(
                (None if answer == "not_answered" else answer, weight)
                for answer, weight in s["custody"].items()
            ),
            border=s["border"],
        )
        for s in listed
    )


@functools.cache
def corpus() -> Corpus:
    """Everything in ``data/``, read on first use and kept."""
    pools = _read_json("pools.json")
    surnames = _most_common(EnglishNames.last_names, FAKER_STREETS)
    pools["streets"] = _unique(
        pools["streets"]
        + [f"{name} {STREET_SUFFIXES[i % len(STREET_SUFFIXES)]}" for i, name in enumerate(surnames)]
    )
    scenarios = _read_json("scenarios.json")
    return Corpus(
        texts={"en": _read_sections("stories_en.txt"), "es": _read_sections("stories_es.txt")},
        office=_read_sections("office.txt"),
        names=_names(),
        origins=_read_json("origins.json"),
        scenarios=_scenarios(scenarios["scenarios"]),
        extra_allegations=tuple(scenarios["extra_allegations"].items()),
        places=_read_json("places.json"),
        pools=pools,
    )


def check_vocabularies(status_weights, channel_weights, relationship_weights, prior_weights):
    """Fail loudly if a vocabulary changed under the codes the data files and tables use."""
    data = corpus()
    problems = []

    def need(codes, vocabulary, what):
        unknown = set(codes) - set(vocabulary)
        if unknown:
            problems.append(f"{what}: {sorted(unknown)}")

    for scenario in data.scenarios:
        need([c for c, _ in scenario.place_kinds], PLACE_KINDS, "place kinds")
        need([c for c, _ in scenario.agencies], AGENCIES, "agencies")
        need([c for c, _ in scenario.contexts], PROGRAM_CONTEXTS, "program contexts")
        need([c for c, _ in scenario.allegations], ALLEGATIONS, "allegations")
        need([c for c, _ in scenario.custody if c], CUSTODY_ANSWERS, "custody answers")
    need([c for c, _ in data.extra_allegations], ALLEGATIONS, "allegations")
    for _, weights in status_weights:
        need(weights, STATUSES, "statuses")
    need(channel_weights, CHANNELS, "channels")
    need(relationship_weights, FILER_RELATIONSHIPS, "filer relationships")
    need(prior_weights, PRIOR_COMPLAINT_BODIES, "prior complaint bodies")
    need(("email", "phone", "mail", "none"), CONTACT_METHODS, "contact methods")
    need(data.texts, LANGUAGES, "languages")
    responses = [s.split(".", 1)[1] for s in data.office if s.startswith("response.")]
    need(responses, AGENCY_RESPONSES, "agency responses")
    if problems:
        raise RuntimeError("demo generator out of date with vocabularies: " + "; ".join(problems))
