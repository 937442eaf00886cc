"""The one way into a library: dataclasses in, dataclasses out."""

from __future__ import annotations

import heapq
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tinydb import TinyDB

from reader.library import migrations
from reader.library.batch import (
    ARTICLES,
    CARDS,
    DELETED,
    META,
    QUOTES,
    Batch,
    QuoteSpots,
    normalize_tags,
)
from reader.library.errors import DamagedDocument, LibraryError, NotFound, PassageNotFound
from reader.library.indexing import LibraryIndex
from reader.library.models import (
    CONTEXT_CHARS,
    Article,
    Block,
    ImportResult,
    Quote,
    added_of,
    now,
)
from reader.library.reattach import deleted_record, reattach
from reader.library.storage import Change, DiskStorage, LibraryStorage, MemoryStorage, Tables
from reader.library.texts import TextStore

if TYPE_CHECKING:
    from reader.library.search import SearchHit, SearchIndex

Doc = TypeVar("Doc", Article, Quote)


class Repository:
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

    def quote_counts(self) -> Counter[int]:
        """How many quotes each article has."""
        # get(): a damaged quote is reported where quotes are read, not by a KeyError here.
        quotes = self._table(QUOTES).values()
        return Counter(d.get("article_id", 0) for d in quotes if type(d) is dict)

    def quotes(self, article_id: int | None = None) -> list[Quote]:
        """One article's quotes in text order, or every quote by article then text order."""
        if article_id is None:
            # Straight from the stored table, as articles() does: TinyDB would copy each.
            stored = self._table(QUOTES)
            found = [Quote.from_doc(int(i), d) for i, d in stored.items()]
        else:
            # The app asks for one article's quotes on the UI thread each time the list's
            # cursor moves: from an index made once per quotes table, not a scan.
            found = [Quote.from_doc(int(i), d) for i, d in self._quotes_of(article_id)]
        found.sort(key=lambda q: (q.article_id, q.start, q.end, q.id))
        return found

    def quote_count(self, article_id: int) -> int:
        """How many quotes one article has (from the per-article index, not a scan)."""
        return len(self._quotes_of(article_id))

    def _quotes_of(self, article_id: int) -> list[tuple[str, dict[str, Any]]]:
        table = self._table(QUOTES)
        if self._by_article_of is not table:
            # Tables are copy-on-write: a changed quotes table is a new dict, so identity
            # tells whether the index is still the table's.
            index: dict[int, list[tuple[str, dict[str, Any]]]] = {}
            for quote_id, doc in table.items():
                owner = doc.get("article_id")
                if isinstance(owner, int):
                    index.setdefault(owner, []).append((quote_id, doc))
            self._by_article, self._by_article_of = index, table
        return self._by_article.get(article_id, [])

    def quote(self, quote_id: int) -> Quote:
        """One quote; NotFound if there is no such id."""
        doc = self._table(QUOTES).get(str(quote_id))
        if doc is None:
            raise NotFound(f"no quote with id {quote_id}")
        return Quote.from_doc(quote_id, doc)

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

    def add_quote(
        self, article_id: int, start: int, end: int, note: str = "", body: str | None = None
    ) -> tuple[Quote, bool]:
        """Keep ``body[start:end]`` as a quote; returns the quote and whether it is new.

        ``body`` is the article's stored body, if the caller has it: otherwise it is read.
        """
        # One read of the library (the write's own) and a duplicate check by key: this runs
        # each time the reader keeps a passage. Only the quotes, the meta and this article
        # are read: at 50,000 articles the rest would cost most of a `reader quote add`.
        with self._writing(only=(META, QUOTES)) as batch:
            data, changes = batch.data, batch.changes
            doc = self.storage.document(ARTICLES, article_id)
            if doc is None:
                raise NotFound(f"no article with id {article_id}")
            quotes = data.get(QUOTES, {})
            kept = self._spots.find(self.storage.loads, quotes, (article_id, start, end))
            if kept is not None:
                return Quote.from_doc(kept, quotes[str(kept)]), False
            if body is None:
                body = self.body(Article.from_doc(article_id, doc))
            if not 0 <= start < end <= len(body):
                raise PassageNotFound(
                    f"offsets {start}-{end} are outside article {article_id} "
                    f"({len(body)} characters)"
                )
            quote_id = batch.allocate("next_quote_id", QUOTES)
            quote = Quote(
                id=quote_id,
                article_id=article_id,
                article_title=doc["title"],
                text=body[start:end],
                start=start,
                end=end,
                prefix=body[max(0, start - CONTEXT_CHARS) : start],
                suffix=body[end : end + CONTEXT_CHARS],
                created=now(),
                note=note,
            )
            changes.append(Change(QUOTES, quote_id, quote.to_doc()))
        self._index.keep(lambda index: index.add_quote(quote))
        return quote, True

    def add_quote_text(self, article_id: int, passage: str, note: str = "") -> tuple[Quote, bool]:
        """Keep the first occurrence of ``passage`` in the article's body as a quote."""
        body = self.body(self.article(article_id))
        start = body.find(passage) if passage else -1
        if start < 0:
            raise PassageNotFound(f"the passage does not occur in article {article_id}")
        return self.add_quote(article_id, start, start + len(passage), note, body=body)

    def set_article_tags(self, article_id: int, tags: Iterable[str]) -> Article:
        """Replace an article's tags."""
        clean = normalize_tags(tags)
        return self._update(ARTICLES, Article, article_id, lambda a: replace(a, tags=clean))

    def set_quote_tags(self, quote_id: int, tags: Iterable[str]) -> Quote:
        """Replace a quote's tags."""
        clean = normalize_tags(tags)
        return self._update(QUOTES, Quote, quote_id, lambda q: replace(q, tags=clean))

    def quotes_tagged(self, quotes: Iterable[Quote], tag: str) -> list[Quote]:
        """The quotes carrying ``tag`` themselves or through their article (folded, as search)."""
        from reader.text.fold import fold
        from reader.text.query import tag_of

        wanted = fold(tag_of(tag) or tag)
        articles = self._tables().get(ARTICLES, {})

        def has(tags: Iterable[str]) -> bool:
            return any(fold(t) == wanted for t in tags)

        return [
            q
            for q in quotes
            if has(q.tags) or has(articles.get(str(q.article_id), {}).get("tags") or ())
        ]

    def all_tags(self) -> list[str]:
        """Every tag in use on articles or quotes, sorted."""
        tables = self._tables()
        found: set[str] = set()
        for table in (ARTICLES, QUOTES):
            for doc in tables.get(table, {}).values():
                found.update(doc.get("tags") or ())
        return sorted(found, key=str.casefold)

    def set_quote_note(self, quote_id: int, note: str) -> Quote:
        """Replace a quote's note."""
        quote = self._update(QUOTES, Quote, quote_id, lambda q: replace(q, note=note))
        self._index.keep(lambda index: index.add_quote(quote))
        return quote

    def delete_quote(self, quote_id: int) -> Quote:
        """Remove a quote and return it (so it can be restored)."""
        with self._writing() as batch:
            data, changes = batch.data, batch.changes
            doc = data.get(QUOTES, {}).get(str(quote_id))
            if doc is None:
                raise NotFound(f"no quote with id {quote_id}")
            changes.append(Change(QUOTES, quote_id, None))
            if str(quote_id) in data.get(CARDS, {}):
                changes.append(Change(CARDS, quote_id, None))  # its review card goes with it
        self._index.keep(lambda index: index.remove_quote(quote_id))
        return Quote.from_doc(quote_id, doc)

    def review_card(self, quote_id: int) -> dict[str, Any] | None:
        """A quote's review card as stored (see reader.review.cards), or None if it has none:
        what undoing its deletion puts back."""
        card = self.documents(CARDS).get(str(quote_id))
        return dict(card) if isinstance(card, dict) else None

    def restore_quote(self, quote: Quote, card: dict[str, Any] | None = None) -> Quote:
        """Put a deleted quote back under its old id, with its review card if given (undo)."""
        with self._writing() as batch:
            changes = batch.changes
            changes.append(Change(QUOTES, quote.id, quote.to_doc()))
            if card is not None:
                changes.append(Change(CARDS, quote.id, card))
        self._index.keep(lambda index: index.add_quote(quote))
        return quote

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

    # -- search (a derived index in search.sqlite3; see reader.library.indexing) ---------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Articles and quotes matching ``query`` (see ``reader.text.query``), best first."""
        return self._index.search(query, limit)
