"""The tables of the search index (``reader.library.search``) and the writes to them."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from reader.library.models import Article, Quote
from reader.text.fold import fold
from reader.text.query import spaced_cjk

#: Bump when the tables or the folding change: an index of another version is rebuilt.
#: 2: CJK characters indexed one token each (see reader.text.query.spaced_cjk).
#: 3: contentless FTS tables (the index no longer keeps a second copy of every body).
SCHEMA_VERSION = 3
_TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"
# Contentless (content=''): FTS5 keeps only the inverted index, not the folded text, which
# would double the library's size. A row is removed by giving FTS5 the values it indexed
# again ('delete'): a quote's are in docs, an article's body in the text store. When the
# body is gone (the article's file is removed as it is deleted), the row is left in place as
# a tombstone (in dead, and no docs row points to it) until there are many: then
# SearchIndex.sync starts again.
_SCHEMA = (
    f"CREATE VIRTUAL TABLE articles USING fts5(title, body, content='', {_TOKENIZER})",
    f"CREATE VIRTUAL TABLE quotes USING fts5(text, note, content='', {_TOKENIZER})",
    # fts: the document's rowid in its FTS table (an article's id unless a tombstone has it).
    """CREATE TABLE docs (
        kind TEXT NOT NULL, id INTEGER NOT NULL, digest TEXT NOT NULL, title TEXT NOT NULL,
        source TEXT, article_id INTEGER, start INTEGER, stop INTEGER, text TEXT, note TEXT,
        fts INTEGER NOT NULL, PRIMARY KEY (kind, id)
    ) WITHOUT ROWID""",
    "CREATE UNIQUE INDEX docs_fts ON docs (kind, fts)",
    "CREATE TABLE dead (kind TEXT NOT NULL, fts INTEGER NOT NULL, PRIMARY KEY (kind, fts))",
    # signature: of the library the index last matched in full (see sync), until a change.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)
_TABLES = ("articles", "quotes", "docs", "dead", "meta")
#: The body with this digest exactly as it was indexed, or None if it cannot be had.
BodyOf = Callable[[str], "str | None"]


def quote_digest(text: str, note: str) -> str:
    """What identifies a quote's indexed content: its text and note."""
    return hashlib.blake2b(f"{text}\0{note}".encode(), digest_size=16).hexdigest()


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """An immediate (write-locked) transaction: sqlite serialises writers across processes."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def signature_of(articles: dict[str, dict[str, Any]], quotes: dict[str, dict[str, Any]]) -> str:
    """What the index holds of the library, in one digest.

    In the order of the ids: the tables' own order differs between a process that replayed
    the journal and one that read a folded library.json.
    """
    h = hashlib.blake2b(digest_size=16)
    for i in sorted(articles):
        d = articles[i]
        h.update(f"a{i}\0{d['hash']}\0{d['title']}\0".encode())
    for i in sorted(quotes):
        d = quotes[i]
        h.update(f"q{i}\0{d['text']}\0{d.get('note', '')}\0{d.get('article_title', '')}\0".encode())
    return h.hexdigest()


def set_signature(db: sqlite3.Connection, signature: str | None) -> None:
    """Record the library the index now matches in full; None after any other change."""
    unreadable = "SELECT 1 FROM docs WHERE digest LIKE 'unreadable:%' LIMIT 1"
    if signature is None or db.execute(unreadable).fetchone():
        # An unreadable body is tried again at each sync (see put_article).
        db.execute("DELETE FROM meta WHERE key = 'signature'")
    else:
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('signature', ?)", (signature,))


def tombstones(db: sqlite3.Connection) -> int:
    """How many deleted articles' rows are still in the FTS table."""
    (count,) = db.execute("SELECT count(*) FROM dead").fetchone()
    return int(count)


def compact(db: sqlite3.Connection) -> None:
    """After a bulk write: merge the FTS segments, and give free pages back to the disk."""
    with transaction(db):
        for table in ("articles", "quotes"):
            db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    shrink(db)


def shrink(db: sqlite3.Connection) -> None:
    """Give free pages back to the disk when they are many (an older, larger index's)."""
    free = db.execute("PRAGMA freelist_count").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    if free > pages // 4:
        # Not now if another process is reading it: a later bulk write tries again.
        with contextlib.suppress(sqlite3.OperationalError):
            db.execute("VACUUM")


