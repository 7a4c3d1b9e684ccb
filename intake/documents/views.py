"""PDF documents: the complainant's receipt, staff case summaries, letters, bulk exports.

Each view: find the thing the person may have (404 otherwise), render it through the one
rendering function, record the export in the audit trail, commit once, send it.
"""

import logging
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from intake import keys
from intake.accounts.access import current_user, requires
from intake.audit.services import record_event
from intake.complaints import drafts, identifiers
from intake.complaints.models import Complaint
from intake.database import write_lock_from_now, writes_on_get
from intake.extensions import db
from intake.queue import saved_searches
from intake.queue import services as queue_services
from intake.queue.forms import QueueForm
from intake.review.access import case_or_404, sees_whole_queue
from intake.tracking import services as tracking
from intake.tracking.forms import ReceiptCodeForm
from intake.tracking.status_page import complaint_from_status_session, render_status

from . import export_jobs, exports, letters, receipts, rendering, summaries
from .forms import ExportForm, LetterForm, WordingForm
from .pdf import RenderError

bp = Blueprint("documents", __name__)
log = logging.getLogger(__name__)


def _render_failed(error: RenderError):
    db.session.rollback()
    log.error("document render failed: %s", type(error).__name__)
    return render_template("documents/render_failed.html"), 503


def _ui_language() -> str:
    return str(get_locale() or "en")


# --- the complainant's receipt ---------------------------------------------------------------


@bp.route("/file/confirmation/receipt.pdf")
def confirmation_receipt():
    """From the confirmation page, with the filer's draft session. ``?access_code=1`` prints
    the access code (derived from the draft token, as the confirmation page does)."""
    draft, token = drafts.current_draft(), drafts.current_token()
    if draft is None or draft.complaint is None or token is None:
        return render_template("documents/receipt_unavailable.html"), 404
    complaint = draft.complaint
    access_code = None
    if request.args.get("access_code") == "1":
        access_code = identifiers.access_code_for(keys.key(keys.ACCESS_CODE_KEY), token)
        if not identifiers.access_code_matches(
            complaint.tracking_number, access_code, complaint.access_code_hash
        ):
            access_code = None  # the secret key changed: never print a code that fails
    return _receipt(complaint, access_code)


@bp.route("/status/case/receipt.pdf", methods=["GET", "POST"])
def status_receipt():
    """From the status page, with the session its look-up opened. Nothing on the server can
    read the access code back, only compare it: so GET prints no code, and a receipt with the
    code on it is POSTed with the code typed again (wrong codes count against the look-up's
    rate limit, like wrong codes at the look-up)."""
    complaint = complaint_from_status_session()
    if complaint is None:
        return render_template("documents/receipt_unavailable.html"), 404
    if request.method == "GET":
        return _receipt(complaint, None)

    form = ReceiptCodeForm()
    if not form.validate():
        return render_status(complaint, receipt_form=form, status=400)
    client = request.remote_addr or "unknown"
    if tracking.is_throttled(client, complaint.tracking_number):
        minutes = current_app.config["LOOKUP_WINDOW_MINUTES"]
        form.access_code.errors = [
            _(
                "For your security, please wait %(minutes)d minutes before trying again.",
                minutes=minutes,
            )
        ]
        return render_status(complaint, receipt_form=form, status=429)
    typed = form.access_code.data
    if not identifiers.access_code_matches(
        complaint.tracking_number, typed, complaint.access_code_hash
    ):
        tracking.record_failure(client, complaint.tracking_number)
        db.session.commit()
        form.access_code.errors = [
            _("That is not the access code of this complaint. Check it and try again.")
        ]
        return render_status(complaint, receipt_form=form, status=400)
    return _receipt(complaint, identifiers.canonical_access_code(typed))


def _receipt(complaint: Complaint, access_code: str | None):
    try:
        rendered = receipts.render_receipt(complaint, access_code=access_code)
    except RenderError as error:
        return _render_failed(error)
    write_lock_from_now()
    rendering.record_export(
        "receipt",
        complaint.id,
        actor_type="public",
        access_code=access_code is not None,
    )
    db.session.commit()
    return rendering.pdf_response(rendered.data, receipts.receipt_filename(complaint))


