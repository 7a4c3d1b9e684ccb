"""The one rendering function: static files only, a time limit, PDF/A-2a with metadata."""

import subprocess
import sys
from pathlib import Path

import pytest

from intake.documents import pdf
from intake.documents.pdf import Renderer, RenderError, RenderTimeout, render_pdf
from tests.pdfs import reader, text

STATIC = pdf.STATIC_ROOT.resolve()


def _page(body: str, *, lang="en", title="A title", author="The office", head="") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="author" content="{author}">{head}</head><body>{body}</body></html>'
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
        STATIC.as_uri() + "/../pyproject.toml",
        STATIC.as_uri() + "/documents/../../intake/config.py",
        "file://otherhost" + STATIC.as_posix() + "/documents/pdf.css",
        STATIC.as_uri() + "/documents/missing.css",
        STATIC.as_uri() + "/js/app.js",  # a static file, but not a kind a document may use
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError):
        pdf._static_path(STATIC, url)


def test_the_fetcher_serves_a_static_stylesheet():
    assert pdf._static_path(STATIC, STATIC.as_uri() + "/documents/pdf.css") == (
        STATIC / "documents" / "pdf.css"
    )


def test_a_symlink_out_of_the_static_folder_is_refused(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    (root / "link.css").symlink_to(secret)
    with pytest.raises(ValueError):
        pdf._static_path(root.resolve(), (root / "link.css").as_uri())


def test_a_pdf_is_pdf_a_2a_with_title_language_and_author():
    rendered = render_pdf(_page("<h1>Hola</h1><p>Pérez, acción, ñandú.</p>", lang="es"))
    document = reader(rendered.data)
    assert document.metadata.title == "A title"
    assert document.metadata.author == "The office"
    root = document.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged for screen readers
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert "Pérez, acción, ñandú." in text(rendered.data)
    assert rendered.pages == 1 and rendered.refused_fetches == 0


def test_a_document_without_title_language_or_author_is_refused():
    for page in (
        _page("<p>x</p>", title=""),
        _page("<p>x</p>", author=""),
        "<html><head><title>t</title><meta name=author content=a></head><p>x</p></html>",
    ):
        with pytest.raises(RenderError):
            render_pdf(page)


def test_fonts_come_from_the_machine_and_are_embedded():
    rendered = render_pdf(_page("<p>¿Dónde está? Sí, señor.</p>"))
    fonts = set()
    for page in reader(rendered.data).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # embedded
            fonts.add(str(font["/BaseFont"]))
    assert any("DejaVu" in name for name in fonts), fonts


def test_a_render_that_takes_too_long_is_stopped_and_the_next_one_works():
    renderer = Renderer()
    try:
        huge = _page("".join(f"<p>{i} " + "palabra " * 60 + "</p>" for i in range(3000)))
        with pytest.raises(RenderTimeout):
            renderer.render(huge, timeout=0.5)
        assert renderer._process is None  # the worker was killed
        again = renderer.render(_page("<p>Otra vez.</p>"), timeout=30)
        assert again.pages >= 1
    finally:
        renderer.close()


def test_a_forked_process_does_not_reuse_its_parents_worker(monkeypatch):
    first = pdf.default_renderer()
    monkeypatch.setattr(first, "owner_pid", -1)
    assert pdf.default_renderer() is not first


def test_the_render_worker_runs_the_pdf_module_and_the_app_never_loads_weasyprint():
    renderer = Renderer()
    try:
        renderer.render(_page("<p>x</p>"))
        command = Path(f"/proc/{renderer._process.pid}/cmdline").read_bytes().split(b"\0")
        assert command[1:3] == [b"-m", b"intake.documents.pdf"]
    finally:
        renderer.close()
    # A web process builds the app and serves pages without WeasyPrint's weight.
    probe = (
        "import sys; from intake.factory import create_app;"
        " app = create_app({'INTAKE_ENV': 'testing', 'SQLALCHEMY_DATABASE_URI': 'sqlite://'});"
        " app.test_client().get('/');"
        " print(sorted(m for m in sys.modules if m.split('.')[0] in {'weasyprint', 'pydyf'}))"
    )
    loaded = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip().splitlines()[-1]
    assert loaded == "[]"


@pytest.mark.parametrize("hostile", ['"; } } body { display: none', "</style><p>x", 'a\\\\" é\n'])
def test_css_strings_cannot_end_the_string_the_rule_or_the_style_element(hostile):
    from intake.documents.rendering import css_string

    quoted = css_string(hostile)
    inside = quoted[1:-1]
    assert quoted[0] == quoted[-1] == '"'
    assert not set(inside) - set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ \\\\"
    )
    # Rendered, it reads back as the text it was made from (spacing aside), and the body is
    # still there.
    page = (
        '<html lang="en"><head><title>t</title><meta name="author" content="a">'
        f"<style>@page {{ @top-left {{ content: {quoted}; }} }}</style></head><body>.</body></html>"
    )
    found = "".join(text(render_pdf(page).data).split())
    assert "".join(hostile.split()) in found and "." in found.replace("".join(hostile.split()), "")
