"""Find in an article: matches as exact offsets into the stored body, folded as search folds."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from reader.text.fold import fold


@lru_cache(maxsize=2)
def _folded(body: str) -> str:
    # Finding as you type runs once a key over the same body: fold it once.
    return fold(body)


def find_all(body: str, query: str) -> list[tuple[int, int]]:
    """Every non-overlapping match of ``query`` in ``body`` as (start, end) offsets.

    Matching ignores case and accents and knows Turkish letters (``reader.text.fold``):
    ``cavusoglu`` finds "Çavuşoğlu". Folding keeps every character in place, so offsets
    into the folded body are offsets into the body. A space matches a line break too.
    """
    # Bodies are stored NFC; a query typed or pasted as NFD would otherwise miss "ü".
    words = fold(unicodedata.normalize("NFC", query)).split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(map(re.escape, words)))
    return [match.span() for match in pattern.finditer(_folded(body))]
