"""The dataclasses the repository hands out; TinyDB documents never leave the library."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

#: Characters of context kept on each side of a quote, to re-anchor it if the text changes.
CONTEXT_CHARS = 32


def now() -> datetime:
    """The current time in UTC, to the second, as stored."""
    return datetime.now(UTC).replace(microsecond=0)


EPOCH = datetime.fromtimestamp(0, UTC)


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def added_of(doc: dict[str, Any]) -> datetime:
    """When a stored article document was added (the order of the list, newest first)."""
    return _time(doc.get("added")) or EPOCH


class Block(NamedTuple):
    """A non-paragraph block of structure (headline, subheading, …) over the stored body."""

    start: int
    end: int
    kind: str


# Not frozen: a frozen dataclass sets every field through object.__setattr__, which made
# loading 10,000 articles three times slower. Treat instances as values all the same
# (change them with dataclasses.replace).
@dataclass(slots=True)
class Article:
    """An article's metadata and reading state; its body lives in ``texts/``."""

    id: int
    title: str
    hash: str
    words: int
    reading_minutes: int
    added: datetime
    source: str | None = None
    credit: str | None = None
    language: str | None = None
    file: str | None = None
    read: bool = False
    position: int = 0
    progress: float = 0.0
    last_read: datetime | None = None
    tags: tuple[str, ...] = ()
    #: Structure other than plain paragraphs (those are the rest of the body, between blank lines).
    blocks: tuple[Block, ...] = ()
    author: str | None = None
    #: When the piece was published, as given by its source (ISO 8601 where known).
    published: str | None = None
    url: str | None = None

    @classmethod
    def from_doc(cls, doc_id: int, doc: dict[str, Any]) -> Article:
        """Build from a stored document."""
        get = doc.get
        last_read = get("last_read")
        blocks = get("blocks")
        # Positional, in field order: this runs for every article when a library opens.
        return cls(
            doc_id,
            doc["title"],
            doc["hash"],
            get("words", 0),
            get("reading_minutes", 1),
            added_of(doc),
            get("source"),
            get("credit"),
            get("language"),
            get("file"),
            bool(get("read", False)),
            get("position", 0),
            get("progress", 0.0),
            datetime.fromisoformat(last_read) if last_read else None,
            tuple(get("tags") or ()),
            tuple(map(Block._make, blocks)) if blocks else (),
            get("author"),
            get("published"),
            get("url"),
        )

    def to_doc(self) -> dict[str, Any]:
        """The stored document (without the id, which is the TinyDB key).

        Fields at their defaults are left out: every process that opens the library parses
        every article's document, and half of a new article's fields are empty.
        """
        doc = {
            "title": self.title,
            "hash": self.hash,
            "words": self.words,
            "reading_minutes": self.reading_minutes,
            "added": self.added.isoformat(),
            "source": self.source,
            "credit": self.credit,
            "language": self.language,
            "file": self.file,
            "read": self.read,
            "position": self.position,
            "progress": self.progress,
            "last_read": self.last_read.isoformat() if self.last_read else None,
            "tags": list(self.tags),
            "blocks": [[b.start, b.end, b.kind] for b in self.blocks],
            "author": self.author,
            "published": self.published,
            "url": self.url,
        }
        return {k: v for k, v in doc.items() if k in _REQUIRED or v not in _EMPTY}


_REQUIRED = frozenset({"title", "hash", "words", "reading_minutes", "added"})
# Values that from_doc() restores when a key is absent (0 and 0.0 compare equal to False).
_EMPTY: tuple[Any, ...] = (None, False, [], "")


@dataclass(slots=True)
class Quote:
    """A kept passage: offsets into the article's stored body plus the text around it."""

    id: int
    article_id: int
    #: The article's title when the quote was saved, so it still shows if the article is deleted.
    article_title: str
    text: str
    start: int
    end: int
    prefix: str
    suffix: str
    created: datetime
    note: str = ""
    tags: tuple[str, ...] = field(default=())

    @classmethod
    def from_doc(cls, doc_id: int, doc: dict[str, Any]) -> Quote:
        """Build from a stored document."""
        return cls(
            id=doc_id,
            article_id=doc["article_id"],
            article_title=doc.get("article_title", ""),
            text=doc["text"],
            start=doc["start"],
            end=doc["end"],
            prefix=doc.get("prefix", ""),
            suffix=doc.get("suffix", ""),
            created=_time(doc.get("created")) or EPOCH,
            note=doc.get("note", ""),
            tags=tuple(doc.get("tags", ())),
        )

    def to_doc(self) -> dict[str, Any]:
        """The stored document (without the id)."""
        return {
            "article_id": self.article_id,
            "article_title": self.article_title,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "created": self.created.isoformat(),
            "note": self.note,
            "tags": list(self.tags),
        }


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What happened to one parsed article handed to the library."""

    article: Article
    created: bool
    #: Quotes kept from an earlier copy of the article, deleted, that came back to it.
    quotes_reattached: int = 0
