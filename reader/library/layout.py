"""Where each table and article lies in ``library.json``: a derived sidecar that lets a process
read only what it touches.

At 50,000 articles ``library.json`` is 12 MB and parsing it takes 80 ms, most of what a
``reader quote add`` or a start without a start view would cost. So each snapshot the storage
writes is dumped table by table (the articles table document by document, to know where each
lies), and ``library.layout`` records, for that very file (device, inode, size, mtime and the
snapshot's generation), the byte range of every top-level table, of every article document,
and the ids of the newest articles. A reader that finds it valid parses the small tables and
the few articles it needs from their slices; anything else parses the whole file as before.

``library.json`` stays the truth, a plain TinyDB JSON file, byte for byte what one
``orjson.dumps`` would write; the journal is unchanged. The sidecar is checked before every
use and each slice on parsing (the key right before it, the separator right after, a JSON
object inside): a missing, stale, torn or wrong sidecar only means the full parse.

Dumping document by document costs ~10x one ``orjson.dumps`` of the whole (about 0.25 s at
50,000 articles), paid once per snapshot (an import, or every ~10,000 saves when the journal
is folded), against 80 ms saved in every process that reads the library.

The file: one JSON header line (format, signature, generation, table ranges, newest ids,
article count, CRC-32 of the rest), then the article ids, starts and ends as three arrays of
little-endian int64.
"""

from __future__ import annotations

import bisect
import contextlib
import heapq
import itertools
import os
import sys
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from reader.library.changes import Change, Document, Tables, apply_changes
from reader.library.models import added_of

LAYOUT_FILE = "library.layout"
ARTICLES = "articles"
_FORMAT = 1
#: Newest articles recorded: more than the start view's 200 rows, so that a few changes
#: since the snapshot still leave enough untouched ones to know the newest 200.
NEWEST = 400

Signature = tuple[int, int, int, int]


class BadLayout(Exception):
    """The sidecar does not describe the bytes it was checked against: parse the whole file."""


def newest_key(item: tuple[str, Document]) -> tuple[Any, int]:
    """The order of the article list (newest first), as ``Repository.articles`` sorts it."""
    return (added_of(item[1]), int(item[0]))


@dataclass(slots=True)
class Layout:
    """Where the tables and article documents of one snapshot lie."""

    generation: int
    tables: dict[str, tuple[int, int]]
    ids: array[int]
    starts: array[int]
    ends: array[int]
    newest: list[int]
    #: Whether ``ids`` are in ascending order (found by bisection then).
    ascending: bool = False
    _index: dict[int, int] | None = field(default=None)

    def position(self, article_id: int) -> int | None:
        """Where ``article_id`` is in the arrays, or None if the snapshot has no such article."""
        ids = self.ids
        if self.ascending:
            # Ids are allocated in ascending order, so the table usually is: no index to build.
            at = bisect.bisect_left(ids, article_id)
            return at if at < len(ids) and ids[at] == article_id else None
        if self._index is None:
            self._index = dict(zip(ids, range(len(ids)), strict=True))
        return self._index.get(article_id)


def dump_snapshot(data: Tables, generation: int) -> tuple[bytes, Layout | None]:
    """The bytes of ``data`` as one ``orjson.dumps`` would give them, and their layout.

    No layout when an article id is not a plain number: lookups by id could not be exact.
    """
    articles = data.get(ARTICLES, {})
    if not all(key.isascii() and key.isdigit() and key == str(int(key)) for key in articles):
        return orjson.dumps(data), None
    parts: list[bytes] = [b"{"]
    at = 1
    tables: dict[str, tuple[int, int]] = {}
    ids: array[int] = array("q")
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    newest: list[int] = []
    for number, (name, table) in enumerate(data.items()):
        head = (b"," if number else b"") + orjson.dumps(name) + b":"
        parts.append(head)
        at += len(head)
        begin = at
        if name == ARTICLES:
            parts.append(b"{")
            at += 1
            for n, (key, doc) in enumerate(table.items()):
                key_bytes = (b',"' if n else b'"') + key.encode() + b'":'
                body = orjson.dumps(doc)
                parts.append(key_bytes)
                parts.append(body)
                at += len(key_bytes)
                ids.append(int(key))
                starts.append(at)
                at += len(body)
                ends.append(at)
            parts.append(b"}")
            at += 1
            top = heapq.nlargest(NEWEST, table.items(), key=newest_key)
            newest = [int(key) for key, _ in top]
        else:
            body = orjson.dumps(table)
            parts.append(body)
            at += len(body)
        tables[name] = (begin, at)
    parts.append(b"}")
    ascending = all(a < b for a, b in itertools.pairwise(ids))
    return b"".join(parts), Layout(generation, tables, ids, starts, ends, newest, ascending)


