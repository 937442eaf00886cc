"""What can be done to a saved quote: shared by the Quotes pane and the all-quotes screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.tui.saver import Saver
from reader.tui.undo import DeletedQuote, UndoStack

if TYPE_CHECKING:
    from textual.app import App

    from reader.library import Quote, Repository

#: Told, on the UI thread, which articles' quotes changed once a change is on disk.
Changed = Callable[[frozenset[int]], None]


class QuoteActions:
    """Edit a note, tag, delete (with undo) and copy quotes; every write goes through the saver.

    No action keeps a screen or a callback of one: once a change is on disk the app tells
    every screen, and each refreshes itself.
    """

    def __init__(
        self,
        app: App[None],
        library: Callable[[], Repository],
        saver: Saver,
        undo: UndoStack,
        changed: Changed,
    ) -> None:
        self.app = app
        self._library = library
        self.saver = saver
        self.undo_stack = undo
        self._changed = changed

    @property
    def repo(self) -> Repository:
        """The library."""
        return self._library()

    def _quote(self, quote_id: int) -> Quote | None:
        # A key can arrive for a quote whose deletion is on its way to the disk.
        from reader.library import NotFound

        try:
            return self.repo.quote(quote_id)
        except NotFound:
            self.app.notify("That quote is no longer in the library.", timeout=3)
            return None

    def _saved(self, quote: Quote) -> None:
        self._changed(frozenset({quote.article_id}))

    def edit_note(self, quote_id: int) -> None:
        """Edit the note in a modal editor."""
        from reader.tui.screens.note_editor import NoteEditor

        quote = self._quote(quote_id)
        if quote is None:
            return

        def edited(note: str | None) -> None:
            if note is not None and note != quote.note:
                self.saver.submit(lambda: self.repo.set_quote_note(quote.id, note), self._saved)

        self.app.push_screen(NoteEditor(quote), edited)

    def edit_tags(self, quote_id: int) -> None:
        """Edit the tags in a modal editor, completing from the tags in use."""
        from reader.tui.screens.tag_editor import TagEditor

        quote = self._quote(quote_id)
        if quote is None:
            return

        def edited(tags: list[str] | None) -> None:
            if tags is not None:
                self.saver.submit(lambda: self.repo.set_quote_tags(quote.id, tags), self._saved)

        preview = " ".join(quote.text.split())[:80]
        editor = TagEditor(f"Quote: “{preview}”", quote.tags, self.repo.all_tags())
        self.app.push_screen(editor, edited)

    def delete(self, quote_id: int) -> None:
        """Delete; ctrl+z brings it back."""

        def delete() -> DeletedQuote:
            card = self.repo.review_card(quote_id)  # its schedule comes back with an undo
            return DeletedQuote(self.repo.delete_quote(quote_id), card)

        def deleted(entry: DeletedQuote) -> None:
            self.undo_stack.push(entry)
            self._saved(entry.quote)
            self.app.notify("Quote deleted — press ctrl+z to undo.", timeout=6)

        self.saver.submit(delete, deleted)

    def copy(self, quote_id: int, cited: bool = False) -> None:
        """Copy to the clipboard (OSC 52: works over SSH in most terminals) and say so;
        ``cited`` adds a line "— Title, Source, URL" under the passage."""
        quote = self._quote(quote_id)
        if quote is None:
            return
        text = f"{quote.text}\n— {self.citation(quote)}" if cited else quote.text
        self.app.copy_to_clipboard(text)
        what = "the quote and its citation" if cited else "the quote"
        self.app.notify(f"Copied {what} to the clipboard.", timeout=2)

    def citation(self, quote: Quote) -> str:
        """Title, source and URL of the quote's article, as far as known."""
        from reader.library import NotFound

        try:
            article = self.repo.article(quote.article_id)
        except NotFound:  # deleted since: the title the quote was kept under
            return quote.article_title
        return ", ".join(p for p in (article.title, article.source, article.url) if p)
