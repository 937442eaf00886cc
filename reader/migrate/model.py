"""What every export reader hands over: articles with their state and highlights, a summary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from reader.library import Article
from reader.text.clean import clean_text
from reader.text.model import ParsedArticle

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Highlight:
    """A highlight as another tool kept it: its text, note and labels."""

    text: str
    note: str = ""
    tags: tuple[str, ...] = ()
    created: datetime | None = None
    #: Where the tool says it starts in the text (an offset), to choose among repeats.
    hint: int = 0


@dataclass(slots=True)
class Entry:
    """One article of an export, parsed, with its reading state and highlights."""

    #: None when the article is already in the library (``known``): it is not parsed again.
    parsed: ParsedArticle | None
    #: What the article is called in messages and kept as its file (the export's URL or slug).
    name: str
    added: datetime | None = None
    read: bool = False
    progress: float = 0.0
    highlights: list[Highlight] = field(default_factory=list)
    #: The id of the library's article this entry already is, if it is one.
    known: int | None = None
    #: How to build ``parsed`` (done in worker processes for a large export).
    job: Any = None


class Seen:
    """The articles an earlier import of an export stored, by the name it gave them (its file)
    and their URL: importing the same export again parses none of them a second time."""

    def __init__(self, documents: dict[str, Any]) -> None:
        self._ids: dict[tuple[str, str], int] = {}
        for key, doc in documents.items():
            name = doc.get("file")
            if isinstance(name, str):
                url = doc.get("url")
                self._ids.setdefault((name, url if isinstance(url, str) else ""), int(key))

    def get(self, name: str, url: str) -> int | None:
        """The id of the article stored under ``name`` with this URL, or None."""
        return self._ids.get((name, url))


@dataclass
class MigrateSummary:
    """What importing one export did."""

    kind: str
    source: str
    imported: list[tuple[str, Article]] = field(default_factory=list)
    present: list[tuple[str, Article]] = field(default_factory=list)
    #: Pages that could not be fetched or read: (URL or entry, reason).
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: URLs skipped because an article with that URL is already in the library.
    known: int = 0
    exact: int = 0
    normalised: int = 0
    fuzzy: int = 0
    unanchored: int = 0
    quotes_added: int = 0
    stopped: bool = False

    def anchoring(self) -> str:
        """One line: how the highlights were anchored."""
        return (
            f"highlights: {self.exact} anchored exactly, {self.normalised} after normalising, "
            f"{self.fuzzy} by close match, {self.unanchored} kept unanchored; "
            f"{self.quotes_added} quotes added"
        )

    def as_json(self) -> dict[str, Any]:
        """The summary for ``--json``."""

        def entry(name: str, article: Article) -> dict[str, Any]:
            return {"source": name, "id": article.id, "title": article.title}

        return {
            "kind": self.kind,
            "path": self.source,
            "imported": [entry(n, a) for n, a in self.imported],
            "already_present": [entry(n, a) for n, a in self.present],
            "failed": [{"url": u, "reason": r} for u, r in self.failed],
            "already_in_library": self.known,
            "anchored_exactly": self.exact,
            "anchored_after_normalising": self.normalised,
            "anchored_by_close_match": self.fuzzy,
            "unanchored": self.unanchored,
            "quotes_added": self.quotes_added,
            "stopped": self.stopped,
        }


class ExportError(Exception):
    """An export that cannot be read at all; str() is one line naming it and the reason."""


def one_line(value: Any) -> str:
    """Untrusted text from an export as one clean line ("" for anything not text)."""
    if not isinstance(value, str):
        return ""
    return _SPACES.sub(" ", clean_text(value)).strip()


def text_of(value: Any) -> str:
    """Untrusted text from an export, cleaned as bodies are ("" for anything not text)."""
    return clean_text(value).strip() if isinstance(value, str) else ""


def time_of(value: Any) -> datetime | None:
    """A time as exports give it: ISO 8601 text, or Unix seconds (as a number or digits)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        try:
            seconds = float(value)
            if seconds > 1e11:  # milliseconds
                seconds /= 1000
            return datetime.fromtimestamp(seconds, UTC).replace(microsecond=0)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        try:  # "2024-05-01 10:20:30 +0000" and the like
            found = datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
        except ValueError:
            return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=UTC)
    return found.astimezone(UTC).replace(microsecond=0)


def tags_of(values: Any, separator: str = ",") -> tuple[str, ...]:
    """Tags from a list, or from text split on ``separator``; each cleaned to one line."""
    if isinstance(values, str):
        values = values.split(separator)
    if not isinstance(values, list | tuple):
        return ()
    found: list[str] = []
    for value in values:
        if isinstance(value, dict):  # {"name": …} or {"label": …}
            value = value.get("name") or value.get("label") or value.get("slug")
        tag = one_line(value)
        if tag:
            found.append(tag)
    return tuple(found)
