"""Complaints that came by mail, email, fax or phone, entered by staff on one long page.

The page reuses the public filing steps' forms (each under its own prefix) so a complaint
entered by staff holds the same answers, checked the same way, as one filed on the web; the
staff part adds the channel, the date the office received it, the language and the scanned
original. The new complaint's access code is shown once, to be sent on to the complainant.
"""

import secrets
from datetime import UTC, date, datetime

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField, MultipleFileField, StringField
from wtforms.validators import InputRequired, ValidationError

from intake.accounts.access import current_user, requires
from intake.attachments.services import check_uploads, chosen
from intake.database import utcnow
from intake.extensions import db
from intake.forms import ChoiceRadioField, Form, strip
from intake.reference.categories import CHANNELS, LANGUAGES

from . import services
from .drafts import DraftCheck
from .forms import STEP_FORMS, StepForm
from .models import Complaint

bp = Blueprint("entry", __name__, url_prefix="/staff/complaints")
# The complaint just entered by this staff member, and (until shown once) its entry key.
SESSION_KEY = "entered_complaint"
SECTIONS = list(STEP_FORMS)  # filer, affected, incident, allegations, story, consent
SECTION_TITLES = {
    "filer": _l("The filer"),
    "affected": _l("The person affected"),
    "incident": _l("When and where"),
    "allegations": _l("Allegations"),
    "story": _l("The complaint"),
    "consent": _l("Privacy and accommodations"),
}
# The public forms speak to the filer ("your name"); staff type in someone else's answers.
# (label, hint) per field; a hint of None keeps the public one, "" drops it.
STAFF_WORDING: dict[str, dict[str, tuple[object, object | None]]] = {
    "filer": {
        "relationship": (_l("Who filed it?"), None),
        "anonymous": (_l("The filer gave no name or contact details (anonymous)"), ""),
        "name": (_l("Filer's full name"), None),
        "preferred_language": (_l("Language to write to the filer in"), None),
        "contact_method": (_l("How does the filer want to be contacted?"), None),
    },
    "affected": {
        "name": (_l("Full name of the person affected"), None),
        "consent_attested": (
            _l("The filer says the person affected agrees to this complaint"),
            None,
        ),
    },
    "allegations": {"allegations": (_l("What is alleged?"), None)},
    "story": {
        "narrative": (
            _l("What happened, in the filer's words"),
            _l(
                "Type it in, or for a long letter a summary that points to the scanned"
                " original. Up to 10,000 characters."
            ),
        ),
        "desired_outcome": (_l("What the filer wants to happen as a result"), None),
        "prior_bodies": (_l("Has the filer already complained about this elsewhere?"), None),
    },
    "consent": {
        "privacy_consent": (
            _l("Did the filer agree that we share the affected person's identity with the agency?"),
            None,
        ),
        "accommodation_disability": (_l("Accommodation needed because of a disability"), None),
        "accommodation_language": (_l("Help needed in another language"), None),
    },
}

STAFF_SELF_FILING = _l("The person affected, for themselves")


class EntryForm(Form):
    """What staff add to the public answers: how and when it came, its language, the scan."""

    channel = ChoiceRadioField(
        _l("How did the complaint come in?"),
        choices=[(code, CHANNELS[code]) for code in services.STAFF_CHANNELS],
        validators=[InputRequired(message=_l("Choose how the complaint came in."))],
    )
    received_on = StringField(
        _l("Date the office received it"),
        description=_l(
            "The day the letter or fax arrived, the email came in or the call was taken. It"
            " counts as the filing date, and the case's target dates run from it."
        ),
        validators=[InputRequired(message=_l("Enter the date the office received it."))],
        filters=[strip],
    )
    language = ChoiceRadioField(
        _l("Language of the complaint"),
        description=_l("The language the complainant wrote or spoke in."),
        choices=list(LANGUAGES.items()),
        validators=[InputRequired(message=_l("Choose the language of the complaint."))],
    )
    original = MultipleFileField(
        _l("Scanned original"),
        description=_l(
            "Required for mail and fax; optional for email and phone (the email saved as a"
            " PDF, or call notes). Up to 5 files, 10 MB each: PDF, JPEG, PNG or plain text."
        ),
    )
    # One key per blank form: posting the same form twice enters one complaint, not two.
    entry_key = HiddenField()

    received_date: date | None = None

    def validate_received_on(self, field):
        try:
            value = date.fromisoformat(field.data)
        except ValueError:
            message = _l("Enter the date as year-month-day, like 2025-06-16.")
            raise ValidationError(message) from None
        if value > date.today():
            raise ValidationError(_l("The date cannot be in the future."))
        if value.year < 1900:
            raise ValidationError(_l("Enter a year of 1900 or later."))
        self.received_date = value


