"""Writing generated complaints in bulk: one transaction per batch, COPY on PostgreSQL."""

import json
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import ARRAY, JSON, ColumnElement, Table, any_, insert, literal, select

from intake.audit.services import append_events
from intake.complaints import identifiers
from intake.complaints.models import (
    Allegation,
    Complaint,
    ComplaintAgency,
    ComplaintProgramContext,
    Person,
    PriorComplaint,
)
from intake.database import table_of
from intake.extensions import db
from intake.queue.search import document_for, index_new
from intake.review.models import Message, Recommendation

from .complaint import (
    CHANNEL_WEIGHTS,
    PRIOR_BODY_WEIGHTS,
    RELATIONSHIP_WEIGHTS,
    STATUS_WEIGHTS_BY_AGE,
    ComplaintMaker,
)
from .data import check_vocabularies, corpus
from .office import Office
from .people import load_reference
from .rand import FastRandom

# The keys of values() that are child rows, not complaint columns.
CHILD_KEYS = (
    "people",
    "allegations",
    "agencies",
    "program_contexts",
    "prior_complaints",
    "recommendations",
    "messages",
    "history",
)


def _defaults(model, *skip: str) -> dict:
    """Every column of the model's table, None: a bulk insert sees one shape for all rows."""
    return {c.key: None for c in model.__table__.columns if c.key not in ("id", *skip)}


PERSON_DEFAULTS = _defaults(Person, "complaint_id")
ALLEGATION_DEFAULTS = {
    "details": None,
    "finding": None,
    "finding_by_id": None,
    "finding_at": None,
}


def bulk_insert(table: Table, rows: list[dict]) -> None:
    """Insert rows (all with the same keys) in the session's transaction.

    A Core executemany everywhere, except on PostgreSQL through psycopg, where COPY is several
    times faster (a pipelined executemany costs the server one statement per row, and a
    multi-row VALUES statement costs the client a parse of every placeholder). Values must
    already be what the column stores (aware UTC datetimes, dicts for JSON): COPY bypasses
    SQLAlchemy's type processing.
    """
    connection = db.session.connection()
    if connection.dialect.name != "postgresql" or connection.dialect.driver != "psycopg":
        db.session.execute(insert(table), rows)
        return
    keys = list(rows[0])
    json_keys = {key for key in keys if isinstance(table.c[key].type, JSON)}
    columns = ", ".join(connection.dialect.identifier_preparer.quote(key) for key in keys)
    name = connection.dialect.identifier_preparer.format_table(table)
    driver_connection = connection.connection.driver_connection
    if driver_connection is None:  # only a closed or detached connection has none
        raise RuntimeError("the session's connection has no psycopg connection")
    cursor = driver_connection.cursor()
    try:
        with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
            if json_keys:
                for row in rows:
                    copy.write_row([json.dumps(row[k]) if k in json_keys else row[k] for k in keys])
            else:
                for row in rows:
                    copy.write_row([row[k] for k in keys])
    finally:
        cursor.close()


def _in(column, values) -> ColumnElement[bool]:
    # On PostgreSQL one array parameter instead of thousands of IN (...) placeholders.
    if db.session.connection().dialect.name == "postgresql":
        return column == any_(literal(list(values), ARRAY(column.type)))
    return column.in_(list(values))


def _unique_tracking_numbers(n: int) -> list[str]:
    """n fresh tracking numbers, none already in the database."""
    numbers: list[str] = []
    seen: set[str] = set()
    while len(numbers) < n:
        candidates: set[str] = set()
        while len(candidates) < n - len(numbers):
            candidate = identifiers.new_tracking_number()
            if candidate not in seen:
                candidates.add(candidate)
        taken = set(
            db.session.execute(
                select(Complaint.tracking_number).where(_in(Complaint.tracking_number, candidates))
            ).scalars()
        )
        seen |= candidates
        numbers.extend(sorted(candidates - taken))
    return numbers


def _ids_by_complaint(model, complaint_ids: list[int]) -> dict[int, list[int]]:
    """The ids of the model's rows for these complaints, in insertion (id) order."""
    ids: dict[int, list[int]] = {}
    if not complaint_ids:
        return ids
    for row_id, complaint_id in db.session.execute(
        select(model.id, model.complaint_id)
        .where(_in(model.complaint_id, complaint_ids))
        .order_by(model.id)
    ):
        ids.setdefault(complaint_id, []).append(row_id)
    return ids


def _get(row: dict, key: str):
    return row.get(key)


