"""The program-oversight jurisdiction registry: adding, changing and removing jurisdictions,
each change an audit event naming the fields that changed (never their values).

Changing the registry needs jurisdictions.manage (administrators); the views check it.
"""

from sqlalchemy import func, select

from intake.accounts.access import current_user
from intake.audit.services import record_event
from intake.extensions import db
from intake.reference import lookups

from .models import Jurisdiction

# The registry's columns an administrator edits; audit events name the ones that changed.
EDITABLE = ("county_fips", "name", "program", "activation_date", "date_precision", "note", "source")


def state_name(code: str) -> str:
    return lookups.state_name(code) or code


def same_program_elsewhere(values: dict, jurisdiction_id: int | None) -> bool:
    """Another jurisdiction for this county and program (spelled in any case)?"""
    stmt = select(Jurisdiction.id).where(
        Jurisdiction.county_fips == values["county_fips"],
        func.lower(Jurisdiction.program) == values["program"].lower(),
    )
    if jurisdiction_id is not None:
        stmt = stmt.where(Jurisdiction.id != jurisdiction_id)
    return db.session.execute(stmt.limit(1)).first() is not None


def _audit(action: str, jurisdiction: Jurisdiction, fields: list[str] | None = None) -> None:
    details: dict[str, int | list[str]] = {"jurisdiction_id": jurisdiction.id}
    if fields is not None:
        details["fields"] = fields
    record_event(
        action,
        actor_type="staff",
        actor_id=current_user().id,
        object_type="jurisdiction",
        object_id=jurisdiction.id,
        details=details,
    )


def create_jurisdiction(values: dict) -> Jurisdiction:
    staff_id = current_user().id
    jurisdiction = Jurisdiction(**values, created_by_id=staff_id, updated_by_id=staff_id)
    db.session.add(jurisdiction)
    db.session.flush()
    _audit("jurisdiction.created", jurisdiction, [f for f in EDITABLE if values[f] is not None])
    return jurisdiction


def update_jurisdiction(jurisdiction: Jurisdiction, values: dict) -> list[str]:
    """Apply the changed values; returns the names of the fields that changed."""
    changed = [f for f in EDITABLE if getattr(jurisdiction, f) != values[f]]
    if changed:
        for field in changed:
            setattr(jurisdiction, field, values[field])
        jurisdiction.updated_by_id = current_user().id
        db.session.flush()
        _audit("jurisdiction.updated", jurisdiction, changed)
    return changed


def delete_jurisdiction(jurisdiction: Jurisdiction) -> None:
    _audit("jurisdiction.deleted", jurisdiction)
    db.session.delete(jurisdiction)
    db.session.flush()
