"""Put a highlight from another tool back on its passage in our cleaned body.

Three steps, cheapest first: the exact text; the text after both sides are normalised
(typographic quotes, dashes, soft hyphens, non-breaking and doubled spaces), with offsets
mapped back to the body; a bounded fuzzy match (rapidfuzz) near the places where the
highlight's first or last words occur. The quote keeps the *exact* text of our body at the
found offsets, so it is sound however the other tool wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from reader.library.reattach import anchor as anchor_exact

How = Literal["exact", "normalised", "fuzzy"]

#: Lowest rapidfuzz score (0-100) taken as the same passage.
FUZZY_SCORE = 90.0
#: Highlights shorter than this (normalised) are too short to match fuzzily with any trust.
FUZZY_MIN_CHARS = 12
#: Longest body searched fuzzily in one piece when no seed word is found (bounds the cost).
WHOLE_BODY_LIMIT = 20_000
#: Most candidate windows tried per highlight.
MAX_WINDOWS = 24

# One character → its normalised form ("" drops it). Whitespace is handled apart.
_TABLE: dict[str, str] = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
    "\u2026": "...",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
}  # fmt: skip


_SPECIAL = re.compile(r"\s+|[" + "".join(_TABLE) + "]")


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a highlight was found: ``body[start:end]``, and by which step."""

    start: int
    end: int
    how: How


class Normalised:
    """A text in normalised form, with the offset in the original of each character."""

    __slots__ = ("origin", "text")

    def __init__(self, original: str) -> None:
        out: list[str] = []
        origin: list[int] = []
        space = True  # leading whitespace is dropped; runs become one space
        at = 0
        # Plain stretches are copied whole (most of a body): only the characters that
        # change are looked at one by one.
        for match in _SPECIAL.finditer(original):
            begin = match.start()
            if begin > at:
                out.append(original[at:begin])
                origin.extend(range(at, begin))
                space = False
            piece = match.group()
            if piece[0].isspace():
                if not space:
                    out.append(" ")
                    origin.append(begin)
                    space = True
            else:
                mapped = _TABLE[piece]
                if mapped:
                    out.append(mapped)
                    origin.extend([begin] * len(mapped))
                    space = False
            at = match.end()
        if at < len(original):
            out.append(original[at:])
            origin.extend(range(at, len(original)))
            space = False
        text = "".join(out)
        if space and text:
            text = text[:-1]
            origin.pop()
        self.text = text
        #: origin[i] is the original offset of text[i]; one more entry for the end.
        self.origin = origin
        self.origin.append(len(original))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of ``text[start:end]`` (end exclusive, never empty)."""
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> str:
    """The normalised form of ``text`` (as matched in the second step)."""
    return Normalised(text).text


@lru_cache(maxsize=8)
def normalised_body(body: str) -> Normalised:
    """The normalised form of a body, kept while its highlights are anchored."""
    return Normalised(body)


def find_passage(body: str, text: str, hint: int = 0) -> Anchor | None:
    """Where ``text`` is in ``body`` (near ``hint`` when it occurs more than once), or None."""
    passage = text.strip()
    if not passage:
        return None
    at = anchor_exact(body, passage, max(0, hint))
    if at is not None:
        return Anchor(at, at + len(passage), "exact")
    wanted = Normalised(passage).text
    if not wanted:
        return None
    norm = normalised_body(body)
    found = _nearest(norm.text, wanted, norm, hint)
    if found is not None:
        start, end = norm.span(found, found + len(wanted))
        return Anchor(start, end, "normalised")
    return _fuzzy(norm, wanted)


def _nearest(haystack: str, needle: str, norm: Normalised, hint: int) -> int | None:
    best: int | None = None
    at = haystack.find(needle)
    while at >= 0:
        if best is None or abs(norm.origin[at] - hint) < abs(norm.origin[best] - hint):
            best = at
        at = haystack.find(needle, at + 1)
    return best


def _fuzzy(norm: Normalised, wanted: str) -> Anchor | None:
    """A close match, searched only in windows around the highlight's first or last words."""
    if len(wanted) < FUZZY_MIN_CHARS:
        return None
    from rapidfuzz import fuzz

    haystack = norm.text.casefold()
    needle = wanted.casefold()
    best: tuple[float, int, int] | None = None
    for lo, hi in _windows(haystack, needle):
        found = fuzz.partial_ratio_alignment(
            needle, haystack[lo:hi], processor=None, score_cutoff=FUZZY_SCORE
        )
        if found is None:
            continue
        start, end = lo + found.dest_start, lo + found.dest_end
        if best is None or found.score > best[0]:
            best = (found.score, start, end)
    if best is None:
        return None
    _, start, end = best
    # Trim the alignment to whole characters of the passage (no edge spaces).
    while start < end and haystack[start] == " ":
        start += 1
    while end > start and haystack[end - 1] == " ":
        end -= 1
    if end <= start:
        return None
    first, last = norm.span(start, end)
    return Anchor(first, last, "fuzzy")


def _windows(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Stretches of the body worth a fuzzy look: around where the first or last words are."""
    size = len(needle)
    margin = size // 2 + 8
    seeds: list[int] = []
    words = needle.split(" ")
    head = " ".join(words[:3])
    tail = " ".join(words[-3:])
    for piece, offset in ((head, 0), (tail, size - len(tail))):
        if len(piece) < 6:
            continue
        at = haystack.find(piece)
        while at >= 0 and len(seeds) < MAX_WINDOWS:
            seeds.append(at - offset)
            at = haystack.find(piece, at + 1)
    if not seeds:
        if len(haystack) <= WHOLE_BODY_LIMIT:
            return [(0, len(haystack))]
        return []
    windows = sorted({(max(0, s - margin), min(len(haystack), s + size + margin)) for s in seeds})
    return windows[:MAX_WINDOWS]
