"""Reading articles for ``Repository`` (a layer of it; see core.py): the article list built
from the snapshot, reusing the Article objects of unchanged documents, and single articles.
"""

from __future__ import annotations

import heapq
from typing import Any

from reader.library.batch import ARTICLES, QUOTES
from reader.library.core import RepositoryCore
from reader.library.errors import DamagedDocument, LibraryError, NotFound
from reader.library.models import Article, added_of


class ArticleReads(RepositoryCore):
    """The article reads of a Repository."""

    # Set in Repository.__init__.
    _built: dict[str, tuple[Any, Article]]

    def articles(self, damaged: list[DamagedDocument] | None = None) -> list[Article]:
        """Every article, newest first; DamagedDocument for one that cannot be read.

        With a ``damaged`` list, such articles are left out and their errors added to it.
        """
        # Straight from the stored table rather than through TinyDB's Table.all(), which
        # copies every document first: this runs at start-up over 10,000 articles.
        # Documents are never changed in place (the storage is copy-on-write), so reading
        # them directly is safe.
        table = self._tables().get(ARTICLES, {})
        if self._snapshot is not None:
            found = self._articles_reusing(table, damaged)
        else:
            found = self._build_articles(table, damaged)
        found.sort(key=lambda a: (a.added, a.id), reverse=True)
        return found

    def _articles_reusing(
        self, table: dict[str, Any], damaged: list[DamagedDocument] | None
    ) -> list[Article]:
        """Every article, reusing those built last time from the very same document.

        Documents are replaced, never changed (copy-on-write), so an unchanged one is the
        same object: after another process adds a few articles to 10,000, only those few
        are built (the app reads the whole list again at each such change).
        """
        before, built = self._built, {}
        found = []
        for key, doc in table.items():
            kept = before.get(key)
            if kept is None or kept[0] is not doc:
                try:
                    kept = (doc, Article.from_doc(int(key), doc))
                except DamagedDocument as error:
                    if damaged is None:
                        raise
                    damaged.append(error)
                    continue
            # The same pair, not a new one: 10,000 new tuples a poll fed the collector.
            built[key] = kept
            found.append(kept[1])
        self._built = built
        return found

    @staticmethod
    def _build_articles(
        table: dict[str, Any], damaged: list[DamagedDocument] | None
    ) -> list[Article]:
        try:
            return [Article.from_doc(int(i), d) for i, d in table.items()]
        except DamagedDocument:
            if damaged is None:
                raise
            found = []
            for i, d in table.items():
                try:
                    found.append(Article.from_doc(int(i), d))
                except DamagedDocument as error:
                    damaged.append(error)
            return found

    def newest(self, count: int) -> tuple[list[Article], int]:
        """The ``count`` newest articles, in the order of articles(), and how many there are.

        Only those are built: this runs when the app quits and after commands that write,
        and at a start without a start view, where the storage reads no other article.
        """
        snapshot = self._snapshot
        if snapshot is None:
            top, total = self.storage.newest_articles(count)
            return [Article.from_doc(int(i), d) for i, d in top], total
        table = snapshot.get(ARTICLES, {})
        top = heapq.nlargest(count, table.items(), key=lambda i: (added_of(i[1]), int(i[0])))
        return [Article.from_doc(int(i), d) for i, d in top], len(table)

    def article_ids(self) -> set[int]:
        """The id of every article (their documents are not parsed for it where the storage
        can help: ``reader quotes`` asks which of its quotes' articles are still here)."""
        snapshot = self._snapshot
        if snapshot is None:
            return self.storage.article_ids()
        return {int(key) for key in snapshot.get(ARTICLES, {})}

    def article_titles(self) -> dict[int, str]:
        """Every article's title by id (without building every Article)."""
        return {int(i): d["title"] for i, d in self._tables().get(ARTICLES, {}).items()}

    def article(self, article_id: int) -> Article:
        """One article; NotFound if there is no such id."""
        if self._snapshot is not None:
            doc = self._snapshot.get(ARTICLES, {}).get(str(article_id))
        else:
            doc = self.storage.document(ARTICLES, article_id)
        if doc is None:
            raise NotFound(f"no article with id {article_id}")
        return Article.from_doc(article_id, doc)

    def body(self, article: Article) -> str:
        """The article's stored body: the text every quote offset refers to."""
        try:
            return self.texts.get(article.hash)
        except OSError as exc:
            raise LibraryError(
                f"the text of article {article.id} ({self.texts.path(article.hash)}) "
                f"cannot be read: {exc.strerror}; run 'reader doctor'"
            ) from None

    def all_tags(self) -> list[str]:
        """Every tag in use on articles or quotes, sorted."""
        tables = self._tables()
        found: set[str] = set()
        for table in (ARTICLES, QUOTES):
            for doc in tables.get(table, {}).values():
                found.update(doc.get("tags") or ())
        return sorted(found, key=str.casefold)
