"""Realistic generated complaints for demos and benchmarks, inserted in bulk.

Every person is invented: names are drawn from common-name lists (widened with Faker's es_MX
and en_US ones), email addresses use the example.org / example.com domains and phone numbers
the fictional 555-01xx range. A demo complaint's access code is not usable (its hash is of a
code nobody holds). The story text and word lists are files in ``data/`` (see data.py).

The modules: data.py reads the files; complaint.py makes one complaint's values as a plain
dict keyed by column (people.py and narrative.py fill in who, where and the story);
office.py has staff work the case to its status; bulk.py writes batches: Core executemany
inserts, or COPY on PostgreSQL (several times faster there), one transaction per batch. Audit
events go through the audit service's ``append_events``, the chain's one writer: each
complaint's ``complaint.submitted`` event, then its workflow history. Events carry the time the
step happened (the filing time, then the steps'), so across cases the chain's order is not
time order.

Distributions (approximate): 60% English / 40% Spanish; ~15% anonymous filers; 1-3
allegations (racial profiling the most common) and 1-2 agencies per complaint; incident dates
over the past three years, 80% to the day and the rest to the month; narratives of 200-1,500
characters. Incidents: ~78% in a dozen "hot" counties (Harris, Los Angeles, Maricopa, Hidalgo,
Cook, ... by weight; see data/places.json), so that even the 200-complaint demo shows several
counties in the open-data file (k=11). For full-text search benchmarks, rare terms appear in a
known share of narratives (independently of each other):

- "quinceañera": ~1% of complaints
- "mariachi": ~0.3%
- "zamboni": ~0.05%

while words such as "officer", "interpreter" / "intérprete" or "ICE" are common.

With ``assign=True`` (``flask demo generate --assign``; ``flask demo seed-if-empty`` makes a
handful of demo staff first if there are none), the active staff already in the database work
the cases past "received": intake specialists and supervisors claim and triage them,
supervisors refer or retain them and assign investigators, investigators record findings and
recommendations, supervisors approve and close. Closed cases end in one of the closure reasons
(about half after findings; those closed as resolved have recommendations the agency answered).
Otherwise, or without staff accounts, every case stays unassigned with no history.
"""

from .bulk import generate_complaints
from .narrative import RARE_TERMS

__all__ = ["RARE_TERMS", "generate_complaints"]
