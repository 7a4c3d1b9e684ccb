"""The one place HTML becomes PDF.

Complaint text is hostile input, so every PDF goes through ``render_pdf``:

- **Only our own static files.** WeasyPrint fetches stylesheets, images, fonts and
  ``<link rel=attachment>`` targets through a URL fetcher. Ours (``StaticOnlyFetcher``) serves
  ``file:`` URLs that resolve (symlinks and ``..`` followed) inside the project's ``static``
  folder, with an allowed suffix and a size limit, and refuses everything else: http, https,
  ftp, data, other files, other hosts. It never opens a network connection, so there is nothing
  to redirect. Templates escape what people typed, so hostile markup is text, not elements;
  the fetcher is the second wall behind that.
- **A time limit.** WeasyPrint is pure Python plus Pango: a thread cannot be stopped, and a
  signal alarm only works on a main thread. So rendering happens in a separate, long-lived
  worker process (``python -m intake.documents.pdf``), one per app process, started on first
  use with WeasyPrint already imported and its fonts loaded. A render that takes longer than the
  limit gets its worker killed (and a fresh one next time) and raises ``RenderTimeout``.
  The worker also has an address-space limit, so a runaway layout cannot eat the machine.
  Passing the HTML and the PDF through a pipe costs about a millisecond.
- **PDF/A-2a.** Level "a" of PDF/A means tagged (structure for screen readers, reading order,
  Unicode text) *and* archival (fonts embedded, colours defined, no external content). Letters
  are kept with the case and summaries are shared with agencies for years, so archiving matters
  as much as accessibility; PDF/UA-1 gives the tags without the archival guarantees. PDF/A-2
  also forbids embedded non-PDF files, and WeasyPrint drops them: a third wall against
  ``<link rel=attachment>``. The title, language and author come from the document's
  ``<title>``, ``<html lang>`` and ``<meta name=author>``; a document without them is refused.
  Viewers are asked to show the title rather than the file name (as PDF/UA asks).
- **Fonts from the machine.** DejaVu and Liberation (Debian packages, installed by
  ``scripts/ensure_fonts.sh``) cover Spanish; nothing is downloaded.
- **Speed.** The worker is started once and kept; stylesheets are parsed and fonts loaded once
  per worker; its garbage collector runs between documents, not during one; streams are
  deflated once (see ``_compress_streams_once``). What is left is WeasyPrint laying out and
  painting boxes, about a millisecond per element of the document.
"""

import gc
import json
import logging
import os
import resource
import selectors
import struct
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from intake.config import folder

ROOT = Path(__file__).resolve().parent.parent.parent  # the folder that holds the package
STATIC_ROOT = folder("static")
PDF_VARIANT = "pdf/a-2a"
DEFAULT_TIMEOUT_SECONDS = 20.0
STARTUP_TIMEOUT_SECONDS = 60.0
# What the worker may fetch from the static folder, and its type.
STATIC_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
MAX_STATIC_BYTES = 4 * 1024 * 1024
# The worker's address-space limit: generous for WeasyPrint, fatal for a runaway.
WORKER_MEMORY_BYTES = 3 * 1024 * 1024 * 1024
_FRAME = struct.Struct(">I")

log = logging.getLogger(__name__)


class RenderError(RuntimeError):
    """The document could not be rendered (the worker failed or refused it)."""


class RenderTimeout(RenderError):
    """The render took longer than its time limit; its worker was stopped."""


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    # How many fetches the URL fetcher refused (anything not one of our static files).
    refused_fetches: int
    # Time spent in the worker, wall clock and CPU (for the benchmark).
    render_ms: float = 0.0
    cpu_ms: float = 0.0


DEFAULT_STYLESHEETS = ("documents/pdf.css",)


def render_pdf(
    html: str, *, stylesheets: tuple[str, ...] = DEFAULT_STYLESHEETS, timeout: float | None = None
) -> RenderedPdf:
    """Render one HTML document (from our templates) to a PDF/A-2a file within ``timeout``.

    ``stylesheets`` are paths under the static folder, fetched through the same URL fetcher
    and parsed once per worker (parsing them for every document cost more than laying out a
    page). The HTML may link stylesheets and images too; they go through the fetcher."""
    return default_renderer().render(html, stylesheets=stylesheets, timeout=timeout)


def default_renderer() -> "Renderer":
    """This process's renderer (a forked process gets its own, never its parent's pipes)."""
    global _default
    with _default_lock:
        if _default is None or _default.owner_pid != os.getpid():
            _default = Renderer()
        return _default


_default: "Renderer | None" = None
_default_lock = threading.Lock()


