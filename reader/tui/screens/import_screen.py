"""Import files or folders from inside the app: a path with completion, progress, a summary."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, ProgressBar

from reader.console import safe
from reader.library import Repository

if TYPE_CHECKING:
    from collections.abc import Callable

    from reader.migrate import Found

#: Shown at most, of the refusals of one import; the rest are counted.
SHOWN_REFUSALS = 6


class PathSuggester(Suggester):
    """Completes the last part of a path from what is on disk (folders get a trailing /)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, stem = os.path.split(expanded)
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            return None
        for name in names:
            if name.startswith(stem) and name != stem and not name.startswith("."):
                completed = os.path.join(folder, name)
                if os.path.isdir(completed):
                    completed += os.sep
                # Keep the "~" the person typed.
                return value[: len(value) - len(stem)] + completed[len(folder) + bool(folder) :]
        return None


class ImportScreen(ModalScreen[int]):
    """Dismisses with how many articles were imported (0 when cancelled)."""

    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical {
        width: 80; max-width: 95%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    ImportScreen ProgressBar { margin-top: 1; }
    ImportScreen #import-summary { margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="import.close")]

    def __init__(self, repo: Repository) -> None:
        super().__init__()
        self.repo = repo
        self.imported = 0
        self.running = False
        #: Set when the dialog closes: a link export stops fetching (what came is kept).
        self.stop = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Import"
            yield Label(Content("Files or folders to import (→ completes, enter imports):"))
            yield Input(placeholder="~/Downloads/articles", suggester=PathSuggester(), id="path")
            yield ProgressBar(total=None, show_eta=True, id="import-progress")
            yield Label(id="import-summary")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def _start(self, event: Input.Submitted) -> None:
        if self.running or not event.value.strip():
            return
        self.running = True
        self.query_one(ProgressBar).display = True
        self._summary("Importing…")
        self.run_import(Path(os.path.expanduser(event.value.strip())))

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, path: Path) -> None:
        """Import off the UI thread, reporting progress as files go in."""
        from reader.importing import import_paths
        from reader.migrate import covered, find_exports

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        lines: list[str] = []
        imported = 0
        try:
            # Other tools' exports first (Omnivore, Pocket, …), recognised by their content.
            exports, problems = find_exports([path])
            lines += problems
            for found in exports:
                done = self._run_export(found, progress)
                lines += done[0]
                imported += done[1]
            if exports and covered(path, exports):
                self.app.call_from_thread(self._finished, "\n".join(lines), imported)
                return
            summary = import_paths(
                self.repo, [path], on_progress=progress, leave=lambda p: covered(p, exports)
            )
        except Exception as exc:  # a library error: one line, the dialog stays usable
            self.app.call_from_thread(self._finished, f"Import failed: {exc}", imported)
            return
        lines.append(
            f"Imported {len(summary.imported)}, already present {len(summary.present)}, "
            f"refused {len(summary.refused)}."
        )
        lines += [f"  refused {r}" for r in summary.refused[:SHOWN_REFUSALS]]
        if len(summary.refused) > SHOWN_REFUSALS:
            lines.append(f"  … and {len(summary.refused) - SHOWN_REFUSALS} more")
        imported += len(summary.imported)
        self.app.call_from_thread(self._finished, "\n".join(lines), imported)

    def _run_export(
        self, found: Found, progress: Callable[[int, int], None]
    ) -> tuple[list[str], int]:
        """Import one recognised export (in the worker); its summary lines and count."""
        from reader.migrate import ExportError, run_export

        self.app.call_from_thread(self._summary, f"Recognised {found.describe()}; importing…")
        try:
            # Closing the dialog stops fetching links; an export read from disk goes on.
            stop = self.stop if found.kind in ("pocket", "instapaper") else None
            summary = run_export(self.repo, found, on_progress=progress, stop=stop)
        except ExportError as error:
            return [str(error)], 0
        lines = [
            f"Recognised {found.describe()}: imported {len(summary.imported)}, "
            f"already present {len(summary.present)}, failed {len(summary.failed)}"
            + (", stopped." if summary.stopped else "."),
            summary.anchoring().capitalize() + ".",
        ]
        lines += [f"  failed {url}: {reason}" for url, reason in summary.failed[:SHOWN_REFUSALS]]
        if len(summary.failed) > SHOWN_REFUSALS:
            lines.append(f"  … and {len(summary.failed) - SHOWN_REFUSALS} more")
        return lines, len(summary.imported)

    def _progress(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=total or None, progress=done)

    def _finished(self, text: str, imported: int) -> None:
        self.running = False
        self.imported += imported
        self.query_one(ProgressBar).display = False
        self._summary(text + "\nEnter another path, or escape to close.")

    def _summary(self, text: str) -> None:
        # File names in refusals are untrusted: shown as plain text, control characters
        # made visible (a name could hold an escape sequence), never parsed as markup.
        self.query_one("#import-summary", Label).update(Content(safe(text)))

    def action_close(self) -> None:
        """Close (files under way finish in the background; fetching a link export stops)."""
        self.stop.set()
        self.dismiss(self.imported)
