"""The library-wide quotes screen and tags, driven with Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from reader.library import Repository
from reader.tui.app import ReaderApp
from reader.tui.screens.main import MainScreen
from reader.tui.screens.quotes import QuotesScreen
from reader.tui.screens.tag_editor import TagEditor, TagSuggester
from reader.tui.widgets.article_rows import ArticleRows, RowData
from tests.conftest import parsed
from tests.tui_helpers import settle


def library(folder: Path) -> Repository:
    repo = Repository.open(folder)
    repo.add_articles(
        [
            (parsed("Harbour lights", "The keeper lit the lamp at dusk every night."), "a.txt"),
            (parsed("Night trains", "The sleeper left the station at ten past nine."), "b.txt"),
        ]
    )
    lights, trains = sorted(repo.articles(), key=lambda a: a.id)
    repo.add_quote_text(lights.id, "lit the lamp at dusk", note="ritual")
    repo.add_quote_text(trains.id, "left the station", note="departure")
    repo.add_quote_text(trains.id, "ten past nine")
    repo.set_article_tags(lights.id, ["sea"])
    return repo


async def test_all_quotes_filter_sort_and_open(tmp_path: Path) -> None:
    repo = library(tmp_path / "lib")
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await pilot.press("Q")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuotesScreen)
        shown = screen.quotes_list.quotes
        assert [q.text for q in shown] == [
            "ten past nine",
            "left the station",
            "lit the lamp at dusk",
        ]
        # Focus starts in the field: letters are text there, never commands on the quotes.
        field = screen.query_one("#quotes-filter", Input)
        assert field.has_focus
        await pilot.press("d", "t", "s")
        await pilot.pause()
        assert field.value == "dts" and len(app.repo.quotes()) == 3
        assert app.screen is screen  # no tag editor opened
        await pilot.press("backspace", "backspace", "backspace", "down")
        assert screen.quotes_list.has_focus and field.value == ""
        await pilot.press("s")  # on the list, s sorts: by article, then position
        assert screen.quotes_list.quotes[0].text == "lit the lamp at dusk"

        screen.query_one("#quotes-filter", Input).value = "departure"  # matches a note
        await pilot.pause()
        assert [q.text for q in screen.quotes_list.quotes] == ["left the station"]
        screen.query_one("#quotes-filter", Input).value = "tag:sea"  # through the article's tag
        await pilot.pause()
        assert [q.text for q in screen.quotes_list.quotes] == ["lit the lamp at dusk"]
        screen.query_one("#quotes-filter", Input).value = "HARBOUR"  # the title, any case
        await pilot.pause()
        assert len(screen.quotes_list.quotes) == 1

        screen.quotes_list.focus()
        await pilot.press("enter")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        view = main.text.view
        assert view.has_focus and view.article_id is not None
        assert app.repo.article(view.article_id).title == "Harbour lights"
    app.saver.close()


async def test_quotes_of_a_deleted_article_stay_listed(tmp_path: Path) -> None:
    repo = library(tmp_path / "lib")
    trains = next(a for a in repo.articles() if a.title == "Night trains")
    repo.delete_article(trains.id)
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("Q")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuotesScreen)
        assert len(screen.quotes_list.quotes) == 3
        text = str(screen.quotes_list.get_option_at_index(0).prompt)
        assert "Night trains" in text and "article deleted" in text
        screen.quotes_list.focus()
        await pilot.press("d")
        await settle(app, pilot)
        assert len(app.repo.quotes()) == 2
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert len(app.repo.quotes()) == 3
        assert len(screen.quotes_list.quotes) == 3
    app.saver.close()


async def test_tagging_an_article_with_completion_and_filtering_by_tag(tmp_path: Path) -> None:
    repo = library(tmp_path / "lib")
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.articles.highlighted is not None
        target = main.articles.highlighted
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"travel, se")
        await pilot.pause(0.2)
        await pilot.press("right")  # accept the completion "sea"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.repo.article(target.id).tags == ("travel", "sea")
        main.articles.filter_text = "tag:travel"
        await pilot.pause()
        assert [a.id for a in main.articles.shown] == [target.id]
    app.saver.close()


async def test_tag_suggester_completes_the_last_tag_only() -> None:
    suggester = TagSuggester(["history", "harbour", "sea"])
    assert await suggester.get_suggestion("sea, ha") == "sea, harbour"
    assert await suggester.get_suggestion("harbour, h") == "harbour, history"
    assert await suggester.get_suggestion("sea, ") is None


def test_list_filter_by_tag_and_words() -> None:
    from datetime import UTC, datetime

    from reader.library import Article

    def art(i: int, title: str, tags: tuple[str, ...]) -> Article:
        return Article(i, title, "h", 10, 1, datetime(2026, 1, i, tzinfo=UTC), tags=tags)

    rows = ArticleRows()
    listed = [
        art(1, "Sea shanties", ("Music",)),
        art(2, "Sea charts", ()),
        art(3, "Songs", ("music",)),
    ]
    rows.replace(RowData.of(listed, {}, "added"), "added")
    rows.refilter("tag:music")
    assert sorted(rows.article(r).id for r in range(len(rows))) == [1, 3]
    rows.refilter("tag:music sea")
    assert [rows.article(r).id for r in range(len(rows))] == [1]
    rows.refilter("")
    assert len(rows) == 3


async def test_a_long_list_of_quotes_is_listed_a_page_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.tui.widgets import quotes_pane

    monkeypatch.setattr(quotes_pane, "QUOTES_LISTED", 2)
    repo = library(tmp_path / "lib")  # three quotes
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.press("Q")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuotesScreen)
        pane = screen.quotes_list
        assert len(pane.quotes) == 3  # all of them are there to filter and act on
        assert pane.option_count == 3  # two listed, then "1 more quote"
        assert "1 more quote" in str(pane.get_option_at_index(2).prompt)
        pane.focus()
        await pilot.press("j", "j")
        assert pane.current_quote is None  # on "more"
        await pilot.press("enter")
        await pilot.pause()
        assert pane.option_count == 3  # all three listed now, no "more"
        assert pane.current_quote == pane.quotes[2]  # the cursor on the first newly listed
        await pilot.press("e")  # and it acts on that quote
        await pilot.pause()
        from reader.tui.screens.note_editor import NoteEditor

        assert isinstance(app.screen, NoteEditor)
        assert app.screen.quote.id == pane.quotes[2].id
    app.saver.close()
