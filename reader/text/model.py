"""The text model: a cleaned body, the structure spans over it, and import refusals."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass

# 20 MiB: far beyond any article (the 50,000-word sample is ~0.3 MB), small enough
# that a stray log file or disk image is refused before it is read into memory.
MAX_FILE_BYTES = 20 * 1024 * 1024

WORDS_PER_MINUTE = 238


@dataclass(frozen=True, slots=True)
class Span:
    """A block of structure over the stored body: body[start:end]."""

    start: int
    end: int
    kind: str  # "headline" | "subheading" | "paragraph" | "list" (one item a line)


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article ready to store: the cleaned body and what was learned from it."""

    title: str
    body: str
    spans: tuple[Span, ...]
    credit: str | None
    source: str | None
    language: str | None
    words: int
    author: str | None = None
    published: str | None = None  # ISO 8601 date or date-time where the source gives one
    url: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def reading_minutes(self) -> int:
        """Reading time at 238 words a minute, rounded up, at least one minute."""
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))


def assemble(blocks: Iterable[tuple[str, str]]) -> tuple[str, tuple[Span, ...]]:
    """The body from ``(kind, text)`` blocks, joined by one blank line, and a span for each."""
    spans: list[Span] = []
    texts: list[str] = []
    position = 0
    for kind, text in blocks:
        spans.append(Span(position, position + len(text), kind))
        texts.append(text)
        position += len(text) + 2
    return "\n\n".join(texts), tuple(spans)


class ImportRefused(Exception):
    """A file that cannot be imported; str() is one clear line naming the file and the reason."""

    path: str
    reason: str

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[type[ImportRefused], tuple[str, str]]:
        # The default pickling replays self.args (the message) into __init__, which
        # needs two arguments; keep refusals picklable for process pools.
        return (type(self), (self.path, self.reason))
