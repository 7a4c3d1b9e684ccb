"""CSV cells that a spreadsheet shows as text and never runs as a formula.

Excel, LibreOffice and Google Sheets treat a cell starting with ``=``, ``+``, ``-`` or ``@``
as a formula, and a formula can fetch URLs or start programs (``=HYPERLINK(...)``,
``+cmd|' /C calc'!A0``). OWASP's guidance on CSV injection: prefix such a cell with a single
quote, which spreadsheets show as text. Tab and carriage return are on OWASP's list too (some
importers drop them and read what follows); so are a line feed and leading spaces here, and
the full-width forms of the four signs, which some spreadsheets read like the ASCII ones.

Every cell of every CSV the oversight section writes goes through ``neutralise``, even where
the column holds only codes: one rule at the door, not a judgment per column.
"""

from collections.abc import Iterable

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# First characters that need a closer look: the triggers and every kind of space (all of
# Unicode's spaces are below U+3001).
_SUSPECT_FIRST = FORMULA_TRIGGERS | frozenset(c for c in map(chr, range(0x3001)) if c.isspace())


def neutralise(value: object) -> str:
    """The cell as text, with a leading ``'`` when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not text:
        return text
    first = text[0]
    if first in FORMULA_TRIGGERS or (first.isspace() and text.lstrip()[:1] in FORMULA_TRIGGERS):
        return "'" + text
    return text


def neutralise_row(cells: Iterable[object]) -> list[str]:
    """``neutralise`` on each cell; a text cell that starts with nothing suspect is taken as it
    is without the call (a million-row file has tens of millions of cells)."""
    return [
        cell
        if cell.__class__ is str and (not cell or cell[0] not in _SUSPECT_FIRST)
        else neutralise(cell)
        for cell in cells
    ]
