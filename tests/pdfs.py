"""Reading PDFs back for tests: text per page, metadata, attachments, and a page as a PNG."""

import io
import shutil
import subprocess
from pathlib import Path

import pypdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "test-output" / "pdf"


def reader(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-"), data[:40]
    return pypdf.PdfReader(io.BytesIO(data))


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in reader(data).pages]


def text(data: bytes) -> str:
    """All the text, with line breaks and runs of spaces made single spaces."""
    return " ".join(" ".join(pages_text(data)).split())


def embedded_files(data: bytes) -> dict:
    pdf = reader(data)
    names = pdf.trailer["/Root"].get("/Names")
    found = dict(pdf.attachments)
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found["/EmbeddedFiles"] = True
    return found


def save_sample(data: bytes, name: str, page: int = 1) -> Path:
    """Keep one page as a PNG under test-output/pdf/ (not in the repository) to look at."""
    SAMPLES.mkdir(parents=True, exist_ok=True)
    pdf_path = SAMPLES / f"{name}.pdf"
    pdf_path.write_bytes(data)
    if shutil.which("pdftoppm") is None:
        return pdf_path
    prefix = SAMPLES / f"{name}-page{page}"
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(page), "-l", str(page),
         str(pdf_path), str(prefix)],
        check=True, timeout=60,
    )  # fmt: skip
    return prefix.with_suffix(".png")
