"""Interaction that holds under mistakes: undo after leaving a screen, one article in the
side column, typing where a field invites it, matching folded the same everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from reader.library import Repository
from reader.library.storage import Change
from reader.tui import app as app_module
from reader.tui.screens.main import MainScreen
from reader.tui.screens.quotes import QuotesScreen
from reader.tui.widgets.metadata import MetadataPane
from reader.tui.widgets.quotes_pane import QuotesPane
from tests.conftest import parsed
from tests.test_tui_app import SEED_TITLE, library, main_screen, new_app  # noqa: F401
from tests.tui_helpers import settle, wait_for


async def test_undo_after_the_quotes_screen_is_gone_restores_without_a_crash(
    library: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    repo = Repository.open(library)
    seed = repo.articles()[0]
    repo.add_quote_text(seed.id, "We will do what is needed", note="kept")
    repo.close()
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("Q")
        await pilot.pause()
        assert isinstance(app.screen, QuotesScreen)
        await pilot.press("down", "d")  # to the quotes, delete the top one
        await settle(app, pilot)
        assert app.repo.quotes() == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert app.return_code is None and app.is_running
        assert [q.note for q in app.repo.quotes()] == ["kept"]
        # The main screen refreshed itself: the list counts the quote again.
        main = main_screen(app)
        await wait_for(pilot, lambda: main.articles._model.quotes.get(seed.id) == 1)
    app.saver.close()


async def test_a_deleted_article_comes_back_with_ctrl_z(
    library: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    repo = Repository.open(library)
    seed = repo.articles()[0]
    repo.add_quote_text(seed.id, "We will do what is needed")
    body = repo.body(seed)
    repo.close()
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#with-quotes")
        await settle(app, pilot)
        assert seed.id not in {a.id for a in app.repo.articles()}
        assert app.repo.quotes() == []
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        back = app.repo.article(seed.id)
        assert back.title == SEED_TITLE and app.repo.body(back) == body
        assert [q.text for q in app.repo.quotes()] == ["We will do what is needed"]
        main = main_screen(app)
        await wait_for(pilot, lambda: seed.id in {a.id for a in main.articles.shown})
        await pilot.press("ctrl+z")  # nothing left to undo: said, not a crash
        await settle(app, pilot)
        assert any("Nothing to undo" in n.message for n in app._notifications)
    app.saver.close()


def described(main: MainScreen) -> tuple[int | None, int | None, int | None]:
    """What the side column describes: the quotes pane's article, the list's cursor, and
    the metadata pane's article."""
    quotes = main.query_one(QuotesPane)
    cursor = main.articles.highlighted
    return quotes.article_id, cursor.id if cursor else None, main.query_one(MetadataPane).article_id


