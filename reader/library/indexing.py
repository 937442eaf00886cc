"""A repository's search index (``reader.library.search``): searched, and kept in step with writes.

sqlite3 and the search module load on first use: ``reader list`` and the app's start never
need them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.library.batch import ARTICLES, QUOTES
from reader.library.errors import LibraryError

if TYPE_CHECKING:
    from reader.library.repository import Repository
    from reader.library.search import FeedOf, SearchHit, SearchIndex, TagsOf


class LibraryIndex:
    """The derived index in search.sqlite3 next to a library, opened on first use."""

    def __init__(self, repo: Repository) -> None:
        self._repo = repo
        self._search: SearchIndex | None = None

    def _search_index(self) -> SearchIndex:
        if self._search is None:
            from reader.library.search import SearchIndex

            location = self._repo.location
            folder = location.parent if location is not None else None
            if folder is not None and not os.access(folder, os.W_OK):
                folder = None  # a library on read-only media: search an index built in memory
            self._search = SearchIndex(folder, self._repo.texts)
        return self._search

    def search(self, query: str, limit: int) -> list[SearchHit]:
        """Articles and quotes matching ``query``, best first; syncs the index first if needed."""
        import sqlite3

        from reader.library.search import is_busy

        index = self._search_index()
        for attempt in range(2):
            try:
                if not index.is_current(self._repo):
                    index.sync(self._repo)
                return index.search(query, limit, self._tags_of(), self._feed_of())
            except sqlite3.Error as exc:
                if is_busy(exc):
                    raise LibraryError(
                        "the search index is busy (another process is updating it); try again"
                    ) from None
                index.discard()  # derived data: rebuilt from the library on the next try
                if attempt:
                    raise LibraryError(f"search failed: {exc}; try again") from None
        raise AssertionError("unreachable")

    def _tags_of(self) -> TagsOf:
        """Tags of an article, or of a quote together with its article's (as quotes_tagged)."""
        tables = self._repo.storage.read() or {}
        articles, quotes = tables.get(ARTICLES, {}), tables.get(QUOTES, {})

        def tags_of(kind: str, doc_id: int) -> tuple[str, ...]:
            if kind == "article":
                return tuple(articles.get(str(doc_id), {}).get("tags") or ())
            quote = quotes.get(str(doc_id), {})
            article = articles.get(str(quote.get("article_id")), {})
            return (*(quote.get("tags") or ()), *(article.get("tags") or ()))

        return tags_of

    def _feed_of(self) -> FeedOf:
        """The feed (id, title) an article came from, or a quote's article (for feed:)."""
        tables = self._repo.storage.read() or {}
        articles, quotes = tables.get(ARTICLES, {}), tables.get(QUOTES, {})
        feeds = tables.get("feeds", {})  # kept by reader.feeds

        def feed_of(kind: str, doc_id: int) -> tuple[int, str] | None:
            if kind == "article":
                article = articles.get(str(doc_id), {})
            else:
                article = articles.get(str(quotes.get(str(doc_id), {}).get("article_id")), {})
            feed_id = article.get("feed")
            if not isinstance(feed_id, int):
                return None
            feed = feeds.get(str(feed_id))
            if not isinstance(feed, dict):
                return None
            title = feed.get("title")
            return feed_id, title if isinstance(title, str) else ""

        return feed_of

    def keep(self, update: Callable[[SearchIndex], None]) -> None:
        """Apply a write that succeeded to the search index, if there is one yet.

        A library with no index does not get one here (the first search builds it), and an
        index failure never fails the write: the index is dropped and rebuilt later.
        """
        import sqlite3

        index = self._search
        if index is None:
            location = self._repo.location
            if location is None:
                return
            from reader.library.search import INDEX_FILE

            if not (location.parent / INDEX_FILE).exists():
                return
            index = self._search_index()
        try:
            update(index)
        except sqlite3.Error as exc:
            from reader.library.search import is_busy

            # Busy: another process is rebuilding it, and the next sync catches up anyway.
            if not is_busy(exc):
                index.discard()
        except OSError:
            index.discard()

    def close(self) -> None:
        """Close the index's connection if one was opened (the file stays)."""
        if self._search is not None:
            self._search.close()
