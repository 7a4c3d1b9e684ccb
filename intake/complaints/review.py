"""What the filer's review page shows: every answer in words, grouped by the step it was given
on, read from the complaint the draft would become (so it is worded as the receipt and the
case page word it)."""

from flask_babel import get_locale

from . import description, filed
from .drafts import STEP_TITLES, STEPS, DraftCheck
from .services import build_complaint


def review_sections(check: DraftCheck) -> list[dict]:
    # Not added to the session: nothing of it is written.
    complaint = build_complaint(check, str(get_locale() or "en"))
    by_step: dict[str, list[filed.Row]] = {step: [] for step in STEPS}
    for key, section in description.SECTIONS.items():
        shown = filed.section(complaint, key, audience=filed.FILER)
        by_step[section.step].extend(shown.rows)
    return [
        {
            "step": step,
            "title": STEP_TITLES[step],
            "rows": rows,
            "complete": step not in check.incomplete,
        }
        for step, rows in by_step.items()
    ]
