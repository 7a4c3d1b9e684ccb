"""One generated complaint as a plain dict keyed by column: ``ComplaintMaker.values()``.

The dict holds the ``complaints`` row's columns (``status``, ``narrative``, ...; no id or
tracking number yet) and, under the Complaint relationships' names, its child rows:
``people`` (filer, affected), ``allegations``, ``agencies`` and ``program_contexts`` (codes),
``prior_complaints``. Nothing here touches the database; the office (office.py) then works the
case to its status, and bulk.py writes it.
"""

import random
from datetime import date, datetime, timedelta

from .data import Corpus
from .narrative import Storyteller
from .people import People, Reference
from .rand import Choice, weighted_sample

HISTORY_DAYS = 3 * 365

STATUS_WEIGHTS_BY_AGE = (  # (max age in days, weights)
    (30, {"received": 70, "triage": 25, "awaiting_information": 5}),
    (
        180,
        {
            "received": 18,
            "triage": 30,
            "awaiting_information": 8,
            "oig_review": 6,
            "component_referral": 9,
            "investigation": 25,
            "closed": 4,
        },
    ),
    (
        HISTORY_DAYS + 400,
        {
            "received": 12,
            "triage": 12,
            "awaiting_information": 4,
            "oig_review": 4,
            "component_referral": 7,
            "investigation": 22,
            "findings_review": 5,
            "recommendations_issued": 6,
            "closed": 28,
        },
    ),
)
CHANNEL_WEIGHTS = {"web": 82, "email": 7, "mail": 5, "phone": 4, "fax": 2}
RELATIONSHIP_WEIGHTS = {"self": 55, "relative": 25, "attorney": 9, "organization": 7, "other": 4}
ANONYMOUS_BY_RELATIONSHIP = {
    "self": 0.17,
    "relative": 0.16,
    "attorney": 0.05,
    "organization": 0.08,
    "other": 0.16,
}
PRIOR_BODY_WEIGHTS = {"inspector_general": 5, "court": 3, "other_agency": 4}


