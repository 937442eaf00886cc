"""``reader import`` on other tools' exports: say what was recognised, run it, report."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reader.console import safe
from reader.library import Repository
from reader.migrate.detect import Found, covered, find_exports
from reader.migrate.model import ExportError, MigrateSummary
from reader.migrate.run import run_export


class MigrateRun:
    """What the exports among the paths of one ``reader import`` did."""

    def __init__(self) -> None:
        self.summaries: list[MigrateSummary] = []
        self.errors: list[str] = []
        self.interrupted = False
        self.exports: list[Found] = []

    def leave(self, path: Path) -> bool:
        """Whether the ordinary import must leave ``path`` alone (an export's file)."""
        return covered(path, self.exports)

    def json(self) -> list[dict[str, Any]]:
        """Every export's summary, for ``--json``."""
        return [s.as_json() for s in self.summaries]


def _say(line: str) -> None:
    print(f"reader: {safe(line)}", file=sys.stderr)


@contextmanager
def progress_line(label: str, show: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr (counts, time left) while the block runs; no-op if not shown."""
    if not show:
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total or None)

        yield advance


def run_exports(repo: Repository, paths: list[str], as_json: bool) -> tuple[MigrateRun, list[str]]:
    """Recognise and import the exports among ``paths``; the paths left for the ordinary import.

    Progress and what was recognised go to stderr; the summaries are printed unless ``as_json``.
    """
    run = MigrateRun()
    exports, problems = find_exports(paths)
    run.exports = exports
    for problem in problems:
        _say(problem)
        run.errors.append(problem)
    show = sys.stderr.isatty() and not as_json
    for found in exports:
        _say(f"recognised {found.describe()}")
        try:
            with progress_line(f"Importing {found.describe().split(' ', 1)[1]}", show) as advance:
                summary = run_export(repo, found, on_progress=advance)
        except ExportError as error:
            _say(str(error))
            run.errors.append(str(error))
            continue
        except KeyboardInterrupt as interrupt:
            summary = getattr(interrupt, "summary", None) or MigrateSummary(found.kind, "")
            run.summaries.append(summary)
            run.interrupted = True
            if not as_json:
                report(summary)
                _say("stopped: what was imported is kept; run the same import again for the rest")
            break
        run.summaries.append(summary)
        if not as_json:
            report(summary)
    rest = [p for p in paths if not covered(Path(p).expanduser(), exports)]
    return run, rest if exports else list(paths)


def report(summary: MigrateSummary) -> None:
    """The summary of one export: counts, anchoring, then each page that failed, one a line."""
    known = f", {summary.known} already in the library" if summary.known else ""
    print(
        f"{summary.kind}: imported {len(summary.imported)}, already present "
        f"{len(summary.present)}{known}, failed {len(summary.failed)}."
    )
    if summary.exact + summary.normalised + summary.fuzzy + summary.unanchored:
        print(f"{summary.kind} {summary.anchoring()}.")
    for url, reason in summary.failed:
        print(f"reader: failed {safe(url)}: {safe(reason)}", file=sys.stderr)
