"""Filing a complaint from a complete draft. Flushes only: the view commits once."""

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select, update

from intake import keys
from intake.attachments.models import Attachment
from intake.attachments.services import CheckedFile, new_attachment
from intake.audit.services import record_event
from intake.database import rows_matched, utcnow
from intake.extensions import db
from intake.signals import complaint_filed

from . import identifiers
from .drafts import DraftCheck
from .fields import normalize_a_number, normalize_phone
from .models import (
    Allegation,
    Complaint,
    ComplaintAgency,
    ComplaintProgramContext,
    Draft,
    Person,
    PriorComplaint,
)

# After filing, the confirmation can be shown again (browser retry) for this long.
CONFIRMATION_WINDOW = timedelta(hours=1)


class DraftIncomplete(Exception):
    def __init__(self, steps: list[str]):
        super().__init__(f"steps not complete: {', '.join(steps)}")
        self.steps = steps


def _blank_to_none(value):
    return value if value not in ("", [], None) else None


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


def build_complaint(check: DraftCheck, language: str) -> Complaint:
    """A Complaint with its people, allegations, agencies and history, from validated forms."""
    filer = check.forms["filer"].answers()
    affected = check.forms["affected"].answers()
    incident = check.forms["incident"].answers()
    story = check.forms["story"].answers()
    consent = check.forms["consent"].answers()
    for_self = filer["relationship"] == "self"

    complaint = Complaint(
        status="received",
        channel="web",
        language=language,
        filer_relationship=filer["relationship"],
        anonymous=bool(filer["anonymous"]),
        incident_date=incident["incident_date"],
        incident_date_precision=incident["incident_date_precision"],
        incident_state=_blank_to_none(incident["incident_state"]),
        incident_county_fips=_blank_to_none(incident["incident_county"]),
        incident_city=_blank_to_none(incident["incident_city"]),
        place_kind=_blank_to_none(incident["place_kind"]),
        place_other=_blank_to_none(incident["place_other"]),
        local_agency_name=_blank_to_none(incident["local_agency_name"]),
        other_agency_name=_blank_to_none(incident["other_agency_name"]),
        program_other=_blank_to_none(incident["program_other"]),
        officers=_blank_to_none(incident["officers"]),
        witnesses=_blank_to_none(incident["witnesses"]),
        narrative=story["narrative"],
        desired_outcome=_blank_to_none(story["desired_outcome"]),
        privacy_consent=consent["privacy_consent"] == "yes",
        accommodation_disability=_blank_to_none(consent["accommodation_disability"]),
        accommodation_language=_blank_to_none(consent["accommodation_language"]),
    )
    anonymous = complaint.anonymous
    complaint.people.append(
        Person(
            role="filer",
            name=None if anonymous else _blank_to_none(filer["name"]),
            organization=None if anonymous else _blank_to_none(filer["organization"]),
            email=None if anonymous else (_blank_to_none(filer["email"]) or "").lower() or None,
            phone=None if anonymous else normalize_phone(filer["phone"]),
            address_line1=None if anonymous else _blank_to_none(filer["address_line1"]),
            address_line2=None if anonymous else _blank_to_none(filer["address_line2"]),
            address_city=None if anonymous else _blank_to_none(filer["address_city"]),
            address_state=None if anonymous else _blank_to_none(filer["address_state"]),
            address_zip=None if anonymous else _blank_to_none(filer["address_zip"]),
            preferred_language=_blank_to_none(filer["preferred_language"]),
            contact_method="none" if anonymous else _blank_to_none(filer["contact_method"]),
        )
    )
    complaint.people.append(
        Person(
            role="affected",
            name=None if for_self else _blank_to_none(affected["name"]),
            date_of_birth=affected["date_of_birth"],
            a_number=normalize_a_number(affected["a_number"]),
            country_of_birth=_blank_to_none(affected["country_of_birth"]),
            preferred_language=_blank_to_none(affected["preferred_language"]),
            interpreter_needed=_yes_no(affected["interpreter_needed"]),
            in_custody=_blank_to_none(affected["in_custody"]),
            facility_name=_blank_to_none(affected["facility_name"]),
            facility_city=_blank_to_none(affected["facility_city"]),
            facility_state=_blank_to_none(affected["facility_state"]),
            consent_attested=None if for_self else bool(affected["consent_attested"]),
        )
    )
    for item in check.forms["allegations"].answers()["allegations"]:
        complaint.allegations.append(Allegation(category=item["category"], details=item["details"]))
    for agency in incident["agencies"] or []:
        complaint.agencies.append(ComplaintAgency(agency=agency))
    for context in incident["program_contexts"] or []:
        complaint.program_contexts.append(ComplaintProgramContext(context=context))
    for prior in story["prior_complaints"]:
        complaint.prior_complaints.append(PriorComplaint(**prior))
    return complaint


