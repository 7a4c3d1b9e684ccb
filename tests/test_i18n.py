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
            "-o",
            str(template),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as fh:
        wanted = {_key(m.id) for m in read_po(fh) if m.id}
    with CATALOGUE.open("rb") as fh:
        catalogue = read_po(fh)
    translated = {_key(m.id) for m in catalogue if m.id and _complete(m.string) and not m.fuzzy}
    assert sorted(wanted - translated) == []


def _key(message_id) -> str:
    # A plural message's id is (singular, plural): compare them as one string.
    return " | ".join(message_id) if isinstance(message_id, tuple) else message_id


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
