"""Tables as aligned text: rows of cells become pipe-table lines padded to their columns.

A table is stored in the body as it reads in any plain-text view and as GitHub-flavoured
Markdown (one line a row, ``|`` between cells, a ``---`` rule under a header row), so its
offsets stay the body's own and an export needs no second form. Tables too wide to read as
columns are left to the caller, which keeps each row as a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.cells import cell_len

#: A column wider than this reads better as prose: the table is not aligned.
MAX_CELL = 40
#: Nor is a table wider than the widest reading measure, rules and padding included.
MAX_WIDTH = 80
_NUMBER = re.compile(r"[−+\-–]?[$€£¥]?\d[\d.,/:% ]*[%kKmMbB]?")  # noqa: RUF001
#: The rule under a header row: "| --- | ---: |" (match it whole: ``RULE.fullmatch``).
RULE = re.compile(r"\|(?: *:?-+:? *\|)+")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def aligned_table(rows: Sequence[Sequence[str]], header: bool = True) -> str | None:
    """The rows as aligned pipe-table lines, or None if they do not make a readable table.

    ``header``: the first row names the columns (a rule follows it). Numeric columns are
    set flush right. A table needs two rows and two columns, and must fit MAX_WIDTH.
    """
    cells = [[_cell(text) for text in row] for row in rows]
    cells = [row for row in cells if any(row)]
    columns = max((len(row) for row in cells), default=0)
    if len(cells) < 2 or columns < 2:
        return None
    for row in cells:
        row.extend([""] * (columns - len(row)))
    # Columns empty in every row (labels that were only images or links) say nothing.
    keep = [c for c in range(columns) if any(row[c] for row in cells[1 if header else 0 :])]
    cells = [[row[c] for c in keep] for row in cells]
    columns = len(keep)
    if columns < 2:
        return None
    widths = [max(3, *(cell_len(row[c]) for row in cells)) for c in range(columns)]
    if max(widths) > MAX_CELL or sum(widths) + 3 * columns + 1 > MAX_WIDTH:
        return None
    data = cells[1:] if header else cells
    right = [
        any(row[c] for row in data) and all(not row[c] or _NUMBER.fullmatch(row[c]) for row in data)
        for c in range(columns)
    ]

    def line(row: list[str]) -> str:
        parts = []
        for c, text in enumerate(row):
            pad = " " * (widths[c] - cell_len(text))
            parts.append(pad + text if right[c] else text + pad)
        return "| " + " | ".join(parts) + " |"

    lines = [line(row) for row in cells]
    if header:
        rule = ["-" * (w - 1) + ":" if r else "-" * w for w, r in zip(widths, right, strict=True)]
        lines.insert(1, "| " + " | ".join(rule) + " |")
    return "\n".join(lines)
