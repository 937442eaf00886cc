"""Confirm deleting an article, and say what happens to its quotes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from reader.console import visible

KEEP_QUOTES = "keep-quotes"
WITH_QUOTES = "with-quotes"


class ConfirmDelete(ModalScreen[str | None]):
    """Dismisses with KEEP_QUOTES, WITH_QUOTES, or None when cancelled."""

    DEFAULT_CSS = """
    ConfirmDelete { align: center middle; }
    ConfirmDelete > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: thick $error; background: $surface; padding: 1 2;
    }
    ConfirmDelete Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmDelete Button { margin-left: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="confirm.cancel")]

    def __init__(self, title: str, quote_count: int) -> None:
        super().__init__()
        self.article_title = title
        self.quote_count = quote_count

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Delete article"
            yield Label(Content(f"Delete “{visible(self.article_title)}”?"))
            if self.quote_count:
                yield Label(
                    Content(
                        f"Its {self.quote_count} quote(s) are kept, listed under this title, "
                        "unless you delete them too."
                    )
                )
            with Horizontal():
                yield Button("Cancel", id="cancel")
                if self.quote_count:
                    yield Button("Delete with quotes", id=WITH_QUOTES, variant="error")
                yield Button("Delete", id=KEEP_QUOTES, variant="warning")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_cancel(self) -> None:
        """Delete nothing."""
        self.dismiss(None)
