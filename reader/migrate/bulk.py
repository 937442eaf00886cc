"""Fetch the pages of a link export (Pocket, Instapaper): several at once, politely, resumable.

Each page is fetched and extracted as ``reader add`` does. Pages are stored as they arrive,
in small batches, so stopping (Ctrl-C, or ``stop``) keeps everything fetched so far; running
the same import again fetches only the URLs no article in the library has yet (matched on
the URL the export gave, kept as the article's file, and on the article's own URL).
"""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from reader.fetch_pool import host_of, run_each
from reader.library import Repository
from reader.library.batch import ARTICLES
from reader.migrate.common import decode, finish
from reader.migrate.detect import Found
from reader.migrate.model import Entry, Highlight, MigrateSummary, one_line
from reader.migrate.store import Store
from reader.text.model import ParsedArticle

#: Pages stored per write at most, and the longest a fetched page waits to be stored.
BATCH = 25
FLUSH_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Link:
    """One row of a link export."""

    url: str
    title: str = ""
    added: datetime | None = None
    read: bool = False
    tags: tuple[str, ...] = ()
    selection: str = ""


def read_rows(found: Found) -> Iterable[dict[str, str]]:
    """The rows of every CSV file of the export, with lower-case column names."""
    for member in found.members:
        text = decode(found.bundle.read(member), f"{found.path}: {member}")
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [c.strip().lower() for c in next(reader, [])]
        for row in reader:
            if row:
                yield dict(zip(header, row, strict=False))


def linked_rows(found: Found) -> Iterator[tuple[str, dict[str, str]]]:
    """Each CSV row with an http(s) URL, with that URL: the links a bulk import fetches."""
    for row in read_rows(found):
        url = one_line(row.get("url"))
        if url.lower().startswith(("http://", "https://")):
            yield url, row


def known_urls(repo: Repository) -> set[str]:
    """Every URL the library's articles were fetched from or carry."""
    known: set[str] = set()
    for doc in repo.documents(ARTICLES).values():
        for key in ("url", "file"):
            value = doc.get(key)
            if isinstance(value, str) and value:
                known.add(value)
    return known


def _fetch(link: Link, timeout: float) -> ParsedArticle:
    from reader.fetch import fetch, parse_fetched

    fetched = fetch(link.url, timeout=timeout)
    return parse_fetched(fetched, link.url)


def fetch_links(
    repo: Repository,
    links: Iterable[Link],
    summary: MigrateSummary,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
    workers: int = 8,
    per_host: int = 2,
    timeout: float = 15.0,
) -> None:
    """Fetch and store every link not yet in the library; failures go to ``summary.failed``."""
    from reader.fetch import FetchError

    known = known_urls(repo)
    todo: list[Link] = []
    seen: set[str] = set()
    for link in links:
        if link.url in known:
            summary.known += 1
        elif link.url not in seen:
            seen.add(link.url)
            todo.append(link)
    store = Store(repo, summary, batch=BATCH)
    last = time.monotonic()
    done = 0
    if on_progress:
        on_progress(0, len(todo))
    try:
        outcomes = run_each(
            todo,
            lambda link: _fetch(link, timeout),
            lambda link: host_of(link.url),
            workers=workers,
            per_host=per_host,
            stop=stop,
        )
        for outcome in outcomes:
            link, done = outcome.item, done + 1
            if outcome.error is not None:
                error = outcome.error
                reason = (
                    error.reason
                    if isinstance(error, FetchError)
                    else f"could not read the page ({type(error).__name__})"
                )
                summary.failed.append((link.url, reason))
            elif outcome.value is not None:
                store.add(_entry(link, outcome.value))
            if store.pending and time.monotonic() - last >= FLUSH_SECONDS:
                store.flush()
                last = time.monotonic()
            if on_progress:
                on_progress(done, len(todo))
    finally:
        # Also on Ctrl-C: what was fetched is kept.
        store.flush()
    if stop is not None and stop.is_set() and done < len(todo):
        summary.stopped = True


def _entry(link: Link, parsed: ParsedArticle) -> Entry:
    parsed = finish(parsed, tags=link.tags)
    if not parsed.title and link.title:
        parsed = replace(parsed, title=link.title)
    highlights = [Highlight(link.selection)] if link.selection else []
    return Entry(
        parsed=parsed, name=link.url, added=link.added, read=link.read, highlights=highlights
    )
