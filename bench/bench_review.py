"""Review budgets: today's set from 20,000 quotes, a grade's cost on the UI thread, and the
Stats screen opening over a year of daily records.

Prints figures; never fails. Budgets (docs/DESIGN, issue 14):

* today's set (``todays_set`` plus its JSON, as ``reader review --json`` prints it) from
  20,000 quotes, a quarter of them with cards: <= 50 ms;
* grading a quote in the Review screen: <= 16 ms on the UI thread (the write goes to the
  saver thread; its time to disk is printed beside it);
* the Stats screen with a year of daily reading and review records: <= 200 ms from the
  key to the figures on screen (read off the UI thread, then plotted).

    python bench/bench_review.py [--quotes 20000] [--runs 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.library import Repository  # noqa: E402
from reader.library.storage import Change  # noqa: E402
from reader.review.cards import CARDS, REVIEWS, due_json, todays_set  # noqa: E402
from reader.review.reading import READING_DAYS  # noqa: E402
from tests.conftest import parsed  # noqa: E402

NOW = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


def build(folder: Path, quotes: int) -> Repository:
    """A library of 200 articles and ``quotes`` quotes; a quarter have cards; a year of
    daily reading and ten reviews a day."""
    repo = Repository.open(folder)
    articles = [
        r.article
        for r in repo.add_articles(
            [(parsed(f"Article {i}", f"Paragraph of article {i}. " * 40), None) for i in range(200)]
        )
    ]
    kept = NOW - timedelta(days=400)
    with repo.writing() as batch:
        for i in range(quotes):
            article = articles[i % len(articles)]
            quote_id = batch.allocate("next_quote_id", "quotes")
            doc = {
                "article_id": article.id,
                "article_title": article.title,
                "text": f"Paragraph of article {i % 200}.",
                "start": 0,
                "end": 10,
                "prefix": "",
                "suffix": "",
                "created": (kept + timedelta(minutes=i)).isoformat(),
                "note": "",
                "tags": ["kept"] if i % 7 == 0 else [],
            }
            batch.changes.append(Change("quotes", quote_id, doc))
            if i % 4 == 0:
                due = NOW + timedelta(days=(i % 60) - 30)
                card = {
                    "card_id": quote_id,
                    "state": 2,
                    "step": None,
                    "stability": 5.0,
                    "difficulty": 5.0,
                    "due": due.isoformat(),
                    "last_review": (due - timedelta(days=5)).isoformat(),
                }
                batch.changes.append(Change(CARDS, quote_id, card))
        for day in range(365):
            moment = NOW - timedelta(days=day)
            ordinal = moment.date().toordinal()
            words = {"day": moment.date().isoformat(), "words": 500 + day}
            batch.changes.append(Change(READING_DAYS, ordinal, words))
            for k in range(10):
                review = {
                    "quote_id": 1 + (day * 10 + k) % quotes,
                    "grade": "good",
                    "at": moment.isoformat(),
                    "day": moment.date().isoformat(),
                    "before": None,
                }
                batch.changes.append(
                    Change(REVIEWS, batch.allocate("next_review_id", REVIEWS), review)
                )
    return repo


def todays_set_figures(repo: Repository, runs: int) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        found = todays_set(repo, NOW, 10)
        text = json.dumps([due_json(item) for item in found.due])
        times.append((time.perf_counter() - started) * 1000)
    tagged = []
    for _ in range(runs):
        started = time.perf_counter()
        todays_set(repo, NOW, 10, "tag:kept")
        tagged.append((time.perf_counter() - started) * 1000)
    print(
        f"today's set from {len(repo.documents('quotes')):,} quotes: "
        f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms "
        f"(budget 50 ms; {len(found.due)} quotes, {len(text):,} bytes of JSON); "
        f"with tag:kept median {statistics.median(tagged):.1f} ms"
    )


async def until(pilot: object, condition: object, what: str) -> None:
    """Pause until ``condition()`` holds; give up (with an error, never a hang) after 30 s."""
    deadline = time.perf_counter() + 30
    while not condition():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise SystemExit(f"bench_review: gave up waiting for {what}")
        await pilot.pause(0.002)  # type: ignore[attr-defined]


async def app_figures(repo: Repository, runs: int, state: Path) -> None:
    from reader.tui.app import ReaderApp
    from reader.tui.config import Config
    from reader.tui.screens.main import MainScreen
    from reader.tui.screens.review import ReviewScreen
    from reader.tui.screens.stats import StatsScreen

    app = ReaderApp(repo, Config(review_daily=runs + 5), state)
    app.clock = lambda: NOW
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_review()
        await until(
            pilot,
            lambda: isinstance(app.screen, ReviewScreen) and app.screen.queue is not None,
            "the review screen",
        )
        screen = app.screen
        ui, disk = [], []
        for i in range(runs):
            started = time.perf_counter()
            screen.action_grade("good" if i % 3 else "again")
            ui.append((time.perf_counter() - started) * 1000)
            app.saver.flush()  # the write, on the saver thread
            disk.append((time.perf_counter() - started) * 1000)
            await pilot.pause()
        print(
            f"grading, UI thread: median {statistics.median(ui):.2f} ms, "
            f"max {max(ui):.2f} ms (budget 16 ms); then on disk within "
            f"{statistics.median(disk):.1f} ms median (saver thread)"
        )
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        # When each plot was last drawn (plotext builds it in render(), on the UI thread).
        from textual_plotext import PlotextPlot

        drawn: dict[str, float] = {}
        render = PlotextPlot.render

        def timed(plot: PlotextPlot) -> object:
            result = render(plot)
            drawn[plot.id or ""] = time.perf_counter()
            return result

        PlotextPlot.render = timed  # type: ignore[method-assign]
        opened = []
        for _ in range(max(3, runs // 3)):
            drawn.clear()
            started = time.perf_counter()
            app.action_stats()
            await until(
                pilot,
                lambda: isinstance(app.screen, StatsScreen) and app.screen.stats is not None,
                "the statistics",
            )
            # The figures are on screen once both plots have been drawn (they are hidden,
            # so not drawn, until the data is there).
            await until(pilot, lambda: len(drawn) == 2, "the plots")
            opened.append((max(drawn.values()) - started) * 1000)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        print(
            f"Stats screen with {len(repo.documents(READING_DAYS))} days of reading and "
            f"{len(repo.documents(REVIEWS)):,} reviews: open median "
            f"{statistics.median(opened):.0f} ms, max {max(opened):.0f} ms (budget 200 ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        repo = build(Path(tmp) / "lib", args.quotes)
        print(f"built the library in {time.perf_counter() - started:.1f} s")
        repo.use_snapshot_reads()  # as the app reads
        todays_set_figures(repo, args.runs)
        asyncio.run(app_figures(repo, args.runs, Path(tmp) / "state.json"))
        repo.close()


if __name__ == "__main__":
    main()
