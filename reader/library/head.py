"""The start view: the newest articles as the library last stood, for the app's first screen.

Reading a library of 10,000 articles takes the app longer than drawing its whole first
screen. ``start-view.json``, beside ``library.json``, holds the newest few hundred articles
and the library's size, so the app can paint the list first and read the rest right after.

It is derived data, like the search index: it is trusted only while ``library.json`` and
``library.journal`` are the very files it was made from (same device, inode, size, and
modification and change times), so any write by any process makes it stale. It is safe to
delete. Standard-library ``json`` reads it: importing orjson would cost more than it saves.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.library.errors import LibraryError
from reader.library.models import Article
from reader.library.signature import Signature, library_signature

if TYPE_CHECKING:
    from reader.library.repository import Repository

START_VIEW_FILE = "start-view.json"
#: More rows than any terminal is tall.
ROWS = 200
_FORMAT = 1
#: The files a start view is made from (spelled out: importing the storage module would load
#: TinyDB, which the first screen does not need).


@dataclass(frozen=True, slots=True)
class StartView:
    """The newest articles, newest first, with their quote counts and the library's size."""

    articles: list[Article]
    quote_counts: dict[int, int]
    total: int


def read_start_view(folder: Path) -> StartView | None:
    """The start view of the library in ``folder``, or None if there is none or it is stale."""
    try:
        raw = (folder / START_VIEW_FILE).read_bytes()
        data = json.loads(raw)
        if data["format"] != _FORMAT or data["signature"] != _current(folder):
            return None
        counts = {int(k): int(v) for k, v in data["quote_counts"].items()}
        articles = [Article.from_doc(int(i), doc) for i, doc in data["articles"]]
        return StartView(articles, counts, int(data["total"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, torn or from another version: the app reads the library


def _current(folder: Path) -> Signature:
    return library_signature(folder)


class LibraryOpener:
    """The library in ``folder``, opened on first use (from any thread), once."""

    def __init__(self, folder: Path, opened: Repository | None = None) -> None:
        self.folder = folder
        #: The repository, once opened.
        self.opened = opened
        self._lock = threading.Lock()

    def __call__(self) -> Repository:
        with self._lock:
            if self.opened is None:
                from reader.library.repository import Repository

                self.opened = Repository.open(self.folder)
            return self.opened


def start_view_of(repo: Repository) -> StartView:
    """The start view of ``repo`` as it is now, made from its stored documents.

    Cheaper than the full list (10,000 Article objects and their sort): the app paints this
    first when there was no start view on disk, and builds the list after the first frame.
    """
    newest, total = repo.newest(ROWS)
    counts = repo.quote_counts()
    return StartView(newest, {a.id: counts[a.id] for a in newest if counts[a.id]}, total)


def write_start_view(repo: Repository) -> None:
    """Record the start view of ``repo``'s library as it is now (best effort: it is a cache)."""
    from reader.library.storage import DiskStorage

    storage = repo.storage
    if not isinstance(storage, DiskStorage):
        return
    # Under the shared lock, what is read and the files' signature belong together.
    try:
        with storage.lock.hold(exclusive=storage.lock.held_exclusive):
            view = start_view_of(repo)
            signature = _current(storage.folder)
    except (LibraryError, OSError):
        return  # the library cannot be read now; the next start says so, with the reason
    data: dict[str, Any] = {
        "format": _FORMAT,
        "signature": signature,
        "total": view.total,
        "articles": [[a.id, a.to_doc()] for a in view.articles],
        "quote_counts": {str(k): v for k, v in view.quote_counts.items()},
    }
    path = storage.folder / START_VIEW_FILE
    tmp = path.with_name(f".{START_VIEW_FILE}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)  # no fsync: a start view lost in a crash is merely stale
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
