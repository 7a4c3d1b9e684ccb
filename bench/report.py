"""The results table and the JSON file."""

import json
from pathlib import Path

OUTPUT_DIR = Path(__file__).resolve().parent / "output"  # git-ignored


def table(rows: list[dict[str, str]]) -> str:
    """A plain text table; the columns are every key of every row, in first-seen order."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    cells = [columns] + [[row.get(column, "") for column in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in cells
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def write_json(name: str, data: dict) -> Path:
    OUTPUT_DIR.mkdir(exist_ok=True)
    path = OUTPUT_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path
