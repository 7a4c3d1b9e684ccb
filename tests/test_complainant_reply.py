"""The complainant answers a request for information on the status page, with documents."""

import io
import re
import time

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from intake.accounts.models import User
from intake.attachments.models import MAX_ATTACHMENT_BYTES, Attachment
from intake.audit.models import AuditEvent
from intake.audit.services import verify_chain
from intake.complaints.models import Complaint
from intake.extensions import db
from intake.review.models import Message
from intake.review.workflow import apply_action
from intake.tracking.views import SESSION_KEY
from tests.conftest import csrf_token
from tests.filing import error_messages, file_complaint
from tests.staff import make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
QUESTION = "Which day were you released?\nPlease send the release paper."
ANSWER = "I was released on June 19.\r\nThe paper is attached."


def _complaint() -> Complaint:
    return db.session.execute(select(Complaint)).scalar_one()


def staff_acts(app, staff_id: int, action: str, **inputs) -> None:
    """A staff member moves the case, as the case page would (the form there is not needed)."""
    with app.app_context():
        complaint = _complaint()
        actor = db.session.get(User, staff_id)
        apply_action(complaint, action, actor, expected_version=complaint.version, **inputs)
        db.session.commit()


@pytest.fixture
def asked(app, client):
    """A filed complaint the office asked a question about; returns (tracking, access code)."""
    tracking, code = file_complaint(client)
    specialist = make_user(app, "intake_specialist")
    staff_acts(app, specialist.id, "claim")
    staff_acts(app, specialist.id, "request_information", message=QUESTION)
    return tracking, code, specialist


def looked_up(app, tracking, code, language=None):
    visitor = app.test_client()
    if language:
        visitor.get(f"/language/{language}")
    token = csrf_token(visitor, "/status/")
    response = visitor.post(
        "/status/", data={"csrf_token": token, "tracking_number": tracking, "access_code": code}
    )
    assert response.status_code == 302
    return visitor


def status_page(visitor) -> str:
    return visitor.get("/status/case").get_data(as_text=True)


def form_version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def post_reply(visitor, body=ANSWER, files=(), version=None):
    html = status_page(visitor)
    data = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
        "version": form_version(html) if version is None else version,
        "body": body,
        "documents": [(io.BytesIO(content), name) for name, content in files],
    }
    return visitor.post("/status/case/reply", data=data, content_type="multipart/form-data")


def textarea_value(html: str, field_id: str = "body") -> str:
    match = re.search(rf'<textarea[^>]*id="{field_id}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {field_id}"
    return match.group(1).lstrip("\r\n")


def stored(app):
    with app.app_context():
        complaint = _complaint()
        replies = db.session.execute(
            select(Message).where(Message.direction == "from_complainant")
        ).scalars()
        documents = db.session.execute(select(Attachment).order_by(Attachment.id)).scalars()
        return complaint.status, list(replies), list(documents)


def test_messages_show_in_order_as_plain_text_with_line_breaks(app, client, asked):
    tracking, code, specialist = asked
    with app.app_context():
        complaint = _complaint()
        db.session.add(
            Message(
                complaint_id=complaint.id,
                direction="to_complainant",
                body="<b>Later</b> note\nsecond line",
                sent_by_id=specialist.id,
            )
        )
        db.session.commit()
    html = status_page(looked_up(app, tracking, code))
    first = html.index("Which day were you released?")
    later = html.index("&lt;b&gt;Later&lt;/b&gt; note")
    assert first < later
    assert "<b>Later</b>" not in html
    assert 'class="intake-prewrap">Which day were you released?\nPlease send' in html
    assert 'id="public-status">Information requested<' in html


def test_the_form_is_there_only_while_the_office_waits_for_an_answer(app, client):
    tracking, code = file_complaint(client)
    html = status_page(looked_up(app, tracking, code))
    assert 'action="/status/case/reply"' not in html
    specialist = make_user(app, "intake_specialist")
    staff_acts(app, specialist.id, "claim")
    staff_acts(app, specialist.id, "request_information", message=QUESTION)
    html = status_page(looked_up(app, tracking, code))
    assert 'action="/status/case/reply"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label class="usa-label" for="body">' in html and 'for="documents"' in html


def test_answer_with_documents_goes_back_to_triage_in_one_transaction(app, asked, backend):
    tracking, code, _ = asked
    visitor = looked_up(app, tracking, code)
    response = post_reply(visitor, files=[("release.pdf", PDF), ("photo.png", PNG)])
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/status/case")
    assert tracking not in response.headers["Location"]

    status, replies, documents = stored(app)
    assert status == "triage"
    assert [m.body for m in replies] == ["I was released on June 19.\nThe paper is attached."]
    assert replies[0].sent_by_id is None
    assert [(d.filename, d.content_type, d.source) for d in documents] == [
        ("release.pdf", "application/pdf", "complainant_reply"),
        ("photo.png", "image/png", "complainant_reply"),
    ]
    with app.app_context():
        complaint_id = _complaint().id
        assert all(d.complaint_id == complaint_id and d.draft_id is None for d in documents)
        assert all(d.message_id == replies[0].id for d in documents)
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "case.complainant_replied")
        ).scalar_one()
        assert event.actor_type == "public" and event.actor_id is None
        assert event.object_id == complaint_id
        assert event.details == {
            "documents": 2,
            "from": "awaiting_information",
            "to": "triage",
            "message_id": replies[0].id,
        }
        assert verify_chain().ok

    # The page after the redirect confirms once, shows the answer, and has no form any more.
    html = status_page(visitor)
    assert "We received your answer" in html and "It came with 2 documents." in html
    assert 'id="public-status">Under review<' in html
    assert "I was released on June 19." in html and "release.pdf" in html
    assert 'action="/status/case/reply"' not in html
    assert "We received your answer" not in status_page(visitor)