class ComplaintMaker(People, Storyteller):
    """Makes one complaint at a time (``values()``), from a seeded random source."""

    def __init__(self, rng: random.Random, data: Corpus, ref: Reference, now: datetime):
        self.rng, self.data, self.ref = rng, data, ref
        self.now, self.today = now, now.date()
        self.scenarios = Choice((s, s.weight) for s in data.scenarios)
        self.language = Choice({"en": 60, "es": 40})
        self.channel = Choice(CHANNEL_WEIGHTS)
        self.relationship = Choice(RELATIONSHIP_WEIGHTS)
        self.status_by_age = [(days, Choice(w)) for days, w in STATUS_WEIGHTS_BY_AGE]
        self.place_kinds = {s.name: Choice(s.place_kinds) for s in data.scenarios}
        self.agencies = {s.name: Choice(s.agencies) for s in data.scenarios}
        self.custody = {s.name: Choice(s.custody) for s in data.scenarios}
        self.allegation_count = Choice({1: 50, 2: 35, 3: 15})
        self.context_count = Choice({0: 30, 1: 50, 2: 20})
        self.setup_people()
        self.setup_stories()

    def _dates(self) -> tuple[datetime, date, str, int]:
        """Filed over the past three years (more recently, more); the incident a little before."""
        rng = self.rng
        age_seconds = int(HISTORY_DAYS * 86400 * (1 - rng.random() ** 0.5))
        submitted_at = self.now - timedelta(seconds=age_seconds)
        submitted_day = submitted_at.date()
        lag = min(int(rng.expovariate(1 / 25)), 400)
        incident_day = submitted_day - timedelta(days=lag)
        earliest = self.today - timedelta(days=HISTORY_DAYS)
        if incident_day < earliest:
            span = max((submitted_day - earliest).days, 0)
            incident_day = earliest + timedelta(days=rng.randint(0, span))
        precision = "day" if rng.random() < 0.8 else "month"
        if precision == "month":
            incident_day = incident_day.replace(day=1)
        return submitted_at, incident_day, precision, age_seconds

    def _who(self, lang: str, relationship: str) -> dict:
        """The affected person, and the filer (the same person when filing for oneself)."""
        rng = self.rng
        group = self.groups[lang].pick(rng)
        female = rng.random() < 0.42
        aff_first, aff_last = self.name(group, female)
        country = self.countries[group].pick(rng) if rng.random() < 0.7 else None
        spoken_en, spoken_es = self.spoken[group].pick(rng)
        if lang == "es" and group == "hispanic" and rng.random() < 0.9:
            spoken_en, spoken_es = "Spanish", "español"
        if relationship == "self":
            filer_first, filer_last = aff_first, aff_last
        else:
            filer_female = rng.random() < 0.55
            filer_group = group if rng.random() < 0.8 else self.groups[lang].pick(rng)
            filer_first, filer_last = self.name(filer_group, filer_female)
        organization = None
        if relationship == "attorney":
            firm = rng.choice(self.data.pools["law_firms"])
            organization = firm.format(surname=filer_last.split(" ")[0])
        elif relationship == "organization":
            organization = rng.choice(self.data.pools["organizations"])
        return {
            "lang": lang,
            "group": group,
            "female": female,
            "aff_first": aff_first,
            "aff_last": aff_last,
            "country": country,
            "spoken_en": spoken_en,
            "spoken_es": spoken_es,
            "for_self": relationship == "self",
            "filer_first": filer_first,
            "filer_last": filer_last,
            "organization": organization,
        }

    def _what(self, scenario) -> tuple[str, str | None, list[str], list[str], list[str]]:
        """Place kind (and its words when "other"), agencies, program contexts, allegations."""
        rng = self.rng
        place_kind = self.place_kinds[scenario.name].pick(rng)
        place_other = rng.choice(scenario.place_other) if place_kind == "other" else None
        agencies = [self.agencies[scenario.name].pick(rng)]
        if rng.random() < 0.3:
            second = weighted_sample(rng, scenario.agencies, 1, exclude=agencies + ["not_sure"])
            if second and agencies[0] != "not_sure":
                agencies += second
        contexts = weighted_sample(rng, scenario.contexts, self.context_count.pick(rng))
        if "not_sure" in contexts and len(contexts) > 1:
            contexts = ["not_sure"]
        n_allegations = self.allegation_count.pick(rng)
        allegations = weighted_sample(rng, scenario.allegations, 1)
        if n_allegations > 1:
            pool = scenario.allegations + self.data.extra_allegations
            allegations += weighted_sample(rng, pool, n_allegations - 1, exclude=allegations)
        return place_kind, place_other, agencies, contexts, allegations

    def values(self) -> dict:
        """One complaint: its columns, and its child rows under the relationships' names."""
        rng, pools = self.rng, self.data.pools
        lang = self.language.pick(rng)
        scenario = self.scenarios.pick(rng)
        relationship = self.relationship.pick(rng)
        anonymous = rng.random() < ANONYMOUS_BY_RELATIONSHIP[relationship]
        submitted_at, incident_day, precision, age_seconds = self._dates()
        state, county_fips, county_name, city = self.location(scenario.border)
        status = next(c for days, c in self.status_by_age if age_seconds // 86400 <= days)
        status = status.pick(rng)
        v = self._who(lang, relationship)
        place_kind, place_other, agencies, contexts, allegations = self._what(scenario)

        # The jail's proper name reads the same in both languages ("al Harris County Jail").
        if county_name:
            jail = f"{county_name} Jail"
        else:
            jail = "county jail" if lang == "en" else "centro de detención del condado"
        detention = rng.choice(pools["detention_centers"])
        local_agency = None
        if "local_police" in agencies and rng.random() < 0.85:
            if county_name and (rng.random() < 0.6 or not city):
                local_agency = f"{county_name} Sheriff's Office"
            elif city:
                local_agency = f"{city} Police Department"
        other_agency = rng.choice(pools["other_dhs_names"]) if "other_dhs" in agencies else None
        program_other = rng.choice(pools["program_other"]) if "other" in contexts else None

        v.update(
            incident_day=incident_day,
            precision=precision,
            city=city,
            county_name=county_name,
            state=state,
            jail=jail,
            detention=detention,
        )
        words = self.story_values(v)
        narrative = self.narrative(lang, scenario, relationship, words)
        texts = self.data.texts[lang]
        complaint = {
            "status": status,
            "channel": self.channel.pick(rng),
            "language": lang,
            "filer_relationship": relationship,
            "anonymous": anonymous,
            "incident_date": incident_day,
            "incident_date_precision": precision,
            "incident_state": state,
            "incident_county_fips": county_fips,
            "incident_city": city,
            "place_kind": place_kind,
            "place_other": place_other,
            "local_agency_name": local_agency,
            "other_agency_name": other_agency,
            "program_other": program_other,
            "officers": self.free_text(lang, "officers", words, 0.4),
            "witnesses": self.free_text(lang, "witnesses", words, 0.3),
            "narrative": narrative,
            "desired_outcome": rng.choice(texts["outcome"]) if rng.random() < 0.6 else None,
            "privacy_consent": rng.random() < 0.75,
            "accommodation_disability": self.free_text(
                lang, "accommodation_disability", words, 0.03
            ),
            "accommodation_language": self.free_text(
                lang, "accommodation_language", words, 0.12 if lang == "es" else 0.03
            ),
            "submitted_at": submitted_at,
            "created_at": submitted_at,
            "updated_at": submitted_at,
            "status_changed_at": submitted_at,
            "version": 1,
            "closure_reason": None,
            "referral_agency": None,
            "submission_key": None,
            "assignee_id": None,
            "created_by_id": None,
            "updated_by_id": None,
        }

        filer = self.filer(
            anonymous, v["filer_first"], v["filer_last"], v["organization"], state, city, lang
        )
        in_custody = self.custody[scenario.name].pick(rng)
        if place_kind in ("detention", "port_of_entry"):
            facility_name = detention
        else:
            facility_name = jail if county_name else detention
        affected = self.affected(v, in_custody, facility_name, city, state)

        allegation_rows = []
        for category in allegations:
            options = texts.get(f"detail.{category}")
            details = None
            if options and rng.random() < 0.4:
                details = rng.choice(options).format_map(words)
            allegation_rows.append({"category": category, "details": details})

        priors = []
        if rng.random() < 0.08:
            count = 1 if rng.random() < 0.85 else 2
            for body in weighted_sample(rng, PRIOR_BODY_WEIGHTS.items(), count):
                priors.append({"body": body, "case_number": self.case_number(body)})

        complaint.update(
            people=[filer, affected],
            allegations=allegation_rows,
            agencies=agencies,
            program_contexts=contexts,
            prior_complaints=priors,
        )
        return complaint
