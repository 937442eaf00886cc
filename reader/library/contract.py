"""The storage contract the repository relies on, and the same contract in memory.

Apart from storage.py so that the contract reads on its own; ``DiskStorage`` there is the
library on disk. Both are imported from ``reader.library.storage`` as before.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import orjson
from tinydb.storages import Storage

from reader.library.changes import Change, Document, Tables, apply_changes
from reader.library.layout import newest_key


class LibraryStorage(Storage):
    """The storage contract the repository relies on: TinyDB's read/write plus small changes."""

    def read(self) -> Tables | None:
        raise NotImplementedError

    def write(self, data: Tables) -> None:
        raise NotImplementedError

    def apply(self, changes: list[Change]) -> None:
        """Durably apply document-level changes on top of the freshest data."""
        raise NotImplementedError

    @contextmanager
    def transaction(self, only: Iterable[str] | None = None) -> Iterator[Tables | None]:
        """Hold the write lock; yields the freshest data for a read-modify-write.

        With ``only``, the data yielded holds those tables alone (read no more than that).
        """
        raise NotImplementedError
        yield None

    def partial(self, names: Iterable[str]) -> Tables | None:
        """The freshest data of the named tables only; None when there is no library yet."""
        data = self.read()
        return None if data is None else {name: data.get(name, {}) for name in names}

    def document(self, table: str, doc_id: int) -> Document | None:
        """One stored document, or None if there is none of that id."""
        return (self.read() or {}).get(table, {}).get(str(doc_id))

    def newest_articles(self, count: int) -> tuple[list[tuple[str, Document]], int]:
        """The ``count`` newest article documents, newest first, and how many there are."""
        table = (self.read() or {}).get("articles", {})
        return heapq.nlargest(count, table.items(), key=newest_key), len(table)

    def article_ids(self) -> set[int]:
        """The id of every article."""
        return {int(key) for key in (self.read() or {}).get("articles", {})}

    def changed(self) -> bool:
        """Cheap check: has another process changed the library since we last read it?"""
        return False

    #: How many times data written by another process has been read in; a long-running
    #: process compares it with what it last showed (its own writes do not count).
    loads = 0

    def close(self) -> None:
        pass


class MemoryStorage(LibraryStorage):
    """The same contract in memory, for tests and throw-away libraries."""

    def __init__(self) -> None:
        self._data: Tables | None = None

    def read(self) -> Tables | None:
        return self._data

    def partial(self, names: Iterable[str]) -> Tables | None:
        data = self._data
        return None if data is None else {name: data.get(name, {}) for name in names}

    def document(self, table: str, doc_id: int) -> Document | None:
        return (self._data or {}).get(table, {}).get(str(doc_id))

    def write(self, data: Tables) -> None:
        # Round-trip through JSON so memory and disk behave alike (no shared references).
        self._data = orjson.loads(orjson.dumps(data))

    def apply(self, changes: list[Change]) -> None:
        data = self._data if self._data is not None else {}
        copies = [
            Change(
                c.table,
                c.doc_id,
                None if c.document is None else orjson.loads(orjson.dumps(c.document)),
            )
            for c in changes
        ]
        self._data = apply_changes(data, copies)

    @contextmanager
    def transaction(self, only: Iterable[str] | None = None) -> Iterator[Tables | None]:
        yield self._data if only is None else self.partial(only)
