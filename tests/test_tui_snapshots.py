"""Snapshots of the key screens (pytest-textual-snapshot); update with --snapshot-update."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import TextArea

from reader.importing import import_paths
from reader.library import Repository
from reader.locations import sample_articles_dir
from reader.tui.app import ReaderApp
from reader.tui.widgets.quotes_pane import QuotesPane
from tests.tui_helpers import wait_for

FIXED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ReaderApp]:
    """The sample library, every article added at one fixed time, shown in UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    repo = Repository.open(tmp_path / "lib")
    import_paths(repo, [sample_articles_dir()], added=FIXED)
    seed = repo.articles()[0]
    passage = "We will do what is needed"
    repo.add_quote_text(seed.id, passage, note="The heart of the article.")
    application = ReaderApp(repo, None, tmp_path / "state.json")
    yield application
    application.saver.close()
    monkeypatch.undo()
    time.tzset()


async def footer_ready(pilot: Any) -> None:
    """The key footer is mounted just after the first screen: wait for its keys."""
    await wait_for(pilot, lambda: bool(pilot.app.screen.query("FooterKey")))


async def quotations_found(pilot: Any) -> None:
    """The side column lists the quotations found in its article once a worker has found
    them: wait for them, so the picture does not depend on the machine's load."""
    await footer_ready(pilot)
    await wait_for(pilot, lambda: bool(pilot.app.screen.query_one(QuotesPane)._detected))
    await pilot.pause()


async def open_seed(pilot: Any) -> None:
    await pilot.press("enter")
    await quotations_found(pilot)


def test_main_screen_wide(app: ReaderApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_seed)


def test_main_screen_80x24(app: ReaderApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=footer_ready)


def test_main_screen_80x24_reading(app: ReaderApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_seed)


def test_help_screen(app: ReaderApp, snap_compare: Any) -> None:
    async def help_over_the_list(pilot: Any) -> None:
        await quotations_found(pilot)
        await pilot.press("question_mark")

    assert snap_compare(app, terminal_size=(120, 40), run_before=help_over_the_list)


def test_quote_editor(app: ReaderApp, snap_compare: Any) -> None:
    async def open_editor(pilot: Any) -> None:
        await open_seed(pilot)
        app.screen.query_one(QuotesPane).focus()
        await pilot.press("e")
        # The cursor blinks on a timer: a loaded machine took the picture in either phase.
        editor = app.screen.query_one(TextArea)
        editor.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=open_editor)


def test_every_kind_of_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snap_compare: Any
) -> None:
    """A Markdown article with a byline, a block quote, code and a table, read at 100 by 32."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    repo = Repository.open(tmp_path / "lib")
    import_paths(repo, [Path(__file__).parent / "data" / "blocks.md"], added=FIXED)
    application = ReaderApp(repo, None, tmp_path / "state.json")

    async def open_it(pilot: Any) -> None:
        await footer_ready(pilot)
        await pilot.press("enter")
        await pilot.pause()

    try:
        assert snap_compare(application, terminal_size=(100, 32), run_before=open_it)
    finally:
        application.saver.close()
        monkeypatch.undo()
        time.tzset()
