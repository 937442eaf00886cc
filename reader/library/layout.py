"""Where each table and article lies in ``library.json``: a derived sidecar that lets a process
read only what it touches.

At 50,000 articles ``library.json`` is 12 MB and parsing it takes 80 ms or more, most of what
a ``reader quote add`` or a start without a start view cost. So each snapshot the storage
writes is dumped table by table (the articles table document by document, to know where each
lies), and ``library.layout`` records, for that very file (device, inode, size, mtime and the
snapshot's generation), the byte range of every top-level table, of every article document,
and where the newest articles lie. A reader that finds it valid reads (``pread``) and parses
only the small tables and the few articles it needs; a question about every article parses
the whole file, as before. The journal is replayed on top either way.

``library.json`` stays the truth, a plain TinyDB JSON file, byte for byte what one
``orjson.dumps`` would write; the journal is unchanged. The sidecar is checked before use
(signature, generation, CRC-32 of its arrays) and each slice on parsing (the key right before
it, the separator right after, a JSON object inside): a missing, stale, torn or wrong sidecar
only means the full parse. A snapshot found without one (written by an older reader, or by
``doctor --repair``) gets one at the next write, if its bytes are exactly what this module
would dump.

Why, measured at 50,000 articles (bench/bench_scale_store.py): a whole ``reader quote add``
went from 273 ms to 86 ms (78 ms on a one-article library: 1.10x, budget 2x); opening the
library and building the first screen's 200 rows from 2-3 ms instead of ~170 ms, so a start
without a start view is within a few ms of one with it. The price: dumping document by
document takes ~130 ms instead of ~11 ms for one ``orjson.dumps`` (finding the newest
included), paid once per snapshot (when the journal is folded, every few thousand saves),
and a 1.2 MB sidecar.

The file: one JSON header line (format, signature, generation, table ranges, the newest
articles with their ranges, article count, whether ids ascend, CRC-32 of the rest), then the
article ids, starts and ends as three arrays of little-endian int64.
"""

from __future__ import annotations

import bisect
import contextlib
import heapq
import itertools
import os
import sys
import weakref
import zlib
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from reader.library.changes import Document, Tables
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


Arrays = tuple["array[int]", "array[int]", "array[int]"]


class Layout:
    """Where the tables and article documents of one snapshot lie."""

    def __init__(
        self,
        generation: int,
        tables: dict[str, tuple[int, int]],
        newest: list[int],
        count: int,
        ascending: bool,
        arrays: Arrays | None = None,
        packed: tuple[bytes, int] = (b"", 0),
        spans: dict[int, tuple[int, int]] | None = None,
    ) -> None:
        self.generation = generation
        self.tables = tables
        #: The ids of the newest articles, newest first.
        self.newest = newest
        #: How many articles the snapshot holds.
        self.count = count
        #: Whether the ids are in ascending order (found by bisection then).
        self.ascending = ascending
        self._arrays = arrays
        self._packed = packed
        #: Where the newest lie, from the header: the first screen needs no arrays.
        self._spans = spans or {}
        self._index: dict[int, int] | None = None

    def arrays(self) -> Arrays:
        """The article ids, starts and ends (unpacked and checked on first use)."""
        if self._arrays is None:
            packed, crc = self._packed
            count = self.count
            if len(packed) != 24 * count or zlib.crc32(packed) != crc:
                raise BadLayout
            unpacked = []
            for n in range(3):
                values: array[int] = array("q")
                values.frombytes(packed[n * 8 * count : (n + 1) * 8 * count])
                if sys.byteorder != "little":
                    values.byteswap()
                unpacked.append(values)
            self._arrays = (unpacked[0], unpacked[1], unpacked[2])
            self._packed = (b"", 0)
        return self._arrays

    def position(self, article_id: int) -> int | None:
        """Where ``article_id`` is in the arrays, or None if the snapshot has no such article."""
        ids = self.arrays()[0]
        if self.ascending:
            # Ids are allocated in ascending order, so the table usually is: no index to build.
            at = bisect.bisect_left(ids, article_id)
            return at if at < len(ids) and ids[at] == article_id else None
        if self._index is None:
            self._index = dict(zip(ids, range(len(ids)), strict=True))
        return self._index.get(article_id)

    def span(self, article_id: int) -> tuple[int, int] | None:
        """Where an article's document lies, or None if the snapshot has no such article."""
        known = self._spans.get(article_id)
        if known is not None:
            return known
        where = self.position(article_id)
        if where is None:
            return None
        _, starts, ends = self.arrays()
        return starts[where], ends[where]


