"""The complaint's review statuses and what the complainant is shown for each.

The review workflow (who may move a case from one status to another) lives with the staff
workspace; this module only names the statuses, because the public status page needs them.
"""

from flask_babel import lazy_gettext as _l

STATUSES = {
    "received": _l("Received"),
    "triage": _l("Under review"),
    "awaiting_information": _l("Information requested"),
    "oig_review": _l("Under review"),
    "component_referral": _l("Referred for investigation"),
    "investigation": _l("Under investigation"),
    "findings_review": _l("Under investigation"),
    "recommendations_issued": _l("Recommendations issued"),
    "closed": _l("Closed"),
}

PUBLIC_STATUS_EXPLANATIONS = {
    "received": _l("We have your complaint. Nobody has reviewed it yet."),
    "triage": _l("A member of our intake staff is reviewing your complaint."),
    "awaiting_information": _l("We asked you for more information. Please read our message below."),
    "oig_review": _l("Your complaint is being reviewed."),
    "component_referral": _l(
        "We asked the agency involved to look into the facts. We will review what it finds."
    ),
    "investigation": _l("Our office is investigating your complaint."),
    "findings_review": _l("Our office is investigating your complaint."),
    "recommendations_issued": _l(
        "We sent recommendations to the agency and are waiting for its answer."
    ),
    "closed": _l("We have finished our work on this complaint."),
}


def public_status(status: str) -> str:
    return str(STATUSES[status])
