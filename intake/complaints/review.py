"""What the review page shows: every answer, in words, grouped by step."""

from babel.dates import format_skeleton
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField

from intake.reference.categories import ALLEGATIONS, PRIOR_COMPLAINT_BODIES

from .drafts import STEP_TITLES, DraftCheck
from .forms import FilerForm

# Parts of a date typed in three boxes; the review shows the composed date instead.
_DATE_PARTS = {
    "dob_month",
    "dob_day",
    "dob_year",
    "incident_month",
    "incident_day",
    "incident_year",
}
_PRIOR_CASES = {f"prior_{body}_case" for body in PRIOR_COMPLAINT_BODIES}


def _choice_label(field, value):
    for choice_value, label, *_rest in field.iter_choices():
        if choice_value == value:
            return str(label)
    return value


def display_value(field) -> str | None:
    data = field.data
    if isinstance(field, BooleanField):
        return _("Yes") if data else None
    if isinstance(field, SelectMultipleField):
        labels = [_choice_label(field, value) for value in data or []]
        return "; ".join(labels) or None
    if isinstance(field, (RadioField, SelectField)):
        return _choice_label(field, data) if data else None
    return data or None


def _hidden_fields(step: str, context: dict, answers: dict) -> set[str]:
    if step == "filer" and answers.get("anonymous"):
        return {*FilerForm.IDENTIFYING, "address_state", "contact_method"}
    if step == "affected" and context.get("relationship") == "self":
        return {"name", "consent_attested"}
    return set()


def _date_text(value, precision) -> str | None:
    if value is None:
        return None
    if precision == "month":
        # A locale's own month-and-year pattern: "June 2025", "junio de 2025".
        return format_skeleton("yMMMM", value, locale=get_locale())
    return format_date(value, "long")


def review_sections(check: DraftCheck, context: dict, draft) -> list[dict]:
    sections = []
    for step, form in check.forms.items():
        rows = []
        raw = {name: field.data for name, field in form._fields.items()}
        hidden = _hidden_fields(step, context, raw)
        if step == "allegations":
            chosen = set(form.allegations.data or [])
            for code in ALLEGATIONS:
                if code in chosen:
                    rows.append((str(ALLEGATIONS[code]), form[f"details_{code}"].data or "—"))
        else:
            for name, field in form._fields.items():
                if name in hidden or name == "csrf_token" or name.startswith("details_"):
                    continue
                if name in _DATE_PARTS or name in _PRIOR_CASES or name == "documents":
                    continue
                value = display_value(field)
                if name == "prior_bodies" and field.data:
                    value = "; ".join(
                        f"{PRIOR_COMPLAINT_BODIES[b]}"
                        + (
                            f" ({form[f'prior_{b}_case'].data})"
                            if form[f"prior_{b}_case"].data
                            else ""
                        )
                        for b in field.data
                        if b in PRIOR_COMPLAINT_BODIES
                    )
                rows.append((str(field.label.text), value))
        if step == "affected":
            rows.insert(
                1, (_("Date of birth"), _date_text(getattr(form, "date_of_birth", None), "day"))
            )
        if step == "incident":
            rows.insert(
                0,
                (
                    _("Date"),
                    _date_text(
                        getattr(form, "incident_date", None),
                        getattr(form, "incident_date_precision", None),
                    ),
                ),
            )
        sections.append(
            {
                "step": step,
                "title": STEP_TITLES[step],
                # Unanswered optional questions would bury the answers on a phone screen.
                "rows": [(label, value) for label, value in rows if value],
                "complete": step not in check.incomplete,
            }
        )
    return sections
