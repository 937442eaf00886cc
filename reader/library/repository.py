"""The one way into a library: dataclasses in, dataclasses out.

``Repository`` is built in layers (see core.py): the core, the article reads (reads.py) and
the quotes (quoting.py) below; here, opening a library and the article writes.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB

from reader.library.batch import ARTICLES, CARDS, DELETED, QUOTES, Batch, QuoteSpots, normalize_tags
from reader.library.errors import LibraryError, NotFound
from reader.library.indexing import LibraryIndex
from reader.library.models import Article, Block, ImportResult, Quote, now
from reader.library.quoting import QuoteOps
from reader.library.reattach import deleted_record, reattach
from reader.library.storage import Change, DiskStorage, LibraryStorage, MemoryStorage, Tables
from reader.library.texts import TextStore

if TYPE_CHECKING:
    from reader.library.search import SearchIndex


class Repository(QuoteOps):
    """A library: articles, their bodies and quotes, safe to share with other processes."""

    def __init__(self, storage: LibraryStorage, texts: TextStore) -> None:
        self.storage = storage
        self.texts = texts
        self._db = TinyDB(storage=lambda: storage)
        self._prepare()
        self._loads_seen = storage.loads
        self._index = LibraryIndex(self)
        #: With snapshot reads on, the tables every read uses: replaced whole (never changed
        #: in place) by refresh() and by each write, so reads never wait for the lock.
        self._snapshot: Tables | None = None
        #: Quote documents by article, built once per quotes table (see _quotes_of).
        self._by_article: dict[int, list[tuple[str, dict[str, Any]]]] = {}
        self._by_article_of: object = None
        self._spots = QuoteSpots()
        #: Articles built by articles() with snapshot reads on, by id: (document, Article).
        self._built: dict[str, tuple[Any, Article]] = {}

    @classmethod
    def open(cls, folder: str | os.PathLike[str]) -> Repository:
        """Open the library in ``folder``, creating an empty one if there is none."""
        path = Path(folder)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"cannot create the library folder {path}: {exc.strerror}") from None
        if not path.is_dir():
            raise LibraryError(f"{path} is not a folder")
        return cls(DiskStorage(path), TextStore(path / "texts"))

    @classmethod
    def in_memory(cls, texts_folder: Path) -> Repository:
        """A library whose metadata lives in memory (bodies still go to ``texts_folder``)."""
        return cls(MemoryStorage(), TextStore(texts_folder))

    def add_articles(
        self, items: Iterable[tuple[Any, str | None]], added: datetime | None = None
    ) -> list[ImportResult]:
        """Store parsed articles (``(ParsedArticle, original file name)`` pairs) in one write.

        Content already in the library is left as it is and reported with ``created=False``.
        Quotes kept from a deleted article come home when it arrives again (see
        ``reader.library.reattach``); ``quotes_reattached`` counts them.
        """
        items = list(items)
        # Bodies are written before the lock is taken, which is held only to commit: they
        # are content-addressed and immutable, so another process loses nothing meanwhile,
        # and a body whose article never gets committed is only an unused file.
        digests = self.texts.put_many(parsed.body for parsed, _ in items)
        results: list[ImportResult] = []
        new_bodies: list[tuple[Article, str]] = []
        with self._writing() as batch:
            data, changes = batch.data, batch.changes
            stored = data.get(ARTICLES, {}).items()
            by_hash = {d.get("hash"): int(i) for i, d in stored if type(d) is dict}
            new_docs: dict[int, dict[str, Any]] = {}
            for (parsed, file_name), digest in zip(items, digests, strict=True):
                if digest in by_hash:
                    existing_id = by_hash[digest]
                    existing = data[ARTICLES].get(str(existing_id)) or new_docs[existing_id]
                    results.append(ImportResult(Article.from_doc(existing_id, existing), False))
                    continue
                article_id = batch.allocate("next_article_id", ARTICLES)
                article = Article(
                    id=article_id,
                    title=parsed.title,
                    hash=digest,
                    words=parsed.words,
                    reading_minutes=parsed.reading_minutes,
                    added=added or now(),
                    source=parsed.source,
                    credit=parsed.credit,
                    language=parsed.language,
                    file=file_name,
                    blocks=tuple(
                        Block(s.start, s.end, s.kind) for s in parsed.spans if s.kind != "paragraph"
                    ),
                    tags=tuple(getattr(parsed, "tags", ())),
                    author=getattr(parsed, "author", None),
                    published=getattr(parsed, "published", None),
                    url=getattr(parsed, "url", None),
                    feed=getattr(parsed, "feed", None),
                )
                if not self.texts.path(digest).exists():
                    # Deleted (with the article it belonged to) since it was written above.
                    self.texts.put(parsed.body)
                new_docs[article_id] = article.to_doc()
                changes.append(Change(ARTICLES, article_id, new_docs[article_id]))
                by_hash[digest] = article_id
                results.append(ImportResult(article, True))
                new_bodies.append((article, parsed.body))
            homecoming, moved = reattach(data, new_bodies) if new_bodies else ([], [])
            changes.extend(homecoming)
        if moved:
            came = Counter(q.article_id for q in moved)
            results = [
                replace(r, quotes_reattached=came[r.article.id]) if r.created else r
                for r in results
            ]

        def index_all(index: SearchIndex) -> None:
            index.add_articles(new_bodies)
            for quote in moved:
                index.add_quote(quote)

        if new_bodies:
            self._index.keep(index_all)
        return results

    def _update_article(self, article_id: int, change: Callable[[Article], Article]) -> Article:
        return self._update(ARTICLES, Article, article_id, change)

    def set_read(self, article_id: int, read: bool) -> Article:
        """Mark an article read or unread."""
        return self._update_article(article_id, lambda a: replace(a, read=read))

    def set_position(
        self,
        article_id: int,
        position: int,
        progress: float,
        also: Callable[[Batch, Article, Article], None] | None = None,
    ) -> Article:
        """Remember where the reader is in an article; reaching the end marks it read.

        ``also(batch, before, after)`` adds its own changes to the same write (the reading
        statistics of ``reader.review.reading``)."""
        progress = min(max(progress, 0.0), 1.0)
        with self._writing() as batch:
            doc = batch.data.get(ARTICLES, {}).get(str(article_id))
            if doc is None:
                raise NotFound(f"no article with id {article_id}")
            before = Article.from_doc(article_id, doc)
            after = replace(
                before,
                position=max(position, 0),
                progress=progress,
                read=before.read or progress >= 1.0,
                last_read=now(),
            )
            batch.changes.append(Change(ARTICLES, article_id, after.to_doc()))
            if also is not None:
                also(batch, before, after)
        return after

    def delete_article(self, article_id: int, delete_quotes: bool = False) -> Article:
        """Remove an article; its quotes stay (with the title they had) unless asked otherwise."""
        with self._writing() as batch:
            data, changes = batch.data, batch.changes
            doc = data.get(ARTICLES, {}).get(str(article_id))
            if doc is None:
                raise NotFound(f"no article with id {article_id}")
            article = Article.from_doc(article_id, doc)
            changes.append(Change(ARTICLES, article_id, None))
            quotes = [
                int(i) for i, q in data.get(QUOTES, {}).items() if q["article_id"] == article_id
            ]
            gone = quotes if delete_quotes else []
            changes.extend(Change(QUOTES, i, None) for i in gone)
            changes.extend(Change(CARDS, i, None) for i in gone if str(i) in data.get(CARDS, {}))
            if quotes and not delete_quotes:
                # Remembered so that the kept quotes come home if the article is imported again.
                changes.append(Change(DELETED, article_id, deleted_record(article)))
            # Once the deletion is durable (a crash before leaves a complete article) and
            # still under the lock, so that an import cannot take this body for its own
            # article in between (it writes bodies before it takes the lock).
            batch.committed.append(lambda: self.texts.remove(article.hash))
        self._index.keep(lambda index: index.remove_article(article_id, gone))
        return article

    def set_article_tags(self, article_id: int, tags: Iterable[str]) -> Article:
        """Replace an article's tags."""
        clean = normalize_tags(tags)
        return self._update(ARTICLES, Article, article_id, lambda a: replace(a, tags=clean))

    def restore_article(self, article: Article, body: str, quotes: Iterable[Quote] = ()) -> Article:
        """Put a deleted article back under its old id, with its body and the quotes deleted
        with it (undo). Quotes kept when it was deleted still name it, so they come back too."""
        # The body first, outside the lock: a crash before the commit leaves a harmless file.
        if self.texts.put(body) != article.hash:
            raise LibraryError(f"the text given for article {article.id} is not its own")
        quotes = tuple(quotes)
        with self._writing() as batch:
            if str(article.id) in batch.data.get(ARTICLES, {}):
                raise LibraryError(f"article {article.id} is already in the library")
            batch.changes.append(Change(ARTICLES, article.id, article.to_doc()))
            batch.changes.extend(Change(QUOTES, q.id, q.to_doc()) for q in quotes)

        def index(index: SearchIndex) -> None:
            index.add_articles([(article, body)])
            for quote in quotes:
                index.add_quote(quote)

        self._index.keep(index)
        return article

    # -- restoring an export (see reader.export.restore) ---------------------------------

    def replace_articles(self, articles: Iterable[Article]) -> None:
        """Write whole article documents as given, in one write; NotFound for an unknown id."""
        with self._writing() as batch:
            stored = batch.data.get(ARTICLES, {})
            for article in articles:
                if str(article.id) not in stored:
                    raise NotFound(f"no article with id {article.id}")
                batch.changes.append(Change(ARTICLES, article.id, article.to_doc()))

    def add_restored_quotes(
        self, kept: Iterable[Quote], orphaned: Iterable[Quote] = ()
    ) -> list[Quote]:
        """Store quotes as given (offsets, text, note, tags, created) under new ids, in one write.

        ``kept`` quotes name articles in this library and are skipped when the same passage
        is already kept. ``orphaned`` quotes belong to deleted articles: their article ids only
        group them, each group gets an article id no article will ever take (ids are never
        reused), and one equal to a deleted-article quote already here is skipped.
        """
        stored: list[Quote] = []
        with self._writing() as batch:
            data, changes = batch.data, batch.changes
            articles = data.get(ARTICLES, {})
            # From the documents, building Quotes only for orphans: imports of other tools'
            # exports call this once per batch, over libraries of 100,000 quotes.
            stored_quotes = data.get(QUOTES, {})
            spots = {
                (d.get("article_id"), d.get("start"), d.get("end")) for d in stored_quotes.values()
            }
            orphans = {
                (q.article_title, q.text, q.created)
                for q in (
                    Quote.from_doc(int(i), d)
                    for i, d in stored_quotes.items()
                    if str(d.get("article_id")) not in articles
                )
            }
            dead_ids: dict[int, int] = {}
            for quote, orphan in [*((q, False) for q in kept), *((q, True) for q in orphaned)]:
                if orphan:
                    if (quote.article_title, quote.text, quote.created) in orphans:
                        continue
                    if quote.article_id not in dead_ids:
                        dead_ids[quote.article_id] = batch.allocate("next_article_id", ARTICLES)
                    quote = replace(quote, article_id=dead_ids[quote.article_id])
                else:
                    if str(quote.article_id) not in articles:
                        raise NotFound(f"no article with id {quote.article_id}")
                    if (quote.article_id, quote.start, quote.end) in spots:
                        continue
                spots.add((quote.article_id, quote.start, quote.end))
                quote = replace(quote, id=batch.allocate("next_quote_id", QUOTES))
                changes.append(Change(QUOTES, quote.id, quote.to_doc()))
                stored.append(quote)

        def index_all(index: SearchIndex) -> None:
            for quote in stored:
                index.add_quote(quote)

        if stored:
            self._index.keep(index_all)
        return stored
