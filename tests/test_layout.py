"""The layout a newcomer relies on: imports at the top of modules, modules a person can read.

The layering itself (no cycles, no import of another package's views) is import-linter's
contract in pyproject.toml, which `make test` runs.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "intake"
# Modules that may import inside a function, and only these modules: WeasyPrint (and pydyf, its
# PDF writer) are loaded by the PDF render worker process alone, never by a web process.
HEAVY_IMPORTS = {"weasyprint", "pydyf"}
MAX_MODULE_LINES = 500


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "translations" not in p.parts)


def _imports_inside_functions(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            elif isinstance(inner, ast.ImportFrom):
                names = [("." * inner.level) + (inner.module or "")]
            else:
                continue
            heavy = all(name.split(".")[0] in HEAVY_IMPORTS for name in names)
            # A kept import says why on the line above it.
            explained = inner.lineno >= 2 and lines[inner.lineno - 2].strip().startswith("#")
            if not (heavy and explained):
                found.append(f"{path.relative_to(root)}:{inner.lineno} {names}")
    return found


def test_no_module_imports_inside_a_function_but_the_render_workers_heavy_libraries():
    found = [line for path in _modules() for line in _imports_inside_functions(path)]
    assert found == []


def test_the_check_finds_an_import_inside_a_function(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "def f():\n"
        "    from intake.review import services\n"
        "def g():\n"
        "    # Only the render worker loads WeasyPrint.\n"
        "    from weasyprint import HTML\n"
        "def h():\n"
        "    from weasyprint import CSS\n"
    )
    found = _imports_inside_functions(module, root=tmp_path)
    assert [line.split(" ")[0].rsplit(":", 1)[1] for line in found] == ["2", "7"]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_longer_than_a_person_reads_at_once(path):
    assert len(path.read_text().splitlines()) <= MAX_MODULE_LINES
