"""Full-text search over every article and quote, with SQLite FTS5.

The index lives in ``search.sqlite3`` in the library folder and is derived data: it indexes
folded text (see ``reader.text.fold``) of every article's title and body and every quote's
text and note, without keeping that text (contentless FTS5 tables: the index stays smaller
than the library's text), and can be deleted at any time. ``SearchIndex.sync`` makes it
match the library again, and a missing, corrupt or outdated file is simply rebuilt.
Snippets are cut from the original bodies in the text store, so results show the real
(accented) text.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.library.models import Article, Quote
from reader.library.search_tables import (
    SCHEMA_VERSION,
    compact,
    delete,
    put_article,
    put_quote,
    quote_digest,
    reset,
    set_signature,
    shrink,
    signature_of,
    tombstones,
    transaction,
)
from reader.library.texts import content_hash
from reader.text.fold import fold
from reader.text.query import (
    ParsedQuery,
    excerpt,
    find_terms,
    parse_query,
    snippet,
)

if TYPE_CHECKING:
    from reader.library.repository import Repository
    from reader.library.texts import TextStore

INDEX_FILE = "search.sqlite3"
#: Title matches weigh ten times body matches; for quotes, the text twice the note.
ARTICLE_WEIGHTS, QUOTE_WEIGHTS = (10.0, 1.0), (2.0, 1.0)
#: Documents written in one sync from which the index is merged and compacted afterwards.
BULK = 1000

TagsOf = Callable[[str, int], tuple[str, ...]]
#: The feed (id, title) an article, or a quote's article, came from; None if none.
FeedOf = Callable[[str, int], "tuple[int, str] | None"]
Key = tuple[str, int]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: an article (kind "article") or a quote (kind "quote") that matched."""

    kind: str
    article_id: int
    quote_id: int | None
    #: The article's title (for a quote: the title it was saved under).
    title: str
    source: str | None
    #: Higher is better; article and quote scores are merged on one scale.
    score: float
    snippet: str
    #: Match ranges in ``snippet``, for highlighting.
    highlights: tuple[tuple[int, int], ...]
    #: Body offsets of the best match (for a quote: the quote itself), to open the article at.
    offset: int
    end: int


