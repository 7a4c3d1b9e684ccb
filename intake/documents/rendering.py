"""What every document needs around ``pdf.render_pdf``: the HTML from a template in the right
language, the audit chain head to print on it, the export's audit event, the HTTP response."""

import re
from dataclasses import dataclass
from datetime import datetime

from flask import Response, current_app, render_template
from flask_babel import force_locale, format_datetime, gettext
from markupsafe import Markup

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


# Stand-ins for the page counters while the translated sentence is split around them.
_COUNTERS = {"\x00page\x00": "counter(page)", "\x00pages\x00": "counter(pages)"}


def css_string(text: str) -> str:
    """``text`` as a CSS string of letters, digits and spaces, with everything else a
    6-digit escape: nothing in it can end the string, the rule or the <style> element."""
    kept = (c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06x}" for c in text)
    return '"' + "".join(kept) + '"'


def page_numbers_css() -> Markup:
    """The CSS ``content`` of the page-number margin box: "Page X of Y" in the current
    language, the catalogue's wording with the page counters in its placeholders.

    Counters in a margin box cost WeasyPrint under a millisecond a document; the same words
    as a running element cost about 9 ms (a tenth of a case summary)."""
    sentence = gettext("Page %(number)s of %(count)s", number="\x00page\x00", count="\x00pages\x00")
    pieces = re.split("(\x00pages?\x00)", sentence)
    parts = [_COUNTERS.get(piece) or css_string(piece) for piece in pieces if piece]
    return Markup(" ".join(parts))  # noqa: S704 - only css_string()s and counters  # nosec B704


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
