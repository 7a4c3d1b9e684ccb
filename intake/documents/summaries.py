"""The case summary for staff, in full or redacted.

The redacted copy is for sharing with the agency when the affected person did not consent to
sharing their identity. What it leaves out of what was filed is decided by the field
description (``intake/complaints/description.py``): every field about who someone is, how to
reach them or where they are held, for the filer and the affected person alike; witnesses
(private third parties); disability accommodation requests (said to be there, not what they
are); other bodies' case numbers for prior complaints (they lead back to the person). Besides
those it leaves out document file names and the text of internal notes and of messages with
the complainant. Officers stay: the agency needs them to investigate, and they acted in an
official capacity. Free text that stays (narrative, allegation details, desired outcome,
recommendations) has every known identifier of the people on the case, and anything shaped like
an A-number, email address or phone number, replaced by "[redacted]". Staff names stay: they
are the office's, not the complainant's.
"""

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from intake.attachments.models import Attachment
from intake.complaints import filed
from intake.complaints.description import label
from intake.complaints.models import Complaint
from intake.complaints.redaction import no_scrub, scrubber
from intake.extensions import db
from intake.reference.categories import (
    AGENCIES,
    AGENCY_RESPONSES,
    ALLEGATIONS,
    ATTACHMENT_TYPES,
    CLOSURE_REASONS,
    FINDINGS,
)
from intake.review.models import Recommendation
from intake.review.timeline import timeline
from intake.review.workflow import STAFF_STATUS_LABELS

from . import rendering
from .pdf import RenderedPdf

_NOT_ON_TIMELINE = {"document.exported"}


@dataclass
class DocumentRow:
    name: str
    kind: str
    size: int
    source: str
    uploaded_at: object


def _documents(complaint: Complaint, redacted: bool) -> list[DocumentRow]:
    sources = {
        "filer": _("Filed with the complaint"),
        "staff": _("Added by staff"),
        "complainant_reply": _("Sent with a reply"),
    }
    stmt = (
        select(
            Attachment.filename,
            Attachment.content_type,
            Attachment.size_bytes,
            Attachment.source,
            Attachment.uploaded_at,
        )
        .where(Attachment.complaint_id == complaint.id)
        .order_by(Attachment.uploaded_at, Attachment.id)
    )
    return [
        DocumentRow(
            _("Document %(number)d", number=number) if redacted else filename,
            str(ATTACHMENT_TYPES.get(content_type, content_type)),
            size,
            sources.get(source, source),
            uploaded_at,
        )
        for number, (filename, content_type, size, source, uploaded_at) in enumerate(
            db.session.execute(stmt).all(), start=1
        )
    ]


def _timeline(complaint: Complaint, redacted: bool, scrub):

    titles = {
        "case.letter.generated": _("Letter generated"),
    }
    entries = []
    for entry in timeline(complaint):
        if entry.title in _NOT_ON_TIMELINE:
            continue
        entry.title = titles.get(entry.title, entry.title)
        if redacted and entry.body:
            entry.body = (
                _("Text of the note left out of this redacted copy.")
                if entry.kind == "note"
                else _("Text of the message left out of this redacted copy.")
            )
        entries.append(entry)
    return entries


def summary_context(complaint: Complaint, *, redacted: bool) -> dict:
    """Everything the summary template shows, in the current language."""

    scrub = scrubber(complaint) if redacted else no_scrub

    def shown(key: str) -> filed.ShownSection:
        return filed.section(complaint, key, redacted=redacted, scrub=scrub)

    recommendations = list(
        db.session.execute(
            select(Recommendation)
            .where(Recommendation.complaint_id == complaint.id)
            .order_by(Recommendation.id)
        ).scalars()
    )
    allegations = [
        {
            "label": str(ALLEGATIONS.get(a.category, a.category)),
            "details": scrub(a.details),
            "finding": label(FINDINGS, a.finding),
        }
        for a in complaint.allegations
    ]
    return {
        "complaint": complaint,
        "redacted": redacted,
        "status_label": str(STAFF_STATUS_LABELS.get(complaint.status, complaint.status)),
        "closure_label": label(CLOSURE_REASONS, complaint.closure_reason),
        "referral_label": label(AGENCIES, complaint.referral_agency),
        "assignee_name": complaint.assignee.name if complaint.assignee else None,
        "duplicate_of": db.session.get(Complaint, complaint.duplicate_of_id)
        if complaint.duplicate_of_id
        else None,
        "people": [shown("filer"), *([shown("affected")] if complaint.person("affected") else [])],
        "incident": shown("incident"),
        "allegations": allegations,
        "story": shown("story"),
        "other_sections": [shown("history"), shown("consent")],
        "documents": _documents(complaint, redacted),
        "recommendations": [
            {
                "body": scrub(rec.body),
                "response": label(AGENCY_RESPONSES, rec.agency_response),
                "response_notes": scrub(rec.response_notes),
                "recorded_at": rec.response_recorded_at,
            }
            for rec in recommendations
        ],
        "response_labels": AGENCY_RESPONSES,
        "timeline": _timeline(complaint, redacted, scrub),
    }


def render_summary(
    complaint: Complaint, *, redacted: bool, language: str, generated_by: str | None
) -> RenderedPdf:
    """The case summary as a PDF in ``language``, citing the audit chain head as of now."""
    head = rendering.chain_head()
    generated_at = rendering.now()
    with force_locale(language):
        context = summary_context(complaint, redacted=redacted)
    return rendering.render(
        "summary.html",
        language,
        **context,
        chain_head=head,
        generated_at=rendering.generated_at_text(generated_at, language),
        generated_by=generated_by,
    )


def summary_filename(complaint: Complaint, redacted: bool) -> str:
    suffix = "-redacted" if redacted else ""
    return f"case-{complaint.tracking_number}{suffix}.pdf"
