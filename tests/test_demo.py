"""Generated demo complaints: valid rows in both languages, audited like real filings."""

from sqlalchemy import func, select

from intake.audit.services import verify_chain
from intake.complaints.models import Complaint, Person
from intake.extensions import db


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
        report = verify_chain()
        assert report.ok and report.checked == 120


def test_seed_if_empty_only_fills_an_empty_database(app, runner):
    assert "added 30" in runner.invoke(args=["demo", "seed-if-empty", "--count", "30"]).output
    again = runner.invoke(args=["demo", "seed-if-empty", "--count", "30"])
    assert "already there" in again.output
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Complaint)).scalar_one() == 30