# --- case summaries ---------------------------------------------------------------------------


@bp.route("/staff/documents/cases/<int:complaint_id>/summary.pdf")
@requires("case.view")
def case_summary(complaint_id: int):
    """The case summary; ``?redacted=1`` for the copy without the people's identities."""
    user = current_user()
    complaint = case_or_404(user, complaint_id)
    redacted = request.args.get("redacted") == "1"
    try:
        rendered = summaries.render_summary(
            complaint, redacted=redacted, language=_ui_language(), generated_by=user.name
        )
    except RenderError as error:
        return _render_failed(error)
    # Rendered without holding the database's write lock; the audit event takes it now.
    write_lock_from_now()
    rendering.record_export(
        "case_summary_redacted" if redacted else "case_summary",
        complaint.id,
        actor_type="staff",
        actor_id=user.id,
        pages=rendered.pages,
    )
    db.session.commit()
    return rendering.pdf_response(rendered.data, summaries.summary_filename(complaint, redacted))


# --- letters ----------------------------------------------------------------------------------

# Who edits letter wording: administrators, who hold reference data (DESIGN.md).
WORDING_PERMISSION = "letter_templates.manage"


@bp.route("/staff/documents/cases/<int:complaint_id>/letters", methods=["GET"])
@requires("case.view")
def case_letters(complaint_id: int):
    complaint = case_or_404(current_user(), complaint_id)
    form = LetterForm(formdata=None, data={"language": letters.default_language(complaint)})
    return _letters_page(complaint, form)


def _letters_page(complaint: Complaint, form: LetterForm, status: int = 200, problem=None):
    return (
        render_template(
            "documents/case_letters.html",
            complaint=complaint,
            form=form,
            problem=problem,
            letters=letters.case_letters(complaint.id),
            kind_labels=letters.LETTER_KIND_LABELS,
            language_labels=letters.LANGUAGE_LABELS,
            unavailable={
                kind: letters.unavailable_reason(complaint, kind)
                for kind in letters.LETTER_KIND_LABELS
            },
            case_url=_case_url(complaint.id),
        ),
        status,
    )


def _case_url(complaint_id: int) -> str:
    try:
        return url_for("review.case", complaint_id=complaint_id)
    except BuildError:
        return f"{request.script_root}/staff/cases/{complaint_id}"


@bp.route("/staff/documents/cases/<int:complaint_id>/letters", methods=["POST"])
@requires("case.view")
def generate_letter(complaint_id: int):
    user = current_user()
    complaint = case_or_404(user, complaint_id)
    form = LetterForm()
    if not form.validate():
        return _letters_page(complaint, form, 400)
    reason = letters.unavailable_reason(complaint, form.kind.data)
    if reason is not None:
        form.kind.errors = [*form.kind.errors, reason]
        return _letters_page(complaint, form, 409)
    try:
        letter = letters.generate_letter(complaint, form.kind.data, form.language.data, user)
    except RenderError as error:
        return _render_failed(error)
    db.session.commit()
    flash(
        _(
            "%(letter)s generated and kept with the case. Download it below.",
            letter=letters.LETTER_KIND_LABELS[letter.kind],
        ),
        "success",
    )
    return redirect(url_for(".case_letters", complaint_id=complaint.id), code=303)


@bp.route("/staff/documents/cases/<int:complaint_id>/letters/<int:letter_id>.pdf")
@writes_on_get
@requires("case.view")
def download_letter(complaint_id: int, letter_id: int):
    user = current_user()
    complaint = case_or_404(user, complaint_id)
    letter = letters.case_letter(complaint, letter_id) or abort(404)
    data = letter.pdf
    rendering.record_export(
        "letter", complaint.id, actor_type="staff", actor_id=user.id, letter_id=letter.id
    )
    db.session.commit()
    return rendering.pdf_response(data, letters.letter_filename(letter, complaint.tracking_number))


