"""Complaint text is hostile input: a hostile complaint renders as text, and nothing it names
is ever fetched or embedded."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from intake.documents.pdf import render_pdf
from tests.conftest import csrf_token
from tests.filing import file_complaint
from tests.pdfs import complaint_id_for, embedded_files, save_sample, text
from tests.staff import staff_client

PASSWD_CONTENT = "root:x:0:0"


@pytest.fixture
def trap():
    """A local HTTP server that records every request it gets (there must be none)."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            requests.append(self.path)
            body = b"body { color: red }"
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.requests = requests
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)


def hostile_markup(url: str) -> str:
    return (
        f'<img src="{url}/img.png"> <img src="file:///etc/passwd">'
        f' <style>@import url("{url}/import.css");</style>'
        f' <link rel="stylesheet" href="{url}/link.css">'
        ' <link rel="attachment" href="file:///etc/passwd" title="passwd">'
        " <script>document.write('pwned')</script>"
        f' <iframe src="{url}/frame"></iframe> <object data="file:///etc/passwd"></object>'
    )


def test_a_hostile_raw_document_fetches_nothing(trap):
    """The fetcher itself, with markup that is not escaped (a template bug would look so)."""
    html = (
        '<!doctype html><html lang="en"><head><title>t</title><meta name="author" content="a">'
        f'<link rel="stylesheet" href="{trap.url}/head.css">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        "</head><body>"
        + hostile_markup(trap.url)
        + f'<div style="background: url({trap.url}/bg.png)">x</div>'
        + f'<svg><image href="{trap.url}/svg.png"/></svg>'
        + "</body></html>"
    )
    rendered = render_pdf(html)
    assert trap.requests == []
    assert rendered.refused_fetches >= 8
    assert embedded_files(rendered.data) == {}
    assert PASSWD_CONTENT not in text(rendered.data)
    assert b"root:x:0:0" not in rendered.data


def test_a_hostile_complaint_renders_literally_and_fetches_nothing(app, client, trap):
    markup = hostile_markup(trap.url)
    tracking, _code = file_complaint(
        client,
        {
            "filer": {"name": '<img src="file:///etc/passwd">'},
            "incident": {"officers": markup, "witnesses": "<script>alert(1)</script>"},
            "allegations": {"details_racial_profiling": markup},
            "story": {"narrative": "They said: " + markup, "desired_outcome": markup},
        },
    )
    complaint_id = complaint_id_for(app, tracking)
    documents = {"receipt": client.get("/file/confirmation/receipt.pdf?access_code=1")}
    staff = staff_client(app, "supervisor")
    documents["summary"] = staff.get(f"/staff/documents/cases/{complaint_id}/summary.pdf")
    documents["redacted"] = staff.get(
        f"/staff/documents/cases/{complaint_id}/summary.pdf?redacted=1"
    )
    url = f"/staff/documents/cases/{complaint_id}/letters"
    posted = staff.post(
        url,
        data={"csrf_token": csrf_token(staff, url), "kind": "acknowledgment", "language": "en"},
    )
    assert posted.status_code == 303
    with app.app_context():
        from intake.documents.models import CaseLetter
        from intake.extensions import db

        letter_id = db.session.execute(db.select(CaseLetter.id)).scalar_one()
    documents["letter"] = staff.get(f"{url}/{letter_id}.pdf")

    for name, response in documents.items():
        assert response.status_code == 200, name
        found = text(response.data)
        assert embedded_files(response.data) == {}, name
        assert PASSWD_CONTENT not in found, name
        assert "pwned" not in found.replace("document.write('pwned')", ""), name
    assert trap.requests == []
    # What people typed is shown as they typed it, markup and all.
    summary = text(documents["summary"].data)
    assert f'<img src="{trap.url}/img.png">' in summary
    assert "<script>document.write('pwned')</script>" in summary
    assert f'@import url("{trap.url}/import.css");' in summary
    assert '<link rel="attachment" href="file:///etc/passwd" title="passwd">' in summary
    assert "<script>alert(1)</script>" in summary
    assert '<img src="file:///etc/passwd">' in text(documents["letter"].data)  # the name
    assert f'<img src="{trap.url}/img.png">' in text(documents["receipt"].data)
    save_sample(documents["summary"].data, "hostile-summary")
