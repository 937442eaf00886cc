"""Export from inside the app: quotes as Markdown, CSV (Readwise) or JSON, or the whole library."""

from __future__ import annotations

import os
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from reader.console import safe
from reader.library import Repository
from reader.tui.screens.import_screen import PathSuggester

#: What can be exported, and the file name offered for it.
KINDS = {
    "md": ("quotes as Markdown", "quotes.md"),
    "csv": ("quotes as CSV for Readwise", "quotes.csv"),
    "json": ("quotes as W3C Web Annotations (JSON)", "quotes.json"),
    "anki": ("quotes as an Anki deck", "reader-quotes.apkg"),
    "library": ("the whole library as a folder of Markdown files", "reader-library"),
}


class ExportScreen(ModalScreen[None]):
    """Asks where to write, writes off the UI thread, and says what was written."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 80; max-width: 95%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    ExportScreen #export-result { margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="export.close")]

    def __init__(self, repo: Repository, kind: str) -> None:
        super().__init__()
        self.repo = repo
        self.kind = kind

    def compose(self) -> ComposeResult:
        what, default = KINDS[self.kind]
        with Vertical() as box:
            box.border_title = "Export"
            yield Label(Content(f"Export {what} to (→ completes, enter writes):"))
            yield Input(str(Path.home() / default), suggester=PathSuggester(), id="export-path")
            yield Label(id="export-result")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _start(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._result("Exporting…")
            self.export(Path(os.path.expanduser(event.value.strip())))

    @work(thread=True, exclusive=True, group="export")
    def export(self, target: Path) -> None:
        """Write the export; a failure is one line in the dialog, never a crash."""
        try:
            message = self._write(target)
        except Exception as exc:  # disk full, permissions, a library error: say so
            message = f"Export failed: {exc}"
        self.app.call_from_thread(self._result, message)

    def _write(self, target: Path) -> str:
        if self.kind == "library":
            from reader.export.library import export_library

            export_library(self.repo, target)
            return f"Wrote the library to {target}. `reader import {target}` restores it."
        from reader.export.quotes import export_quotes
        from reader.library.storage import atomic_write

        quotes = self.repo.quotes()
        articles = {a.id: a for a in self.repo.articles()}
        if self.kind == "anki":
            from reader.export.anki import write_anki

            written = write_anki(quotes, articles, target)
            return f"Wrote {written} quotes to {target}: import it in Anki (File → Import)."
        atomic_write(target, export_quotes(quotes, articles, self.kind).encode("utf-8"))
        return f"Wrote {len(quotes)} quotes to {target}."

    def _result(self, text: str) -> None:
        # Paths are the person's but may hold anything: plain text, controls made visible.
        self.query_one("#export-result", Label).update(Content(safe(text)))

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss()
