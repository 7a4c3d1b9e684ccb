"""Letters to the complainant: wording an administrator can change, filled in for a case,
rendered, kept with the case, and on its timeline.

Wording. The built-in wording of each letter is a file per kind and language in
``templates/documents/letters/`` (first line: the subject; then the body). An administrator
changes it in the app: each save is a new ``LetterTemplate`` row (history kept, audited), and
the newest row wins. Keeping the built-in wording in files, not seeded rows, means there is one
copy of it, reviewed like code, and "back to the built-in wording" is always possible.

Safety. Wording is a tiny template language: text, ``{{ placeholder }}`` and
``{% if %}/{% elif %}/{% else %}`` on placeholders, nothing else. It is parsed with Jinja's
*sandboxed* environment and then every node is checked against that short list, so no
attribute access, call, filter, loop or include can get in; placeholders are plain strings.
The result is plain text: the letter's HTML template escapes it, so wording cannot add markup.
"""

import hashlib
from dataclasses import dataclass

from flask import url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from sqlalchemy import select
from sqlalchemy.orm import undefer

from intake.accounts.models import User
from intake.audit.services import record_event
from intake.complaints.models import Complaint
from intake.config import folder
from intake.extensions import db
from intake.reference.categories import AGENCIES, CLOSURE_REASONS
from intake.review.models import Message
from intake.signals import letter_issued

from . import rendering
from .models import LETTER_KINDS, LETTER_LANGUAGES, CaseLetter, LetterTemplate

LETTER_KIND_LABELS = {
    "acknowledgment": _l("Acknowledgment"),
    "request_information": _l("Request for information"),
    "referral_notice": _l("Referral notice"),
    "closure": _l("Closure letter"),
}
assert set(LETTER_KIND_LABELS) == set(LETTER_KINDS)
LANGUAGE_LABELS = {"en": _l("English"), "es": _l("Spanish")}
PLACEHOLDERS = {
    "tracking_number": _l("The complaint's tracking number."),
    "recipient_name": _l("The filer's name; empty when they filed anonymously or gave none."),
    "filed_on": _l("The date the complaint was filed."),
    "today": _l("Today's date."),
    "office": _l("The office's name."),
    "status_page": _l("The address of the complainant's status page."),
    "request": _l("The latest question sent to the complainant."),
    "agency": _l("The agency the case was referred to."),
    "closure_reason": _l("The closure reason, in a few words."),
    "closure_reason_code": _l(
        "The closure reason's code, for choosing words with if-blocks (for example"
        ' closure_reason_code == "no_violation").'
    ),
}
SUBJECT_MAX = 200
BODY_MAX = 20_000
_ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.If,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
)
_environment = ImmutableSandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
)
BUILT_IN_FOLDER = folder("templates") / "documents" / "letters"


class WordingError(ValueError):
    """Wording that cannot be used; ``field`` is subject or body."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str
    template_id: int | None  # None: the built-in wording


@dataclass(frozen=True)
class ComposedLetter:
    kind: str
    language: str
    subject: str
    body: str
    template_id: int | None

    @property
    def paragraphs(self) -> list[list[str]]:
        """Paragraphs (split at blank lines), each a list of lines."""
        blocks = [block.strip("\n") for block in self.body.replace("\r\n", "\n").split("\n\n")]
        return [block.split("\n") for block in blocks if block.strip()]


# --- wording ----------------------------------------------------------------------------------


def built_in_wording(kind: str, language: str) -> Wording:
    text = (BUILT_IN_FOLDER / f"{kind}.{language}.txt").read_text(encoding="utf-8")
    subject, _sep, body = text.partition("\n")
    return Wording(subject.strip(), body.strip("\n"), None)


def current_wording(kind: str, language: str) -> Wording:
    custom = latest_template(kind, language)
    if custom is None:
        return built_in_wording(kind, language)
    return Wording(custom.subject, custom.body, custom.id)


def check_wording(subject: str, body: str) -> None:
    """Raise WordingError, naming the field, unless the wording can be used for any case."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise WordingError(_("Enter the letter's subject."), "subject")
    if len(subject) > SUBJECT_MAX:
        raise WordingError(
            _("The subject can be up to %(max)d characters.", max=SUBJECT_MAX), "subject"
        )
    if not body:
        raise WordingError(_("Enter the letter's text."), "body")
    if len(body) > BODY_MAX:
        raise WordingError(_("The text can be up to %(max)d characters.", max=BODY_MAX), "body")
    for field, source in (("subject", subject), ("body", body)):
        _check_template(source, field)
        try:
            _fill(source, _sample_context())
        except TemplateError as error:
            raise WordingError(
                _("This cannot be filled in: %(problem)s", problem=str(error)), field
            ) from error


def _check_template(source: str, field: str) -> None:
    try:
        tree = _environment.parse(source)
    except TemplateError as error:
        raise WordingError(
            _("Check the {{ }} and {%% %%} parts: %(problem)s", problem=str(error)), field
        ) from error
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES):
            raise WordingError(
                _(
                    "Only text, {{ placeholders }} and {%% if %%} blocks are allowed"
                    " (found %(what)s).",
                    what=type(node).__name__,
                ),
                field,
            )
        if isinstance(node, nodes.Name) and node.name not in PLACEHOLDERS:
            raise WordingError(_("There is no placeholder called %(name)s.", name=node.name), field)


def _fill(source: str, context: dict) -> str:
    return _environment.from_string(source).render(context)


def _sample_context() -> dict:
    return {name: "x" for name in PLACEHOLDERS}


