"""Undo for deletions: each entry holds the data to put back, never a screen or a callback.

Whichever screen is showing when the restore lands refreshes itself from the
``LibraryChanged`` message the app sends every screen; a screen dismissed since the
deletion is simply not there to be told.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.library import Article, Quote, Repository
    from reader.tui.saver import Saver

#: How many deletions ctrl+z can take back, newest first.
DEPTH = 50


@dataclass(frozen=True, slots=True)
class DeletedQuote:
    """A quote as it was before its deletion, with its review card (if it had one)."""

    quote: Quote
    card: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class DeletedArticle:
    """An article as it was: its metadata, its body, and the quotes deleted with it."""

    article: Article
    body: str
    quotes: tuple[Quote, ...]


UndoEntry = DeletedQuote | DeletedArticle


class UndoStack:
    """Deletions that ctrl+z restores, through the saver like every other write."""

    def __init__(
        self,
        library: Callable[[], Repository],
        saver: Saver,
        restored: Callable[[UndoEntry | None], None],
    ) -> None:
        self._library = library
        self._saver = saver
        #: Called on the UI thread with what was restored (None: there was nothing to undo).
        self._restored = restored
        self._entries: list[UndoEntry] = []

    def __len__(self) -> int:
        return len(self._entries)

    def push(self, entry: UndoEntry) -> None:
        """Remember a deletion that has reached the disk."""
        self._entries.append(entry)
        del self._entries[:-DEPTH]

    def undo(self) -> None:
        """Restore the last deletion."""
        if not self._entries:
            self._restored(None)
            return
        entry = self._entries.pop()
        self._saver.submit(lambda: self._restore(entry), self._restored)

    def _restore(self, entry: UndoEntry) -> UndoEntry:
        repo = self._library()
        if isinstance(entry, DeletedQuote):
            repo.restore_quote(entry.quote, entry.card)
        else:
            repo.restore_article(entry.article, entry.body, entry.quotes)
        return entry
