"""The complainant's receipt: what they filed, in the language they filed in."""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from intake.complaints.models import Complaint
from intake.documents.models import Attachment
from intake.extensions import db
from intake.reference.categories import (
    AGENCIES,
    ALLEGATIONS,
    ATTACHMENT_TYPES,
    PLACE_KINDS,
    PROGRAM_CONTEXTS,
)
from intake.reference.lookups import state_name
from intake.reference.models import County

from . import rendering
from .pdf import RenderedPdf
from .summaries import Row, date_text, join_parts, label


def receipt_context(complaint: Complaint) -> dict:
    county = (
        db.session.get(County, complaint.incident_county_fips)
        if complaint.incident_county_fips
        else None
    )
    incident = [
        Row(str(name), str(value))
        for name, value in [
            (_("Date"), date_text(complaint.incident_date, complaint.incident_date_precision)),
            (
                _("Place"),
                join_parts(
                    complaint.incident_city,
                    county.name if county else None,
                    state_name(complaint.incident_state),
                ),
            ),
            (
                _("Kind of place"),
                join_parts(label(PLACE_KINDS, complaint.place_kind), complaint.place_other),
            ),
            (
                _("Agencies involved"),
                "; ".join(sorted(str(AGENCIES[row.agency]) for row in complaint.agencies)),
            ),
            (_("Local agency"), complaint.local_agency_name),
            (_("Other agency"), complaint.other_agency_name),
            (
                _("Program context"),
                "; ".join(
                    sorted(str(PROGRAM_CONTEXTS[row.context]) for row in complaint.program_contexts)
                ),
            ),
            (_("Other program"), complaint.program_other),
            (_("Officers"), complaint.officers),
            (_("Witnesses"), complaint.witnesses),
        ]
        if value
    ]
    documents = db.session.execute(
        select(Attachment.filename, Attachment.content_type, Attachment.size_bytes)
        .where(Attachment.complaint_id == complaint.id, Attachment.source == "filer")
        .order_by(Attachment.id)
    ).all()
    return {
        "complaint": complaint,
        "allegations": [
            {"label": str(ALLEGATIONS.get(a.category, a.category)), "details": a.details}
            for a in complaint.allegations
        ],
        "incident": incident,
        "documents": [
            {"name": name, "kind": str(ATTACHMENT_TYPES.get(kind, kind)), "size": size}
            for name, kind, size in documents
        ],
    }


def render_receipt(complaint: Complaint, *, access_code: str | None) -> RenderedPdf:
    """The receipt in the complaint's language; the access code only when it is given."""
    language = complaint.language
    with force_locale(language):
        context = receipt_context(complaint)
    return rendering.render(
        "receipt.html",
        language,
        **context,
        access_code=access_code,
        generated_at=rendering.generated_at_text(rendering.now(), language),
    )


def receipt_filename(complaint: Complaint) -> str:
    return f"receipt-{complaint.tracking_number}.pdf"
