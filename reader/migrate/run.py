"""Run the exports recognised in the paths given to ``reader import``, one after another."""

from __future__ import annotations

import threading
from collections.abc import Callable

from reader.library import Repository
from reader.library.batch import ARTICLES
from reader.migrate.common import run_job
from reader.migrate.detect import NAMES, Found
from reader.migrate.model import Entry, ExportError, MigrateSummary, Seen
from reader.migrate.store import Store

Progress = Callable[[int, int], None]


def run_export(
    repo: Repository,
    found: Found,
    *,
    on_progress: Progress | None = None,
    on_failed: Callable[[str, str], None] | None = None,
    stop: threading.Event | None = None,
    workers: int = 8,
    per_host: int = 2,
    timeout: float = 15.0,
) -> MigrateSummary:
    """Import one export; ExportError if it cannot be read at all (what went in is kept).

    A KeyboardInterrupt keeps what was stored; the summary it carries says so.
    """
    summary = MigrateSummary(NAMES[found.kind], str(found.path))
    try:
        if found.kind in ("pocket", "instapaper"):
            from reader.migrate import instapaper, pocket
            from reader.migrate.bulk import fetch_links

            links = (pocket if found.kind == "pocket" else instapaper).links(found)
            fetch_links(
                repo,
                links,
                summary,
                on_progress=on_progress,
                stop=stop,
                workers=workers,
                per_host=per_host,
                timeout=timeout,
            )
            for url, reason in summary.failed:
                if on_failed:
                    on_failed(url, reason)
        elif found.kind == "readwise":
            from reader.migrate.readwise import import_highlights

            import_highlights(repo, found, summary, on_progress)
        else:
            _offline(repo, found, summary, on_progress, on_failed, stop)
    except KeyboardInterrupt as interrupt:
        summary.stopped = True
        interrupt.summary = summary  # type: ignore[attr-defined]
        raise
    finally:
        found.bundle.close()
    return summary


def _offline(
    repo: Repository,
    found: Found,
    summary: MigrateSummary,
    on_progress: Progress | None,
    on_failed: Callable[[str, str], None] | None,
    stop: threading.Event | None,
) -> None:
    """Omnivore and wallabag: everything is in the export, nothing is fetched."""
    from reader.migrate import omnivore, wallabag

    reader = omnivore if found.kind == "omnivore" else wallabag
    store = Store(repo, summary)
    seen = Seen(repo.documents(ARTICLES))
    done = 0
    total = [0]

    def counted(count: int) -> None:
        total[0] += count

    try:
        for item in reader.entries(found, seen, counted):
            if stop is not None and stop.is_set():
                summary.stopped = True
                break
            done += 1
            if isinstance(item, Entry):
                if item.job is not None:
                    # Parsed here, one at a time: worker processes measured no faster on
                    # this 2-core machine, since storing (fsync) holds the main process.
                    item.parsed, item.job = run_job(item.job), None
                store.add(item)
            else:
                summary.failed.append(item)
                if on_failed:
                    on_failed(*item)
            if on_progress:
                on_progress(done, total[0])
    finally:
        store.flush()


__all__ = ["ExportError", "run_export"]
