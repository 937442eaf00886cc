"""A snapshot read in parts through its layout, with the journal's changes made since.

What the storage (``reader.library.storage``) holds instead of the parsed tables while no
question has needed them all; see ``reader.library.layout`` for why.
"""

from __future__ import annotations

import heapq

from reader.library.changes import Change, Document, Tables, apply_changes
from reader.library.layout import ARTICLES, LazySnapshot, newest_key


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
        if len(kept) < count and len(layout.newest) < layout.count:
            raise NeedWhole
        # In order, newest first: past the first ``count`` none can be among the newest.
        found = self.snapshot.articles(kept[:count])
        found.update((key, doc) for key, doc in over.items() if doc is not None)
        total = layout.count + sum(
            (doc is not None) - self.snapshot.has_article(int(key)) for key, doc in over.items()
        )
        return heapq.nlargest(count, found.items(), key=newest_key), total
