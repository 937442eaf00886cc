"""What can be done to a saved quote: shared by the Quotes pane and the all-quotes screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.tui.saver import Saver

if TYPE_CHECKING:
    from textual.app import App

    from reader.library import Quote, Repository

#: Called with the quote once a change is on disk, to redraw whatever shows it.
Refresh = Callable[["Quote"], None]


class QuoteActions:
    """Edit a note, tag, delete (with undo) and copy quotes; every write goes through the saver."""

    def __init__(self, app: App[None], library: Callable[[], Repository], saver: Saver) -> None:
        self.app = app
        self._library = library
        self.saver = saver
        self._deleted: list[tuple[Quote, Refresh]] = []

    @property
    def repo(self) -> Repository:
        """The library."""
        return self._library()

    def edit_note(self, quote_id: int, refresh: Refresh) -> None:
        """Edit the note in a modal editor."""
        from reader.tui.screens.note_editor import NoteEditor

        quote = self.repo.quote(quote_id)

        def edited(note: str | None) -> None:
            if note is not None and note != quote.note:
                self.saver.submit(lambda: self.repo.set_quote_note(quote.id, note), refresh)

        self.app.push_screen(NoteEditor(quote), edited)

    def edit_tags(self, quote_id: int, refresh: Refresh) -> None:
        """Edit the tags in a modal editor, completing from the tags in use."""
        from reader.tui.screens.tag_editor import TagEditor

        quote = self.repo.quote(quote_id)

        def edited(tags: list[str] | None) -> None:
            if tags is not None:
                self.saver.submit(lambda: self.repo.set_quote_tags(quote.id, tags), refresh)

        preview = " ".join(quote.text.split())[:80]
        editor = TagEditor(f"Quote: “{preview}”", quote.tags, self.repo.all_tags())
        self.app.push_screen(editor, edited)

    def delete(self, quote_id: int, refresh: Refresh) -> None:
        """Delete; ctrl+z brings it back."""

        def deleted(quote: Quote) -> None:
            self._deleted.append((quote, refresh))
            refresh(quote)
            self.app.notify("Quote deleted — press ctrl+z to undo.", timeout=6)

        self.saver.submit(lambda: self.repo.delete_quote(quote_id), deleted)

    def undo(self) -> None:
        """Bring back the last deleted quote."""
        if not self._deleted:
            self.app.notify("Nothing to undo.", timeout=2)
            return
        quote, refresh = self._deleted.pop()

        def restored(quote: Quote) -> None:
            refresh(quote)
            self.app.notify("Quote restored.", timeout=2)

        self.saver.submit(lambda: self.repo.restore_quote(quote), restored)

    def copy(self, quote_id: int) -> None:
        """Copy to the clipboard (OSC 52: works over SSH in most terminals) and say so."""
        quote = self.repo.quote(quote_id)
        self.app.copy_to_clipboard(quote.text)
        self.app.notify("Copied the quote to the clipboard.", timeout=2)
