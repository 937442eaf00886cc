"""The Quotes pane: the open article's kept passages, in text order, with their notes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.console import visible
from reader.library import Quote

if TYPE_CHECKING:
    # Only for annotations: the module compiles its patterns on import (~20 ms at start-up).
    from reader.text.quotations import DetectedQuote
from reader.tui.messages import (
    KeepFoundQuotation,
    QuoteChosen,
    QuoteCopyRequested,
    QuoteDeleteRequested,
    QuoteNoteRequested,
    QuoteTagRequested,
    ShowPassage,
)

#: Quotations found in the text listed at first; the rest are one key away.
DETECTED_LISTED = 40
MORE = "more-detected"
#: Quotes listed at first, and then at each request: every quote of a library of thousands
#: took seconds to list (an option each), where the filter finds any of them at once.
QUOTES_LISTED = 200
MORE_QUOTES = "more-quotes"

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
        Binding(
            "Y",
            "copy(True)",
            "Copy cited",
            show=False,
            id="quotes.copy_cited",
            tooltip="Copy the quote with — Title, Source, URL under it",
        ),
        Binding("t", "tag", "Tags", id="quotes.tags", tooltip="Edit the quote's tags"),
        Binding("b", "keep", "Keep", id="quotes.keep", tooltip="Keep a found quotation"),
    ]

    TITLE = "Quotes"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The article whose quotes and found quotations are listed (None: none, or many).
        self.article_id: int | None = None
        self._quotes: list[Quote] = []
        self._quote_of: dict[str, Quote] = {}  # by option id
        #: How many of the quotes are listed (the rest on request).
        self._quotes_listed = 0
        #: Quotations found in the open article, listed under "In this article".
        self._detected: list[DetectedQuote] = []
        #: How many of them are listed: a long article holds hundreds, and listing them all
        #: took 200 ms of the UI thread right after opening it. The rest come on request.
        self._listed = 0

    @property
    def quotes(self) -> list[Quote]:
        """The quotes shown, in text order."""
        return list(self._quotes)

    def lists(self, quotes: Sequence[Quote]) -> bool:
        """Whether these are the quotes listed, as they are (then there is nothing to redo)."""
        return self._ordered(quotes) == self._quotes

    def show_quotes(
        self, quotes: Sequence[Quote], detected: Sequence[DetectedQuote] | None = None
    ) -> None:
        """Replace the quotes shown (and, if given, the quotations found in the text),
        keeping the cursor on the same quote if it is still there."""
        current = self.current_quote
        self._quotes = self._ordered(quotes)
        self._quote_of = {str(q.id): q for q in self._quotes}
        position = next(
            (i for i, q in enumerate(self._quotes) if current and q.id == current.id), None
        )
        wanted = max(QUOTES_LISTED, self._quotes_listed, (position or 0) + 1)
        self._quotes_listed = min(len(self._quotes), wanted)
        if detected is not None:
            self._detected = list(detected)
            self._listed = min(len(self._detected), DETECTED_LISTED)
        self.clear_options()
        listed = self._quotes[: self._quotes_listed]
        self.add_options(Option(self._quote_content(q), id=str(q.id)) for q in listed)
        if self._quotes_listed < len(self._quotes):
            more = len(self._quotes) - self._quotes_listed
            label = (
                f"▸ {more} more quote{'s' if more > 1 else ''} — enter lists {QUOTES_LISTED} more"
            )
            self.add_option(Option(Content.styled(label, "$accent"), id=MORE_QUOTES))
        if self._detected:
            kept = {(q.start, q.end) for q in self._quotes}
            self.add_option(
                Option(Content.styled("In this article", "bold $text-muted"), disabled=True)
            )
            self.add_options(
                Option(self._detected_content(d, (d.start, d.end) in kept), id=f"d{i}")
                for i, d in enumerate(self._detected[: self._listed])
            )
            if self._listed < len(self._detected):
                more = len(self._detected) - self._listed
                label = f"▸ {more} more quotation{'s' if more > 1 else ''} — enter lists them"
                self.add_option(Option(Content.styled(label, "$accent"), id=MORE))
        self.border_title = f"{self.TITLE} ({len(self._quotes)})"
        if not self._quotes and not self._detected:
            return
        if position is not None:
            self.highlighted = position
        else:  # the first quote, or the first found quotation (under its heading)
            self.highlighted = 0 if self._quotes else 1

    def show_detected(self, detected: Sequence[DetectedQuote]) -> None:
        """List the quotations found in the open article under "In this article"."""
        self.show_quotes(self._quotes, detected)

    @staticmethod
    def _detected_content(found: DetectedQuote, kept: bool) -> Content:
        text = " ".join(found.text.split())
        if len(text) > PREVIEW_CHARS:
            text = text[: PREVIEW_CHARS - 1] + "…"
        parts = [Content.assemble(("“ ", "$text-muted"), (text, "$text-muted"))]
        speaker = f"  — {found.speaker}" if found.speaker else "  — unattributed"
        parts.append(
            Content.assemble(
                (speaker, "italic $text-muted"), ("  ✓ kept" if kept else "", "$success")
            )
        )
        return Content("\n").join(parts)

    def _highlighted_id(self) -> str | None:
        if self.highlighted is None or not 0 <= self.highlighted < self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    @property
    def current_detected(self) -> DetectedQuote | None:
        """The found quotation under the cursor, if the cursor is on one."""
        option = self._highlighted_id()
        if option is None or not option.startswith("d"):
            return None
        return self._detected[int(option[1:])]

    def _ordered(self, quotes: Sequence[Quote]) -> list[Quote]:
        """The order to show quotes in: the order of the text."""
        return sorted(quotes, key=lambda q: (q.start, q.end, q.id))

    def _quote_content(self, quote: Quote) -> Content:
        """The quote's text (cut to a preview), then its note and its tags."""
        text = " ".join(visible(quote.text).split())
        if len(text) > PREVIEW_CHARS:
            text = text[: PREVIEW_CHARS - 1] + "…"
        # Quote text and notes are the person's data: plain strings, never markup.
        lines = [Content.assemble(("❝ ", "$accent"), text)]
        # The whole note, each of its lines indented under the mark.
        for number, line in enumerate(visible(quote.note).splitlines()):
            mark = "  ✎ " if number == 0 else "    "
            lines.append(Content.assemble((mark, "$text-muted"), (line, "italic")))
        if quote.tags:
            tags = " ".join(f"#{visible(t)}" for t in quote.tags)
            lines.append(Content.styled(f"  {tags}", "$secondary"))
        return Content("\n").join(lines)

    @property
    def current_quote(self) -> Quote | None:
        """The quote under the cursor."""
        option = self._highlighted_id()
        return None if option is None else self._quote_of.get(option)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        """Ask for the passage to be shown in the text (or list every found quotation)."""
        highlighted, option = self.highlighted, self._highlighted_id()
        if option in (MORE, MORE_QUOTES):
            if option == MORE:
                self._listed = len(self._detected)
            else:
                self._quotes_listed += QUOTES_LISTED
            self.show_quotes(self._quotes)
            self.highlighted = highlighted  # the first of those just listed
            return
        if quote := self.current_quote:
            self.post_message(QuoteChosen(quote.id))
        elif (found := self.current_detected) and self.article_id is not None:
            self.post_message(ShowPassage(self.article_id, found.start, found.end))

    def action_keep(self) -> None:
        """Keep the found quotation under the cursor as a quote."""
        if (found := self.current_detected) and self.article_id is not None:
            self.post_message(
                KeepFoundQuotation(self.article_id, found.start, found.end, found.speaker)
            )
        elif self.current_quote is not None:
            self.notify("Already kept. b keeps the quotations listed under “In this article”.")

    def action_edit(self) -> None:
        """Ask to edit the note."""
        if quote := self.current_quote:
            self.post_message(QuoteNoteRequested(quote.id))

    def action_delete(self) -> None:
        """Ask to delete the quote."""
        if quote := self.current_quote:
            self.post_message(QuoteDeleteRequested(quote.id))

    def action_tag(self) -> None:
        """Ask to edit the quote's tags."""
        if quote := self.current_quote:
            self.post_message(QuoteTagRequested(quote.id))

    def action_copy(self, cited: bool = False) -> None:
        """Ask to copy the quote (with its citation)."""
        if quote := self.current_quote:
            self.post_message(QuoteCopyRequested(quote.id, cited))