def _insert_children(items: list[dict]) -> None:
    people: list[dict] = []
    allegations: list[dict] = []
    agencies: list[dict] = []
    contexts: list[dict] = []
    priors: list[dict] = []
    recommendations: list[dict] = []
    messages: list[dict] = []
    for item in items:
        cid = item["id"]
        # Rows filed with a complaint carry its filing time (see complaints/models.py).
        filed = {"complaint_id": cid, "complaint_submitted_at": item["submitted_at"]}
        people.extend({**PERSON_DEFAULTS, **p, "complaint_id": cid} for p in item["people"])
        allegations.extend({**ALLEGATION_DEFAULTS, **a, **filed} for a in item["allegations"])
        agencies.extend({**filed, "agency": a} for a in item["agencies"])
        contexts.extend({"complaint_id": cid, "context": c} for c in item["program_contexts"])
        priors.extend({**p, "complaint_id": cid} for p in item["prior_complaints"])
        recommendations.extend({**r, "complaint_id": cid} for r in item["recommendations"])
        messages.extend({**m, "complaint_id": cid} for m in item["messages"])
    for model, rows in (
        (Person, people),
        (Allegation, allegations),
        (ComplaintAgency, agencies),
        (ComplaintProgramContext, contexts),
        (PriorComplaint, priors),
        (Recommendation, recommendations),
        (Message, messages),
    ):
        if rows:
            bulk_insert(table_of(model), rows)


def _events(items: list[dict]) -> list[dict]:
    """Each complaint's filing event (entered by staff when it came on paper or by phone),
    then its history, with the ids of the rows the history names."""
    allegation_ids = _ids_by_complaint(
        Allegation, [i["id"] for i in items if any(e.get("_allegations") for e in i["history"])]
    )
    recommendation_ids = _ids_by_complaint(
        Recommendation, [i["id"] for i in items if i["recommendations"]]
    )
    message_ids = _ids_by_complaint(Message, [i["id"] for i in items if i["messages"]])
    events = []
    for item in items:
        cid = item["id"]
        entered_by = item["created_by_id"]
        events.append(
            {
                "occurred_at": item["submitted_at"],
                "actor_type": "staff" if entered_by else "public",
                "actor_id": entered_by,
                "action": "complaint.entered" if entered_by else "complaint.submitted",
                "object_type": "complaint",
                "object_id": cid,
                "details": {
                    "channel": item["channel"],
                    "language": item["language"],
                    "allegations": len(item["allegations"]),
                    "attachments": 0,
                    "generated": True,
                },
            }
        )
        for event in item["history"]:
            details = event["details"]
            if event.pop("_allegations", False):
                details["allegation_ids"] = allegation_ids[cid]
            if "_recommendation" in event:
                details["recommendation_id"] = recommendation_ids[cid][event.pop("_recommendation")]
            if "_message" in event:
                details["message_id"] = message_ids[cid][event.pop("_message")]
            events.append({**event, "object_id": cid})
    return events


def insert_batch(maker: ComplaintMaker, office: Office, n: int) -> None:
    items = []
    for _ in range(n):
        item = maker.values()
        office.work(item)
        items.append(item)
    complaint_rows = []
    for item, tracking in zip(items, _unique_tracking_numbers(n), strict=True):
        row = {key: value for key, value in item.items() if key not in CHILD_KEYS}
        row["tracking_number"] = item["tracking_number"] = tracking
        row["access_code_hash"] = identifiers.access_code_hash(tracking, "DEMO-" + tracking)
        complaint_rows.append(row)
    bulk_insert(table_of(Complaint), complaint_rows)
    ids = dict(
        db.session.execute(
            select(Complaint.tracking_number, Complaint.id).where(
                _in(Complaint.tracking_number, [r["tracking_number"] for r in complaint_rows])
            )
        ).all()
    )
    for item in items:
        item["id"] = ids[item["tracking_number"]]
    _insert_children(items)
    index_new(
        db.session,
        [
            (item["id"], document_for(item, item["people"], item["allegations"], _get))
            for item in items
        ],
    )
    # The one writer of the chain: the audit service hashes, links and moves the head.
    append_events(_events(items), insert_rows=bulk_insert)


def generate_complaints(
    count: int,
    seed: int | None = None,
    batch_size: int = 2000,
    *,
    progress: Callable[[int], None] | None = None,
    assign: bool = False,
) -> int:
    """Insert ``count`` generated complaints, committing per batch; return how many.

    Commits the session, including anything the caller left pending in it. The same seed on
    the same day gives the same complaints (dates are relative to today; tracking numbers are
    always random). ``progress`` is called with the running total after each batch. ``assign``
    has the staff already there work the cases (see office.py); without it cases past
    "received" keep only their status.
    """
    if count <= 0:
        return 0
    data = corpus()
    check_vocabularies(
        STATUS_WEIGHTS_BY_AGE, CHANNEL_WEIGHTS, RELATIONSHIP_WEIGHTS, PRIOR_BODY_WEIGHTS
    )
    batch_size = max(1, batch_size)
    try:
        rng = FastRandom(seed)
        now = datetime.now(UTC)
        ref = load_reference(data, with_staff=assign)
        maker = ComplaintMaker(rng, data, ref, now)
        office = Office(rng, data, ref.staff, now)
        inserted = 0
        while inserted < count:
            n = min(batch_size, count - inserted)
            insert_batch(maker, office, n)
            db.session.commit()
            inserted += n
            if progress is not None:
                progress(inserted)
    except BaseException:
        db.session.rollback()
        raise
    return inserted
