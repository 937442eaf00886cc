"""The all-quotes screen folds quotes for its filter lazily, and again after a reload."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from reader.tui.app import ReaderApp
from reader.tui.screens.quotes import QuotesScreen
from tests.test_tui_quotes_screen import library


async def test_the_filter_sees_a_note_changed_since_it_was_last_used(tmp_path: Path) -> None:
    repo = library(tmp_path / "lib")
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("Q")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuotesScreen)
        field = screen.query_one("#quotes-filter", Input)
        field.value = "ritual"
        await pilot.pause()
        [quote] = screen.quotes_list.quotes
        field.value = ""
        await pilot.pause()
        assert len(screen.quotes_list.quotes) == 3
        app.repo.set_quote_note(quote.id, "Evening lamp")
        screen.reload()  # as on LibraryChanged
        field.value = "evening"
        await pilot.pause()
        assert [q.id for q in screen.quotes_list.quotes] == [quote.id]
        field.value = "ritual"
        await pilot.pause()
        assert screen.quotes_list.quotes == []
    app.saver.close()