def is_busy(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` means another process holds the index, not that the index is broken."""
    return getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class SearchIndex:
    """The FTS5 index of one library; opened lazily, rebuilt when missing or unreadable."""

    #: Seconds to wait for another process's write (a first build of 10,000 articles).
    timeout = 60.0

    def __init__(self, folder: Path | None, texts: TextStore | None = None) -> None:
        self.path = folder / INDEX_FILE if folder is not None else None
        self.texts = texts
        self._db: sqlite3.Connection | None = None
        self._file_id: tuple[int, int] | None = None
        #: The library tables last synced with (compared by identity: storage is copy-on-write).
        self._synced: tuple[object, object] | None = None
        # The app searches and saves from worker threads; one connection, one user at a time.
        self._lock = threading.RLock()

    # -- the file ------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether the index is open or its file exists (writes keep only such an index)."""
        return self._db is not None or (self.path is not None and self.path.exists())

    def _connection(self) -> sqlite3.Connection:
        if self._db is not None and self._same_file():
            return self._db
        self.close()
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:
            self.discard()  # not a database, or a broken one: derived data, start again
            self._db = self._open()
        return self._db

    def _same_file(self) -> bool:
        """False when another process deleted or replaced the file under this connection."""
        if self.path is None:
            return True
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return False
        return (st.st_dev, st.st_ino) == self._file_id

    def _open(self) -> sqlite3.Connection:
        target = str(self.path) if self.path is not None else ":memory:"
        db = sqlite3.connect(
            target, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        try:
            db.execute("PRAGMA journal_mode = WAL")
            # WAL without an fsync per commit: a crash can only lose derived data.
            db.execute("PRAGMA synchronous = NORMAL")
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                with transaction(db):
                    version = db.execute("PRAGMA user_version").fetchone()[0]
                    if version != SCHEMA_VERSION:
                        reset(db)
                shrink(db)  # an older index's pages, free now
        except BaseException:
            db.close()
            raise
        if self.path is not None:
            st = os.stat(self.path)
            self._file_id = (st.st_dev, st.st_ino)
        self._synced = None
        return db

    def close(self) -> None:
        """Close the connection (the file stays)."""
        with self._lock:
            if self._db is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()
            self._db, self._synced = None, None

    def discard(self) -> None:
        """Close and delete the index; the next search rebuilds it."""
        with self._lock:
            self.close()
            if self.path is not None:
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(OSError):  # absent, or a read-only folder
                        os.unlink(f"{self.path}{suffix}")

    # -- keeping in step -----------------------------------------------------------------

    def is_current(self, repo: Repository) -> bool:
        """Cheap: nothing changed in the library or the index file since the last sync."""
        data = repo.storage.read() or {}
        synced = self._synced
        return (
            synced is not None
            and synced[0] is data.get("articles")
            and synced[1] is data.get("quotes")
            and self._same_file()
        )

    def sync(self, repo: Repository) -> int:
        """Make the index match the library; returns how many documents changed."""
        data = repo.storage.read() or {}
        articles: dict[str, dict[str, Any]] = data.get("articles", {})
        quotes: dict[str, dict[str, Any]] = data.get("quotes", {})
        # All under the lock: the app searches as one types, a worker a key, and each
        # comparing the whole library at once multiplied its memory.
        with self._lock:
            signature = signature_of(articles, quotes)
            db = self._connection()
            row = db.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
            if row is not None and row[0] == signature:
                # Matched in full and unchanged since: no need to compare every document.
                self._synced = (data.get("articles"), data.get("quotes"))
                return 0
            changed = self._sync(db, articles, quotes, signature)
            self._synced = (data.get("articles"), data.get("quotes"))
        return changed

    def _sync(
        self,
        db: sqlite3.Connection,
        articles: dict[str, dict[str, Any]],
        quotes: dict[str, dict[str, Any]],
        signature: str,
    ) -> int:
        wanted: dict[Key, tuple[str, str]] = {
            ("article", int(i)): (d["hash"], d["title"]) for i, d in articles.items()
        }
        for i, d in quotes.items():
            digest = quote_digest(d["text"], d.get("note", ""))
            wanted["quote", int(i)] = (digest, d.get("article_title", ""))
        changed = 0

        def too_many_tombstones() -> bool:
            return tombstones(db) > max(BULK, len(wanted) // 10)

        if too_many_tombstones() or self._differences(db, wanted) != ([], []):
            with transaction(db):
                if too_many_tombstones():
                    # Many deleted articles' rows weigh on the index and its ranks: start
                    # again (all in this transaction, so no reader sees it empty).
                    reset(db)
                # Again under the write lock: another process may have synced meanwhile.
                stale, missing = self._differences(db, wanted)
                for kind, doc_id in stale:
                    delete(db, kind, doc_id, self._indexed_body)
                for kind, doc_id in sorted(missing):  # articles first: quotes take sources
                    doc = (articles if kind == "article" else quotes)[str(doc_id)]
                    if kind == "article":
                        article = Article.from_doc(doc_id, doc)
                        # Only a body that matches its hash: what is indexed must be what a
                        # delete gives FTS5 again (see search_tables.delete).
                        put_article(db, article, self._indexed_body(article.hash))
                    else:
                        put_quote(db, Quote.from_doc(doc_id, doc))
                changed = len(set(stale) | set(missing))
                set_signature(db, signature)
        else:
            # Busy: the next sync compares again.
            with contextlib.suppress(sqlite3.OperationalError), transaction(db):
                set_signature(db, signature)
        if changed >= BULK:
            compact(db)
        return changed

    @staticmethod
    def _differences(
        db: sqlite3.Connection, wanted: dict[Key, tuple[str, str]]
    ) -> tuple[list[Key], list[Key]]:
        """(indexed documents to remove, library documents to add)."""
        indexed = {
            (k, i): (d, t) for k, i, d, t in db.execute("SELECT kind, id, digest, title FROM docs")
        }
        stale = [key for key, value in indexed.items() if wanted.get(key) != value]
        missing = [key for key, value in wanted.items() if indexed.get(key) != value]
        return stale, missing

    def _body(self, digest: str) -> str | None:
        if self.texts is None:
            return None
        try:
            return self.texts.get(digest)
        except (OSError, UnicodeDecodeError):
            return None

    def _indexed_body(self, digest: str) -> str | None:
        """The body under ``digest`` if it is still stored and intact (else None)."""
        body = self._body(digest)
        if body is None or content_hash(body) != digest:
            return None
        return body

    def add_articles(self, items: Iterable[tuple[Article, str]]) -> None:
        """Index new articles with their bodies, in one transaction."""
        items = list(items)
        with self._lock:
            with transaction(db := self._connection()):
                set_signature(db, None)
                for article, body in items:
                    delete(db, "article", article.id, self._indexed_body)
                    put_article(db, article, body)
            if len(items) >= BULK:
                compact(db)

    def remove_article(self, article_id: int, quote_ids: Iterable[int] = ()) -> None:
        """Drop an article (and the given quotes, deleted with it) from the index."""
        with self._lock, transaction(db := self._connection()):
            set_signature(db, None)
            delete(db, "article", article_id, self._indexed_body)
            for quote_id in quote_ids:
                delete(db, "quote", quote_id, self._indexed_body)

    def add_quote(self, quote: Quote) -> None:
        """Index a quote (replacing what was indexed under its id)."""
        with self._lock, transaction(db := self._connection()):
            set_signature(db, None)
            delete(db, "quote", quote.id, self._indexed_body)
            put_quote(db, quote)

    def remove_quote(self, quote_id: int) -> None:
        """Drop a quote from the index."""
        with self._lock, transaction(db := self._connection()):
            set_signature(db, None)
            delete(db, "quote", quote_id, self._indexed_body)

    # -- searching -----------------------------------------------------------------------

    def search(
        self,
        query: str,
        limit: int = 50,
        tags_of: TagsOf | None = None,
        feed_of: FeedOf | None = None,
    ) -> list[SearchHit]:
        """The best ``limit`` articles and quotes for ``query``, best first."""
        parsed = parse_query(query)
        if limit <= 0 or (parsed.match is None and not parsed.tags and not parsed.feeds):
            return []
        filtered = bool(parsed.tags or parsed.exclude_tags or parsed.feeds or parsed.exclude_feeds)
        with self._lock:
            db = self._connection()
            ranked = self._ranked(db, parsed, -1 if filtered else limit)
            if filtered:
                keep = _tag_filter(parsed, tags_of, feed_of)
                ranked = [r for r in ranked if keep(r[1], r[2])]
            ranked.sort(key=lambda r: -r[0])
            return [self._hit(db, parsed, *r) for r in ranked[:limit]]

    def _ranked(
        self, db: sqlite3.Connection, parsed: ParsedQuery, limit: int
    ) -> list[tuple[float, str, int]]:
        """(score, kind, id) of every match, or of the best ``limit`` of each kind."""
        if parsed.match is None:
            # Tags alone: every document is a candidate, less those the query excludes.
            excluded: set[Key] = set()
            if parsed.excluded:
                excluded = set(self._matching(db, parsed.excluded, -1))
            rows = db.execute("SELECT kind, id FROM docs ORDER BY kind, id DESC")
            return [(0.0, k, i) for k, i in rows if (k, i) not in excluded]
        return [
            (score, kind, i) for (kind, i), score in self._matching(db, parsed.match, limit).items()
        ]

    @staticmethod
    def _matching(db: sqlite3.Connection, match: str, limit: int) -> dict[Key, float]:
        found: dict[Key, float] = {}
        for kind, table, (w1, w2) in (
            ("article", "articles", ARTICLE_WEIGHTS),
            ("quote", "quotes", QUOTE_WEIGHTS),
        ):
            rank = f"bm25({table}, {w1}, {w2})"
            # Joined to docs: a tombstone (a deleted article's row) has no docs row.
            sql = (
                f"SELECT d.id, -{rank} FROM {table} JOIN docs AS d"
                f" ON d.kind = '{kind}' AND d.fts = {table}.rowid"
                f" WHERE {table} MATCH ? ORDER BY {rank} LIMIT ?"
            )
            found.update(((kind, i), score) for i, score in db.execute(sql, (match, limit)))
        return found

    def _hit(
        self, db: sqlite3.Connection, parsed: ParsedQuery, score: float, kind: str, doc_id: int
    ) -> SearchHit:
        row = db.execute(
            "SELECT digest, title, source, article_id, start, stop, text, note FROM docs "
            "WHERE kind = ? AND id = ?",
            (kind, doc_id),
        ).fetchone()
        digest, title, source, article_id, start, stop, text, note = row or ("", "", *[None] * 6)
        terms, prefixes = parsed.terms, parsed.prefixes
        if kind == "quote":
            shown = text or ""
            if note and not find_terms(fold(shown), terms, prefixes):
                shown = note  # the match is in the note
            cut, marks = snippet(shown, terms, prefixes=prefixes)
            return SearchHit(
                kind, article_id, doc_id, title, source, score, cut, marks, start or 0, stop or 0
            )
        body = self._body(digest) or ""
        found = excerpt(body, terms, prefixes)
        offset, end = found.match or (0, 0)
        return SearchHit(
            kind, doc_id, None, title, source, score, found.snippet, found.highlights, offset, end
        )


def _tag_filter(
    parsed: ParsedQuery, tags_of: TagsOf | None, feed_of: FeedOf | None = None
) -> Callable[[str, int], bool]:
    """Whether a document has every wanted tag and none of the excluded ones, and comes from
    a feed every ``feed:`` term names and no ``-feed:`` term does."""
    from reader.text.query import feed_matches

    wanted, unwanted = set(parsed.tags), set(parsed.exclude_tags)

    def keep(kind: str, doc_id: int) -> bool:
        have = {fold(t) for t in tags_of(kind, doc_id)} if tags_of is not None else set()
        if not (wanted <= have and not unwanted & have):
            return False
        if not parsed.feeds and not parsed.exclude_feeds:
            return True
        feed = feed_of(kind, doc_id) if feed_of is not None else None
        if feed is None:
            return not parsed.feeds  # from no feed: excluded by none
        return all(feed_matches(w, *feed) for w in parsed.feeds) and not any(
            feed_matches(w, *feed) for w in parsed.exclude_feeds
        )

    return keep
