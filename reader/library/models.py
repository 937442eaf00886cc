"""The dataclasses the repository hands out; TinyDB documents never leave the library."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from reader.library.errors import DamagedDocument

#: Characters of context kept on each side of a quote, to re-anchor it if the text changes.
CONTEXT_CHARS = 32


def now() -> datetime:
    """The current time in UTC, to the second, as stored."""
    return datetime.now(UTC).replace(microsecond=0)


EPOCH = datetime.fromtimestamp(0, UTC)
_fromisoformat = datetime.fromisoformat


def stored_time(value: Any) -> datetime | None:
    """A stored time (ISO 8601, UTC when it names no zone); ValueError/TypeError if not one."""
    if value is None:
        return None
    found = datetime.fromisoformat(value)
    # A hand-edited "2024-05-01" has no zone: compared with the others it would raise.
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def added_of(doc: dict[str, Any]) -> datetime:
    """When a stored article document was added (the order of the list, newest first)."""
    try:
        return stored_time(doc.get("added")) or EPOCH
    except (AttributeError, TypeError, ValueError):
        return EPOCH  # only an order: from_doc reports the damaged document by its id


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
    #: The feed it came from (its id in the feeds table), or None.
    feed: int | None = None

    @classmethod
    def from_doc(cls, doc_id: int, doc: dict[str, Any]) -> Article:
        """Build from a stored document; DamagedDocument if it is not a sound one."""
        try:
            get = doc.get
            tags = get("tags") or ()
            blocks = get("blocks") or ()
            last_read = get("last_read")
            added = get("added")
            # Older libraries may lack it: such an article sorts as the oldest.
            added = EPOCH if added is None else _fromisoformat(added)
            # Positional, in field order: this runs for every article when a library opens.
            article = cls(
                doc_id,
                doc["title"],
                doc["hash"],
                get("words", 0),
                get("reading_minutes", 1),
                added if added.tzinfo is not None else added.replace(tzinfo=UTC),
                get("source"),
                get("credit"),
                get("language"),
                get("file"),
                bool(get("read", False)),
                get("position", 0),
                get("progress", 0.0),
                None if last_read is None else stored_time(last_read),
                tuple(tags),
                tuple(map(Block._make, blocks)),
                get("author"),
                get("published"),
                get("url"),
                get("feed"),
            )
            # Cheap type checks (about 2 ms per 10,000 articles here, an eighth of building
            # them): a hand-edited or badly restored document must be named here, not crash
            # the list, search or app. join() raises TypeError unless every tag is text.
            if tags:
                "".join(tags)
            a = article
            if (
                type(a.title) is str
                and type(a.hash) is str
                and type(a.words) is int
                and type(a.reading_minutes) is int
                and type(a.position) is int
                and a.position >= 0
                and 0.0 <= a.progress <= 1.0
                and type(tags) in _SEQUENCES
                and type(blocks) in _SEQUENCES
                and (a.source is None or type(a.source) is str)
                and (a.credit is None or type(a.credit) is str)
                and (a.language is None or type(a.language) is str)
                and (a.file is None or type(a.file) is str)
                and (a.author is None or type(a.author) is str)
                and (a.published is None or type(a.published) is str)
                and (a.url is None or type(a.url) is str)
                and (a.feed is None or type(a.feed) is int)
            ):
                return article
        except (AttributeError, KeyError, TypeError, ValueError):
            pass
        raise damaged("article", doc_id, doc, ARTICLE_CHECKS)

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
            "feed": self.feed,
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
        """Build from a stored document; DamagedDocument if it is not a sound one."""
        try:
            get = doc.get
            tags = get("tags") or ()
            quote = cls(
                doc_id,
                doc["article_id"],
                get("article_title", ""),
                doc["text"],
                doc["start"],
                doc["end"],
                get("prefix", ""),
                get("suffix", ""),
                stored_time(get("created")) or EPOCH,
                get("note", ""),
                tuple(tags),
            )
            "".join(quote.tags)
            if (
                type(quote.article_id) is int
                and type(quote.text) is str
                and type(quote.start) is int
                and type(quote.end) is int
                and 0 <= quote.start <= quote.end
                and type(quote.article_title) is str
                and type(quote.prefix) is str
                and type(quote.suffix) is str
                and type(quote.note) is str
                and type(tags) in _SEQUENCES
            ):
                return quote
        except (AttributeError, KeyError, TypeError, ValueError):
            pass
        raise damaged("quote", doc_id, doc, QUOTE_CHECKS)

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


# -- damaged documents ---------------------------------------------------------------------

_SEQUENCES = (list, tuple)


def is_time(value: Any) -> bool:
    """A stored time (ISO 8601)."""
    try:
        return stored_time(value) is not None
    except (TypeError, ValueError):
        return False


def is_optional_time(value: Any) -> bool:
    """None or a stored time."""
    return value is None or is_time(value)


def is_text(value: Any) -> bool:
    """A string."""
    return type(value) is str


def is_optional_text(value: Any) -> bool:
    """None or a string."""
    return value is None or type(value) is str


def is_count(value: Any) -> bool:
    """A whole number, not negative."""
    return type(value) is int and value >= 0


def is_optional_count(value: Any) -> bool:
    """None or a whole number, not negative."""
    return value is None or is_count(value)


def is_strings(value: Any) -> bool:
    """None or a list of strings."""
    return value is None or (type(value) in _SEQUENCES and all(type(v) is str for v in value))


def is_fraction(value: Any) -> bool:
    """A number from 0 to 1."""
    return type(value) in (int, float) and 0.0 <= value <= 1.0


def is_blocks(value: Any) -> bool:
    """None or a list of [start, end, kind]."""
    if value is None:
        return True
    if type(value) not in _SEQUENCES:
        return False
    return all(
        type(b) in _SEQUENCES
        and len(b) == 3
        and is_count(b[0])
        and is_count(b[1])
        and is_text(b[2])
        for b in value
    )


#: What each field of a stored document must hold: (field, required, check, what it must be).
Check = tuple[str, bool, Any, str]
ARTICLE_CHECKS: tuple[Check, ...] = (
    ("title", True, is_text, "text"),
    ("hash", True, is_text, "text"),
    ("added", False, is_optional_time, "a time"),
    ("words", False, is_count, "a whole number"),
    ("reading_minutes", False, is_count, "a whole number"),
    ("position", False, is_count, "a whole number"),
    ("progress", False, is_fraction, "a number from 0 to 1"),
    ("last_read", False, is_optional_time, "a time"),
    ("tags", False, is_strings, "a list of text"),
    ("blocks", False, is_blocks, "a list of [start, end, kind]"),
    *(
        (name, False, is_optional_text, "text")
        for name in ("source", "credit", "language", "file", "author", "published", "url")
    ),
    ("feed", False, is_optional_count, "a feed id"),
)
QUOTE_CHECKS: tuple[Check, ...] = (
    ("article_id", True, is_count, "a whole number"),
    ("text", True, is_text, "text"),
    ("start", True, is_count, "a whole number"),
    ("end", True, is_count, "a whole number"),
    ("created", False, is_optional_time, "a time"),
    ("article_title", False, is_text, "text"),
    ("prefix", False, is_text, "text"),
    ("suffix", False, is_text, "text"),
    ("note", False, is_text, "text"),
    ("tags", False, is_strings, "a list of text"),
)


def problem(doc: Any, checks: tuple[Check, ...]) -> str | None:
    """What is wrong with a stored document, in a few words, or None if nothing is."""
    if not isinstance(doc, dict):
        return f"not a document but {_shown(doc)}"
    for name, required, check, must in checks:
        if name not in doc:
            if required:
                return f"no {name}"
        elif not check(doc[name]):
            return f"{name} must be {must}, not {_shown(doc[name])}"
    if "start" in doc and "end" in doc and doc["start"] > doc["end"]:
        return "start is after end"
    return None


def damaged(kind: str, doc_id: Any, doc: Any, checks: tuple[Check, ...]) -> DamagedDocument:
    """The error for a stored document that from_doc cannot use, naming it and its flaw."""
    flaw = problem(doc, checks) or "it cannot be read"
    return DamagedDocument(
        f"{kind} {doc_id} in the library is damaged ({flaw}); run 'reader doctor'"
    )


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
