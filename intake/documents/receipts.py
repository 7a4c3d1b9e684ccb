"""The complainant's receipt: what they filed, in the language they filed in."""

from flask_babel import force_locale
from sqlalchemy import select

from intake.attachments.models import Attachment
from intake.complaints import filed
from intake.complaints.models import Complaint
from intake.extensions import db
from intake.reference.categories import (
    ALLEGATIONS,
    ATTACHMENT_TYPES,
)

from . import rendering
from .pdf import RenderedPdf


def receipt_context(complaint: Complaint) -> dict:
    # The filer's own words, as their review page showed them before they submitted.
    incident = filed.section(complaint, "incident", audience=filed.FILER).rows
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
