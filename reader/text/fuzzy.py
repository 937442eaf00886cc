# ruff: noqa: RUF002
"""The fuzzy ranker shared by the article list's filter and the command palette.

Queries and haystacks go through ``reader.text.fold``, the one fold every match in reader
uses (case, accents, Turkish dotted and dotless i): ``kadikoy`` finds "Kadıköy". Folding
keeps lengths, so the matched offsets are offsets into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise

from reader.text.fold import fold


def _is_word_start(hay: str, pos: int) -> bool:
    return pos == 0 or not hay[pos - 1].isalnum()


class FuzzyQuery:
    """A filter query compiled once per keystroke: a linear pre-filter, then a score."""

    def __init__(self, query: str) -> None:
        self.text = fold(query)
        chars = [re.escape(c) for c in self.text]
        # Each step skips possessively to the next wanted character, so a miss fails in one
        # linear pass; "c.*?d" backtracks and took 40 ms over 10,000 titles.
        self._subsequence = re.compile("".join(f"[^{c}]*+{c}" for c in chars)).match
        # The query as a substring at a word start (not after a letter or digit).
        self._at_word = re.compile(r"(?<![^\W_])" + "".join(chars)).search

    def matches(self, hay: str) -> bool:
        """Whether the folded ``hay`` holds the query's characters in order."""
        return self._subsequence(hay) is not None

    def score(self, hay: str) -> tuple[float, Sequence[int]]:
        """Score a matching haystack, with the matched offsets.

        Contiguous and word-start matches score highest; a tighter, earlier match breaks ties.
        """
        query, n = self.text, len(self.text)
        if found_at_word := self._at_word(hay):
            pos, end = found_at_word.span()
            whole_word = end == len(hay) or not hay[end].isalnum()
            return 6.0 + whole_word + 2 * n - 0.001 * pos, range(pos, end)
        if (pos := hay.find(query)) >= 0:
            return 3.0 + 2 * n - 0.001 * pos, range(pos, pos + n)
        # The match ending earliest, then the tightest window that ends there (fzf's v1).
        pos = -1
        for ch in query:
            pos = hay.find(ch, pos + 1)
        found = [0] * n
        pos += 1
        for i in range(n - 1, -1, -1):
            pos = hay.rfind(query[i], 0, pos)
            found[i] = pos
        adjacent = sum(1 for a, b in pairwise(found) if b == a + 1)
        word_starts = sum(1 for p in found if _is_word_start(hay, p))
        gaps = found[-1] - found[0] + 1 - n
        return 2 * adjacent + 3 * word_starts - 0.1 * gaps - 0.001 * found[0], found

    def filter(self, hays: Sequence[str], candidates: Iterable[int]) -> dict[int, float]:
        """Score the ``candidates`` (indices into ``hays``) that match, keeping their order."""
        match, score = self._subsequence, self.score
        return {i: score(hays[i])[0] for i in candidates if match(hays[i])}
