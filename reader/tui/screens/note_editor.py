"""A modal editor for a quote's note."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea

from reader.console import visible
from reader.library import Quote


class NoteEditor(ModalScreen[str | None]):
    """Edit a note; ctrl+s saves, escape cancels. Dismisses with the new note or None."""

    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > Vertical {
        width: 72; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    NoteEditor #quote { color: $text-muted; margin-bottom: 1; max-height: 6; }
    NoteEditor TextArea { height: 8; }
    NoteEditor Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    NoteEditor Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, quote: Quote) -> None:
        super().__init__()
        self.quote = quote

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Note"
            text = " ".join(visible(self.quote.text).split())
            yield Label(Content(f"❝ {text[:300]}{'…' if len(text) > 300 else ''}"), id="quote")
            note = visible(self.quote.note)
            if note.rsplit("\n", 1)[-1].startswith("— "):
                # A speaker line ("— Mevlüt Çavuşoğlu", from keeping a quotation found in
                # the text): what is typed next goes on a line of its own, not after the name.
                note += "\n"
            yield TextArea(note, id="note", soft_wrap=True, show_line_numbers=False)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Keep the note as written."""
        self.dismiss(self.query_one(TextArea).text.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Leave the note as it was."""
        self.dismiss(None)
