"""The whole app, driven with Pilot as a person would, on a real library in tmp_path."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.geometry import Offset
from textual.selection import Selection
from textual.widgets import TextArea

from reader.importing import import_paths
from reader.library import Repository
from reader.locations import sample_articles_dir
from reader.tui import app as app_module
from reader.tui.app import ReaderApp
from reader.tui.config import Config, load_state
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.main import MainScreen
from reader.tui.screens.note_editor import NoteEditor
from reader.tui.widgets.quotes_pane import QuotesPane
from tests.conftest import parsed
from tests.tui_helpers import settle, wait_for

SEED_TITLE = "Turkish delegation due in Russia to talk Idlib, Syria"
FIXED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def sample_library(folder: Path) -> Repository:
    """The sample articles, the seed newest (so it is first in the list)."""
    repo = Repository.open(folder)
    import_paths(repo, [sample_articles_dir()])
    seed = next(a for a in repo.articles() if a.title == SEED_TITLE)
    # Put the seed on top: delete and re-add it with a later time.
    body = repo.body(seed)
    repo.delete_article(seed.id)
    from reader.text import parse_plain

    repo.add_articles([(parse_plain(body), seed.file)], added=datetime.now(UTC))
    return repo


@pytest.fixture
def library(tmp_path: Path) -> Path:
    sample_library(tmp_path / "lib").close()
    return tmp_path / "lib"


def new_app(library: Path, tmp_path: Path, config: Config | None = None) -> ReaderApp:
    return ReaderApp(Repository.open(library), config, tmp_path / "state.json")


def main_screen(app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def test_opens_on_the_list_newest_first_and_enter_reads(
    library: Path, tmp_path: Path
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert screen.articles.has_focus
        assert screen.articles.highlighted is not None
        assert screen.articles.highlighted.title == SEED_TITLE
        await pilot.press("enter")
        await pilot.pause()
        view = screen.text.view
        assert view.has_focus and view.article_id == screen.articles.highlighted.id
        before = view.scroll_y
        await pilot.press("space")
        assert view.scroll_y > before
    app.saver.close()


async def test_reading_position_survives_a_restart(library: Path, tmp_path: Path) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "space", "j", "j")
        await pilot.pause()
        saved_offset = main_screen(app).text.view.top_offset
        assert saved_offset > 0
        await pilot.press("q")  # quitting saves the position first
    app.saver.close()
    repo = Repository.open(library)
    seed = repo.articles()[0]
    assert seed.position == saved_offset and 0 < seed.progress < 1

    again = new_app(library, tmp_path)
    async with again.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert main_screen(again).text.view.top_offset == saved_offset
    again.saver.close()


async def test_reaching_the_end_marks_read(library: Path, tmp_path: Path) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "G")
        for _ in range(50):  # the position is posted after a short throttle, then saved
            await settle(app, pilot)
            article = main_screen(app).articles.highlighted
            if article is not None and article.read:
                break
            await pilot.pause(0.05)
        assert article is not None and article.read and article.progress == 1.0
    app.saver.close()


async def test_passage_cursor_keeps_abbreviation_sentences_whole(
    library: Path, tmp_path: Path
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.press("enter")
        await pilot.pause()
        view = screen.text.view
        body = app.repo.body(app.repo.article(view.article_id or 0))
        target = body.index("The UN Humanitarian")
        view.scroll_to_offset(target)
        await pilot.pause()
        await pilot.press("v")
        # Walk the cursor to the sentence holding "Dec. 1, and 700,000" and keep it.
        for _ in range(40):
            start, end = view.cursor_range or (0, 0)
            if start <= target < end:
                break
            await pilot.press("j")
        await pilot.press("b", "j", "b")
        await settle(app, pilot)
        quotes = app.repo.quotes(view.article_id)
        assert len(quotes) == 2
        first = quotes[0].text
        assert "Dec. 1, and 700,000 people fled" in first and first.endswith('months,"')
        assert "Half of these people are children" in quotes[1].text
        for quote in quotes:
            assert body[quote.start : quote.end] == quote.text
        assert screen.query_one(QuotesPane).border_title == "Quotes (2)"
    app.saver.close()


async def test_mouse_selection_becomes_a_quote_with_exact_offsets(
    library: Path, tmp_path: Path
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        view = main_screen(app).text.view
        app.screen.selections = {view: Selection(Offset(2, 4), Offset(30, 5))}
        await pilot.pause()
        await pilot.press("b")
        await settle(app, pilot)
        [quote] = app.repo.quotes(view.article_id)
        body = app.repo.body(app.repo.article(quote.article_id))
        assert body[quote.start : quote.end] == quote.text and len(quote.text) > 20
        assert quote.text == quote.text.strip()
    app.saver.close()


async def test_same_passage_twice_is_one_quote(library: Path, tmp_path: Path) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "v", "b", "b")
        await settle(app, pilot)
        assert len(app.repo.quotes()) == 1
        assert any("Already kept" in n.message for n in app._notifications)
    app.saver.close()


async def test_note_edit_delete_and_undo_from_the_quotes_pane(
    library: Path, tmp_path: Path
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "v", "b")
        await settle(app, pilot)
        pane = main_screen(app).query_one(QuotesPane)
        pane.focus()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).text = "Why this matters"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        [quote] = app.repo.quotes()
        assert quote.note == "Why this matters"

        await pilot.press("d")
        await settle(app, pilot)
        assert app.repo.quotes() == []
        assert any("ctrl+z" in n.message for n in app._notifications)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [q.note for q in app.repo.quotes()] == ["Why this matters"]

        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == quote.text
    app.saver.close()


async def test_enter_on_a_quote_scrolls_the_text_to_it(library: Path, tmp_path: Path) -> None:
    repo = Repository.open(library)
    seed = repo.articles()[0]
    late = repo.body(seed).index("Balkan Research Center")
    repo.add_quote(seed.id, late, late + len("Balkan Research Center"))
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        view = main_screen(app).text.view
        assert view.top_offset < late
        main_screen(app).query_one(QuotesPane).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert view.has_focus
        first, last = view.scroll_y, view.scroll_y + view.size.height
        assert first <= view.wrapped.line_of(late) < last
    app.saver.close()


async def test_find_counts_and_cycles(library: Path, tmp_path: Path) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "slash", *"idlib", "enter")
        await pilot.pause()
        view = main_screen(app).text.view
        assert view.match_count == app.repo.body(app.repo.articles()[0]).lower().count("idlib")
        first = view.match_index
        await pilot.press("n")
        assert view.match_index == (first or 0) + 1
        await pilot.press("N")
        assert view.match_index == first
    app.saver.close()


async def test_list_toggle_read_and_delete_keeps_quotes(library: Path, tmp_path: Path) -> None:
    repo = Repository.open(library)
    seed = repo.articles()[0]
    repo.add_quote_text(seed.id, "We will do what is needed")
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await settle(app, pilot)
        assert app.repo.article(seed.id).read
        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#keep-quotes")
        await settle(app, pilot)
        assert seed.id not in {a.id for a in app.repo.articles()}
        assert [q.article_title for q in app.repo.quotes()] == [SEED_TITLE]
    app.saver.close()


async def test_help_palette_and_open_article_command(library: Path, tmp_path: Path) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"bookbinder")
        from textual.command import CommandList

        for _ in range(50):  # the palette searches in the background
            await pilot.pause(0.05)
            if app.screen.query_one(CommandList).option_count:
                break
        await pilot.press("enter")
        await pilot.pause(0.3)
        view = main_screen(app).text.view
        assert view.article_id is not None
        assert "bookbinder" in app.repo.article(view.article_id).title
    app.saver.close()


async def test_a_choice_and_an_escape_queued_together_close_the_palette_once(
    library: Path, tmp_path: Path
) -> None:
    """Both dismiss it; the second once popped the screen beneath, here the main screen,
    and the app stopped with a traceback (ScreenStackError)."""
    from textual.command import CommandPalette

    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        palette.dismiss()  # as the choice does
        palette.dismiss()  # as the escape queued behind it does
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and len(app.screen_stack) == 1
        await pilot.press("j")  # and the app goes on
        await pilot.pause()
        assert app.is_running
    app.saver.close()


async def test_theme_is_remembered(library: Path, tmp_path: Path) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test() as pilot:
        app.theme = "reader-paper"
        await pilot.pause()
    app.saver.close()
    assert load_state(tmp_path / "state.json")["theme"] == "reader-paper"
    again = new_app(library, tmp_path)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme == "reader-paper"
    again.saver.close()


async def test_a_remapped_key_works(library: Path, tmp_path: Path) -> None:
    app = new_app(library, tmp_path, Config(keys={"list.down": "n", "app.text_only": "x"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        first = screen.articles.highlighted
        await pilot.press("n")
        assert screen.articles.highlighted != first
        await pilot.press("x")
        assert screen.has_class("-text-only")
    app.saver.close()


async def test_shrinking_to_40x12_and_back(library: Path, tmp_path: Path) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        for size in [(80, 24), (40, 12), (20, 6), (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("j", "space")
        screen = main_screen(app)
        assert not screen.has_class("-narrow")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.has_class("-narrow")
        await pilot.press("escape")
        await pilot.pause()
        assert screen.articles.has_focus
    app.saver.close()


async def test_changes_from_another_process_are_picked_up(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "POLL_SECONDS", 0.1)
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "space")  # unsaved state of our own: a reading position
        other = Repository.open(library)
        other.add_articles([(parsed("Arrived from elsewhere", "Imported meanwhile."), "x.txt")])
        for _ in range(40):
            await pilot.pause(0.05)
            titles = [a.title for a in main_screen(app).articles.shown]
            if "Arrived from elsewhere" in titles:
                break
        assert "Arrived from elsewhere" in titles
        assert main_screen(app).text.view.top_offset > 0  # still where we were reading
    app.saver.close()


async def test_another_process_changing_the_article_under_the_cursor_redraws_it(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its row, facts and quotes follow: the list keeps drawn rows and the side column
    skips redrawing across a poll only while their article and quotes stay the same."""
    monkeypatch.setattr(app_module, "POLL_SECONDS", 0.1)
    app = new_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = main_screen(app)
        cursor = main.articles.highlighted
        assert cursor is not None and not cursor.read
        row = main.articles.cursor_row
        await wait_for(pilot, lambda: main.metadata.article_id == cursor.id)
        assert "●" in main.articles.render_line(row).text  # unread
        kept = len(main.quotes.quotes)

        other = Repository.open(library)
        other.set_read(cursor.id, True)
        other.add_quote_text(cursor.id, "We will do what is needed", note="from the shell")
        other.close()
        await wait_for(pilot, lambda: len(main.quotes.quotes) == kept + 1)
        await pilot.pause()

        drawn = main.articles.render_line(row).text
        assert "●" not in drawn and f"❝{kept + 1}" in drawn
        facts = main.metadata.render().plain
        assert "· read" in facts and f"Quotes   {kept + 1}" in facts
        assert any(q.note == "from the shell" for q in main.quotes.quotes)
    app.saver.close()


