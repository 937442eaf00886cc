"""What one write to the library changes: its tables, a batch of changes, tags as stored."""

from __future__ import annotations

from collections.abc import Iterable

from reader.library.storage import Change, Tables

ARTICLES = "articles"
QUOTES = "quotes"
META = "meta"


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as stored: trimmed, inner spaces as hyphens, no "tag:" prefix, no duplicates."""
    seen: dict[str, str] = {}
    for tag in tags:
        tag = "-".join(tag.strip().removeprefix("tag:").split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(seen.values())


class Batch:
    """The changes of one write and the id counters they advance; stored data is not touched."""

    def __init__(self, data: Tables) -> None:
        self.data = data
        self.changes: list[Change] = []
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
