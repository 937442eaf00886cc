"""Every text field takes a whole word delivered in one burst, as a paste, an input method or
a slow SSH link delivers it: all its keys queued before the app handles any (issue 9).

Each test checks three things: the app still answers (a following key has its effect within
a bound, so a freeze fails instead of hanging), the field holds exactly what was typed, and
what the field drives (list, matches, results, saved tags or note) is what the same text
typed one key at a time gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from reader.library import Repository
from reader.library.batch import normalize_tags
from reader.tui.app import ReaderApp
from reader.tui.screens.main import MainScreen
from reader.tui.screens.note_editor import NoteEditor
from reader.tui.screens.quotes import QuotesScreen
from reader.tui.screens.search import SearchScreen
from reader.tui.screens.tag_editor import TagEditor
from tests.tui_helpers import (
    calm,
    named_key_event,
    post_burst,
    post_paste,
    press,
    settle,
    wait_for,
)

#: What is typed, and a word of the title of the article it is about.
WORDS = {
    "ascii": ("lighthouse", "Lighthouse"),
    "turkish": ("İstanbul", "İstanbul'un"),
    "japanese": ("夜行列車", "夜行列車"),
}
#: Every word as keys in one burst, and one pasted.
DELIVERIES = [
    pytest.param("keys", "ascii", id="keys-ascii"),
    pytest.param("keys", "turkish", id="keys-turkish"),
    pytest.param("keys", "japanese", id="keys-japanese"),
    pytest.param("paste", "turkish", id="paste-turkish"),
]

#: A burst of keys once froze the list filter (issue 9): its field and the list's filter
#: chased each other's stale values for ever.
LIST_DELIVERIES = DELIVERIES


def new_app(library: Path, tmp_path: Path) -> ReaderApp:
    return ReaderApp(Repository.open(library), None, tmp_path / "state.json")


def deliver(app: ReaderApp, how: str, text: str) -> None:
    if how == "keys":
        post_burst(app, text)
    else:
        post_paste(app, text)


def main_screen(app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def article_titled(library: Path, part: str) -> int:
    repo = Repository.open(library)
    try:
        return next(a.id for a in repo.articles() if part in a.title)
    finally:
        repo.close()


async def start(app: ReaderApp, pilot: object) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await calm(pilot)
    await wait_for(pilot, lambda: bool(app.screen.query("FooterKey")), what="the footer")


@pytest.mark.parametrize(("how", "word"), LIST_DELIVERIES)
async def test_list_filter_takes_a_burst(
    app_library: Path, tmp_path: Path, how: str, word: str
) -> None:
    typed, title_part = WORDS[word]
    app = new_app(app_library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        screen = main_screen(app)
        await press(pilot, "slash")
        field = screen.query_one("#article-filter", Input)
        assert field.has_focus
        deliver(app, how, typed)
        await calm(pilot, 8)
        burst_value, burst_filter = field.value, screen.articles.filter_text
        burst_shown = [a.id for a in screen.articles.shown]

        # The same word typed one key at a time: what the burst must have given.
        await press(pilot, "escape")
        await wait_for(pilot, lambda: screen.articles.filter_text == "", what="escape clears")
        await press(pilot, "slash")
        await press(pilot, *typed)
        await calm(pilot)
        slow_shown = [a.id for a in screen.articles.shown]

        assert burst_value == typed
        assert burst_filter == typed
        assert burst_shown == slow_shown
        assert title_part in screen.articles.shown[0].title

        # Still answering: escape clears the filter and goes back to the list.
        await press(pilot, "escape")
        await wait_for(pilot, lambda: screen.articles.filter_text == "" and field.value == "")
        assert screen.articles.has_focus
    app.saver.close()


@pytest.mark.parametrize(("how", "word"), DELIVERIES)
async def test_find_in_the_article_takes_a_burst(
    app_library: Path, tmp_path: Path, how: str, word: str
) -> None:
    typed, title_part = WORDS[word]
    article_id = article_titled(app_library, title_part)
    app = new_app(app_library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        screen = main_screen(app)
        screen.open_by_id(article_id)
        await calm(pilot)
        view = screen.text.view
        assert view.has_focus and view.article_id == article_id
        await press(pilot, "slash")
        field = screen.query_one("#text-find", Input)
        assert field.has_focus
        deliver(app, how, typed)
        await calm(pilot, 8)
        burst_value, burst_matches = field.value, view.match_count

        await press(pilot, "escape")
        await wait_for(pilot, lambda: not view.find_active, what="escape closes the find")
        await press(pilot, "slash")
        await press(pilot, *typed)
        await calm(pilot)
        slow_matches = view.match_count

        assert burst_value == typed
        assert burst_matches == slow_matches
        assert slow_matches > 0  # the word is in the article
        await press(pilot, "escape")
        await wait_for(pilot, lambda: not view.find_active and view.has_focus)
    app.saver.close()


@pytest.mark.parametrize(("how", "word"), DELIVERIES)
async def test_search_takes_a_burst(app_library: Path, tmp_path: Path, how: str, word: str) -> None:
    typed, _ = WORDS[word]
    reference = Repository.open(app_library)
    expected = [(h.kind, h.article_id, h.quote_id) for h in reference.search(typed, limit=100)]
    reference.close()
    assert expected  # the word is in the library
    app = new_app(app_library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await press(pilot, "S")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        field = screen.query_one("#search-query", Input)
        assert field.has_focus
        deliver(app, how, typed)
        await calm(pilot, 8)
        assert field.value == typed

        def found() -> list[tuple[str, int, int | None]]:
            return [(h.kind, h.article_id, h.quote_id) for h in screen.hits]

        await wait_for(pilot, lambda: found() == expected, what=f"the hits for {typed!r}")
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="back to main")
    app.saver.close()


async def open_quotes(app: ReaderApp, pilot: object) -> QuotesScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await press(pilot, "Q")
    await wait_for(pilot, lambda: isinstance(app.screen, QuotesScreen), what="the quotes screen")
    await calm(pilot)
    screen = app.screen
    assert isinstance(screen, QuotesScreen)
    return screen


@pytest.mark.parametrize(("how", "word"), DELIVERIES)
async def test_quotes_filter_takes_a_burst(
    app_library: Path, tmp_path: Path, how: str, word: str
) -> None:
    typed, _ = WORDS[word]
    app = new_app(app_library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        screen = await open_quotes(app, pilot)
        field = screen.query_one("#quotes-filter", Input)
        field.focus()  # how focus gets there is another test's business
        await calm(pilot)
        deliver(app, how, typed)
        await calm(pilot, 8)
        burst_value = field.value
        burst_shown = [q.id for q in screen.quotes_list.quotes]

        field.value = ""
        await calm(pilot)
        await press(pilot, *typed)
        await calm(pilot)
        slow_shown = [q.id for q in screen.quotes_list.quotes]

        assert burst_value == typed
        assert burst_shown == slow_shown
        assert slow_shown  # the word is in some quote's article title
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="back to main")
    app.saver.close()


async def test_typing_right_after_q_goes_into_the_filter(app_library: Path, tmp_path: Path) -> None:
    before = Repository.open(app_library)
    quotes_before = len(before.quotes())
    before.close()
    app = new_app(app_library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        screen = await open_quotes(app, pilot)
        post_burst(app, "idlib")  # d deletes a quote when the list has focus
        await calm(pilot, 8)
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.query_one("#quotes-filter", Input).value == "idlib"
        await press(pilot, "escape")
    app.saver.close()
    after = Repository.open(app_library)
    assert len(after.quotes()) == quotes_before
    after.close()


@pytest.mark.parametrize(("how", "word"), DELIVERIES)
async def test_tag_editor_takes_a_burst(
    app_library: Path, tmp_path: Path, how: str, word: str
) -> None:
    typed, _ = WORDS[word]
    app = new_app(app_library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        article = main_screen(app).articles.highlighted
        assert article is not None and not article.tags
        await press(pilot, "t")
        await wait_for(pilot, lambda: isinstance(app.screen, TagEditor), what="the tag editor")
        editor = app.screen
        field = editor.query_one("#tags", Input)
        assert field.has_focus and field.value == ""
        deliver(app, how, typed)
        await calm(pilot, 8)
        assert field.value == typed
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="saved and back")
        await settle(app, pilot)
    app.saver.close()
    repo = Repository.open(app_library)
    assert repo.article(article.id).tags == normalize_tags([typed])
    repo.close()


@pytest.mark.parametrize(("how", "word"), DELIVERIES)
async def test_note_editor_takes_a_burst(
    app_library: Path, tmp_path: Path, how: str, word: str
) -> None:
    typed, _ = WORDS[word]
    app = new_app(app_library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        screen = await open_quotes(app, pilot)
        screen.quotes_list.focus()
        await calm(pilot)
        quote = screen.quotes_list.current_quote
        assert quote is not None
        await press(pilot, "e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor), what="the note editor")
        area = app.screen.query_one(TextArea)
        assert area.has_focus
        deliver(app, how, typed)
        await calm(pilot, 8)
        assert area.text == quote.note + typed
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, QuotesScreen), what="saved and back")
        await settle(app, pilot)
    app.saver.close()
    repo = Repository.open(app_library)
    assert repo.quote(quote.id).note == (quote.note + typed).strip()
    repo.close()


#: The key that opens a field and a word, delivered together (as a paste or a fast link
#: does): the word goes into the field and its letters act as no commands ("/turk" on the
#: list once toggled read state with u and opened the tag editor with t).
OPEN_AND_TYPE = [
    ("list", (), "/turk", "article-filter"),
    ("find", ("enter",), "/russia", "text-find"),
    ("quotes filter", ("Q", "tab"), "/will", "quotes-filter"),
    ("all quotes", (), "Qwill", "quotes-filter"),
]


@pytest.mark.parametrize(("where", "before", "burst", "field_id"), OPEN_AND_TYPE)
async def test_the_key_that_opens_a_field_and_a_burst_after_it(
    app_library: Path,
    tmp_path: Path,
    where: str,
    before: tuple[str, ...],
    burst: str,
    field_id: str,
) -> None:
    app = new_app(app_library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        for key in before:
            await press(pilot, key)
            await calm(pilot)
        read_before = {a.id: a.read for a in app.repo.articles()}
        post_burst(app, burst)
        await calm(pilot, 8)
        await wait_for(pilot, lambda: isinstance(app.screen.focused, Input))
        field = app.screen.focused
        assert isinstance(field, Input) and field.id == field_id, where
        assert field.value == burst[1:], where
        assert {a.id: a.read for a in app.repo.articles()} == read_before, where


async def test_keys_right_after_enter_go_to_the_opened_article(
    app_library: Path, tmp_path: Path
) -> None:
    """ "enter" then "jjvJb" in one packet (an SSH link, type-ahead): the keys scroll and keep
    a passage in the article just opened; they once moved the list's cursor instead."""
    app = new_app(app_library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        chosen = main.articles.highlighted
        assert chosen is not None
        app.post_message(named_key_event("enter"))
        post_burst(app, "jjvJb")
        await calm(pilot, 8)
        await wait_for(pilot, lambda: len(app.repo.quotes(chosen.id)) == 1)
        assert main.articles.highlighted is not None
        assert main.articles.highlighted.id == chosen.id  # the list's cursor stayed
        assert main.text.view.has_focus
    app.saver.close()
