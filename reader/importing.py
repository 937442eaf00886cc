"""Bring files into a library: walk paths, parse each file, store in batches, report."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.console import safe
from reader.export import EXPORT_FILE
from reader.library import Article, Repository
from reader.text import (
    ImportRefused,
    ParsedArticle,
    Skipped,
    iter_import_files,
    read_article_file,
)

#: Articles stored per library write: big enough to amortise the write, small enough that an
#: interrupted import keeps most of its work.
BATCH = 200
#: A progress bar is worth showing from this many files on.
PROGRESS_FROM = 5


@dataclass
class ImportSummary:
    """What an import did, file by file."""

    imported: list[tuple[Path, Article]] = field(default_factory=list)
    present: list[tuple[Path, Article]] = field(default_factory=list)
    refused: list[ImportRefused] = field(default_factory=list)
    #: Files in folders that no importer reads (images, PDFs): noted, not failures.
    skipped: list[Skipped] = field(default_factory=list)
    #: Quotes restored from export folders (``reader export library``).
    quotes: int = 0
    #: Quotes kept from deleted articles that came back to them (see reader.library.reattach).
    reattached: int = 0


def import_paths(
    repo: Repository,
    paths: Iterable[str | os.PathLike[str]],
    on_refused: Callable[[ImportRefused], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    added: datetime | None = None,
) -> ImportSummary:
    """Import files and folders; every file is reported, none stops the others.

    ``added`` overrides the time the articles are recorded as added (default: now).
    """
    summary = ImportSummary()
    found = list(iter_import_files(paths))
    files = [f for f in found if isinstance(f, Path)]
    for refusal in (f for f in found if isinstance(f, ImportRefused)):
        _refuse(summary, refusal, on_refused)
    summary.skipped = [f for f in found if isinstance(f, Skipped)]
    # A folder written by `reader export library` is restored from its export file, with
    # its quotes and reading state, rather than read file by file.
    # (In a folder walk the .json file itself comes back skipped, as an unknown type.)
    named = (f if isinstance(f, Path) else Path(f.path) for f in found)
    exports = sorted({f.parent for f in named if f.name == EXPORT_FILE})
    if exports:
        files = [f for f in files if f.parent not in exports]
        summary.skipped = [f for f in summary.skipped if f.path.parent not in exports]
        for folder in exports:
            _restore(repo, folder, summary, on_refused)
    pending: list[tuple[Path, ParsedArticle]] = []

    def flush() -> None:
        results = repo.add_articles(((parsed, path.name) for path, parsed in pending), added)
        for (path, _), result in zip(pending, results, strict=True):
            target = summary.imported if result.created else summary.present
            target.append((path, result.article))
            summary.reattached += result.quotes_reattached
        pending.clear()

    for done, path in enumerate(files, start=1):
        try:
            pending.append((path, read_article_file(path)))
        except ImportRefused as refusal:
            _refuse(summary, refusal, on_refused)
        if len(pending) >= BATCH:
            flush()
        if on_progress:
            on_progress(done, len(files))
    if pending:
        flush()
    return summary


def _restore(
    repo: Repository,
    folder: Path,
    summary: ImportSummary,
    on_refused: Callable[[ImportRefused], None] | None,
) -> None:
    from reader.export.restore import restore

    restored = restore(repo, folder)
    summary.imported += restored.imported
    summary.present += restored.present
    summary.quotes += restored.quotes
    for refusal in restored.refused:
        _refuse(summary, refusal, on_refused)


def _refuse(
    summary: ImportSummary,
    refusal: ImportRefused,
    on_refused: Callable[[ImportRefused], None] | None,
) -> None:
    summary.refused.append(refusal)
    if on_refused:
        on_refused(refusal)


def run_import(repo: Repository, paths: list[str], as_json: bool) -> int:
    """``reader import``: progress on a terminal, one line per refused file, a summary."""

    def refused(refusal: ImportRefused) -> None:
        print(f"reader: refused {safe(refusal)}", file=sys.stderr)

    if sys.stderr.isatty() and not as_json:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Importing", total=None)

            def advance(done: int, total: int) -> None:
                if total >= PROGRESS_FROM:
                    progress.update(task, completed=done, total=total)

            def refused_above_bar(refusal: ImportRefused) -> None:
                progress.console.print(
                    f"reader: refused {safe(refusal)}", markup=False, highlight=False
                )

            summary = import_paths(repo, paths, refused_above_bar, advance)
    else:
        summary = import_paths(repo, paths, refused)
    if as_json:
        _print_summary_json(summary)
    else:
        for skipped in summary.skipped:
            print(f"reader: skipped {safe(skipped)}", file=sys.stderr)
        print(
            f"Imported {len(summary.imported)}, already present {len(summary.present)}, "
            f"refused {len(summary.refused)}"
            + (f", skipped {len(summary.skipped)}." if summary.skipped else ".")
        )
        if summary.quotes:
            print(f"Restored {summary.quotes} quotes.")
        if summary.reattached:
            print(f"{summary.reattached} quotes re-attached.")
    return 1 if summary.refused else 0


def _print_summary_json(summary: ImportSummary) -> None:
    import orjson

    def entry(path: Path, article: Article) -> dict[str, Any]:
        return {"file": str(path), "id": article.id, "title": article.title}

    value = {
        "imported": [entry(p, a) for p, a in summary.imported],
        "already_present": [entry(p, a) for p, a in summary.present],
        "refused": [{"file": r.path, "reason": r.reason} for r in summary.refused],
        "skipped": [{"file": str(s.path), "reason": s.reason} for s in summary.skipped],
        "quotes_restored": summary.quotes,
        "quotes_reattached": summary.reattached,
    }
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")
