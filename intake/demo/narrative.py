"""Narratives and the other free-text answers, assembled from the templates in ``data/``."""

import random
from collections.abc import Callable
from datetime import date

from intake.complaints.models import NARRATIVE_MAX_CHARS

from .data import Corpus, Scenario
from .people import Reference

RARE_TERMS = {"quinceanera": 0.01, "mariachi": 0.003, "zamboni": 0.0005}
NARRATIVE_MIN, NARRATIVE_MAX = 200, 1500
MAX_EXTRAS = 5  # generic sentences (fear, lost work, ...) added to a story, at most


def when_text(months: dict, lang: str, day: date, precision: str) -> tuple[str, str]:
    """("On March 3, 2025", "on March 3, 2025"), or the month alone; Spanish likewise."""
    month = months[lang][day.month - 1]
    if lang == "en" and precision == "day":
        text = f"on {month} {day.day}, {day.year}"
    elif lang == "en":
        text = f"in {month} {day.year}"
    elif precision == "day":
        text = f"el {day.day} de {month} de {day.year}"
    else:
        text = f"en {month} de {day.year}"
    return text[0].upper() + text[1:], text


def fill(template: str, values: dict) -> str:
    return template.format_map(values)


class Storyteller:
    """Mixin for the complaint maker: needs ``rng``, ``data``, ``ref`` and People's ``name``."""

    rng: random.Random
    data: Corpus
    ref: Reference
    name: Callable[[str, bool], tuple[str, str]]

    def setup_stories(self) -> None:
        self.stories = {}
        for lang, texts in self.data.texts.items():
            for scenario in self.data.scenarios:
                stages, n = [], 1
                while f"{scenario.name}.{n}" in texts:
                    stages.append(texts[f"{scenario.name}.{n}"])
                    n += 1
                self.stories[lang, scenario.name] = (
                    texts[f"{scenario.name}.open"],
                    stages,
                    texts[f"{scenario.name}.end"],
                )

    def story_values(self, v: dict) -> dict:
        """The placeholders' values, from who and where (``v``, see ComplaintMaker.values)."""
        rng, pools, lang, female = self.rng, self.data.pools, v["lang"], v["female"]
        origins = self.data.origins
        when_cap, when = when_text(pools["months"], lang, v["incident_day"], v["precision"])
        city, county_name, state = v["city"], v["county_name"], v["state"]
        if city:
            place_name = city
        elif county_name:
            place_name = county_name
        else:
            place_name = self.ref.state_names.get(state, "") if state else ""
        place = ("in " if lang == "en" else "en ") + place_name if place_name else ""
        # The language a story asks an interpreter for is never English.
        spoken = (v["spoken_en"], v["spoken_es"])
        story_en, story_es = spoken if v["spoken_en"] != "English" else ("Spanish", "español")
        country = v["country"]
        if country in (None, "US"):
            country = origins["default_foreign_country"][v["group"]]
        relations = pools["affected_relations"][lang]["female" if female else "male"]
        officer_group = rng.choice(("anglo", "hispanic"))
        return {
            "When": when_cap,
            "when": when,
            "time": rng.choice(pools["times"][lang]).format(h=rng.randint(1, 11)),
            "place": place,
            "road": rng.choice(pools["roads"][lang]),
            "vehicle": rng.choice(pools["vehicles"][lang]),
            "job": rng.choice(pools["jobs"][lang]),
            "relative": rng.choice(pools["relatives"][lang]),
            "jail": v["jail"],
            "detention": v["detention"],
            "minutes": rng.choice((20, 30, 40, 45, 50, 60, 90)),
            "hours": rng.randint(2, 14),
            "days": rng.randint(2, 21),
            "years": rng.randint(3, 25),
            "kid_age": rng.randint(4, 17),
            "amount": f"${rng.randint(180, 650)}",
            "lang": story_en if lang == "en" else story_es,
            "country": origins["country_names"][country][0 if lang == "en" else 1],
            "o": "a" if female else "o",
            "officer": rng.choice(self.data.names[officer_group][2]),
            "badge": rng.randint(1000, 9999),
            "wname": " ".join(self.name("hispanic", rng.random() < 0.5)),
            "rel_aff": rng.choice(relations),
            "aff_first": v["aff_first"],
            "aff_name": f"{v['aff_first']} {v['aff_last']}",
            "org": v["organization"] or rng.choice(pools["organizations"]),
            "aff_he": "she" if female else "he",
            "aff_He": "She" if female else "He",
            "aff_him": "her" if female else "him",
            "aff_his": "her" if female else "his",
            "aff_His": "Her" if female else "His",
        }

    def narrative(self, lang: str, scenario: Scenario, relationship: str, values: dict) -> str:
        rng = self.rng
        texts = self.data.texts[lang]
        opening, stages, endings = self.stories[lang, scenario.name]

        head = []
        if relationship != "self":
            head.append(fill(rng.choice(texts[f"intro.{relationship}"]), values))
        head.append(fill(rng.choice(opening), values))
        rare = [
            fill(rng.choice(texts[f"rare.{term}"]), values)
            for term, share in RARE_TERMS.items()
            if rng.random() < share
        ]
        tail = [fill(rng.choice(endings), values)] if rng.random() < 0.7 else []
        if rng.random() < 0.8:
            tail.append(fill(rng.choice(texts["closing"]), values))

        target = int(rng.triangular(NARRATIVE_MIN, NARRATIVE_MAX, 550))
        used = sum(len(s) + 1 for s in head + rare + tail)
        body = []
        for stage, options in enumerate(stages):
            sentence = fill(rng.choice(options), values)
            if stage and used + len(sentence) + 1 > target:
                break  # the first stage always: a story needs more than its opening line
            body.append(sentence)
            used += len(sentence) + 1
        extras = []
        for template in rng.sample(texts["extra"], MAX_EXTRAS):
            if used >= target and used >= NARRATIVE_MIN:
                break
            sentence = fill(template, values)
            if used + len(sentence) + 1 > NARRATIVE_MAX:
                continue
            extras.append(sentence)
            used += len(sentence) + 1

        groups = [head, body + rare, extras, tail]
        if rng.random() < 0.35:
            text = "\n\n".join(" ".join(g) for g in groups if g)
        else:
            text = " ".join(s for g in groups for s in g)
        text = text.replace("  ", " ").replace(" ,", ",").replace(" .", ".")
        return text[:NARRATIVE_MAX_CHARS]

    def free_text(self, lang: str, section: str, values: dict, share: float) -> str | None:
        """One of the section's templates, filled, in ``share`` of complaints; else None."""
        if self.rng.random() >= share:
            return None
        return fill(self.rng.choice(self.data.texts[lang][section]), values)
