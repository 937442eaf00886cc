"""The base of ``Repository``: the state every part uses, snapshot reads, the locked write.

``Repository`` is built in layers, each a class on the one before, each in its own module:
this core, the article reads (reads.py), the quotes (quoting.py), the article writes
(repository.py). One group of methods each, over the state set in Repository.__init__.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reader.library import migrations
from reader.library.batch import META, Batch, QuoteSpots
from reader.library.errors import NotFound
from reader.library.indexing import LibraryIndex
from reader.library.models import Article, Quote
from reader.library.storage import Change, DiskStorage, LibraryStorage, Tables
from reader.library.texts import TextStore

if TYPE_CHECKING:
    from tinydb import TinyDB

    from reader.library.search import SearchHit

Doc = TypeVar("Doc", Article, Quote)


class RepositoryCore:
    """What every part of a Repository uses: the storage, the snapshot and the write batch."""

    # All set in Repository.__init__ (see there).
    storage: LibraryStorage
    texts: TextStore
    _db: TinyDB
    _loads_seen: int
    _index: LibraryIndex
    _snapshot: Tables | None
    _spots: QuoteSpots

    @property
    def location(self) -> Path | None:
        """The library.json file, or None for an in-memory library."""
        return self.storage.path if isinstance(self.storage, DiskStorage) else None

    def _prepare(self) -> None:
        where = self.location or "the library"
        # The meta table alone: opening a library must not parse every article (see layout.py).
        with self.storage.transaction(only=(META,)) as meta:
            if meta is None:
                self.storage.write(migrations.new_library())
                return
            version = migrations.schema_version(meta, where)
            migrations.check_version(version, where)
            if version < migrations.SCHEMA_VERSION:
                if self.location is not None:
                    migrations.backup_before_migration(self.location, version)
                data = self.storage.read() or {}
                self.storage.write(migrations.migrate(data, version))

    def close(self) -> None:
        """Release the storage."""
        self._index.close()
        self._db.close()

    # -- change tracking -----------------------------------------------------------------

    def changed(self) -> bool:
        """Whether another process changed the library since this one last read it (cheap)."""
        return self.storage.changed()

    def use_snapshot_reads(self) -> None:
        """Read from memory from now on: the app's UI thread must never wait for the lock
        that another process holds while it writes. ``refresh()`` (off the UI thread) and
        this process's own writes bring the snapshot up to date."""
        self._snapshot = self.storage.read() or {}

    def signature(self) -> list[Any] | None:
        """What changes whenever any process writes this library (None in memory): compare
        two to know whether it changed in between, across runs too."""
        from reader.library.signature import library_signature

        location = self.location
        return None if location is None else library_signature(location.parent)

    @property
    def version(self) -> object:
        """An object that is replaced whenever the library's data changes: a list built
        from the library is current while this is the same object."""
        return self._tables()

    def refresh(self) -> bool:
        """Read in what other processes wrote; True if anything arrived since the last call."""
        data = self.storage.read()
        if self._snapshot is not None:
            self._snapshot = data or {}
        arrived = self.storage.loads != self._loads_seen
        self._loads_seen = self.storage.loads
        return arrived

    # -- reading -------------------------------------------------------------------------

    def _tables(self) -> Tables:
        snapshot = self._snapshot
        if snapshot is not None:
            return snapshot
        return self.storage.read() or {}

    def _table(self, name: str) -> dict[str, Any]:
        """One table, read alone if the storage can (the articles are not parsed for it)."""
        snapshot = self._snapshot
        if snapshot is not None:
            return snapshot.get(name, {})
        return (self.storage.partial((name,)) or {}).get(name, {})

    def documents(self, table: str) -> dict[str, Any]:
        """The stored documents of ``table`` by id, for the rooms that keep their own tables
        (feeds, review). Read only: documents are replaced by writes, never changed in place."""
        return self._table(table)

    # -- writing -------------------------------------------------------------------------

    def writing(self) -> AbstractContextManager[Batch]:
        """Read-modify-write under the library lock, for the rooms that keep their own tables:
        put ``Change``s on the batch (``batch.changes``); they are applied, journaled and
        atomic, when the block ends without an error."""
        return self._writing()

    @contextmanager
    def _writing(self, only: tuple[str, ...] | None = None) -> Iterator[Batch]:
        """Read-modify-write under the library lock; the batch's changes are applied at the end.

        With ``only``, ``batch.data`` holds those tables alone: a write that reads no other
        (and allocates ids only for those) then never parses the whole library.
        """
        with self.storage.transaction(only=only) as data:
            batch = Batch(data or {})
            yield batch
            if batch.changes:
                changes = batch.finish()
                self.storage.apply(changes)
                self._spots.follow(self.storage.loads, changes)
                if self._snapshot is not None:
                    self._snapshot = self.storage.read() or {}
            for step in batch.committed:
                step()

    def _update(
        self, table: str, kind: type[Doc], doc_id: int, change: Callable[[Doc], Doc]
    ) -> Doc:
        """Read-modify-write one document under the lock."""
        with self._writing() as batch:
            doc = batch.data.get(table, {}).get(str(doc_id))
            if doc is None:
                raise NotFound(f"no {kind.__name__.lower()} with id {doc_id}")
            item = change(kind.from_doc(doc_id, doc))
            batch.changes.append(Change(table, doc_id, item.to_doc()))
        return item

    # -- search (a derived index in search.sqlite3; see reader.library.indexing) ---------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Articles and quotes matching ``query`` (see ``reader.text.query``), best first."""
        return self._index.search(query, limit)
