"""Pure layout of an article body into wrapped lines, and offsets ⇄ (line, column).

No textual import: this is the hot path of opening a long article, unit-tested on its own.
Every wrapped line knows the body range it shows; the break spaces at its end belong to
it, so the lines cover every body character once except the newlines between blocks and
between list items.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from rich.cells import cell_len, get_character_cell_size

from reader.console import visible
from reader.text.grid import RULE

# Line kinds, as small ints: a layout of a long article holds thousands of them.
HEADLINE = 0
CREDIT = 1
SUBHEADING = 2
PARAGRAPH = 3
LIST = 4
BLOCKQUOTE = 5
CODE = 6
BLANK = 7
TABLE = 8
TABLE_HEAD = 9
TABLE_RULE = 10
CAPTION = 11

_KINDS = {
    "headline": HEADLINE,
    "subheading": SUBHEADING,
    "list": LIST,
    "quote": BLOCKQUOTE,
    "code": CODE,
    "table": TABLE,
    "caption": CAPTION,
}
#: Cells a block quote's lines are set in by: the painter draws its bar there.
QUOTE_INDENT = 2
_LEADING_SPACES = re.compile(r" *")

# A list item's marker; its continuation lines hang under the item's text.
_BULLET = re.compile(r" *(?:[-*•·–—]|\d{1,3}[.)]) +")  # noqa: RUF001


@cache
def _single_cells() -> frozenset[str]:
    """Characters one cell wide by Rich's own measure, for the fast wrapping path."""
    ranges = [
        (0x20, 0x7E),
        (0xA0, 0x52F),  # Latin, IPA, Greek, Cyrillic
        (0x600, 0x6FF),  # Arabic letters (its combining marks measure 0 and are dropped)
        (0x2010, 0x205E),  # dashes, curly quotes, ellipsis
        (0x20A0, 0x20C0),  # currency
        (0x2100, 0x214F),
    ]
    return frozenset(
        ch
        for lo, hi in ranges
        for ch in map(chr, range(lo, hi + 1))
        if get_character_cell_size(ch) == 1
    )


def display_text(body: str) -> str:
    """The body as drawn: control and bidi-override characters as U+FFFD, a stray tab as a
    space; one character for one, so every offset stays valid.

    Stored bodies are cleaned on import; this is defence in depth for anything that was not
    (ESC would reach the terminal).
    """
    return visible(body).replace("\t", " ")


@dataclass(slots=True)
class Layout:
    """An article wrapped to one width: parallel per-line lists (compact for long texts)."""

    width: int
    text_end: int = 0
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    kinds: list[int] = field(default_factory=list)
    indents: list[int] = field(default_factory=list)
    #: Text of lines that are not body text (the credit line), by line index.
    extra: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """The line showing body ``offset`` (a separator maps to the line before it)."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def offset_at(self, line: int, column: int) -> int:
        """The body offset of character ``column`` of a line's text (clamped to the line)."""
        if not self.starts:
            return 0
        line = min(max(line, 0), len(self.starts) - 1)
        start = self.starts[line]
        return start + min(max(column, 0), self.ends[line] - start)

    def column_of(self, offset: int, line: int) -> int:
        """The character column of body ``offset`` on ``line`` (clamped to the line)."""
        start = self.starts[line]
        return min(max(offset - start, 0), self.ends[line] - start)

    def span(self, start: tuple[int, int] | None, end: tuple[int, int] | None) -> tuple[int, int]:
        """The body range between two (column, line) points; None is the text's start or end."""
        points = []
        for point, default in ((start, 0), (end, self.text_end)):
            if point is None or point[1] >= len(self.starts):
                points.append(default if point is None else self.text_end)
            else:
                points.append(self.offset_at(point[1], point[0]))
        return min(points), max(points)

    def is_body(self, line: int) -> bool:
        """Whether the line shows body text (not a blank separator or the credit)."""
        return self.kinds[line] < BLANK and self.kinds[line] != CREDIT


