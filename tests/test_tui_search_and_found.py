"""The search screen and the quotations found in an article, driven with Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from reader.library import Repository
from reader.tui.app import ReaderApp
from reader.tui.screens.main import MainScreen
from reader.tui.screens.search import SearchScreen
from reader.tui.widgets.quotes_pane import QuotesPane
from tests.conftest import parsed
from tests.tui_helpers import settle, wait_for

INTERVIEW = (
    "“Paper remembers every fold you give it, so you had better be sure,” said Maren Ostby.",
    "The workshop is small and smells of glue and leather and old paper.",
    "“Nobody expects a paperback to be saved by anyone these days,” she added.",
)


def library(folder: Path) -> Repository:
    repo = Repository.open(folder)
    repo.add_articles(
        [
            (parsed("The bindery on Kettle Lane", *INTERVIEW), "bindery.txt"),
            (parsed("Çavuşoğlu visits İstanbul", "The minister spoke at length today."), "t.txt"),
        ]
    )
    return repo


async def test_search_finds_folded_text_and_opens_at_the_match(tmp_path: Path) -> None:
    repo = library(tmp_path / "lib")
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await pilot.press("S")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one("#search-query", Input).value = "cavusoglu istanbul"
        await wait_for(pilot, lambda: bool(screen.hits))
        assert [h.title for h in screen.hits] == ["Çavuşoğlu visits İstanbul"]
        results = screen.query_one("#search-results", OptionList)
        assert "Çavuşoğlu" in str(results.get_option_at_index(0).prompt)

        screen.query_one("#search-query", Input).value = "leather"
        await wait_for(pilot, lambda: bool(screen.hits) and "bindery" in screen.hits[0].title)
        hit = screen.hits[0]
        await pilot.press("enter")  # from the query to the results
        await pilot.press("enter")  # open
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        view = main.text.view
        body = app.repo.body(app.repo.article(hit.article_id))
        assert view.article_id == hit.article_id
        assert body[hit.offset : hit.end].lower() == "leather"
        first, last = view.scroll_y, view.scroll_y + view.size.height
        assert first <= view.wrapped.line_of(hit.offset) < last
    app.saver.close()


async def test_found_quotations_are_listed_and_kept_with_their_speaker(tmp_path: Path) -> None:
    repo = library(tmp_path / "lib")
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        bindery = next(a for a in app.repo.articles() if a.title.startswith("The bindery"))
        main.open_by_id(bindery.id)
        pane = main.query_one(QuotesPane)
        await wait_for(pilot, lambda: pane.option_count >= 3)
        pane.focus()
        pane.highlighted = 1  # the first found quotation (0 is the "In this article" heading)
        found = pane.current_detected
        assert found is not None and found.speaker == "Maren Ostby"
        await pilot.press("b")
        await settle(app, pilot)
        [quote] = app.repo.quotes(bindery.id)
        assert quote.text == found.text and quote.note == "— Maren Ostby"
        body = app.repo.body(bindery)
        assert body[quote.start : quote.end] == quote.text
    app.saver.close()


async def test_a_long_list_of_found_quotations_is_shown_on_request(tmp_path: Path) -> None:
    from reader.tui.widgets.quotes_pane import DETECTED_LISTED, MORE

    repo = Repository.open(tmp_path / "lib")
    said = [
        f"“Number {i} is a quotation of at least six words,” said Ada Byrne." for i in range(45)
    ]
    [result] = repo.add_articles([(parsed("Many voices", *said), "many.txt")])
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        main.open_by_id(result.article.id)
        pane = main.query_one(QuotesPane)
        await wait_for(pilot, lambda: pane.option_count > 1)
        assert pane.option_count == 1 + DETECTED_LISTED + 1  # heading, listed, "more"
        pane.focus()
        pane.highlighted = pane.option_count - 1
        assert pane.get_option_at_index(pane.highlighted).id == MORE
        await pilot.press("enter")
        assert pane.option_count == 1 + 45
        pane.highlighted = 45
        assert pane.current_detected is not None
        assert pane.current_detected.text.startswith("Number 44")
    app.saver.close()
