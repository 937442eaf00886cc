"""Find in an article: case-insensitive matches as exact offsets into the stored body."""

# Turkish letters in the comments are deliberate.
# ruff: noqa: RUF003

from __future__ import annotations

import re
import unicodedata


def find_all(body: str, query: str) -> list[tuple[int, int]]:
    """Every non-overlapping match of query in body, ignoring case, as (start, end) offsets."""
    # Bodies are stored NFC; a query typed or pasted as NFD would otherwise miss "ü".
    words = unicodedata.normalize("NFC", query).split()
    if not words:
        return []
    # Matching the original body, not a lowered copy, keeps offsets exact: "İ".lower()
    # is two characters. Python's IGNORECASE also equates Turkish ı/I and İ/i, so
    # "istanbul" finds "İSTANBUL". A space in the query matches a line break too.
    pattern = re.compile(r"\s+".join(map(re.escape, words)), re.IGNORECASE)
    return [match.span() for match in pattern.finditer(body)]