@bp.route("/staff/documents/letter-templates")
@requires(WORDING_PERMISSION)
def letter_templates():
    rows = []
    for kind, kind_label in letters.LETTER_KIND_LABELS.items():
        for language, language_label in letters.LANGUAGE_LABELS.items():
            latest = letters.latest_template(kind, language)
            rows.append(
                {
                    "kind": kind,
                    "language": language,
                    "label": kind_label,
                    "language_label": language_label,
                    "latest": latest,
                }
            )
    return render_template("documents/letter_templates.html", rows=rows)


def _wording_page(kind: str, language: str, form: WordingForm, status: int = 200):
    return (
        render_template(
            "documents/letter_template.html",
            kind=kind,
            language=language,
            kind_label=letters.LETTER_KIND_LABELS[kind],
            language_label=letters.LANGUAGE_LABELS[language],
            form=form,
            built_in=letters.built_in_wording(kind, language),
            current=letters.current_wording(kind, language),
            placeholders=letters.PLACEHOLDERS,
            history=letters.template_history(kind, language),
        ),
        status,
    )


def _known_wording(kind: str, language: str) -> None:
    if kind not in letters.LETTER_KIND_LABELS or language not in letters.LANGUAGE_LABELS:
        abort(404)


@bp.route("/staff/documents/letter-templates/<kind>/<language>", methods=["GET"])
@requires(WORDING_PERMISSION)
def letter_template(kind: str, language: str):
    _known_wording(kind, language)
    current = letters.current_wording(kind, language)
    form = WordingForm(formdata=None, data={"subject": current.subject, "body": current.body})
    return _wording_page(kind, language, form)


@bp.route("/staff/documents/letter-templates/<kind>/<language>", methods=["POST"])
@requires(WORDING_PERMISSION)
def save_letter_template(kind: str, language: str):
    _known_wording(kind, language)
    form = WordingForm()
    if not form.validate():
        return _wording_page(kind, language, form, 400)
    if request.form.get("action") == "built_in":
        built_in = letters.built_in_wording(kind, language)
        subject, body = built_in.subject, built_in.body
    else:
        subject, body = form.subject.data or "", form.body.data or ""
    try:
        letters.save_wording(kind, language, subject, body, current_user())
    except letters.WordingError as refused:
        db.session.rollback()
        field = form.subject if refused.field == "subject" else form.body
        field.errors = [*field.errors, refused.message]
        return _wording_page(kind, language, form, 400)
    db.session.commit()
    flash(_("The new wording is saved. Letters generated from now on use it."), "success")
    return redirect(url_for(".letter_template", kind=kind, language=language), code=303)


# --- bulk exports -----------------------------------------------------------------------------

# The queue's filters chosen from a list, in the queue form's order.
QUEUE_LISTS = (
    "status",
    "allegation",
    "agency",
    "state",
    "county",
    "assignee",
    "channel",
    "language",
)
# Query parameters of the queue's selection that an export carries over (codes and the kept
# search's id, never the search words themselves).
QUEUE_PARAMETERS = (*QUEUE_LISTS, "overdue", "submitted_from", "submitted_to", "sort", "search")
REFRESH_SECONDS = 3


def _selection(values) -> tuple[list[int], bool]:
    """Explicit ``complaint_id`` values, or else the queue filters in ``values``."""
    user = current_user()
    chosen = [int(v) for v in values.getlist("complaint_id") if v.isdigit()]
    if chosen:
        return exports.visible_ids(user, chosen), len(chosen) > exports.max_cases()
    if _search_expired(values):
        return [], False
    return exports.queue_selection(user, values)


def _search_expired(values) -> bool:
    """A kept search this session no longer holds. The queue then lists nothing rather than
    everything its filters match; so does the export, instead of exporting more than asked."""

    search_id = values.get("search")
    return bool(search_id) and saved_searches.get(search_id) is None


@bp.route("/staff/documents/exports/new")
@requires("queue.view")
def new_export():
    """What an export of this queue selection would hold, and the button to start it."""
    ids, cut = _selection(request.args)
    form = ExportForm(formdata=None)
    carried = [
        (name, value)
        for name in (*QUEUE_PARAMETERS, "complaint_id")
        for value in request.args.getlist(name)
    ]
    return render_template(
        "documents/export_new.html",
        form=form,
        count=len(ids),
        cut=cut,
        limit=exports.max_cases(),
        carried=carried,
        queue_url=_queue_url(),
        expired_search=_search_expired(request.args),
        selection=[] if request.args.getlist("complaint_id") else _selection_in_words(request.args),
    )