class Renderer:
    """One worker process and the lock that gives it one document at a time."""

    def __init__(self, static_root: Path = STATIC_ROOT):
        self.static_root = static_root
        self.owner_pid = os.getpid()
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None

    def render(
        self,
        html: str,
        *,
        stylesheets: tuple[str, ...] = DEFAULT_STYLESHEETS,
        timeout: float | None = None,
    ) -> RenderedPdf:
        limit = DEFAULT_TIMEOUT_SECONDS if timeout is None else timeout
        request = json.dumps({"html": html, "stylesheets": list(stylesheets)}).encode()
        with self._lock:
            process = self._ensure_started()
            try:
                _write_frame(process.stdin, request)
                deadline = time.monotonic() + limit
                header = json.loads(_read_frame(process.stdout, deadline))
                if not header.get("ok"):
                    raise RenderError(f"render failed: {header.get('error', 'unknown')}")
                data = _read_frame(process.stdout, deadline)
            except TimeoutError:
                self._stop()
                raise RenderTimeout(f"render took longer than {limit:g} s") from None
            except (OSError, ValueError, EOFError) as error:
                self._stop()
                raise RenderError(f"render worker failed: {type(error).__name__}") from error
        return RenderedPdf(
            data, header["pages"], header["refused"], header["render_ms"], header["cpu_ms"]
        )

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _ensure_started(self) -> subprocess.Popen:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module  # nosec B603
            [sys.executable, "-m", "intake.documents.pdf", str(self.static_root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
            cwd=str(ROOT),
        )
        self._process = process
        try:
            ready = json.loads(
                _read_frame(process.stdout, time.monotonic() + STARTUP_TIMEOUT_SECONDS)
            )
        except (TimeoutError, OSError, ValueError, EOFError) as error:
            self._stop()
            raise RenderError("the render worker did not start") from error
        if not ready.get("ready"):
            self._stop()
            raise RenderError("the render worker did not start")
        return process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


def _write_frame(stream, payload: bytes) -> None:
    stream.write(_FRAME.pack(len(payload)) + payload)
    stream.flush()


def _read_exactly(stream, size: int, deadline: float | None) -> bytes:
    """Read ``size`` bytes from a pipe, giving up (TimeoutError) at ``deadline``."""

    chunks, remaining = [], size
    fd = stream.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while remaining:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise TimeoutError
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError("the render worker closed its output")
            chunks.append(chunk)
            remaining -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream, deadline: float | None) -> bytes:
    (size,) = _FRAME.unpack(_read_exactly(stream, _FRAME.size, deadline))
    return _read_exactly(stream, size, deadline)


# --- the worker process -----------------------------------------------------------------------


def static_only_fetcher(static_root: Path):
    """A WeasyPrint URL fetcher that serves files under ``static_root`` and nothing else."""
    # Only the render worker process loads WeasyPrint (tens of MB), never a web process.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = static_root.resolve()

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            # No redirects, and only file: URLs even reach our fetch().
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.refused = 0

        def fetch(self, url, headers=None):
            try:
                path = _static_path(root, url)
            except ValueError:
                self.refused += 1
                raise
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), {"Content-Type": STATIC_TYPES[path.suffix]}
            )

    return StaticOnlyFetcher()


def _static_path(root: Path, url: str) -> Path:
    """The file a URL names, if it is one of our static files; ValueError otherwise."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise ValueError("only the project's static files may be fetched")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise ValueError("only the project's static files may be fetched")
    if path.suffix not in STATIC_TYPES or path.stat().st_size > MAX_STATIC_BYTES:
        raise ValueError("not a static file type a document may use")
    return path


def _finish(document, pdf) -> None:
    """Ask viewers to show the document's title, not its file name (PDF/UA asks this), and
    compress the streams once."""
    # Only the render worker process loads WeasyPrint (tens of MB), never a web process.
    import pydyf

    preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
    preferences["DisplayDocTitle"] = "true"
    pdf.catalog["ViewerPreferences"] = preferences
    _compress_streams_once(pdf)


# zlib's default level: as small as 9 within about 2%, in half the time.
STREAM_COMPRESSION_LEVEL = 6


def _compress_streams_once(pdf) -> None:
    """Deflate every stream now, once, and hand pydyf the result as it is.

    pydyf deflates a stream (at level 9) each time it serialises it, and PDF/A's file
    identifier makes it serialise every object twice (once to write, once to hash), so the
    fonts and pages were compressed twice over at the slowest level: about 5% of a case
    summary's render. ``stream``, ``extra`` and ``compress`` are pydyf's documented attributes;
    ``_to_bytes`` is how pydyf itself joins a stream's parts."""
    # Only the render worker process loads WeasyPrint (tens of MB), never a web process.
    import pydyf

    for pdf_object in pdf.objects:
        if not isinstance(pdf_object, pydyf.Stream) or not pdf_object.compress:
            continue
        if "Filter" in pdf_object.extra:
            continue  # already encoded some other way: leave it to pydyf
        raw = b"\n".join(pydyf._to_bytes(item) for item in pdf_object.stream)
        pdf_object.stream = [zlib.compress(raw, STREAM_COMPRESSION_LEVEL)]
        pdf_object.extra["Filter"] = "/FlateDecode"
        pdf_object.compress = False


