"""What every document needs around ``pdf.render_pdf``: the HTML from a template in the right
language, the audit chain head to print on it, the export's audit event, the HTTP response."""

from dataclasses import dataclass
from datetime import datetime

from flask import Response, current_app, render_template
from flask_babel import force_locale, format_datetime

from intake.audit.models import GENESIS_HASH, AuditChainHead
from intake.audit.services import record_event
from intake.database import utcnow
from intake.extensions import db

from .pdf import RenderedPdf, render_pdf

# The office's name, as documents are signed and as their author metadata says, per language.
# Letter wording, not interface text: it lives with the letters, not in the translations.
OFFICE_NAMES = {
    "en": "Office for Civil Rights Complaints",
    "es": "Oficina de Quejas de Derechos Civiles",
}


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


def chain_head() -> ChainHead:
    """The audit chain's last event as of now (read, not locked: a document only cites it)."""
    head = db.session.get(AuditChainHead, 1, populate_existing=True)
    return ChainHead(head.seq, head.hash) if head else ChainHead(0, GENESIS_HASH)


def document_html(template: str, language: str, **context) -> str:
    """Render ``templates/documents/<template>`` in ``language`` (en or es)."""
    with force_locale(language):
        return render_template(
            f"documents/{template}",
            document_language=language,
            document_author=OFFICE_NAMES.get(language, OFFICE_NAMES["en"]),
            **context,
        )


def render(template: str, language: str, **context) -> RenderedPdf:
    html = document_html(template, language, **context)
    return render_pdf(html, timeout=current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS"))


def generated_at_text(moment: datetime, language: str) -> str:
    with force_locale(language):
        return format_datetime(moment, "medium") + " UTC"


def record_export(kind: str, complaint_id: int | None, *, actor_type: str, actor_id=None, **more):
    """Every document given out is an audit event: which kind, of what, never its content."""
    return record_event(
        "document.exported",
        actor_type=actor_type,
        actor_id=actor_id,
        object_type="complaint" if complaint_id is not None else None,
        object_id=complaint_id,
        details={"kind": kind, **more},
    )


def pdf_response(data: bytes, filename: str, *, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Content-Length"] = str(len(data))
    return response


def now() -> datetime:
    return utcnow()