async def test_metadata_values_wrap_under_themselves(tmp_path: Path) -> None:
    """A long URL folds under its value column; the pane grows and shrinks with its facts."""
    repo = Repository.open(tmp_path / "lib")
    url = "https://example.org/" + "/".join(f"section-{i}" for i in range(12))
    [short] = repo.add_articles([(parsed("Short", "One line."), "short.txt")])
    [long] = repo.add_articles([(replace(parsed("Long", "Another line."), url=url), "long.txt")])
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(120, 40)) as pilot:
        main = main_screen(app)
        pane = main.metadata
        await wait_for(pilot, lambda: pane.article_id == long.article.id)
        await pilot.pause()
        lines = pane.render().plain.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("URL"))
        value_column = lines[start].index("https")
        folded = []
        for line in lines[start + 1 :]:
            if not line.startswith(" " * value_column):
                break
            folded.append(line.strip())
        assert folded and lines[start][value_column:] + "".join(folded) == url
        assert all(len(line) <= pane.content_region.width for line in lines)
        tall = pane.outer_size.height

        await pilot.press("j")
        await wait_for(pilot, lambda: pane.article_id == short.article.id)
        await pilot.pause()
        assert "URL" not in pane.render().plain
        assert pane.outer_size.height < tall
    app.saver.close()