async def test_the_side_column_describes_one_article(
    library: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = main_screen(app)
        await pilot.press("enter")  # open the seed: it names Çavuşoğlu in quotations
        await wait_for(pilot, lambda: bool(main.quotes._detected))
        seed_detected = list(main.quotes._detected)
        await pilot.press("escape", "j")
        await wait_for(pilot, lambda: main.quotes.article_id == main.articles.highlighted.id)
        await pilot.pause(0.4)
        quotes_article, cursor, metadata = described(main)
        assert quotes_article == cursor == metadata
        # The seed's quotations are not listed under another article.
        assert main.quotes._detected != seed_detected


async def test_a_burst_in_the_list_filter_is_kept_whole_and_folded(
    library: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        for char in "istanbul":  # one write: the keys queue before any is handled
            app.post_message(events.Key(char, char))
        main = main_screen(app)
        field = main.query_one("#article-filter", Input)
        await wait_for(pilot, lambda: field.value == "istanbul", tries=100)
        await pilot.pause()
        assert main.articles.filter_text == "istanbul"
        assert [a.title.split()[0] for a in main.articles.shown] == ["İstanbul'un"]
        await pilot.press("escape")
        assert main.articles.filter_text == "" and len(main.articles.shown) > 1
    app.saver.close()


async def test_all_quotes_follow_quotes_added_by_another_process(
    library: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(app_module, "POLL_SECONDS", 0.1)
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("Q")
        screen = app.screen
        assert isinstance(screen, QuotesScreen)
        assert screen.quotes_list.quotes == []
        other = Repository.open(library)
        seed = next(a for a in other.articles() if a.title == SEED_TITLE)
        other.add_quote_text(seed.id, "We will do what is needed")
        await wait_for(pilot, lambda: len(screen.quotes_list.quotes) == 1)
        other.close()
    app.saver.close()


async def test_a_missing_text_file_is_told_and_the_app_goes_on(
    library: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    repo = Repository.open(library)
    seed = repo.articles()[0]
    repo.texts.path(seed.hash).unlink()
    repo.close()
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert any("doctor" in n.message for n in app._notifications)
        main = main_screen(app)
        assert main.text.view.article_id is None and main.articles.has_focus
        await pilot.press("j", "enter")  # another article still opens
        await wait_for(pilot, lambda: main.text.view.article_id is not None)
    app.saver.close()


async def test_a_library_damaged_while_the_app_runs_is_told_once(
    library: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(app_module, "POLL_SECONDS", 0.1)
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "space")
        main = main_screen(app)
        offset = main.text.view.top_offset
        (library / "library.json").write_bytes(b'{"articles": {"1": ')  # torn by something
        await wait_for(
            pilot, lambda: any("Library unreadable" in (n.title or "") for n in app._notifications)
        )
        await pilot.pause(0.5)  # several polls: still one notice
        told = [n for n in app._notifications if "Library unreadable" in (n.title or "")]
        assert len(told) == 1 and "doctor" in told[0].message
        assert app.is_running and main.text.view.top_offset == offset
        await pilot.press("space")  # reading goes on
        assert main.text.view.top_offset > offset
    app.saver.close()


async def test_a_damaged_article_is_left_out_and_told(
    library: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    repo = Repository.open(library)
    count = len(repo.articles())
    # A hand-edited document: "added" is not a time.
    repo.storage.apply([Change("articles", 999, {"title": "Bad", "added": "yesterday"})])
    repo.close()
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = main_screen(app)
        await wait_for(pilot, lambda: len(main.articles.shown) == count)
        told = [n for n in app._notifications if n.title == "Damaged article"]
        assert len(told) == 1 and "999" in told[0].message and "doctor" in told[0].message
        await pilot.press("enter")  # the rest reads as ever
        await wait_for(pilot, lambda: main.text.view.article_id is not None)
    app.saver.close()


async def test_starting_again_resumes_the_article_where_it_was_left(
    library: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j", "enter", "space", "space", "z")
        main = main_screen(app)
        await wait_for(pilot, lambda: main.text.view.top_offset > 0)
        article_id, offset = main.text.view.article_id, main.text.view.top_offset
        await pilot.press("q")
    app.saver.close()

    again = new_app(library, tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        main = main_screen(again)
        await wait_for(pilot, lambda: main.text.view.article_id == article_id)
        await wait_for(pilot, lambda: main.text.view.top_offset == offset)
        assert main.has_class("-text-only") and main.text.view.has_focus
        highlighted = main.articles.highlighted
        assert highlighted is not None and highlighted.id == article_id
        await pilot.press("escape")  # back to the list, which quitting remembers
        await pilot.press("q")
    again.saver.close()

    # Quitting from the list starts on the list; an article deleted since is no trouble.
    third = new_app(library, tmp_path)
    async with third.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        main = main_screen(third)
        assert main.text.view.article_id is None and main.articles.has_focus
    third.saver.close()


async def test_a_resumed_article_deleted_since_falls_back_to_the_list(
    library: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        article_id = main_screen(app).text.view.article_id
        await pilot.press("q")
    app.saver.close()
    assert article_id is not None
    Repository.open(library).delete_article(article_id)
    again = new_app(library, tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        main = main_screen(again)
        assert main.text.view.article_id is None and main.articles.has_focus
        assert not [n for n in again._notifications if n.severity == "error"]
    again.saver.close()


async def test_y_copies_the_passage_and_Y_a_quote_with_its_citation(
    library: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "v", "y")
        main = main_screen(app)
        start, end = main.text.view.cursor_range or (0, 0)
        assert app.clipboard and app.clipboard == main.text.view.body[start:end].strip()
        await pilot.press("b")
        await settle(app, pilot)
        main.quotes.focus()
        await pilot.press("Y")
        await pilot.pause()
        passage, citation = app.clipboard.split("\n— ")
        assert passage == app.repo.quotes()[0].text
        assert citation.startswith(SEED_TITLE)
    app.saver.close()


async def test_a_note_typed_after_a_kept_speaker_goes_on_its_own_line(
    library: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        main = main_screen(app)
        await wait_for(pilot, lambda: bool(main.quotes._detected))
        main.quotes.focus()
        main.quotes.highlighted = 1  # the first quotation found, under its heading
        await pilot.press("b")
        await settle(app, pilot)
        [kept] = app.repo.quotes()
        assert kept.note.startswith("— ")
        main.quotes.highlighted = 0
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"why")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.repo.quote(kept.id).note == f"{kept.note}\nwhy"
    app.saver.close()


async def test_a_library_changed_by_another_process_since_starts_on_the_list(
    library: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press("q")
    app.saver.close()
    other = Repository.open(library)
    other.add_articles([(parsed("Arrived meanwhile", "From another terminal."), "x.txt")])
    other.close()
    again = new_app(library, tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        main = main_screen(again)
        assert main.text.view.article_id is None and main.articles.has_focus
    again.saver.close()
