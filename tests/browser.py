"""Helpers for the real-browser tests: Chromium, axe-core, console watching, keyboard, i18n."""

from __future__ import annotations

import json
import struct
import zlib
from functools import cache
from pathlib import Path

from flask_babel import get_locale, get_translations

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_RUN = (
    "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
    + json.dumps(AXE_TAGS)
    + "}})).violations"
)


# --- translations -------------------------------------------------------------------------


def translator(app, lang: str):
    """``t(msgid, **values)``: the text ``app`` shows in ``lang`` for an English message.

    The catalogue is the one the app itself has loaded for that language (the compiled
    ``intake/translations/<lang>/LC_MESSAGES/messages.mo``, from ``pybabel compile``), taken
    from the app's own translation cache, so the tests expect exactly what the pages show
    however far the translation has got, even while a translator is still filling it in.
    """
    with app.test_request_context("/", headers={"Accept-Language": lang}):
        assert str(get_locale()) == lang, f"the app does not offer {lang!r}"
        catalogue = get_translations()

    def t(message: str, **values) -> str:
        translated = catalogue.gettext(message)
        return translated % values if values else translated

    return t


# --- axe-core -----------------------------------------------------------------------------


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        raise FileNotFoundError(f"{AXE_PATH} is missing: run `npm install` in {ROOT}")
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol, not as an inline <script>: the page's
    # Content-Security-Policy (script-src 'self') does not apply and stays enforced.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(AXE_RUN)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node.get('failureSummary', '')!r}")
            lines.append(f"       {node.get('html', '')[:300]}")
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    violations = axe_violations(page)
    assert violations == [], (
        f"axe-core found {len(violations)} violation(s) on {where or page.url}:\n"
        + format_violations(violations)
    )


# --- console and CSP ----------------------------------------------------------------------


class ConsoleWatch:
    """Collects console errors, CSP reports and uncaught exceptions from a page."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))

    def _on_console(self, message) -> None:
        text = message.text
        if message.type == "error" or "Content Security Policy" in text:
            self.problems.append(f"console {message.type} at {message.location}: {text}")

    def assert_clean(self) -> None:
        assert self.problems == [], "browser console problems:\n" + "\n".join(self.problems)


# --- keyboard -----------------------------------------------------------------------------


def tab_to(page, selector: str, max_tabs: int = 200, key: str = "Tab") -> None:
    """Press Tab until the focused element matches ``selector``: proves it is reachable."""
    matches = "(selector) => !!document.activeElement && document.activeElement.matches(selector)"
    for _ in range(max_tabs):
        if page.evaluate(matches, selector):
            return
        page.keyboard.press(key)
    if page.evaluate(matches, selector):
        return
    focused = page.evaluate(
        "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : null"
    )
    raise AssertionError(
        f"{selector!r} not reached after {max_tabs} presses of {key} on {page.url};"
        f" focus is on {focused}"
    )


def focused_matches(page, selector: str) -> bool:
    return page.evaluate(
        "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
    )


# --- files --------------------------------------------------------------------------------


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG, grey, built without any imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# --- one browser context on the live server --------------------------------------------


class Visit:
    """One browser context on the live server: its page and what its console said."""

    def __init__(self, page, t, lang):
        self.page = page
        self.console = ConsoleWatch(page)
        self.t = t
        self.lang = lang