async def test_markup_and_escapes_in_an_article_stay_text(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "[bold red]Loud[/] title\n\n"
        "Click [@click=app.quit]here[/] now. \x1b]52;c;aGVsbG8=\x07Clipboard \x1b[2Jcleared.\n",
        "utf-8",
    )
    repo = Repository.open(tmp_path / "lib")
    import_paths(repo, [hostile])
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        view = main_screen(app).text.view
        text = "\n".join(view.render_line(y).text for y in range(view.size.height))
        assert "[bold red]Loud[/] title" in text
        assert "[@click=app.quit]here[/]" in text
        assert "\x1b" not in text and "52;c;" not in text
        # Click right on the would-be link: it must stay text.
        line = next(y for y in range(view.size.height) if "[@click" in view.render_line(y).text)
        column = view.render_line(line).text.index("here")
        await pilot.click(view, offset=(column, line))
        await pilot.pause()
        assert app.is_running  # the click did not quit
        main_screen(app).leave_text()  # the list gives way while reading: back to it
        await pilot.pause()
        listed = main_screen(app).articles.render_line(0).text
        assert "[bold red]Loud[/]" in listed

        # The command palette shows the title as text too (Textual's own highlight would not).
        await pilot.press("ctrl+p", *"loud")
        from textual.command import CommandList

        options = app.screen.query_one(CommandList)
        for _ in range(50):  # the palette searches in the background
            await pilot.pause(0.05)
            if options.option_count:
                break
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("[bold red]Loud[/] title" in p for p in prompts), prompts
    app.saver.close()
