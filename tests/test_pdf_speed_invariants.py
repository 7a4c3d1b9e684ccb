"""What the render worker's speed-ups must not cost: every stream still deflated and readable,
the fonts still whole TrueType subsets, the PDF/A file identifier still there, and the worker
still answering document after document (its garbage collector runs between documents)."""

import zlib

import pytest
from pypdf.generic import IndirectObject, StreamObject

from intake.documents.pdf import Renderer, render_pdf
from tests.pdfs import reader, text

# Spanish, bold and monospace text: three embedded fonts.
PAGE = (
    '<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Resumen</title>'
    '<meta name="author" content="La oficina"></head><body>'
    "<h1>Resumen del caso</h1><p>¿Dónde está? Sí, señor: acción, ñandú, pingüino.</p>"
    '<div class="doc-footer"><span class="doc-hash">0123456789abcdef</span></div>'
    "</body></html>"
)


def _streams(document):
    """Every stream object (streams are never inside object streams, so all are in xref)."""
    for generation, objects in document.xref.items():
        for number in objects:
            found = document.get_object(IndirectObject(number, generation, document))
            if isinstance(found, StreamObject):
                yield number, found


def test_every_stream_is_deflated_and_reads_back():
    rendered = render_pdf(PAGE)
    document = reader(rendered.data)
    streams = list(_streams(document))
    assert streams
    for number, stream in streams:
        assert stream.get("/Filter") == "/FlateDecode", (number, stream.get("/Filter"))
        # What is stored (read back by the length pydyf wrote) is whole deflated data.
        raw = stream._data  # noqa: SLF001 - the bytes as stored, before pypdf decodes them
        assert zlib.decompress(raw) == stream.get_data()
    assert "¿Dónde está? Sí, señor: acción, ñandú, pingüino." in text(rendered.data)


def test_fonts_are_embedded_truetype_subsets():
    rendered = render_pdf(PAGE)
    names = []
    for page in reader(rendered.data).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            data = descriptor["/FontFile2"].get_object().get_data()
            assert data[:4] in (b"\x00\x01\x00\x00", b"true"), data[:4]
            names.append(str(font["/BaseFont"]))
    # Regular, bold and mono, each a subset (a six-letter tag before its name).
    assert len(names) == 3, names
    assert all(name[7:8] == "+" for name in names), names


def test_the_pdf_a_file_identifier_is_kept():
    rendered = render_pdf(PAGE)
    identifier = reader(rendered.data).trailer["/ID"]
    assert len(identifier) == 2 and all(len(str(part)) == 32 for part in identifier)
    xmp = reader(rendered.data).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="A"' in xmp


@pytest.mark.parametrize("documents", [6])
def test_the_worker_renders_document_after_document(documents):
    renderer = Renderer()
    try:
        sizes = set()
        for number in range(documents):
            rendered = renderer.render(PAGE.replace("Resumen del caso", f"Caso {number}"))
            assert rendered.pages == 1 and rendered.cpu_ms > 0
            assert f"Caso {number}" in text(rendered.data)
            sizes.add(len(rendered.data) // 1000)
        # Same document, same size: nothing left over from one render leaks into the next.
        assert len(sizes) == 1, sizes
    finally:
        renderer.close()


def test_fonts_are_subset_by_harfbuzz_not_fonttools():
    """WeasyPrint silently falls back to fontTools when libharfbuzz-subset is missing (the
    worker keeps WeasyPrint's warnings quiet), and a case summary then takes three times as
    long. scripts/ensure_fonts.sh installs it; this says so when it is missing."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None, "install libharfbuzz-subset0 (scripts/ensure_fonts.sh)"
    assert harfbuzz.hb_version_atleast(4, 1, 0)