def reset(db: sqlite3.Connection) -> None:
    """Drop every table (of this or an older version) and create empty ones."""
    for name in _TABLES:
        db.execute(f"DROP TABLE IF EXISTS {name}")
    for statement in _SCHEMA:
        db.execute(statement)


def delete(db: sqlite3.Connection, kind: str, doc_id: int, body_of: BodyOf) -> None:
    """Remove a document: exactly, given what was indexed, else leaving a tombstone."""
    row = db.execute(
        "SELECT digest, title, text, note, fts FROM docs WHERE kind = ? AND id = ?",
        (kind, doc_id),
    ).fetchone()
    if row is None:
        return
    digest, title, text, note, fts = row
    if kind == "quote":
        values: tuple[str, str] | None = (text or "", note or "")
    elif digest.startswith(_UNREADABLE):
        values = (title, "")
    else:
        body = body_of(digest)
        values = (title, body) if body is not None else None
    table = f"{kind}s"
    if values is None:
        db.execute("INSERT OR IGNORE INTO dead (kind, fts) VALUES (?, ?)", (kind, fts))
    else:
        db.execute(
            f"INSERT INTO {table} ({table}, rowid, {_COLUMNS[kind]}) VALUES ('delete', ?, ?, ?)",
            (fts, *map(_indexed, values)),
        )
    db.execute("DELETE FROM docs WHERE kind = ? AND id = ?", (kind, doc_id))


_COLUMNS = {"article": "title, body", "quote": "text, note"}
_UNREADABLE = "unreadable:"


def _free_rowid(db: sqlite3.Connection, kind: str, wanted: int) -> int:
    """``wanted`` (the document's id) unless a document or a tombstone has that rowid."""
    taken = db.execute(
        "SELECT 1 FROM docs WHERE kind = ? AND fts = ? UNION ALL "
        "SELECT 1 FROM dead WHERE kind = ? AND fts = ?",
        (kind, wanted, kind, wanted),
    ).fetchone()
    if taken is None:
        return wanted
    (highest,) = db.execute(
        "SELECT max(m) FROM (SELECT max(fts) AS m FROM docs WHERE kind = ? "
        "UNION ALL SELECT max(fts) FROM dead WHERE kind = ?)",
        (kind, kind),
    ).fetchone()
    return max(highest or 0, wanted) + 1


def _indexed(text: str) -> str:
    """Text as the index holds it: folded, each CJK character a word of its own."""
    return spaced_cjk(fold(text))


def put_article(db: sqlite3.Connection, article: Article, body: str | None) -> None:
    """Index an article (not indexed yet) with its body (None: unreadable)."""
    # A body that cannot be read is indexed empty under a digest that never matches, so the
    # next sync tries again (after 'reader doctor --repair', say).
    digest = article.hash if body is not None else f"{_UNREADABLE}{article.hash}"
    fts = _free_rowid(db, "article", article.id)
    db.execute(
        "INSERT INTO articles (rowid, title, body) VALUES (?, ?, ?)",
        (fts, _indexed(article.title), _indexed(body or "")),
    )
    db.execute(
        "INSERT INTO docs (kind, id, digest, title, source, fts) VALUES ('article', ?, ?, ?, ?, ?)",
        (article.id, digest, article.title, article.source, fts),
    )


def put_quote(db: sqlite3.Connection, quote: Quote) -> None:
    """Index a quote (not indexed yet)."""
    # The source is the article's, while it is indexed; a quote outlives its article.
    row = db.execute(
        "SELECT source FROM docs WHERE kind = 'article' AND id = ?", (quote.article_id,)
    ).fetchone()
    fts = _free_rowid(db, "quote", quote.id)
    db.execute(
        "INSERT INTO quotes (rowid, text, note) VALUES (?, ?, ?)",
        (fts, _indexed(quote.text), _indexed(quote.note)),
    )
    db.execute(
        "INSERT INTO docs (kind, id, digest, title, source, article_id, start, stop, text, note,"
        " fts) VALUES ('quote', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            quote.id,
            quote_digest(quote.text, quote.note),
            quote.article_title,
            row[0] if row else None,
            quote.article_id,
            quote.start,
            quote.end,
            quote.text,
            quote.note,
            fts,
        ),
    )
