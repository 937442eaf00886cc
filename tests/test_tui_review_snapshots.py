"""Snapshots of the review and stats screens at a fixed clock (update with --snapshot-update)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from reader.library import Repository
from reader.library.storage import Change
from reader.review.cards import grade
from reader.review.reading import save_position
from reader.review.stats import read_stats
from reader.tui.app import ReaderApp
from reader.tui.config import Config
from reader.tui.screens.review import ReviewScreen
from reader.tui.screens.stats import StatsScreen
from tests.conftest import parsed
from tests.tui_helpers import wait_for

NOW = datetime(2026, 4, 20, 9, 30, tzinfo=UTC)
KEPT = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ReaderApp]:
    """Three quotes kept at fixed times, a week of reading and reviews, the clock fixed."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    repo = Repository.open(tmp_path / "lib")
    long_text = " ".join(f"word{i}" for i in range(2000))
    results = repo.add_articles(
        [
            (parsed("The Lighthouse Keepers", "The keeper lit the lamp at dusk.", long_text), "a"),
            (
                parsed(
                    "Night Trains of Anatolia",
                    "Snow had closed the pass for a week. The sleeper left at ten past nine. "
                    "By dawn it was climbing through the pines above Erzurum.",
                ),
                "b",
            ),
        ],
        added=KEPT,
    )
    lights, trains = (r.article for r in results)
    repo.add_quote_text(lights.id, "The keeper lit the lamp at dusk.", note="A daily ritual.")
    repo.add_quote_text(trains.id, "The sleeper left at ten past nine.")
    repo.add_quote_text(lights.id, "word5 word6 word7")
    with repo.writing() as batch:  # kept at fixed times, so that the order is fixed
        for key, doc in repo.documents("quotes").items():
            fixed = KEPT + timedelta(minutes=int(key))
            batch.changes.append(Change("quotes", int(key), {**doc, "created": fixed.isoformat()}))
    for day in range(7):
        moment = NOW - timedelta(days=6 - day)
        save_position(repo, lights.id, 100 * (day + 1), (day + 1) / 10, lambda m=moment: m)
        if day % 2:
            grade(repo, 3, "again", moment)
    application = ReaderApp(repo, Config(review_daily=10), tmp_path / "state.json")
    application.clock = lambda: NOW
    yield application
    application.saver.close()
    monkeypatch.undo()
    time.tzset()


def test_the_fixture_has_a_streak(app: ReaderApp) -> None:
    assert read_stats(app.repo, NOW).streak_days == 7


def test_review_screen(app: ReaderApp, snap_compare: Any) -> None:
    async def review(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await wait_for(pilot, lambda: app.screen.queue is not None)  # type: ignore[attr-defined]
        await pilot.press("3")
        await pilot.press("space")
        await wait_for(pilot, lambda: app.screen.revealed is not None)  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=review)


def test_stats_screen(app: ReaderApp, snap_compare: Any) -> None:
    async def stats(pilot: Any) -> None:
        await pilot.pause()
        app.action_stats()
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        await wait_for(pilot, lambda: app.screen.stats is not None)  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=stats)
