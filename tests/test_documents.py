"""Documents: typed from their bytes, limited in size and number, kept with the complaint."""

import io

import pytest
from sqlalchemy import func, select

from intake.attachments.models import Attachment
from intake.attachments.sniffing import detect_type, name_for_type, safe_filename
from intake.complaints.models import Complaint
from intake.extensions import db
from tests.conftest import csrf_token
from tests.filing import VALID_ANSWERS, error_messages, fill_all_steps, post_step, submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def upload(client, *files):
    return post_step(
        client,
        "story",
        VALID_ANSWERS["story"],
        action="upload",
        files=[(io.BytesIO(data), name) for name, data in files],
    )


def stored(app):
    with app.app_context():
        rows = db.session.execute(
            select(Attachment.filename, Attachment.content_type, Attachment.complaint_id)
        ).all()
        return [tuple(r) for r in rows]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PNG, "image/png"),
        (PDF, "application/pdf"),
        (JPEG, "image/jpeg"),
        ("Hola, señora. Él dijo: ¿dónde?\n".encode(), "text/plain"),
        (EXE, None),
        (b"\x00\x01\x02binary", None),
        (b"", None),
    ],
)
def test_type_is_decided_from_the_bytes(data, expected):
    assert detect_type(data) == expected


@pytest.mark.parametrize(
    ("name", "content_type", "stored_as"),
    [
        ("page.html", "text/plain", "page.html.txt"),
        ("drawing.svg", "text/plain", "drawing.svg.txt"),
        ("notes.TXT", "text/plain", "notes.TXT"),
        ("scan.jpeg", "image/jpeg", "scan.jpeg"),
        ("scan.JPG", "image/jpeg", "scan.JPG"),
        ("polyglot.html", "image/png", "polyglot.html.png"),
        ("letter", "application/pdf", "letter.pdf"),
    ],
)
def test_a_stored_name_ends_as_its_type_does(name, content_type, stored_as):
    assert name_for_type(name, content_type) == stored_as


def test_file_names_lose_paths_and_control_characters():
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\ana\\foto\x00.png") == "foto.png"
    assert safe_filename("") == "document"


def test_documents_move_from_the_draft_to_the_complaint(app, client):
    fill_all_steps(client)
    # A PNG named .txt is stored as the PNG it is, and named so.
    response = upload(client, ("photo.txt", PNG), ("letter.pdf", PDF))
    assert response.status_code == 302
    assert sorted(stored(app)) == [
        ("letter.pdf", "application/pdf", None),
        ("photo.txt.png", "image/png", None),
    ]
    review = client.get("/file/review").get_data(as_text=True)
    assert "photo.txt.png" in review and "letter.pdf" in review
    assert submit(client).status_code == 302
    with app.app_context():
        complaint_id = db.session.execute(select(Complaint.id)).scalar_one()
    assert {row[2] for row in stored(app)} == {complaint_id}


def test_wrong_type_is_refused_with_its_name(app, client):
    fill_all_steps(client)
    response = upload(client, ("invoice.pdf", EXE))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "invoice.pdf is not a PDF, JPEG, PNG or plain text file." in error_messages(html)
    assert stored(app) == []


def test_file_over_ten_megabytes_is_refused(app, client):
    fill_all_steps(client)
    big = PNG + b"\x00" * (10 * 1024 * 1024)
    html = upload(client, ("big.png", big)).get_data(as_text=True)
    assert "big.png is larger than 10 MB. Choose a smaller file." in error_messages(html)
    assert stored(app) == []


def test_no_more_than_five_files(app, client):
    fill_all_steps(client)
    response = upload(client, *[(f"p{i}.png", PNG) for i in range(6)])
    html = response.get_data(as_text=True)
    assert "p5.png was not added: you can add up to 5 files." in error_messages(html)
    assert len(stored(app)) == 5


def test_a_document_can_be_removed_only_from_ones_own_draft(app, client):
    fill_all_steps(client)
    upload(client, ("mine.png", PNG))
    intruder = app.test_client()
    fill_all_steps(intruder)
    with app.app_context():
        mine = db.session.execute(select(Attachment.id)).scalar_one()
    post_step(intruder, "story", VALID_ANSWERS["story"], action=f"remove:{mine}")
    assert len(stored(app)) == 1
    post_step(client, "story", VALID_ANSWERS["story"], action=f"remove:{mine}")
    assert stored(app) == []


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize("app_config", [{"MAX_CONTENT_LENGTH": 64 * 1024}], indirect=True)
def test_request_body_too_large_gets_a_clear_page_and_earlier_answers_stay(app, client):
    fill_all_steps(client)
    token = csrf_token(client, "/file/story")
    response = client.post(
        "/file/story",
        data={
            "csrf_token": token,
            "narrative": "x",
            "documents": [(io.BytesIO(PNG + b"\x00" * 100_000), "big.png")],
        },
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The files you sent are too large" in html
    assert "rosa.canary@example.org" in client.get("/file/filer").get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Attachment)).scalar_one() == 0