_parsed_stylesheets: dict[tuple[str, int], object] = {}


def _stylesheet(name: str, static_root: Path, font_config):
    """A static stylesheet, fetched through the static-only fetcher and parsed once (again
    when the file changes)."""
    # Only the render worker process loads WeasyPrint (tens of MB), never a web process.
    from weasyprint import CSS

    base = static_root.resolve().as_uri() + "/"
    path = _static_path(static_root.resolve(), base + name)
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _parsed_stylesheets:
        _parsed_stylesheets[key] = CSS(
            url=base + name, url_fetcher=static_only_fetcher(static_root), font_config=font_config
        )
    return _parsed_stylesheets[key]


def _render_in_worker(
    html: str, static_root: Path, font_config, stylesheets=DEFAULT_STYLESHEETS
) -> tuple[dict, bytes]:
    # Only the render worker process loads WeasyPrint (tens of MB), never a web process.
    from weasyprint import HTML

    fetcher = static_only_fetcher(static_root)
    document = HTML(
        string=html, base_url=static_root.resolve().as_uri() + "/", url_fetcher=fetcher
    ).render(
        font_config=font_config,
        pdf_variant=PDF_VARIANT,
        stylesheets=[_stylesheet(name, static_root, font_config) for name in stylesheets],
    )
    metadata = document.metadata
    authors = [author for author in metadata.authors or [] if author.strip()]
    if not ((metadata.title or "").strip() and metadata.lang and authors):
        raise ValueError("a document needs a title, a language and an author")
    data = document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_finish)
    return {"ok": True, "pages": len(document.pages), "refused": fetcher.refused}, data


# Rendered by each new worker before it says it is ready.
WARM_UP_DOCUMENT = (
    '<html lang="es"><title>.</title><meta name="author" content=".">'
    '<style>@page { @bottom-right { content: "P\\0000e1gina " counter(page); } }</style>'
    '<div class="doc-header"><span class="doc-header__right">Á</span><b>Ñ</b></div>'
    '<h1>É</h1><h2>Í</h2><dl class="doc-facts"><div class="doc-facts__row"><dt>Ó</dt>'
    '<dd class="doc-text">ú ñ ¿?</dd></div></dl><table><tr><th>ü</th><td>¡!</td></tr></table>'
    '<p class="doc-hash">0123456789abcdef</p></html>'
)


def _serve(static_root: Path) -> None:
    """The worker: read a request, render it, answer; until the app process goes away."""

    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    # WeasyPrint logs refused URLs, and a hostile URL may carry personal data: stay quiet.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    # Only the render worker process loads WeasyPrint (tens of MB), never a web process.
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    # The answers get a private copy of stdout; anything a library prints goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    inp = sys.stdin.buffer
    # Load the fonts (regular, bold, mono) and lay out the kinds of boxes documents use once
    # now, so the first real document is as quick as the rest.
    _render_in_worker(WARM_UP_DOCUMENT, static_root, font_config)
    # WeasyPrint makes a great many objects per document, and the cyclic garbage collector
    # walking them (and everything imported) mid-render cost about 15% of a render. So the
    # objects that live as long as the worker are frozen out of collection, and the collector
    # runs once per document, after its answer is sent, instead of during the render.
    gc.collect()
    gc.freeze()
    gc.disable()
    _write_frame(out, json.dumps({"ready": True}).encode())
    while True:
        gc.collect()
        try:
            request = json.loads(_read_frame(inp, None))
        except EOFError:
            return  # the app process is gone
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            header, data = _render_in_worker(
                request["html"], static_root, font_config, tuple(request["stylesheets"])
            )
        except Exception as error:  # the parent raises RenderError with the type
            _write_frame(out, json.dumps({"ok": False, "error": type(error).__name__}).encode())
            continue
        header["render_ms"] = round(1000 * (time.perf_counter() - started), 1)
        header["cpu_ms"] = round(1000 * (time.process_time() - started_cpu), 1)
        _write_frame(out, json.dumps(header).encode())
        _write_frame(out, data)


if __name__ == "__main__":
    _serve(Path(sys.argv[1]))