def _unused_tracking_number() -> str:
    while True:
        candidate = identifiers.new_tracking_number()
        taken = db.session.execute(
            select(Complaint.id).where(Complaint.tracking_number == candidate)
        ).first()
        if not taken:
            return candidate


def submit_draft(draft: Draft, draft_token: str, check: DraftCheck, language: str) -> Complaint:
    """Turn a complete draft into a complaint, move its documents, and audit the filing."""
    if not check.complete:
        raise DraftIncomplete(check.incomplete)
    complaint = build_complaint(check, language)
    complaint.tracking_number = _unused_tracking_number()
    access_code = identifiers.access_code_for(keys.key(keys.ACCESS_CODE_KEY), draft_token)
    complaint.access_code_hash = identifiers.access_code_hash(
        complaint.tracking_number, access_code
    )
    complaint.submission_key = draft.token_hash
    db.session.add(complaint)
    db.session.flush()
    moved = rows_matched(
        db.session.execute(
            update(Attachment)
            .where(Attachment.draft_id == draft.id)
            .values(complaint_id=complaint.id, draft_id=None)
        )
    )
    draft.complaint_id = complaint.id
    draft.expires_at = utcnow() + CONFIRMATION_WINDOW
    complaint_filed.send(complaint)
    record_event(
        "complaint.submitted",
        actor_type="public",
        object_type="complaint",
        object_id=complaint.id,
        details={
            "channel": "web",
            "language": language,
            "allegations": len(complaint.allegations),
            "attachments": moved,
        },
    )
    return complaint


def complaint_for_submission_key(key: str) -> Complaint | None:
    return db.session.execute(
        select(Complaint).where(Complaint.submission_key == key)
    ).scalar_one_or_none()


# How a complaint reaches the office other than the web form; staff enter these.
STAFF_CHANNELS = ("mail", "email", "fax", "phone")
# The channels whose complaint exists on paper: the scan is the record, so it is required.
ORIGINAL_REQUIRED = frozenset({"mail", "fax"})


def entry_submission_key(entry_key: str) -> str:
    # The entry form's one-time key, hashed: a second post of the same form finds the first.
    return hashlib.sha256(b"intake-entry:" + entry_key.encode()).hexdigest()


def entry_access_code(entry_key: str) -> str:
    """The access code of a staff-entered complaint, derivable only with the secret key."""
    return identifiers.access_code_for(keys.key(keys.ACCESS_CODE_KEY), "entry:" + entry_key)


def enter_complaint(
    check: DraftCheck,
    *,
    channel: str,
    language: str,
    received_at: datetime,
    entry_key: str,
    staff_id: int,
    originals: list[CheckedFile],
) -> Complaint:
    """A complaint that came by mail, email, fax or phone, typed in by staff, with the
    scanned original. It counts as filed, and its clock runs, from when the office received
    it. Indexed for search and audited (channel and counts only). Flushes; the view commits."""
    if channel not in STAFF_CHANNELS:
        raise ValueError(f"not a staff channel: {channel}")
    complaint = build_complaint(check, language)
    complaint.channel = channel
    complaint.created_by_id = staff_id
    complaint.submitted_at = received_at
    complaint.status_changed_at = received_at
    complaint.tracking_number = _unused_tracking_number()
    complaint.access_code_hash = identifiers.access_code_hash(
        complaint.tracking_number, entry_access_code(entry_key)
    )
    complaint.submission_key = entry_submission_key(entry_key)
    db.session.add(complaint)
    db.session.flush()
    for original in originals:
        db.session.add(
            new_attachment(
                original, complaint_id=complaint.id, source="staff", uploaded_by_id=staff_id
            )
        )
    complaint_filed.send(complaint)
    record_event(
        "complaint.entered",
        actor_type="staff",
        actor_id=staff_id,
        object_type="complaint",
        object_id=complaint.id,
        details={
            "channel": channel,
            "language": language,
            "allegations": len(complaint.allegations),
            "attachments": len(originals),
        },
    )
    db.session.flush()
    return complaint
