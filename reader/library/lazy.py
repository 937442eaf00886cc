"""A snapshot read in parts through its layout, with the journal's changes made since.

What the storage (``reader.library.storage``) holds instead of the parsed tables while no
question has needed them all; see ``reader.library.layout`` for why. ``PartReads`` is the
storage's reads that use it: a mixin of ``DiskStorage``, kept beside what it reads.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from reader.library.changes import Change, Document, Tables, apply_changes
from reader.library.layout import ARTICLES, BadLayout, LazySnapshot, newest_key

if TYPE_CHECKING:
    from reader.library.lock import FileLock

_T = TypeVar("_T")


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

    def article_ids(self) -> set[int]:
        """The id of every article, from the layout and the changes since (none parsed)."""
        cached = self._cache.get(ARTICLES)
        if cached is not None:
            return {int(key) for key in cached}
        ids = set(self.snapshot.layout.arrays()[0])
        for key, doc in self._overlay.get(ARTICLES, {}).items():
            if doc is None:
                ids.discard(int(key))
            else:
                ids.add(int(key))
        return ids

    def newest(self, count: int) -> tuple[list[tuple[str, Document]], int]:
        """The ``count`` newest articles (by ``newest_key``) and how many articles there are.

        The snapshot's newest that no change touched rank above every other untouched one, so
        they and the changed documents hold the answer while enough of them are left.
        """
        layout = self.snapshot.layout
        over = self._overlay.get(ARTICLES, {})
        kept = [i for i in layout.newest if str(i) not in over]
        if len(kept) < count and len(layout.newest) < layout.count:
            raise NeedWhole
        # In order, newest first: past the first ``count`` none can be among the newest.
        found = self.snapshot.articles(kept[:count])
        found.update((key, doc) for key, doc in over.items() if doc is not None)
        total = layout.count + sum(
            (doc is not None) - self.snapshot.has_article(int(key)) for key, doc in over.items()
        )
        return heapq.nlargest(count, found.items(), key=newest_key), total


class PartReads:
    """``DiskStorage``'s reads that parse no more than they need: through its LazyTables
    while it has them, else from the data parsed whole."""

    lock: FileLock
    _data: Tables | None
    _lazy: LazyTables | None

    if TYPE_CHECKING:
        # DiskStorage's.
        def _refresh(self, retry: bool = False, full: bool = True) -> None: ...
        def _parse_snapshot(self, raw: bytes) -> Tables: ...

    def partial(self, names: Iterable[str]) -> Tables | None:
        with self.lock.hold(exclusive=self.lock.held_exclusive):
            self._refresh(full=False)
            return self._partial(names)

    def _partial(self, names: Iterable[str]) -> Tables | None:
        if self._data is None and self._lazy is None:
            return None
        return {name: self._table(name) for name in names}

    def _table(self, name: str) -> dict[str, Document]:
        return self._lazily(lambda lazy: lazy.table(name), lambda data: data.get(name, {}))

    def document(self, table: str, doc_id: int) -> Document | None:
        with self.lock.hold(exclusive=self.lock.held_exclusive):
            self._refresh(full=False)
            return self._lazily(
                lambda lazy: lazy.document(table, doc_id),
                lambda data: data.get(table, {}).get(str(doc_id)),
            )

    def newest_articles(self, count: int) -> tuple[list[tuple[str, Document]], int]:
        with self.lock.hold(exclusive=self.lock.held_exclusive):
            self._refresh(full=False)

            def whole(data: Tables) -> tuple[list[tuple[str, Document]], int]:
                table = data.get("articles", {})
                return heapq.nlargest(count, table.items(), key=newest_key), len(table)

            return self._lazily(lambda lazy: lazy.newest(count), whole)

    def article_ids(self) -> set[int]:
        with self.lock.hold(exclusive=self.lock.held_exclusive):
            self._refresh(full=False)
            return self._lazily(
                lambda lazy: lazy.article_ids(),
                lambda data: {int(key) for key in data.get(ARTICLES, {})},
            )

    def _lazily(self, part: Callable[[LazyTables], _T], whole: Callable[[Tables], _T]) -> _T:
        """``part`` of the snapshot read through its layout, else ``whole`` of the parsed data."""
        if self._lazy is not None:
            try:
                return part(self._lazy)
            except (BadLayout, NeedWhole):
                self._materialize()
        return whole(self._data or {})

    def _materialize(self) -> None:
        """Parse the whole snapshot read lazily and apply the changes made since."""
        lazy = self._lazy
        if lazy is None:
            return
        data = self._parse_snapshot(lazy.snapshot.raw)
        self._data = apply_changes(data, lazy.changes) if lazy.changes else data
        self._lazy = None
