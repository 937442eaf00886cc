"""The full block structure of a stored body, from the non-paragraph blocks kept with it."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Span

PARAGRAPH = "paragraph"


def blocks_of(body: str, marked: Iterable[tuple[int, int, str]]) -> list[Span]:
    """Every block of ``body`` in order: the marked ones (headline, subheading, list, …) as
    given, and each stretch of the rest between blank lines as a paragraph."""
    blocks: list[Span] = []
    pos = 0
    for start, end, kind in sorted(marked):
        blocks.extend(_paragraphs(body, pos, start))
        blocks.append(Span(start, end, kind))
        pos = end
    blocks.extend(_paragraphs(body, pos, len(body)))
    return blocks


def _paragraphs(body: str, start: int, end: int) -> Iterable[Span]:
    pos = start
    while pos < end:
        stop = body.find("\n\n", pos, end)
        stop = end if stop < 0 else stop
        # Trim the blank-line separators so a span is exactly the paragraph's text.
        s, e = pos, stop
        while s < e and body[s] == "\n":
            s += 1
        while e > s and body[e - 1] == "\n":
            e -= 1
        if s < e:
            yield Span(s, e, PARAGRAPH)
        pos = stop + 2
