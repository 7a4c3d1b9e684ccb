"""The audit chain: written with the filing, verifiable, and broken edits are named."""

import pytest
from sqlalchemy import select, update

from intake.audit.models import AuditEvent
from intake.audit.services import record_event, verify_chain
from intake.extensions import db
from tests.filing import file_complaint


@pytest.fixture
def app_config():
    # Concurrent filings queue for the write lock; give them production's patience, not the
    # short timeout the failure tests use.
    return {"DB_LOCK_TIMEOUT_MS": 5000}


def test_chain_verifies_after_filings_and_names_an_edited_row(app, runner):
    for _ in range(3):
        file_complaint(app.test_client())
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "3 events" in result.output
    with app.app_context():
        second = db.session.execute(select(AuditEvent).where(AuditEvent.seq == 2)).scalar_one()
        db.session.execute(
            update(AuditEvent).where(AuditEvent.id == second.id).values(action="complaint.viewed")
        )
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "seq=2" in result.output and "content does not match" in result.output


def test_a_deleted_event_is_found(app):
    with app.app_context():
        for i in range(3):
            record_event("test.event", actor_type="system", object_id=i)
        db.session.commit()
        db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.seq == 2))
        db.session.commit()
        report = verify_chain()
    assert (report.ok, report.broken_seq, report.reason) == (False, 2, "missing event")


def test_events_refuse_free_text_details(app):
    with app.app_context():
        for bad in ({"name": "Rosa María Pérez"}, {"note": "x" * 100}, {"obj": {"a": 1}}):
            try:
                record_event("test.event", actor_type="system", details=bad)
            except (ValueError, TypeError):
                continue
            raise AssertionError(f"accepted {bad}")
        db.session.rollback()


def test_first_events_written_at_once_all_land_in_one_chain(app):
    """Simultaneous first filings on an empty chain: none refused, the chain still verifies."""
    import threading

    from tests.filing import file_complaint

    errors = []

    def file_one():
        try:
            file_complaint(app.test_client())
        except AssertionError as error:
            errors.append(error)

    threads = [threading.Thread(target=file_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        report = verify_chain()
    assert report.ok and report.checked == 4