def _section_forms() -> dict[str, StepForm]:
    forms = {
        step: STEP_FORMS[step](prefix=step, meta={"csrf": False}, context={}) for step in SECTIONS
    }
    for step, wording in STAFF_WORDING.items():
        for name, (label, hint) in wording.items():
            field = forms[step][name]
            field.label.text = label
            if hint is not None:
                field.description = hint
    relationship = forms["filer"].relationship
    relationship.choices = [
        (code, STAFF_SELF_FILING if code == "self" else label)
        for code, label in relationship.choices
    ]
    return forms


def _received_at(day: date) -> datetime:
    if day == date.today():
        return utcnow()
    # A past day without a time: midday UTC is the same calendar day in every US time zone.
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _check_across_sections(entry: EntryForm, forms: dict[str, StepForm]) -> bool:
    """Rules that span sections; each failure is put next to the field to change."""
    ok = True
    affected = forms["affected"]
    if forms["filer"].relationship.data == "self":
        # For someone filing for themselves these would be dropped: say so rather than lose them.
        for field in (affected.name, affected.consent_attested):
            if field.data:
                field.errors = [
                    *field.errors,
                    _("The filer is the person affected: leave this blank, or change who filed."),
                ]
                ok = False
    incident_date = forms["incident"].incident_date
    received = entry.received_date
    if received and incident_date and incident_date > received:
        entry.received_on.errors = [
            *entry.received_on.errors,
            _("The office cannot have received it before the incident date."),
        ]
        ok = False
    return ok


def _render(entry, forms, original_errors=(), files_dropped=0, status=200):
    return (
        render_template(
            "entry/new.html",
            entry=entry,
            forms=forms,
            sections=SECTIONS,
            section_titles=SECTION_TITLES,
            original_errors=list(original_errors),
            files_dropped=files_dropped,
        ),
        status,
    )


def _valid_entry_key(value: str | None) -> str:
    if value and 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
        return value
    return secrets.token_urlsafe(32)


@bp.route("/new", methods=["GET", "POST"])
@requires("case.enter")
def new_complaint():
    entry = EntryForm()
    forms = _section_forms()
    if request.method == "GET":
        entry.received_on.data = date.today().isoformat()
        entry.entry_key.data = secrets.token_urlsafe(32)
        return _render(entry, forms)

    entry.entry_key.data = _valid_entry_key(entry.entry_key.data)
    uploads = chosen(request.files.getlist(entry.original.name))
    if request.form.get("action") == "refresh":
        # No-JavaScript county list: show the page again with the state's counties.
        return _render(entry, forms, files_dropped=len(uploads))

    # Every section is checked, so every problem shows at once.
    valid = entry.validate_on_submit()
    for form in forms.values():
        valid = form.validate() and valid
    valid = _check_across_sections(entry, forms) and valid
    originals, original_errors = check_uploads(uploads)
    if entry.channel.data in services.ORIGINAL_REQUIRED and not uploads and not original_errors:
        original_errors.append(
            _("Attach the scanned original: it is required for a complaint sent by mail or fax.")
        )
    if not valid or original_errors:
        return _render(entry, forms, original_errors, files_dropped=len(uploads))

    key = entry.entry_key.data
    staff = current_user()
    received_on = entry.received_date
    assert received_on is not None  # a valid entry form has a received date
    complaint_id: int | None
    try:
        complaint = services.enter_complaint(
            DraftCheck(forms=forms, incomplete=[]),
            channel=entry.channel.data,
            language=entry.language.data,
            received_at=_received_at(received_on),
            entry_key=key,
            staff_id=staff.id,
            originals=originals,
        )
        db.session.commit()
        complaint_id = complaint.id
    except IntegrityError:
        # The same form posted twice (a double click): the first post entered it.
        db.session.rollback()
        complaint_id = db.session.execute(
            db.select(Complaint.id).where(
                Complaint.submission_key == services.entry_submission_key(key),
                Complaint.created_by_id == staff.id,
            )
        ).scalar_one_or_none()
        if complaint_id is None:
            raise
    session[SESSION_KEY] = {"complaint_id": complaint_id, "entry_key": key}
    return redirect(url_for(".entered"))


@bp.route("/entered")
@requires("case.enter")
def entered():
    remembered = session.get(SESSION_KEY)
    if not remembered:
        return redirect(url_for(".new_complaint"))
    complaint = db.session.get(Complaint, remembered["complaint_id"])
    if complaint is None or complaint.created_by_id != current_user().id:
        session.pop(SESSION_KEY, None)
        abort(404)
    access_code = None
    if remembered.get("entry_key"):
        access_code = services.entry_access_code(remembered["entry_key"])
        # Shown once: a reload shows the tracking number and the case, not the code.
        session[SESSION_KEY] = {"complaint_id": complaint.id}
    return render_template(
        "entry/entered.html",
        complaint=complaint,
        access_code=access_code,
        channel_label=CHANNELS[complaint.channel],
    )
