"""Spanish is complete: every string the app can show has a translation, and errors are Spanish."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from tests.filing import VALID_ANSWERS, error_messages, post_step

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "intake" / "translations" / "es" / "LC_MESSAGES" / "messages.po"


def test_every_string_in_the_code_is_translated_to_spanish(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "pgettext:1c,2",
            "-k",
            "lazy_pgettext:1c,2",
            "-o",
            str(template),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as fh:
        wanted = {_key(m) for m in read_po(fh) if m.id}
    with CATALOGUE.open("rb") as fh:
        catalogue = read_po(fh)
    translated = {_key(m) for m in catalogue if m.id and _complete(m.string) and not m.fuzzy}
    assert sorted(wanted - translated) == []


def _key(message) -> str:
    # A plural message's id is (singular, plural): compare them as one string. A message with
    # a context (pgettext) is another message than the same words without one.
    message_id = message.id
    text = " | ".join(message_id) if isinstance(message_id, tuple) else message_id
    return f"[{message.context}] {text}" if message.context else text


def _complete(string) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def test_errors_are_shown_in_spanish(client):
    client.get("/language/es")
    response = post_step(client, "filer", {**VALID_ANSWERS["filer"], "email": "no-es-correo"})
    html = response.get_data(as_text=True)
    assert 'lang="es"' in html
    messages = error_messages(html)
    assert messages and all("email address" not in m for m in messages)
    assert "Hay un problema" in html or "problema" in html.lower()


def test_the_complaint_records_the_language_it_was_filed_in(app, client):
    from sqlalchemy import select

    from intake.complaints.models import Complaint
    from intake.extensions import db
    from tests.filing import file_complaint

    client.get("/language/es")
    file_complaint(client)
    with app.app_context():
        assert db.session.execute(select(Complaint.language)).scalar_one() == "es"


def test_staff_status_words_are_translated_apart_from_the_public_ones(app):
    """Spanish: the public page's statuses agree with "la queja", the staff's with "el caso"."""
    from intake.complaints.status import STATUSES
    from intake.review.workflow import STAFF_STATUS_LABELS
    from tests.staff import staff_client
    from tests.test_queue import make_complaint

    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        for status, public, staff in (
            ("received", "Recibida", "Recibido"),
            ("closed", "Cerrada", "Cerrado"),
        ):
            assert (str(STATUSES[status]), str(STAFF_STATUS_LABELS[status])) == (public, staff)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert str(STAFF_STATUS_LABELS["closed"]) == str(STATUSES["closed"]) == "Closed"

    make_complaint(app, status="closed")
    supervisor = staff_client(app, "supervisor")
    supervisor.get("/language/es")
    queue = supervisor.get("/staff/queue/?status=all").get_data(as_text=True)
    assert ">Cerrado</span>" in queue  # the status column
    assert "<td" in queue and "Cerrada" not in queue


def test_the_case_page_says_who_filed(app):
    from tests.filing import file_complaint
    from tests.pdfs import complaint_id_for
    from tests.staff import staff_client

    tracking, _code = file_complaint(app.test_client())
    supervisor = staff_client(app, "supervisor")
    page = supervisor.get(f"/staff/cases/{complaint_id_for(app, tracking)}").get_data(as_text=True)
    assert "Filing for" not in page
    assert '<dt>Filed by</dt><dd class="intake-prewrap">A relative or friend</dd>' in page
