"""The Quotes pane: the open article's kept passages, in text order, with their notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.library import Quote
from reader.tui.messages import QuoteChosen

#: Longest quote text shown in the pane; the text view shows the whole passage.
PREVIEW_CHARS = 280


class QuotesPane(OptionList):
    """Quotes of one article; enter jumps to the passage, e edits the note, d deletes, y copies."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="quotes.down"),
        Binding("k", "cursor_up", "Up", show=False, id="quotes.up"),
        Binding("enter", "choose", "Jump to", id="quotes.jump", tooltip="Show the passage"),
        Binding("e", "edit", "Note", id="quotes.edit", tooltip="Edit the quote's note"),
        Binding("d", "delete", "Delete", id="quotes.delete", tooltip="Delete the quote"),
        Binding("y", "copy", "Copy", id="quotes.copy", tooltip="Copy the quote"),
        Binding("t", "tag", "Tags", id="quotes.tags", tooltip="Edit the quote's tags"),
    ]

    @dataclass
    class EditNote(Message):
        """Edit this quote's note."""

        quote_id: int

    @dataclass
    class Delete(Message):
        """Delete this quote."""

        quote_id: int

    @dataclass
    class Tag(Message):
        """Edit this quote's tags."""

        quote_id: int

    @dataclass
    class Copy(Message):
        """Copy this quote to the clipboard."""

        quote_id: int

    TITLE = "Quotes"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._quotes: list[Quote] = []

    @property
    def quotes(self) -> list[Quote]:
        """The quotes shown, in text order."""
        return list(self._quotes)

    def show_quotes(self, quotes: Sequence[Quote]) -> None:
        """Replace the quotes shown, keeping the cursor on the same quote if it is still there."""
        current = self.current_quote
        self._quotes = self._ordered(quotes)
        self.clear_options()
        self.add_options(Option(self._quote_content(q), id=str(q.id)) for q in self._quotes)
        self.border_title = f"{self.TITLE} ({len(self._quotes)})"
        if not self._quotes:
            return
        ids = [q.id for q in self._quotes]
        self.highlighted = ids.index(current.id) if current and current.id in ids else 0

    def _ordered(self, quotes: Sequence[Quote]) -> list[Quote]:
        """The order to show quotes in: the order of the text."""
        return sorted(quotes, key=lambda q: (q.start, q.end, q.id))

    def _quote_content(self, quote: Quote) -> Content:
        text = " ".join(quote.text.split())
        if len(text) > PREVIEW_CHARS:
            text = text[: PREVIEW_CHARS - 1] + "…"
        # Quote text and notes are the person's data: plain strings, never markup.
        parts = [Content.assemble(("❝ ", "$accent"), text)]
        if quote.note:
            parts.append(Content.assemble(("  ✎ ", "$text-muted"), (quote.note, "italic")))
        if quote.tags:
            parts.append(Content.styled("  " + " ".join(f"#{t}" for t in quote.tags), "$secondary"))
        return Content("\n").join(parts)

    @property
    def current_quote(self) -> Quote | None:
        """The quote under the cursor."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self._quotes):
            return None
        return self._quotes[self.highlighted]

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        """Ask for the passage to be shown in the text."""
        if quote := self.current_quote:
            self.post_message(QuoteChosen(quote.id))

    def action_edit(self) -> None:
        """Ask to edit the note."""
        if quote := self.current_quote:
            self.post_message(self.EditNote(quote.id))

    def action_delete(self) -> None:
        """Ask to delete the quote."""
        if quote := self.current_quote:
            self.post_message(self.Delete(quote.id))

    def action_tag(self) -> None:
        """Ask to edit the quote's tags."""
        if quote := self.current_quote:
            self.post_message(self.Tag(quote.id))

    def action_copy(self) -> None:
        """Ask to copy the quote."""
        if quote := self.current_quote:
            self.post_message(self.Copy(quote.id))