def test_answer_without_documents(app, asked):
    tracking, code, _ = asked
    visitor = looked_up(app, tracking, code)
    assert post_reply(visitor, body="Just text.").status_code == 302
    status, replies, documents = stored(app)
    assert status == "triage" and [m.body for m in replies] == ["Just text."] and documents == []
    with app.app_context():
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "case.complainant_replied")
        ).scalar_one()
        assert event.details["documents"] == 0


@pytest.mark.parametrize(
    ("body", "files", "expected"),
    [
        ("   ", [], "Write your answer before you send it."),
        (
            "x" * 10_001,
            [],
            "Your answer is too long: use 10,000 characters or fewer."
            " You can attach a document with the rest.",
        ),
        (ANSWER, [("virus.pdf", EXE)], "virus.pdf is not a PDF, JPEG, PNG or plain text file."),
        (ANSWER, [("empty.txt", b"")], "empty.txt is empty."),
        (ANSWER, [(f"p{i}.png", PNG) for i in range(6)], "Choose up to 5 files."),
    ],
    ids=["blank", "too-long", "wrong-type", "empty-file", "six-files"],
)
def test_bad_answers_are_explained_next_to_the_field_and_nothing_is_sent(
    app, asked, body, files, expected
):
    tracking, code, _ = asked
    visitor = looked_up(app, tracking, code)
    response = post_reply(visitor, body=body, files=files)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert any(message.startswith(expected) for message in error_messages(html)), error_messages(
        html
    )
    assert "There is a problem" in html
    assert "We received your answer" not in html
    # What was typed is still there (line breaks as one kind), ready to send again.
    if body.strip():
        assert textarea_value(html) == body.replace("\r\n", "\n")
    if files:
        assert "Choose your documents again" in html
    assert stored(app)[0] == "awaiting_information"
    assert stored(app)[1:] == ([], [])


def test_a_file_over_ten_megabytes_is_refused(app, asked):
    tracking, code, _ = asked
    visitor = looked_up(app, tracking, code)
    big = PNG + b"\x00" * MAX_ATTACHMENT_BYTES
    html = post_reply(visitor, files=[("scan.png", big)]).get_data(as_text=True)
    assert "scan.png is larger than 10 MB. Choose a smaller file." in " ".join(error_messages(html))
    assert stored(app)[1:] == ([], [])


def test_the_office_changed_the_case_meanwhile_text_is_kept_and_can_be_sent(app, asked):
    tracking, code, _ = asked
    visitor = looked_up(app, tracking, code)
    stale_version = form_version(status_page(visitor))
    # A supervisor reassigns the case while the complainant writes: same status, new version.
    supervisor = make_user(app, "supervisor")
    staff_acts(app, supervisor.id, "claim")
    response = post_reply(visitor, version=stale_version, files=[("photo.png", PNG)])
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Our office updated your complaint while you were writing." in html
    assert textarea_value(html) == ANSWER.replace("\r\n", "\n")
    assert "Choose your documents again" in html
    assert stored(app)[0] == "awaiting_information" and stored(app)[1:] == ([], [])
    # The form now carries the case as it is: sending again works.
    assert form_version(html) != stale_version
    assert post_reply(visitor, version=form_version(html)).status_code == 302
    assert stored(app)[0] == "triage"


