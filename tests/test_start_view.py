"""The start view: the newest articles painted before the library is read, never stale."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import LibraryCorrupt, Repository
from reader.library.head import (
    ROWS,
    START_VIEW_FILE,
    LibraryOpener,
    read_start_view,
    start_view_of,
    write_start_view,
)
from reader.library.signature import LIBRARY_FILES
from reader.library.storage import JOURNAL_FILE, LIBRARY_FILE
from reader.locations import sample_articles_dir
from reader.tui.app import ReaderApp
from reader.tui.screens.main import MainScreen
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.article_pane import ArticlePane
from tests.conftest import parsed
from tests.tui_helpers import wait_for

#: The seed article, as shipped with the sample library.
SEED = sample_articles_dir() / "turkish-delegation-idlib.txt"


def _library(folder: Path, count: int) -> Repository:
    repo = Repository.open(folder)
    repo.add_articles(
        (parsed(f"Article number {i}", f"Body of article {i}."), f"a{i}.txt") for i in range(count)
    )
    return repo


def test_the_file_names_are_the_storage_s() -> None:
    assert (LIBRARY_FILE, JOURNAL_FILE) == LIBRARY_FILES


def test_none_without_a_start_view(tmp_path: Path) -> None:
    _library(tmp_path, 3).close()
    assert read_start_view(tmp_path) is None


def test_holds_the_newest_articles_with_quote_counts_and_the_size(tmp_path: Path) -> None:
    repo = _library(tmp_path, ROWS + 20)
    newest = repo.articles()
    repo.add_quote_text(newest[1].id, "Body of article")
    write_start_view(repo)
    view = read_start_view(tmp_path)
    assert view is not None
    assert view.total == ROWS + 20
    assert view.articles == repo.articles()[:ROWS]
    assert view.quote_counts == {newest[1].id: 1}


@pytest.mark.parametrize("change", ["quote", "position", "compaction", "chmod"])
def test_any_change_to_the_library_makes_it_stale(tmp_path: Path, change: str) -> None:
    repo = _library(tmp_path, 5)
    write_start_view(repo)
    assert read_start_view(tmp_path) is not None
    other = Repository.open(tmp_path)  # another process, say
    article = other.articles()[0]
    if change == "quote":
        other.add_quote_text(article.id, "Body")
    elif change == "position":
        other.set_position(article.id, 3, 0.5)
    elif change == "compaction":
        other.storage.write(other.storage.read() or {})
    else:
        (tmp_path / LIBRARY_FILE).chmod(0o600)
    assert read_start_view(tmp_path) is None


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 99}', b"[1, 2]"])
def test_a_damaged_start_view_is_ignored(tmp_path: Path, damage: bytes) -> None:
    repo = _library(tmp_path, 2)
    write_start_view(repo)
    (tmp_path / START_VIEW_FILE).write_bytes(damage)
    assert read_start_view(tmp_path) is None


def test_a_start_view_from_another_library_state_is_refused(tmp_path: Path) -> None:
    repo = _library(tmp_path, 2)
    write_start_view(repo)
    path = tmp_path / START_VIEW_FILE
    data = json.loads(path.read_text("utf-8"))
    data["signature"][0][2] += 1  # library.json of another size
    path.write_text(json.dumps(data), "utf-8")
    assert read_start_view(tmp_path) is None


def test_the_opener_opens_once(tmp_path: Path) -> None:
    _library(tmp_path, 1).close()
    opener = LibraryOpener(tmp_path)
    assert opener.opened is None
    first = opener()
    assert opener() is first and opener.opened is first


def test_import_leaves_a_fresh_start_view(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    assert main(["--library", str(library), "import", str(SEED)]) == 0
    view = read_start_view(library)
    assert view is not None and view.total == 1
    assert view.articles[0].title.startswith("Turkish delegation")


def test_opening_the_app_needs_neither_tinydb_nor_the_repository() -> None:
    code = (
        "import sys, reader.cli, reader.library.head, reader.tui.app; "
        "print(sorted(m for m in ('tinydb', 'orjson', 'reader.library.repository', "
        "'reader.text.sentences', 'textual.widgets._footer', 'reader.tui.widgets.text_view', "
        "'reader.tui.widgets.quotes_pane', 'reader.tui.widgets.metadata') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_the_app_paints_the_start_view_before_reading_the_library(tmp_path: Path) -> None:
    repo = _library(tmp_path, ROWS + 50)
    write_start_view(repo)
    expected = [a.title for a in repo.articles()]
    repo.close()
    view = read_start_view(tmp_path)
    assert view is not None
    seen_when_opened: list[list[str]] = []
    opener = LibraryOpener(tmp_path)

    def open_library() -> Repository:
        if opener.opened is None:
            lst = app.screen.query_one(ArticleList)
            seen_when_opened.append([a.title for a in lst.shown])
            # The scroll bar is the whole library's already.
            seen_when_opened.append([str(lst.virtual_size.height)])
        return opener()

    app = ReaderApp(open_library, None, tmp_path / "state.json", view)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(app.screen.query_one(ArticleList).shown) > ROWS)
        lst = app.screen.query_one(ArticleList)
        # The start view was on screen when the library was first read, titled with its size.
        assert seen_when_opened == [expected[:ROWS], [str(ROWS + 50)]]
        assert [a.title for a in lst.shown] == expected
        assert app.screen.query_one(ArticlePane).border_title == f"Articles ({ROWS + 50})"
        await wait_for(pilot, lambda: bool(app.screen.query("FooterKey")))
    app.saver.close()
    assert opener.opened is not None
    opener.opened.close()


async def test_a_library_that_fails_to_open_after_the_start_view_ends_the_app(
    tmp_path: Path,
) -> None:
    repo = _library(tmp_path, 3)
    write_start_view(repo)
    repo.close()
    view = read_start_view(tmp_path)

    def broken() -> Repository:
        raise LibraryCorrupt(f"{tmp_path / LIBRARY_FILE} is not valid JSON")

    app = ReaderApp(broken, None, tmp_path / "state.json", view)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.library_error is not None)
    app.saver.close()
    assert isinstance(app.library_error, LibraryCorrupt)
    assert app.return_code == 1


async def test_keys_handled_before_the_panes_are_mounted_still_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _library(tmp_path, 30)
    write_start_view(repo)
    second = repo.articles()[1]
    repo.close()
    # As if the keys came before the work after the first screen: the panes are not there.
    monkeypatch.setattr(MainScreen, "_after_first_screen", lambda self: None)
    opener = LibraryOpener(tmp_path)
    app = ReaderApp(opener, None, tmp_path / "state.json", read_start_view(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert not screen.query("TextPane") and screen.query("#text-slot")
        await pilot.press("j", "enter")
        view = screen.text.view
        await wait_for(pilot, lambda: view.article_id == second.id)
        assert view.article_id == second.id and view.has_focus
        assert not screen.query("#text-slot")
    app.saver.close()
    assert opener.opened is not None
    opener.opened.close()


def test_writing_it_over_an_unreadable_library_is_quietly_skipped(tmp_path: Path) -> None:
    repo = _library(tmp_path, 2)
    (tmp_path / LIBRARY_FILE).write_text("{broken")  # damaged by something else meanwhile
    write_start_view(repo)  # at quit: no error here; the next start reports the damage
    assert not (tmp_path / START_VIEW_FILE).exists()


def test_a_quote_added_from_the_command_line_keeps_it_fresh(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    assert main(["--library", str(library), "import", str(SEED)]) == 0
    view = read_start_view(library)
    assert view is not None and view.quote_counts == {}
    article = view.articles[0]
    assert main(["--library", str(library), "quote", "add", str(article.id), "Idlib"]) == 0
    view = read_start_view(library)
    assert view is not None and view.quote_counts == {article.id: 1}


async def test_the_collector_paused_for_start_up_is_back_once_the_app_is_up(
    tmp_path: Path,
) -> None:
    import gc

    repo = _library(tmp_path, 3)
    gc.disable()  # as reader.cli does before it builds the app
    try:
        app = ReaderApp(repo, None, tmp_path / "state.json")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, gc.isenabled)
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # what start-up made is left out of collections
        app.saver.close()
    finally:
        gc.unfreeze()
        gc.enable()
        repo.close()


def test_the_start_view_made_in_memory_is_the_one_written(tmp_path: Path) -> None:
    repo = _library(tmp_path, ROWS + 5)
    repo.add_quote_text(repo.articles()[3].id, "Body of article")
    write_start_view(repo)
    assert read_start_view(tmp_path) == start_view_of(repo)
