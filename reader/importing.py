"""Bring files into a library: walk paths, parse each file, store in batches, report."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.console import file_name, safe
from reader.export import EXPORT_FILE
from reader.library import Article, Repository
from reader.library.errors import BatchStopped
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


class ImportStopped(BatchStopped):
    """The disk failed mid-import (full, say); ``summary`` holds what went in before it."""

    batch, item = "the import", "article"
    summary: ImportSummary


def import_paths(
    repo: Repository,
    paths: Iterable[str | os.PathLike[str]],
    on_refused: Callable[[ImportRefused], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    added: datetime | None = None,
    leave: Callable[[Path], bool] | None = None,
) -> ImportSummary:
    """Import files and folders; every file is reported, none stops the others.

    ``added`` overrides the time the articles are recorded as added (default: now). A disk
    that fails mid-way (full, say) raises ImportStopped, which says how many went in.
    ``leave`` names files to pass over (those of another tool's export, imported apart).
    """
    summary = ImportSummary()
    try:
        _import(repo, paths, summary, on_refused, on_progress, added, leave)
    except ImportStopped:
        raise
    except OSError as exc:
        raise ImportStopped(exc, summary, len(summary.imported)) from exc
    return summary


def _import(
    repo: Repository,
    paths: Iterable[str | os.PathLike[str]],
    summary: ImportSummary,
    on_refused: Callable[[ImportRefused], None] | None,
    on_progress: Callable[[int, int], None] | None,
    added: datetime | None,
    leave: Callable[[Path], bool] | None = None,
) -> None:
    found = list(iter_import_files(paths))
    if leave is not None:
        found = [f for f in found if not leave(f if isinstance(f, Path) else Path(f.path))]
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
        # The name is kept as valid text: bytes of a name that are not UTF-8 (which
        # os.fsdecode turns into lone surrogates) are stored as "\xe9", not refused.
        named = ((parsed, file_name(path.name)) for path, parsed in pending)
        results = repo.add_articles(named, added)
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

    from reader.migrate.command import run_exports

    stopped = False
    # Other tools' exports first (Omnivore, Pocket, …): recognised by content, said on stderr.
    migrated, paths = run_exports(repo, paths, as_json)
    if migrated.interrupted:
        if as_json:
            _print_summary_json(ImportSummary(), migrated.json(), migrated.errors)
        return 130
    try:
        summary = _run(repo, paths, as_json, refused, migrated.leave) if paths else ImportSummary()
    except ImportStopped as error:
        print(f"reader: {safe(error)}", file=sys.stderr)
        summary, stopped = error.summary, True
        if not as_json:
            return 1
    if as_json:
        _print_summary_json(summary, migrated.json(), migrated.errors)
    elif paths or not migrated.summaries:
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
    return 1 if summary.refused or stopped or migrated.errors else 0


def _run(
    repo: Repository,
    paths: list[str],
    as_json: bool,
    refused: Callable[[ImportRefused], None],
    leave: Callable[[Path], bool] | None = None,
) -> ImportSummary:
    """import_paths with a progress bar on a terminal."""
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

            return import_paths(repo, paths, refused_above_bar, advance, leave=leave)
    return import_paths(repo, paths, refused, leave=leave)


def _print_summary_json(
    summary: ImportSummary, exports: list[dict[str, Any]], export_errors: list[str]
) -> None:
    from reader.console import json_text

    def entry(path: Path, article: Article) -> dict[str, Any]:
        return {"file": str(path), "id": article.id, "title": article.title}

    value = {
        "imported": [entry(p, a) for p, a in summary.imported],
        "already_present": [entry(p, a) for p, a in summary.present],
        "refused": [{"file": r.path, "reason": r.reason} for r in summary.refused],
        "skipped": [{"file": str(s.path), "reason": s.reason} for s in summary.skipped],
        "quotes_restored": summary.quotes,
        "quotes_reattached": summary.reattached,
        "exports": exports,
        "export_errors": export_errors,
    }
    sys.stdout.write(json_text(value))
