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


def quotes_kept(count: int) -> str:
    """What happens to an article's quotes when it is deleted, in a sentence."""
    if count == 1:
        return "Its 1 quote is kept, listed under this title, unless you delete it too."
    return f"Its {count} quotes are kept, listed under this title, unless you delete them too."


class ConfirmDelete(ModalScreen[str | None]):
    """Dismisses with KEEP_QUOTES, WITH_QUOTES, or None when cancelled."""

    DEFAULT_CSS = """
    ConfirmDelete { align: center middle; }
    ConfirmDelete > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: thick $error; background: $surface; padding: 1 2;
    }
    /* The full width of the box, so that a long title wraps at a word, never cut. */
    ConfirmDelete Label { width: 100%; text-wrap: wrap; }
    ConfirmDelete .fate { margin-top: 1; }
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
                yield Label(Content(quotes_kept(self.quote_count)), classes="fate")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                if self.quote_count:
                    label = "Delete with quote" if self.quote_count == 1 else "Delete with quotes"
                    yield Button(label, id=WITH_QUOTES, variant="error")
                yield Button("Delete", id=KEEP_QUOTES, variant="warning")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_cancel(self) -> None:
        """Delete nothing."""
        self.dismiss(None)