def save_wording(kind: str, language: str, subject: str, body: str, actor) -> LetterTemplate:
    """A new version of the wording (checked first). Flushes; the view commits."""
    check_wording(subject, body)
    template = LetterTemplate(
        kind=kind,
        language=language,
        subject=subject.strip(),
        body=body.strip().replace("\r\n", "\n"),
        created_by_id=actor.id,
    )
    db.session.add(template)
    db.session.flush()
    record_event(
        "letter_template.changed",
        actor_type="staff",
        actor_id=actor.id,
        object_type="letter_template",
        object_id=template.id,
        details={"kind": kind, "language": language},
    )
    return template


# --- letters for a case -----------------------------------------------------------------------


def default_language(complaint: Complaint) -> str:
    """The filer's preferred language when it is one we write in, else the complaint's."""
    filer = complaint.person("filer")
    if filer is not None and filer.preferred_language in LETTER_LANGUAGES:
        return filer.preferred_language
    return complaint.language if complaint.language in LETTER_LANGUAGES else "en"


def unavailable_reason(complaint: Complaint, kind: str) -> str | None:
    """Why this kind of letter does not fit the case now, or None when it does."""
    if kind == "request_information" and _latest_request(complaint) is None:
        return _("No question has been sent to the complainant yet.")
    if kind == "referral_notice" and complaint.referral_agency is None:
        return _("The case has not been referred to an agency.")
    if kind == "closure" and complaint.status != "closed":
        return _("The case is not closed.")
    return None


def _latest_request(complaint: Complaint) -> Message | None:
    return db.session.execute(
        select(Message)
        .where(Message.complaint_id == complaint.id, Message.direction == "to_complainant")
        .order_by(Message.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def letter_context(complaint: Complaint, language: str) -> dict:
    """The placeholders' values for this case, in ``language`` (plain strings only)."""
    filer = complaint.person("filer")
    request = _latest_request(complaint)
    with force_locale(language):
        return {
            "tracking_number": complaint.tracking_number,
            "recipient_name": "" if complaint.anonymous or filer is None else (filer.name or ""),
            "filed_on": format_date(complaint.submitted_at, "long"),
            "today": format_date(rendering.now(), "long"),
            "office": rendering.OFFICE_NAMES[language],
            "status_page": url_for("tracking.lookup", _external=True),
            "request": request.body if request else "",
            "agency": str(AGENCIES.get(complaint.referral_agency, ""))
            if complaint.referral_agency
            else "",
            "closure_reason": str(CLOSURE_REASONS.get(complaint.closure_reason, ""))
            if complaint.closure_reason
            else "",
            "closure_reason_code": complaint.closure_reason or "",
        }


def compose(complaint: Complaint, kind: str, language: str) -> ComposedLetter:
    wording = current_wording(kind, language)
    context = letter_context(complaint, language)
    return ComposedLetter(
        kind,
        language,
        " ".join(_fill(wording.subject, context).split()),
        _fill(wording.body, context).strip(),
        wording.template_id,
    )


def generate_letter(complaint: Complaint, kind: str, language: str, actor) -> CaseLetter:
    """Fill in, render, keep and audit one letter. Flushes; the view commits.

    Raises RenderError when the PDF cannot be made (nothing is kept then)."""

    letter = compose(complaint, kind, language)
    filer = complaint.person("filer")
    rendered = rendering.render(
        "letter.html",
        language,
        letter=letter,
        complaint=complaint,
        recipient=None if complaint.anonymous else filer,
        date_text=letter_context(complaint, language)["today"],
    )
    kept = CaseLetter(
        complaint_id=complaint.id,
        kind=kind,
        language=language,
        template_id=letter.template_id,
        subject=letter.subject,
        body=letter.body,
        size_bytes=len(rendered.data),
        sha256=hashlib.sha256(rendered.data).hexdigest(),
        created_by_id=actor.id,
        pdf=rendered.data,
    )
    db.session.add(kept)
    db.session.flush()
    record_event(
        "case.letter.generated",
        actor_type="staff",
        actor_id=actor.id,
        object_type="complaint",
        object_id=complaint.id,
        details={
            "letter_id": kept.id,
            "kind": kind,
            "language": language,
            "custom_wording": letter.template_id is not None,
        },
    )
    letter_issued.send(complaint, letter=kept)
    return kept


def case_letters(complaint_id: int) -> list[CaseLetter]:
    return list(
        db.session.execute(
            select(CaseLetter)
            .where(CaseLetter.complaint_id == complaint_id)
            .order_by(CaseLetter.created_at.desc(), CaseLetter.id.desc())
        ).scalars()
    )


def case_letter(complaint: Complaint, letter_id: int) -> CaseLetter | None:
    """The letter, only if it belongs to this case."""

    return db.session.execute(
        select(CaseLetter)
        .where(CaseLetter.id == letter_id, CaseLetter.complaint_id == complaint.id)
        .options(undefer(CaseLetter.pdf))
    ).scalar_one_or_none()


def letter_filename(letter: CaseLetter, tracking_number: str) -> str:
    return f"letter-{tracking_number}-{letter.kind}-{letter.language}-{letter.id}.pdf"


def latest_template(kind: str, language: str) -> LetterTemplate | None:
    return db.session.execute(
        select(LetterTemplate)
        .where(LetterTemplate.kind == kind, LetterTemplate.language == language)
        .order_by(LetterTemplate.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def template_history(kind: str, language: str, limit: int = 20) -> list[tuple]:
    """The latest saves of this wording, newest first: (LetterTemplate, author's name)."""

    return list(
        db.session.execute(
            select(LetterTemplate, User.name)
            .join(User, User.id == LetterTemplate.created_by_id)
            .where(LetterTemplate.kind == kind, LetterTemplate.language == language)
            .order_by(LetterTemplate.id.desc())
            .limit(limit)
        ).all()
    )
