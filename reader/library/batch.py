"""What one write to the library changes: its tables, a batch of changes, tags as stored."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from reader.library.storage import Change, Document, Tables

ARTICLES = "articles"
QUOTES = "quotes"
META = "meta"
#: What each deleted article with kept quotes was (hash, url, title), so that importing it
#: again brings its quotes home.
DELETED = "deleted"
#: The review card of each quote (kept by ``reader.review``; deleted with its quote).
CARDS = "cards"


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as stored: trimmed, inner spaces as hyphens, no "tag:" prefix, no duplicates.

    Duplicates are tags equal once folded (see ``reader.text.fold``), as every match is.
    """
    # Here, not at the top: the repository loads this module at start-up, and tags rarely.
    from reader.text.fold import fold
    from reader.text.query import tag_of

    seen: dict[str, str] = {}
    for tag in tags:
        tag = tag.strip()
        tag = "-".join((tag_of(tag) or tag).split())
        if tag and fold(tag) not in seen:
            seen[fold(tag)] = tag
    return tuple(seen.values())


class Batch:
    """The changes of one write and the id counters they advance; stored data is not touched."""

    def __init__(self, data: Tables) -> None:
        self.data = data
        self.changes: list[Change] = []
        #: Run once the changes are durable, still under the write lock.
        self.committed: list[Callable[[], None]] = []
        self._meta = dict(data.get(META, {}).get("1", {}))
        self._meta_changed = False

    def allocate(self, counter: str, table: str) -> int:
        """A new id for ``table``; ids are never reused, since quotes outlive their articles."""
        next_id = self._meta.get(counter)
        if not isinstance(next_id, int):
            next_id = max(map(int, self.data.get(table, {})), default=0) + 1
        self._meta[counter] = next_id + 1
        self._meta_changed = True
        return next_id

    def finish(self) -> list[Change]:
        """Every change to apply, the counters included."""
        if self._meta_changed:
            return [*self.changes, Change(META, 1, self._meta)]
        return self.changes


Spot = tuple[int, int, int]


class QuoteSpots:
    """Which quote keeps each passage, (article id, start, end) → quote id, kept up to date.

    A duplicate check by key instead of a scan of every quote on each save. It is built from
    the stored quotes whenever the storage has read data another process wrote (its ``loads``
    count moved), and follows this process's own writes change by change.
    """

    def __init__(self) -> None:
        self._loads: int | None = None
        self._ids: dict[Spot, int] = {}
        self._spot_of: dict[int, Spot] = {}

    def find(self, loads: int, quotes: dict[str, Document], spot: Spot) -> int | None:
        """The id of the quote kept at ``spot`` in ``quotes`` (the freshest table), or None."""
        if loads != self._loads:
            self._ids.clear()
            self._spot_of.clear()
            for i, doc in quotes.items():
                self._put(int(i), doc)
            self._loads = loads
        found = self._ids.get(spot)
        return found if found is not None and str(found) in quotes else None

    def follow(self, loads: int, changes: Iterable[Change]) -> None:
        """Take in the changes this process just wrote (``loads`` as it is after the write)."""
        if loads != self._loads:
            self._loads = None
            return
        for change in changes:
            if change.table != QUOTES:
                continue
            known = self._spot_of.get(change.doc_id)
            if change.document is None or (known is not None and known != _spot(change.document)):
                # Rare (a deletion, a quote re-attached): rebuilt on the next save rather
                # than untangled, since two quotes may share a spot.
                self._loads = None
                return
            self._put(change.doc_id, change.document)

    def _put(self, quote_id: int, doc: Document) -> None:
        spot = _spot(doc)
        self._ids.setdefault(spot, quote_id)
        self._spot_of[quote_id] = spot


def _spot(doc: Document) -> Spot:
    return (doc["article_id"], doc["start"], doc["end"])