def _selection_in_words(values) -> list[tuple[str, str]]:
    """The queue's search and filters behind the selection, labelled as on the queue's form,
    so that the person sees what they are about to export. The search words are shown in the
    page, as the queue's search box shows them, and never put in a URL."""

    user = current_user()
    form = QueueForm(formdata=values, meta={"csrf": False})
    form.set_choices(
        queue_services.assignable_staff(db.session) if sees_whole_queue(user) else None
    )
    form.validate()
    filters = form.filters()
    rows = []
    words = saved_searches.get(values.get("search"))
    if words:
        rows.append((str(form.q.label.text), words))
    for name in QUEUE_LISTS:
        code = getattr(filters, name)
        if code or name == "status":  # no status chosen is a choice too: the open cases
            field = form[name]
            rows.append((str(field.label.text), str(dict(field.choices).get(code, code))))
    if filters.overdue:
        rows.append((str(form.overdue.label.text), _("Yes")))
    for field, day in (
        (form.submitted_from, filters.submitted_from),
        (form.submitted_to, filters.submitted_to),
    ):
        if day:
            rows.append((str(field.label.text), format_date(day, "medium")))
    return rows


def _queue_url() -> str:
    args: dict[str, Any] = {
        name: request.values.get(name) for name in QUEUE_PARAMETERS if request.values.get(name)
    }
    try:
        return url_for("queue.index", **args)
    except BuildError:
        return f"{request.script_root}/staff/queue/"


@bp.route("/staff/documents/exports", methods=["POST"])
@requires("queue.view")
def start_export():
    user = current_user()
    form = ExportForm()
    if not form.validate():
        abort(400)
    ids, _cut = _selection(request.form)
    if not ids:
        flash(_("There are no cases to export in this selection."), "error")
        return redirect(_queue_url(), code=303)
    export = exports.start_export(
        user, ids, redacted=bool(form.redacted.data), language=_ui_language()
    )
    export_jobs.queue_export(export.id)  # once the export is committed
    db.session.commit()
    return redirect(url_for(".export_progress", export_id=export.id), code=303)


@bp.route("/staff/documents/exports/<int:export_id>")
@writes_on_get
@requires("queue.view")
def export_progress(export_id: int):
    export = exports.export_for(current_user(), export_id) or abort(404)
    # The worker making it went away: a worker takes it over (without waiting for the sweep)
    # and goes on from the last case stored.
    restarted = exports.is_stale(export)
    if restarted:
        export_jobs.queue_export(export.id)
    working = export.status in ("queued", "running")
    auto = request.args.get("auto") != "0"
    response = make_response(
        render_template(
            "documents/export_progress.html",
            export=export,
            working=working,
            restarted=restarted,
            auto=auto,
            refresh_seconds=REFRESH_SECONDS,
        )
    )
    if working and auto:
        # Reloads the page until the ZIP is ready; works without JavaScript.
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    db.session.commit()
    return response


@bp.route("/staff/documents/exports/<int:export_id>/download")
@writes_on_get
@requires("queue.view")
def download_export(export_id: int):
    user = current_user()
    export = exports.export_for(user, export_id) or abort(404)
    if export.status != "done":
        return redirect(url_for(".export_progress", export_id=export.id))
    count, size = exports.part_count(export.id), export.size_bytes
    record_event(
        "document.exported",
        actor_type="staff",
        actor_id=user.id,
        object_type="document_export",
        object_id=export.id,
        details={"kind": "bulk_zip", "cases": export.total, "redacted": export.redacted},
    )
    db.session.commit()
    name = f"case-summaries-{export.id}{'-redacted' if export.redacted else ''}.zip"
    response = Response(
        stream_with_context(exports.stream_parts(export.id, count)),
        mimetype="application/zip",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Content-Length"] = str(size)
    return response