def layout(
    text: str,
    blocks: Iterable[tuple[int, int, str]],
    width: int,
    credit: str | None = None,
) -> Layout:
    """Wrap every block of ``text`` to ``width`` cells, a blank line between blocks.

    ``credit`` is drawn under the first headline (or on top without one): it is not body
    text, so its lines have an empty range at the headline's end.
    """
    width = max(1, width)
    out = Layout(width, len(text))
    starts, ends, kinds, indents = out.starts, out.ends, out.kinds, out.indents
    credit_pending = bool(credit)
    previous_end: int | None = None
    block_list = list(blocks)
    if credit and not any(kind == "headline" for _, _, kind in block_list):
        at = block_list[0][0] if block_list else 0
        _add_credit(out, credit, at, width)
        credit_pending = False
        previous_end = at if block_list else None
    for start, end, kind_name in block_list:
        kind = _KINDS.get(kind_name, PARAGRAPH)
        if previous_end is not None:
            # The blank line sits on the second separator character, so it has its own
            # offset and a position saved at the top of the view restores to it exactly.
            # A subheading gets a second blank line above it, on the first separator.
            blank = previous_end + 1 if previous_end + 1 < start else previous_end
            spaced = kind == SUBHEADING and blank > previous_end and kinds[-1] != CREDIT
            for at in (previous_end, blank) if spaced else (blank,):
                starts.append(at)
                ends.append(at)
                kinds.append(BLANK)
                indents.append(0)
        pos = start
        while pos < end:
            stop = text.find("\n", pos, end)
            stop = end if stop < 0 else stop
            hang, room = 0, width
            if kind == LIST and (bullet := _BULLET.match(text, pos, stop)):
                hang = min(cell_len(bullet.group()), width // 2)
            elif kind == CODE:
                # A wrapped line of code goes on at its own indentation, not the margin.
                spaces = _LEADING_SPACES.match(text, pos, stop)
                hang = min(spaces.end() - pos if spaces else 0, width // 2)
            elif kind == BLOCKQUOTE:
                room = max(1, width - QUOTE_INDENT)
            before = len(starts)
            _wrap(text, pos, stop, room, hang, starts, ends, indents)
            if kind == BLOCKQUOTE:
                for line in range(before, len(indents)):
                    indents[line] += QUOTE_INDENT
            line_kind = kind
            if kind == TABLE:
                line_kind = _table_line(text, pos, stop, end)
            kinds.extend([line_kind] * (len(starts) - before))
            pos = stop + 1
        if credit_pending and kind == HEADLINE:
            _add_credit(out, credit or "", end, width)
            credit_pending = False
        previous_end = end
    return out


def _table_line(text: str, pos: int, stop: int, end: int) -> int:
    """The kind of a table's line: its header row, the rule under it, or a row."""
    if RULE.fullmatch(text, pos, stop):
        return TABLE_RULE
    after = stop + 1
    if after < end:
        next_stop = text.find("\n", after, end)
        if RULE.fullmatch(text, after, end if next_stop < 0 else next_stop):
            return TABLE_HEAD
    return TABLE


def _add_credit(out: Layout, credit: str, at: int, width: int) -> None:
    """Append the credit's wrapped lines, each an empty body range at ``at``."""
    c_starts: list[int] = []
    c_ends: list[int] = []
    c_indents: list[int] = []
    _wrap(credit, 0, len(credit), width, 0, c_starts, c_ends, c_indents)
    for s, e in zip(c_starts, c_ends, strict=True):
        out.extra[len(out.starts)] = credit[s:e].rstrip(" ")
        out.starts.append(at)
        out.ends.append(at)
        out.kinds.append(CREDIT)
        out.indents.append(0)


def _wrap(
    text: str,
    start: int,
    end: int,
    width: int,
    hang: int,
    starts: list[int],
    ends: list[int],
    indents: list[int],
) -> None:
    """Greedy-wrap text[start:end] (no newlines) at spaces, hard-breaking long words."""
    if start >= end:
        # An empty line inside a block (a list's blank item): keep it visible.
        starts.append(start)
        ends.append(end)
        indents.append(0)
        return
    if _single_cells().issuperset(text[start:end]):
        _wrap_narrow(text, start, end, width, hang, starts, ends, indents)
    else:
        _wrap_cells(text, start, end, width, hang, starts, ends, indents)


def _wrap_narrow(
    text: str,
    start: int,
    end: int,
    width: int,
    hang: int,
    starts: list[int],
    ends: list[int],
    indents: list[int],
) -> None:
    """Wrap text where every character is one cell: str.rfind does the searching."""
    pos, room, indent = start, width, 0
    while True:
        if end - pos <= room:
            starts.append(pos)
            ends.append(end)
            indents.append(indent)
            return
        brk = text.rfind(" ", pos, pos + room + 1)
        if brk > pos:
            nxt = brk + 1
            while nxt < end and text[nxt] == " ":
                nxt += 1
        else:
            nxt = pos + room
        starts.append(pos)
        ends.append(nxt)
        indents.append(indent)
        if nxt >= end:
            return
        pos, indent = nxt, hang
        room = max(1, width - hang)


def _wrap_cells(
    text: str,
    start: int,
    end: int,
    width: int,
    hang: int,
    starts: list[int],
    ends: list[int],
    indents: list[int],
) -> None:
    """Wrap text with wide (CJK) or zero-width (combining) characters, cell by cell."""
    pos, room, indent = start, width, 0
    used = 0
    space = -1  # the last space on the current line
    i = start
    while i < end:
        ch = text[i]
        cells = get_character_cell_size(ch)
        if ch == " ":
            space = i
        elif used + cells > room and cells:
            if space > pos:
                cut = space
                nxt = cut + 1
                while nxt < end and text[nxt] == " ":
                    nxt += 1
            else:
                # No space to break at (CJK, or one long word): break before this
                # character, but always take at least one so a narrow column progresses.
                nxt = i if i > pos else i + 1
            starts.append(pos)
            ends.append(nxt)
            indents.append(indent)
            pos, indent, space = nxt, hang, -1
            room = max(1, width - hang)
            used = sum(get_character_cell_size(c) for c in text[pos:i])
            if nxt > i:
                i = nxt
                continue
        used += cells
        i += 1
    if pos < end:
        starts.append(pos)
        ends.append(end)
        indents.append(indent)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The range without the whitespace at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def reveal(first: int, last: int, top: int, height: int) -> int:
    """The top line that shows lines first..last moving the least (``first`` if not all fit)."""
    if first < top or last - first >= height:
        return first
    if last >= top + height:
        return last - height + 1
    return top


def runs(
    start: int, end: int, ranges: Iterable[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """Split [start, end) at the edges of ``ranges`` (a, b, bit): (s, e, OR of the bits)."""
    clipped = [(max(a, start), min(b, end), bit) for a, b, bit in ranges if a < end and b > start]
    if not clipped:
        return [(start, end, 0)] if start < end else []
    edges = sorted({start, end, *(a for a, _, _ in clipped), *(b for _, b, _ in clipped)})
    out: list[tuple[int, int, int]] = []
    for s, e in pairwise(edges):
        mask = 0
        for a, b, bit in clipped:
            if a <= s and e <= b:
                mask |= bit
        out.append((s, e, mask))
    return out


class Passage:
    """The passage cursor's selection: whole sentences, moved and grown a sentence at a time."""

    def __init__(self, body: str, blocks: Sequence[tuple[int, int, str]]) -> None:
        # Imported here, not at the top: the app's first screen has no use for them.
        from reader.text.sentences import sentence_spans

        # Per block, so a sentence never runs from a heading or list item into the next.
        self.sentences: list[tuple[int, int]] = []
        self._blocks: list[int] = []  # the block index of each sentence
        for index, (start, end, _) in enumerate(blocks):
            spans = sentence_spans(body, start, end)
            self.sentences.extend(spans)
            self._blocks.extend([index] * len(spans))
        self.first = self.last = 0

    def __bool__(self) -> bool:
        return bool(self.sentences)

    @property
    def span(self) -> tuple[int, int]:
        """The selected body range."""
        return self.sentences[self.first][0], self.sentences[self.last][1]

    def start(self, top: int, bottom: int) -> None:
        """Select the first sentence starting in the view [top, bottom) (else the one at top)."""
        from reader.text.sentences import sentence_at

        index = sentence_at(self.sentences, top)
        following = index + 1 < len(self.sentences) and self.sentences[index + 1][0] < bottom
        if self.sentences[index][0] < top and following:
            index += 1
        self.first = self.last = index

    def move(self, how: str) -> bool:
        """Apply "next", "previous", "extend", "shrink" or "paragraph"; False at an edge."""
        first, last, count = self.first, self.last, len(self.sentences)
        if how == "next" and last + 1 < count:
            first = last = last + 1
        elif how == "previous" and first > 0:
            first = last = first - 1
        elif how == "extend" and last + 1 < count:
            last += 1
        elif how == "shrink" and last > first:
            last -= 1
        elif how == "paragraph":
            block = self._blocks[first]
            first = bisect_left(self._blocks, block)
            last = bisect_right(self._blocks, block) - 1
        if (first, last) == (self.first, self.last):
            return False
        self.first, self.last = first, last
        return True


class Matches:
    """Find in the text: the query, its matches in body order, and the current one."""

    def __init__(self) -> None:
        self.query: str | None = None
        self.spans: list[tuple[int, int]] = []
        self.index: int | None = None

    def search(self, body: str, query: str | None, at: int = 0) -> None:
        """Find ``query`` (None: stop finding); the current match is the first at/after ``at``."""
        from reader.text.find import find_all

        self.query, self.index = query, None
        self.spans = find_all(body, query) if query else []
        if self.spans:
            self.index = bisect_left(self.spans, (at, 0)) % len(self.spans)

    def step(self, delta: int) -> bool:
        """Make the match ``delta`` places on current, wrapping round; False without matches."""
        if not self.spans:
            return False
        self.index = ((self.index or 0) + delta) % len(self.spans)
        return True

    @property
    def current(self) -> tuple[int, int] | None:
        """The current match's range."""
        return None if self.index is None else self.spans[self.index]

    def between(self, start: int, end: int) -> list[tuple[int, int]]:
        """The matches that overlap [start, end)."""
        found = []
        for a, b in self.spans[max(0, bisect_left(self.spans, (start, 0)) - 1) :]:
            if a >= end:
                break
            if b > start:
                found.append((a, b))
        return found


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``-``end`` widened so that neither end cuts a word in two."""
    if start >= end:
        return start, end
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end
