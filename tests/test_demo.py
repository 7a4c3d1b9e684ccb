"""Generated demo complaints: valid rows in both languages, audited like real filings, worked
by a demo office, spread so that the open-data file shows counties."""

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from intake.accounts.models import UserRole
from intake.audit.models import AuditEvent
from intake.audit.services import append_events, record_event, verify_chain
from intake.complaints import description
from intake.complaints.models import Allegation, Complaint, Person
from intake.demo.generator import RARE_TERMS, generate_complaints
from intake.extensions import db
from intake.oversight.months import MonthRange
from intake.oversight.open_data import county_cells
from intake.review.models import Message, Recommendation

K = 11  # the open-data suppression threshold (OVERSIGHT_SUPPRESSION_K's default)


def test_generate_adds_valid_audited_complaints_in_both_languages(app, runner):
    result = runner.invoke(args=["demo", "generate", "--count", "120", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "generated 120 complaints" in result.output
    with app.app_context():
        languages = dict(
            db.session.execute(
                select(Complaint.language, func.count()).group_by(Complaint.language)
            ).all()
        )
        assert set(languages) == {"en", "es"} and sum(languages.values()) == 120
        filers = db.session.execute(
            select(func.count()).select_from(Person).where(Person.role == "filer")
        ).scalar_one()
        assert filers == 120
        # No staff: nobody worked the cases, so each has only its filing event.
        report = verify_chain()
        assert report.ok and report.checked == 120


def test_seed_if_empty_only_fills_an_empty_database(app, runner):
    assert "added 30" in runner.invoke(args=["demo", "seed-if-empty", "--count", "30"]).output
    again = runner.invoke(args=["demo", "seed-if-empty", "--count", "30"])
    assert "already there" in again.output
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Complaint)).scalar_one() == 30


def _count(stmt) -> int:
    return db.session.execute(stmt).scalar_one()


@pytest.fixture
def demo_office(app, runner):
    """make run's demo: 200 complaints worked by a demo office."""
    result = runner.invoke(args=["demo", "seed-if-empty", "--count", "200", "--seed", "11"])
    assert result.exit_code == 0, result.output
    assert "demo staff accounts" in result.output
    return app


def test_the_demo_office_works_its_cases(demo_office):
    with demo_office.app_context():
        assert verify_chain().ok
        roles = set(db.session.execute(select(UserRole.role)).scalars())
        assert {"supervisor", "intake_specialist", "investigator"} <= roles
        open_assigned = _count(
            select(func.count())
            .select_from(Complaint)
            .where(Complaint.status != "closed", Complaint.assignee_id.is_not(None))
        )
        assert open_assigned >= 60
        # Nothing waiting for a claim is assigned; everything past it is.
        assert not _count(
            select(func.count())
            .select_from(Complaint)
            .where(Complaint.status == "received", Complaint.assignee_id.is_not(None))
        )
        assert not _count(
            select(func.count())
            .select_from(Complaint)
            .where(Complaint.status != "received", Complaint.assignee_id.is_(None))
        )
        closed_with_findings = _count(
            select(func.count(func.distinct(Complaint.id)))
            .join(Allegation, Allegation.complaint_id == Complaint.id)
            .where(Complaint.status == "closed", Allegation.finding.is_not(None))
        )
        assert closed_with_findings >= 5
        answered = _count(
            select(func.count())
            .select_from(Recommendation)
            .where(Recommendation.agency_response.is_not(None))
        )
        assert answered >= 3
        assert _count(select(func.count()).select_from(Message)) >= 3


def test_the_history_matches_each_status(demo_office):
    with demo_office.app_context():
        complaints = {c.id: c for c in db.session.execute(select(Complaint)).scalars()}
        last_move: dict[int, AuditEvent] = {}
        for event in db.session.execute(
            select(AuditEvent).where(AuditEvent.object_type == "complaint").order_by(AuditEvent.seq)
        ).scalars():
            details = event.details or {}
            if "to" in details and details["to"] != details["from"]:
                last_move[event.object_id] = event
        for complaint in complaints.values():
            event = last_move.get(complaint.id)
            if complaint.status == "received":
                assert event is None
                continue
            assert event is not None and event.details["to"] == complaint.status
            assert event.occurred_at == complaint.status_changed_at
            if complaint.status == "closed":
                assert event.details.get("closure_reason") == complaint.closure_reason


def test_several_counties_reach_k_in_the_200_demo(demo_office):
    with demo_office.app_context():
        shown = county_cells(MonthRange(), K).shown
        print("counties shown:", len(shown), sorted(shown.values()))
        assert len(shown) >= 4, shown


def test_rare_terms_keep_their_shares(app):
    n = 4000
    with app.app_context():
        assert generate_complaints(n, seed=3, batch_size=1000) == n
        narratives = [
            text.lower().replace("ñ", "n")
            for text in db.session.execute(select(Complaint.narrative)).scalars()
        ]
        assert verify_chain().ok
    for term, share in RARE_TERMS.items():
        found = sum(term in text for text in narratives)
        expected = share * n
        # Within about three standard deviations of a binomial count.
        assert abs(found - expected) <= 3 * (expected**0.5) + 2, (term, found, expected)


def test_append_events_links_like_record_event(app):
    with app.app_context():
        record_event("test.first", actor_type="system")
        added = append_events(
            [{"action": "test.bulk", "actor_type": "system", "details": {"n": n}} for n in range(5)]
        )
        record_event("test.after", actor_type="system")
        db.session.commit()
        assert added == 5
        report = verify_chain()
        assert report.ok and report.checked == 7
        with pytest.raises(ValueError):
            append_events([{"action": "x", "actor_type": "system", "details": {"t": "a b"}}])


def test_the_demo_fills_every_field_of_the_description(demo_office):
    """Each field the description shows is given by some demo complaint, so the demo (and the
    benchmarks on it) exercises every row of every page that renders a complaint."""
    app = demo_office
    with app.test_request_context(), force_locale("en"):
        complaints = db.session.execute(select(Complaint)).scalars().all()
        shown: set[str] = set()
        for complaint in complaints:
            for described in description.FIELDS:
                if described.key not in shown and described.read(complaint):
                    shown.add(described.key)
    # Allegation kinds are many; the demo need not use every one.
    expected = {f.key for f in description.FIELDS if f.section != "allegations"}
    assert expected - shown == set()
    assert any(key.startswith("allegation_") for key in shown)
