"""The review queue: lists of complaints with filters, search and keyset pages.

Filters are codes and live in the URL. Search words are personal data (people search for
names), so they never do: the form is posted, the words are kept in the staff member's
session under a short random id, and the redirect carries only that id.
"""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import format_date, format_number
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from intake.accounts.access import current_user, requires
from intake.extensions import db
from intake.review.access import sees_whole_queue

from . import saved_searches, search, services
from .forms import SORT_LABELS, QueueForm, translated
from .services import Cursor, Filters

bp = Blueprint("queue", __name__, url_prefix="/staff/queue")


@bp.route("/", methods=["GET"])
@requires("queue.view")
def index():
    user = current_user()
    form = _form(user, request.args, csrf=False)
    form.validate()
    filters = form.filters()
    search_id = request.args.get("search") or None
    words = saved_searches.get(search_id)
    form.q.data = words or ""
    page = None
    if not (search_id and words is None):  # an expired search shows no list, but says why
        where = services.conditions(filters, user)
        clause, countable = search.search_clause(db.session, words) if words else (None, True)
        if clause is not None:
            where.append(clause)
        cursor = Cursor.decode(request.args.get("cursor"), filters.sort)
        # A search for a common word is not counted: counting is what would be slow.
        page = services.queue_page(db.session, where, filters.sort, cursor, count=countable)
    expired = bool(search_id and words is None)
    return _render(form, filters, page, search_id=search_id if words else None, expired=expired)


@bp.route("/", methods=["POST"])
@requires("queue.view")
def search_and_filter():
    """The posted form: keep the search words server-side, redirect to a URL of codes."""
    user = current_user()
    form = _form(user, None, csrf=True)
    if not form.validate():
        return _render(form, form.filters(), None), 400
    args = form.filters().query_args()
    if form.q.data and search.query_words(form.q.data):
        args["search"] = saved_searches.remember(form.q.data)
    return redirect(url_for(".index", **args), code=303)


def _form(user, formdata, *, csrf: bool) -> QueueForm:
    form = QueueForm() if csrf else QueueForm(formdata=formdata, meta={"csrf": False})
    whole_queue = sees_whole_queue(user)
    form.set_choices(services.assignable_staff(db.session) if whole_queue else None)
    return form


# The views: links that set one filter and clear the rest.
def _views(user) -> list[tuple[str, Filters]]:
    views = [
        (_("All open cases") if sees_whole_queue(user) else _("My cases"), Filters()),
    ]
    if sees_whole_queue(user):
        views += [
            (_("My cases"), Filters(assignee=services.ASSIGNED_TO_ME)),
            (_("Unassigned"), Filters(assignee=services.UNASSIGNED)),
        ]
    views.append((_("Overdue"), Filters(overdue=True)))
    return views


def _render(form, filters: Filters, page, *, search_id=None, expired=False):
    user = current_user()
    views = [
        {
            "label": label,
            "url": url_for(".index", **preset.query_args()),
            "current": preset == filters and not search_id,
        }
        for label, preset in _views(user)
    ]
    base_args = {**filters.query_args(), **({"search": search_id} if search_id else {})}
    return render_template(
        "queue/index.html",
        form=form,
        filters=filters,
        page=page,
        views=views,
        searching=bool(search_id),
        expired_search=expired,
        clear_search_url=url_for(".index", **filters.query_args()),
        first_url=url_for(".index", **base_args),
        # The whole selection, every page of it: the same filters and the same kept search.
        export_url=url_for("documents.new_export", **base_args),
        next_url=(
            url_for(".index", **base_args, cursor=page.next_cursor)
            if page and page.next_cursor
            else None
        ),
        previous_url=(
            url_for(".index", **base_args, cursor=page.previous_cursor)
            if page and page.previous_cursor
            else None
        ),
        count_cap=format_number(page.cap) if page else "",
        sort_label=SORT_LABELS[filters.sort],
        # Translated once, not once per row.
        status_labels=dict(translated("status_labels")),
        allegation_labels=dict(translated("allegation_labels")),
        format_day=_day_formatter(),
        case_base=case_url(0).removesuffix("0"),
    )


def _day_formatter():
    """format_date for many rows: rows on one day share the work."""
    days = {}

    def format_day(moment) -> str:
        day = moment.date()
        if day not in days:
            days[day] = format_date(day, "medium")
        return days[day]

    return format_day


def case_url(complaint_id: int) -> str:
    """The case page's path (the queue puts the id after the path of case 0)."""
    try:
        return url_for("review.case", complaint_id=complaint_id)
    except BuildError:  # the case page is another package's; its path is fixed by the issue
        return f"{request.script_root}/staff/cases/{complaint_id}"
