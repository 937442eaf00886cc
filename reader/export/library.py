"""The whole library out to a folder: one Markdown file per article and reader-export.json."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.console import json_safe
from reader.export import EXPORT_FILE
from reader.export.article import article_markdown
from reader.export.names import UniqueNames
from reader.library import Article, LibraryError, Quote, Repository
from reader.library.models import now
from reader.library.storage import atomic_write

FORMAT = "reader-export"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class LibraryExport:
    """What an export wrote."""

    folder: Path
    articles: int
    quotes: int


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def article_record(article: Article, body: str, file_name: str) -> dict[str, Any]:
    """An article's entry in reader-export.json: metadata, reading state and exact body."""
    return {
        "id": article.id,
        "markdown": file_name,
        "hash": article.hash,
        "title": article.title,
        "source": article.source,
        "credit": article.credit,
        "author": article.author,
        "published": article.published,
        "url": article.url,
        "language": article.language,
        "file": article.file,
        "words": article.words,
        "added": article.added.isoformat(),
        "read": article.read,
        "position": article.position,
        "progress": article.progress,
        "last_read": _time(article.last_read),
        "tags": list(article.tags),
        "blocks": [[b.start, b.end, b.kind] for b in article.blocks],
        # The exact stored body: Markdown cannot carry every body back byte for byte, and
        # the quotes' offsets and the content hash depend on every character.
        "body": body,
    }


def quote_record(quote: Quote, article_hash: str | None) -> dict[str, Any]:
    """A quote's entry; ``article_hash`` is None when its article was deleted."""
    return {
        "id": quote.id,
        "article_id": quote.article_id,
        "article_hash": article_hash,
        "article_title": quote.article_title,
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "prefix": quote.prefix,
        "suffix": quote.suffix,
        "note": quote.note,
        "tags": list(quote.tags),
        "created": quote.created.isoformat(),
    }


def export_library(repo: Repository, folder: Path) -> LibraryExport:
    """Write every article and quote into ``folder``, which must be new or empty."""
    import orjson

    try:
        folder.mkdir(parents=True, exist_ok=True)
        if any(folder.iterdir()):
            raise LibraryError(f"{folder} is not empty; export into a new or empty folder")
    except OSError as exc:
        raise LibraryError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    articles = sorted(repo.articles(), key=lambda a: a.id)
    quotes = repo.quotes()
    names = UniqueNames()
    records: list[dict[str, Any]] = []
    hashes: dict[int, str] = {}
    for article in articles:
        body = repo.body(article)
        name = names.name(article.title)
        markdown = article_markdown(article, body, marks=False)
        atomic_write(folder / name, markdown.encode("utf-8"))
        records.append(article_record(article, body, name))
        hashes[article.id] = article.hash
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported": now().isoformat(),
        "articles": records,
        "quotes": [quote_record(q, hashes.get(q.article_id)) for q in quotes],
    }
    # Written last: a folder without it (an interrupted export) is never taken for a backup.
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode("utf-8")
    atomic_write(folder / EXPORT_FILE, json_safe(text).encode("utf-8"))
    return LibraryExport(folder, len(records), len(quotes))