def test_a_missing_or_forged_version_is_a_conflict_not_a_blind_write(app, asked):
    tracking, code, _ = asked
    visitor = looked_up(app, tracking, code)
    response = post_reply(visitor, version="not-a-number")
    assert response.status_code == 409
    assert stored(app)[0] == "awaiting_information"


def test_no_longer_waiting_the_text_is_shown_to_keep(app, asked):
    tracking, code, specialist = asked
    visitor = looked_up(app, tracking, code)
    version = form_version(status_page(visitor))
    # The answer came by phone and staff recorded it: the case is back in triage.
    staff_acts(app, specialist.id, "complainant_replied", message="Called: released June 19.")
    response = post_reply(visitor, version=version)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Your answer was not sent" in html
    assert textarea_value(html, "unsent-reply") == ANSWER.replace("\r\n", "\n")
    assert 'action="/status/case/reply"' not in html
    _, replies, _ = stored(app)
    assert [m.body for m in replies] == ["Called: released June 19."]


def test_only_the_browser_that_looked_the_case_up_may_answer(app, asked):
    tracking, code, _ = asked
    stranger = app.test_client()
    token = csrf_token(stranger, "/status/")
    response = stranger.post(
        "/status/case/reply", data={"csrf_token": token, "version": "3", "body": "Hijack."}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your answer was not sent" in html
    assert 'action="/status/" ' in html or 'action="/status/"' in html
    assert stored(app)[0] == "awaiting_information" and stored(app)[1] == []


def test_an_idle_page_closes_and_the_answer_is_given_back(app, asked):
    tracking, code, _ = asked
    visitor = looked_up(app, tracking, code)
    html = status_page(visitor)
    with visitor.session_transaction() as session:
        session[SESSION_KEY] = {**session[SESSION_KEY], "until": time.time() - 1}
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = visitor.post(
        "/status/case/reply",
        data={"csrf_token": token, "version": form_version(html), "body": "Long answer."},
    )
    html = response.get_data(as_text=True)
    assert "closed after 30 minutes without activity" in html
    assert textarea_value(html, "unsent-reply") == "Long answer."
    assert stored(app)[0] == "awaiting_information"


def test_using_the_page_keeps_it_open(app, asked):
    tracking, code, _ = asked
    visitor = looked_up(app, tracking, code)
    with visitor.session_transaction() as session:
        session[SESSION_KEY] = {**session[SESSION_KEY], "until": time.time() + 5}
    status_page(visitor)
    with visitor.session_transaction() as session:
        assert session[SESSION_KEY]["until"] > time.time() + 25 * 60


def test_lookup_rate_limit_still_applies(app, asked):
    tracking, _code, _ = asked
    attacker = app.test_client()
    token = csrf_token(attacker, "/status/")
    data = {"csrf_token": token, "tracking_number": tracking, "access_code": "AAAA-BBBB-CCCC-DDDD"}
    for _ in range(app.config["LOOKUP_MAX_FAILURES"]):
        attacker.post("/status/", data=data)
    assert attacker.post("/status/", data=data).status_code == 429


def spanish(app, text: str, **variables) -> str:
    with app.test_request_context(), force_locale("es"):
        return gettext(text, **variables)


@pytest.mark.parametrize("language", ["en", "es"])
def test_form_and_errors_in_the_complainants_language(app, asked, language):
    tracking, code, _ = asked
    visitor = looked_up(app, tracking, code, language=language)
    html = status_page(visitor)
    assert f'<html lang="{language}">' in html
    label = "Your answer" if language == "en" else spanish(app, "Your answer")
    assert label in html

    response = post_reply(visitor, body="", files=[("virus.pdf", EXE)])
    html = response.get_data(as_text=True)
    assert f'<html lang="{language}">' in html
    messages = " ".join(error_messages(html))
    if language == "en":
        assert "There is a problem" in html
        assert "Write your answer before you send it." in messages
        assert "virus.pdf is not a PDF, JPEG, PNG or plain text file." in messages
    else:
        assert "Hay un problema" in html
        assert spanish(app, "Write your answer before you send it.") in messages
        # Already in the Spanish catalogue: the document checks are shared with filing.
        assert "El archivo virus.pdf no es PDF, JPEG, PNG ni texto simple." in messages
        assert "is not a PDF" not in messages
