"""Roles and what each may do. Views ask for a permission, never for a role by name."""

from flask_babel import lazy_gettext as _l

ROLES = {
    "intake_specialist": _l("Intake specialist"),
    "investigator": _l("Investigator"),
    "supervisor": _l("Supervisor"),
    "analyst": _l("Oversight analyst"),
    "administrator": _l("Administrator"),
}

CASE_ROLES = {"intake_specialist", "investigator", "supervisor"}

PERMISSIONS: dict[str, set[str]] = {
    # Lists of complaints, and case pages (investigators: only the cases assigned to them).
    "queue.view": CASE_ROLES,
    "case.view": CASE_ROLES,
    "case.note": CASE_ROLES,
    "case.enter": {"intake_specialist", "supervisor"},
    "case.assign": {"supervisor"},
    "case.findings": {"investigator", "supervisor"},
    "case.recommendations": {"investigator", "supervisor"},
    "case.agency_response": {"supervisor"},
    "case.mark_duplicate": {"intake_specialist", "supervisor"},
    "audit.read": {"supervisor", "administrator"},
    "accounts.manage": {"administrator"},
    # The wording of letters to complainants.
    "letter_templates.manage": {"administrator"},
    # Aggregate statistics only: dashboard, program oversight, periodic report, open data.
    # None of it names a person, so analysts hold it without any case permission.
    "oversight.view": {"analyst", "supervisor", "administrator"},
    # The program-oversight jurisdiction registry (reference data).
    "jurisdictions.manage": {"administrator"},
}


def roles_with(permission: str) -> set[str]:
    return PERMISSIONS[permission]