def dump_snapshot(data: Tables, generation: int) -> tuple[bytes, Layout | None]:
    """The bytes of ``data`` as one ``orjson.dumps`` would give them, and their layout.

    No layout when an article id is not a plain number: lookups by id could not be exact.
    """
    articles = data.get(ARTICLES, {})
    if not all(key.isascii() and key.isdigit() and key == str(int(key)) for key in articles):
        return orjson.dumps(data), None
    # One growing buffer, not a list of parts: orjson returns each small document in a
    # bytes object of about 4 KiB, so 50,000 of them held at once took 205 MB.
    out = bytearray(b"{")
    tables: dict[str, tuple[int, int]] = {}
    ids: array[int] = array("q")
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    newest: list[int] = []
    for number, (name, table) in enumerate(data.items()):
        out += (b"," if number else b"") + orjson.dumps(name) + b":"
        begin = len(out)
        if name == ARTICLES:
            out += b"{"
            for n, (key, doc) in enumerate(table.items()):
                out += (b',"' if n else b'"') + key.encode() + b'":'
                ids.append(int(key))
                starts.append(len(out))
                out += orjson.dumps(doc)
                ends.append(len(out))
            out += b"}"
            top = heapq.nlargest(NEWEST, table.items(), key=newest_key)
            newest = [int(key) for key, _ in top]
        else:
            out += orjson.dumps(table)
        tables[name] = (begin, len(out))
    out += b"}"
    ascending = all(a < b for a, b in itertools.pairwise(ids))
    layout = Layout(generation, tables, newest, len(ids), ascending, (ids, starts, ends))
    return bytes(out), layout


def _little(values: array[int]) -> bytes:
    if sys.byteorder != "little":
        values = array("q", values)
        values.byteswap()
    return values.tobytes()


def encode_layout(layout: Layout, signature: Signature) -> bytes:
    """The sidecar's bytes for ``layout`` of the snapshot file with ``signature``."""
    ids, starts, ends = layout.arrays()
    arrays = _little(ids) + _little(starts) + _little(ends)
    newest = []
    for article_id in layout.newest:
        where = layout.position(article_id)
        if where is not None:
            newest.append([article_id, starts[where], ends[where]])
    header = {
        "format": _FORMAT,
        "signature": list(signature),
        "generation": layout.generation,
        "tables": {name: list(span) for name, span in layout.tables.items()},
        "newest": newest,
        "count": len(ids),
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
    count, crc, generation = header["count"], header["crc"], header["generation"]
    if not all(isinstance(n, int) for n in (count, crc, generation)) or len(rest) != 24 * count:
        return None
    tables = {str(k): (int(v[0]), int(v[1])) for k, v in header["tables"].items()}
    spans = {int(i): (int(start), int(end)) for i, start, end in header["newest"]}
    # The arrays are unpacked, and their CRC checked, only when an article outside the
    # newest is looked up: the first screen reads the header alone.
    ascending = header["ascending"] is True
    return Layout(generation, tables, list(spans), count, ascending, None, (rest, crc), spans)


#: Reading by parts keeps the file open: where an open file cannot be replaced (Windows),
#: the snapshot is read whole instead (still parsed in parts).
BY_PARTS = hasattr(os, "pread") and sys.platform != "win32"


def _close(fd: int) -> None:
    if fd >= 0:
        os.close(fd)


class LazySnapshot:
    """A snapshot's bytes read through its layout: each part parsed when first asked for."""

    def __init__(self, source: int | bytes, size: int, layout: Layout) -> None:
        """``source``: the snapshot file, open (this object closes it), or its bytes."""
        self._fd = source if isinstance(source, int) else -1
        self._bytes = source if isinstance(source, bytes) else b""
        self.size = size
        self.layout = layout
        # Read by parts (pread): reading all 12 MB would cost more than what is parsed.
        self._closer = weakref.finalize(self, _close, self._fd)

    def close(self) -> None:
        """Close the file (also done when this object goes)."""
        self._closer()

    def _read(self, start: int, end: int) -> bytes:
        if self._fd < 0:
            return self._bytes[start:end]
        chunks = []
        while start < end:
            chunk = os.pread(self._fd, end - start, start)
            if not chunk:
                break  # shorter than when it was opened: changed in place
            chunks.append(chunk)
            start += len(chunk)
        return b"".join(chunks)

    @property
    def raw(self) -> bytes:
        """The whole file."""
        return self._read(0, self.size)

    def _slice(self, key: bytes, start: int, end: int) -> Any:
        if not len(key) <= start <= end < self.size:
            raise BadLayout
        chunk = self._read(start - len(key), end + 1)
        if chunk[: len(key)] != key or chunk[-1:] not in (b",", b"}"):
            raise BadLayout
        try:
            value = orjson.loads(chunk[len(key) : -1])
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
        span = self.layout.span(article_id)
        if span is None:
            return None
        key = b'"' + str(article_id).encode() + b'":'
        doc: Document = self._slice(key, *span)
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