def _little(values: array[int]) -> bytes:
    if sys.byteorder != "little":
        values = array("q", values)
        values.byteswap()
    return values.tobytes()


def encode_layout(layout: Layout, signature: Signature) -> bytes:
    """The sidecar's bytes for ``layout`` of the snapshot file with ``signature``."""
    arrays = _little(layout.ids) + _little(layout.starts) + _little(layout.ends)
    header = {
        "format": _FORMAT,
        "signature": list(signature),
        "generation": layout.generation,
        "tables": {name: list(span) for name, span in layout.tables.items()},
        "newest": layout.newest,
        "count": len(layout.ids),
        "ascending": layout.ascending,
        "crc": zlib.crc32(arrays),
    }
    return orjson.dumps(header) + b"\n" + arrays


def write_layout(folder: Path, layout: Layout, signature: Signature) -> None:
    """Record ``layout`` beside the snapshot (best effort: it is derived data)."""
    path = folder / LAYOUT_FILE
    tmp = path.with_name(f".{LAYOUT_FILE}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(encode_layout(layout, signature))
        # No fsync: a sidecar lost or torn in a crash is merely invalid (checked on reading).
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def remove_layout(folder: Path) -> None:
    """Drop the sidecar (a snapshot written without one must not keep an older one)."""
    with contextlib.suppress(OSError):
        (folder / LAYOUT_FILE).unlink()


def read_layout(folder: Path, signature: Signature) -> Layout | None:
    """The layout of the snapshot whose file has ``signature``, or None if there is none."""
    try:
        raw = (folder / LAYOUT_FILE).read_bytes()
    except OSError:
        return None
    try:
        return _decode(raw, signature)
    except (ValueError, KeyError, TypeError, OverflowError):
        return None  # torn, of another version, or not ours: the full parse


def _decode(raw: bytes, signature: Signature) -> Layout | None:
    line, newline, rest = raw.partition(b"\n")
    header = orjson.loads(line)
    if not newline or header["format"] != _FORMAT:
        return None
    if tuple(header["signature"]) != tuple(signature):
        return None
    count = header["count"]
    if not isinstance(count, int) or len(rest) != 24 * count:
        return None
    if zlib.crc32(rest) != header["crc"]:
        return None
    arrays = []
    for n in range(3):
        values: array[int] = array("q")
        values.frombytes(rest[n * 8 * count : (n + 1) * 8 * count])
        if sys.byteorder != "little":
            values.byteswap()
        arrays.append(values)
    tables = {str(k): (int(v[0]), int(v[1])) for k, v in header["tables"].items()}
    newest = [int(i) for i in header["newest"]]
    generation = header["generation"]
    if not isinstance(generation, int):
        return None
    # Not checked again (50,000 comparisons): the CRC shows the arrays are as dumped.
    ascending = header["ascending"] is True
    return Layout(generation, tables, arrays[0], arrays[1], arrays[2], newest, ascending)


class LazySnapshot:
    """A snapshot's bytes read through its layout: each part parsed when first asked for."""

    def __init__(self, raw: bytes, layout: Layout) -> None:
        self.raw = raw
        self.layout = layout

    def _slice(self, key: bytes, start: int, end: int) -> Any:
        raw = self.raw
        if not (len(key) < start <= end < len(raw)) or raw[end : end + 1] not in (b",", b"}"):
            raise BadLayout
        if raw[start - len(key) : start] != key:
            raise BadLayout
        try:
            value = orjson.loads(raw[start:end])
        except orjson.JSONDecodeError:
            raise BadLayout from None
        if not isinstance(value, dict):
            raise BadLayout
        return value

    def table(self, name: str) -> dict[str, Document]:
        """The documents of table ``name`` as the snapshot holds them (a new dict)."""
        span = self.layout.tables.get(name)
        if span is None:
            return {}
        key = orjson.dumps(name) + b":"
        value: dict[str, Any] = self._slice(key, *span)
        if not all(isinstance(doc, dict) for doc in value.values()):
            raise BadLayout
        return value

    def article(self, article_id: int) -> Document | None:
        """One article's document in the snapshot, or None if it has none of that id."""
        where = self.layout.position(article_id)
        if where is None:
            return None
        key = b'"' + str(article_id).encode() + b'":'
        doc: Document = self._slice(key, self.layout.starts[where], self.layout.ends[where])
        return doc

    def has_article(self, article_id: int) -> bool:
        """Whether the snapshot holds an article of that id."""
        return self.layout.position(article_id) is not None

    def articles(self, ids: Iterable[int]) -> dict[str, Document]:
        """The documents of the given article ids that the snapshot holds."""
        found = {}
        for article_id in ids:
            doc = self.article(article_id)
            if doc is not None:
                found[str(article_id)] = doc
        return found


class NeedWhole(Exception):
    """The question needs the whole snapshot parsed (every article, say)."""


class LazyTables:
    """A snapshot read through its layout, plus the journal's changes made since."""

    def __init__(self, snapshot: LazySnapshot) -> None:
        self.snapshot = snapshot
        #: Every change since the snapshot, in order: applied to it when it is parsed whole.
        self.changes: list[Change] = []
        #: The last change of each document, by table then id (None: deleted).
        self._overlay: dict[str, dict[str, Document | None]] = {}
        #: Tables parsed whole, with the changes applied; replaced, never changed in place.
        self._cache: Tables = {}

    def apply(self, changes: list[Change]) -> None:
        """Take in changes made after the snapshot (from the journal, or this process)."""
        self.changes.extend(changes)
        for change in changes:
            self._overlay.setdefault(change.table, {})[str(change.doc_id)] = change.document
        touched = [c for c in changes if c.table in self._cache]
        if touched:
            self._cache = apply_changes(self._cache, touched)

    def table(self, name: str) -> dict[str, Document]:
        """Every document of a table other than the articles (NeedWhole for those)."""
        if name == ARTICLES:
            raise NeedWhole
        cached = self._cache.get(name)
        if cached is None:
            base = {name: self.snapshot.table(name)}
            mine = [c for c in self.changes if c.table == name]
            cached = apply_changes(base, mine)[name] if mine else base[name]
            self._cache = {**self._cache, name: cached}
        return cached

    def document(self, table: str, doc_id: int) -> Document | None:
        """One document, or None if there is none of that id."""
        cached = self._cache.get(table)
        if cached is not None:
            return cached.get(str(doc_id))
        over = self._overlay.get(table, {})
        if str(doc_id) in over:
            return over[str(doc_id)]
        if table == ARTICLES:
            return self.snapshot.article(doc_id)
        return self.table(table).get(str(doc_id))

    def newest(self, count: int) -> tuple[list[tuple[str, Document]], int]:
        """The ``count`` newest articles (by ``newest_key``) and how many articles there are.

        The snapshot's newest that no change touched rank above every other untouched one, so
        they and the changed documents hold the answer while enough of them are left.
        """
        layout = self.snapshot.layout
        over = self._overlay.get(ARTICLES, {})
        kept = [i for i in layout.newest if str(i) not in over]
        if len(kept) < count and len(layout.newest) < len(layout.ids):
            raise NeedWhole
        # In order, newest first: past the first ``count`` none can be among the newest.
        found = self.snapshot.articles(kept[:count])
        found.update((key, doc) for key, doc in over.items() if doc is not None)
        total = len(layout.ids) + sum(
            (doc is not None) - self.snapshot.has_article(int(key)) for key, doc in over.items()
        )
        return heapq.nlargest(count, found.items(), key=newest_key), total
