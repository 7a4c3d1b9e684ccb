"""Drafts: a filer's answers, step by step, kept on the server until they expire.

Answers are stored as the raw form data of each step, exactly as typed, so a step shows
again with every answer (valid or not) and the review re-validates the whole complaint.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from intake.database import rows_matched, utcnow
from intake.extensions import db
from intake.forms import without_control_characters

from . import identifiers
from .forms import STEP_FORMS, StepForm
from .models import Draft

STEPS = list(STEP_FORMS)  # the order a filer sees them, before the review
STEP_TITLES = {
    "filer": _l("About you"),
    "affected": _l("The person affected"),
    "incident": _l("When and where"),
    "allegations": _l("What happened"),
    "story": _l("Your story and documents"),
    "consent": _l("Privacy and accommodations"),
    "review": _l("Review and submit"),
}
SESSION_KEY = "draft_token"
_NOT_ANSWERS = {"csrf_token", "action", "return_to", "documents"}


def _ttl() -> timedelta:
    return timedelta(hours=current_app.config["DRAFT_TTL_HOURS"])


def current_draft() -> Draft | None:
    token = session.get(SESSION_KEY)
    if not token:
        return None
    draft = db.session.execute(
        select(Draft).where(Draft.token_hash == identifiers.token_hash(token))
    ).scalar_one_or_none()
    if draft is None or draft.expires_at < utcnow():
        return None
    return draft


def current_token() -> str | None:
    return session.get(SESSION_KEY)


def purge_expired() -> int:
    """Delete the drafts past their expiry that were never filed; how many. Flushes. Run by
    the schedule (complaints/tasks.py), whether or not anyone files."""
    result = db.session.execute(
        delete(Draft).where(Draft.expires_at < utcnow(), Draft.complaint_id.is_(None))
    )
    return rows_matched(result)


def start_draft() -> Draft:
    """A new draft for this browser."""
    token = identifiers.new_draft_token()
    draft = Draft(
        token_hash=identifiers.token_hash(token), answers={}, expires_at=utcnow() + _ttl()
    )
    db.session.add(draft)
    session[SESSION_KEY] = token
    return draft


def forget_draft() -> None:
    session.pop(SESSION_KEY, None)


def save_step(draft: Draft, step: str, formdata: MultiDict) -> None:
    # Invisible control characters are never kept (the step says so when it is checked).
    stored = {
        key: without_control_characters(formdata.getlist(key))
        for key in formdata
        if key not in _NOT_ANSWERS
    }
    # JSON columns notice only a new object, not a change inside one.
    draft.answers = {**(draft.answers or {}), step: stored}
    draft.expires_at = utcnow() + _ttl()


def stored_formdata(draft: Draft | None, step: str) -> MultiDict | None:
    stored = (draft.answers or {}).get(step) if draft else None
    if stored is None:
        return None
    return MultiDict([(key, value) for key, values in stored.items() for value in values])


def context_for(draft: Draft | None) -> dict:
    filer = stored_formdata(draft, "filer")
    return {"relationship": filer.get("relationship") if filer else None}


def step_form(draft: Draft | None, step: str, *, from_request: bool) -> StepForm:
    form_class = STEP_FORMS[step]
    if from_request:
        return form_class(context=context_for(draft))
    return form_class(
        formdata=stored_formdata(draft, step), context=context_for(draft), meta={"csrf": False}
    )


@dataclass
class DraftCheck:
    forms: dict[str, StepForm]
    incomplete: list[str]

    @property
    def complete(self) -> bool:
        return not self.incomplete


def check_draft(draft: Draft) -> DraftCheck:
    """Validate every step from what is stored, as the submit will."""
    forms, incomplete = {}, []
    for step in STEPS:
        form = step_form(draft, step, from_request=False)
        if stored_formdata(draft, step) is None or not form.validate():
            incomplete.append(step)
        forms[step] = form
    return DraftCheck(forms, incomplete)


def next_step(step: str) -> str | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(step: str) -> str | None:
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None


def furthest_step(draft: Draft | None) -> str:
    """The first step not yet answered: where a returning filer picks up."""
    answered = set((draft.answers or {}) if draft else ())
    return next((step for step in STEPS if step not in answered), "review")
