"""The review and stats screens, driven with Pilot at a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Input, Static

from reader.library import Repository
from reader.review.cards import CARDS, REVIEWS
from reader.tui.app import ReaderApp
from reader.tui.config import Config
from reader.tui.screens.main import MainScreen
from reader.tui.screens.note_editor import NoteEditor
from reader.tui.screens.review import ReviewScreen
from reader.tui.screens.stats import StatsScreen
from reader.tui.screens.tag_editor import TagEditor
from tests.conftest import parsed
from tests.tui_helpers import calm, post_burst, settle, wait_for

#: Later than any quote kept by these tests (they are kept at the real time): all are due.
LATER = datetime(2099, 5, 6, 12, 0, tzinfo=UTC)

PARAGRAPH = "The keeper lit the lamp at dusk every night. Ships saw it from afar."


def library(folder: Path) -> Repository:
    repo = Repository.open(folder)
    repo.add_articles(
        [
            (parsed("Harbour lights", PARAGRAPH, "Second part."), "a.txt"),
            (parsed("Night trains", "The sleeper left the station at ten past nine."), "b.txt"),
        ]
    )
    lights, trains = sorted(repo.articles(), key=lambda a: a.id)
    repo.add_quote_text(lights.id, "lit the lamp at dusk", note="ritual")
    repo.add_quote_text(trains.id, "left the station", note="departure")
    repo.add_quote_text(trains.id, "ten past nine")
    repo.set_article_tags(trains.id, ["rail"])
    return repo


def make_app(tmp_path: Path, daily: int = 10) -> ReaderApp:
    app = ReaderApp(library(tmp_path / "lib"), Config(review_daily=daily), tmp_path / "s.json")
    app.clock = lambda: LATER
    return app


def card_text(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-card", Static).render())


def progress(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-progress", Static).render())


async def open_review(app: ReaderApp, pilot: object) -> ReviewScreen:
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("D")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    await wait_for(pilot, lambda: screen.queue is not None)  # type: ignore[arg-type]
    return screen


async def test_grade_and_undo(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(app, pilot)
        assert [q.quote.text for q in screen.queue or []] == [
            "lit the lamp at dusk",
            "left the station",
            "ten past nine",
        ]
        assert "lit the lamp at dusk" in card_text(screen) and "ritual" in card_text(screen)
        assert "Harbour lights" in card_text(screen)
        assert progress(screen) == "1 of 3"  # no streak yet
        await pilot.press("3")  # good
        assert "left the station" in card_text(screen)
        assert progress(screen) == "2 of 3 · 1-day streak"
        await pilot.press("1")  # again: back at the end of today's set
        assert [q.quote.text for q in screen.queue or []] == ["ten past nine", "left the station"]
        await settle(app, pilot)
        reviews = app.repo.documents(REVIEWS)
        assert sorted(r["grade"] for r in reviews.values()) == ["again", "good"]
        assert set(app.repo.documents(CARDS)) == {"1", "2"}
        await pilot.press("u")  # takes back "again"
        await pilot.press("u")  # and "good"
        assert screen.current is not None
        assert screen.current.quote.text == "lit the lamp at dusk"
        assert progress(screen).startswith("1 of 3")
        await settle(app, pilot)
        assert app.repo.documents(REVIEWS) == {} and app.repo.documents(CARDS) == {}
        for _ in range(3):
            await pilot.press("4")
        await settle(app, pilot)
        assert "Nothing due" in card_text(screen)
        assert progress(screen) == "3 of 3 · 1-day streak"
        await pilot.press("3")  # nothing to grade: nothing happens
        await settle(app, pilot)
        assert len(app.repo.documents(REVIEWS)) == 3


async def test_reveal_shows_the_paragraph(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(app, pilot)
        assert "Ships saw it" not in card_text(screen)
        await pilot.press("space")
        await wait_for(pilot, lambda: "Ships saw it from afar" in card_text(screen))
        await pilot.press("space")
        assert "Ships saw it" not in card_text(screen)


async def test_enter_opens_the_passage_in_its_article(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("3")  # on to the second quote: "left the station"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        main = app.screen
        assert isinstance(main, MainScreen)
        await wait_for(pilot, lambda: main._open is not None and main._open.title == "Night trains")
        assert screen.queue is not None


async def test_tag_filter_narrows_the_set(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("slash")
        field = screen.query_one("#review-filter", Input)
        assert field.has_focus
        await pilot.press(*"tag:rail", "3")  # keys typed in the field are text, not grades
        assert field.value == "tag:rail3"
        await pilot.press("backspace", "enter")
        await wait_for(pilot, lambda: screen.queue is not None and len(screen.queue) == 2)
        assert {q.quote.text for q in screen.queue or []} == {"left the station", "ten past nine"}
        assert app.repo.documents(REVIEWS) == {}
        await pilot.press("slash", *"tag:nothing", "enter")
        await wait_for(pilot, lambda: screen.queue == [])
        assert "Nothing due tagged nothing" in card_text(screen)


async def test_note_and_tags_use_the_quote_editors(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TagEditor))
        await pilot.press(*"dusk", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        await settle(app, pilot)
        await wait_for(pilot, lambda: "#dusk" in card_text(screen))


async def test_daily_limit_and_review_screen_at_start(tmp_path: Path) -> None:
    app = make_app(tmp_path, daily=2)
    app.start_screen = "review"
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await wait_for(pilot, lambda: screen.queue is not None)
        assert len(screen.queue or []) == 2
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_stats_screen_reads_and_shows(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    from reader.review.cards import grade

    grade(app.repo, 1, "good", LATER - timedelta(days=1))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.action_stats()
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await wait_for(pilot, lambda: screen.stats is not None)
        side = str(screen.query_one("#stats-side", Static).render())
        assert "1 day\n" in side and "Most quoted" in side and "Night trains" in side
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_reading_in_the_app_counts_words_for_today(tmp_path: Path) -> None:
    from reader.review.reading import words_by_day

    repo = Repository.open(tmp_path / "lib")
    paragraphs = [f"Paragraph {i} " + "word " * 60 for i in range(60)]
    repo.add_articles([(parsed("A long one", *paragraphs), "long.txt")])
    app = ReaderApp(repo, Config(), tmp_path / "s.json")
    app.clock = lambda: LATER
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen._open)
        for _ in range(5):
            await pilot.press("space")
        main = app.screen
        assert isinstance(main, MainScreen)
        view = main.text.view

        def saved() -> int:
            app.saver.flush()
            return app.repo.article(1).position

        # Positions are saved a moment after scrolling stops: wait for the last one (taking
        # an earlier one as the furthest reached made the rest of the test flaky).
        await wait_for(pilot, lambda: 0 < saved() == view.top_offset)
        article = app.repo.article(1)

        def counted() -> int:
            app.saver.flush()
            return words_by_day(app.repo).get(LATER.date(), 0)

        await wait_for(pilot, lambda: counted() == round(article.words * article.progress))
        first = dict(words_by_day(app.repo))
        reached = saved()
        assert list(first) == [LATER.date()] and first[LATER.date()] > 0
        await pilot.press("g")  # back to the top and down again: nothing new
        await wait_for(pilot, lambda: saved() < reached)
        for _ in range(3):  # reading it again, not as far as before
            await pilot.press("space")
        await wait_for(pilot, lambda: 0 < saved() == view.top_offset)
        assert saved() < reached
        await settle(app, pilot)
        assert words_by_day(app.repo) == first


async def test_palette_offers_daily_review_and_stats(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        assert "Daily review" in titles and "Stats" in titles
        titles["Daily review"]()
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("D")  # already there: not a second one
        await pilot.pause()
        assert sum(isinstance(s, ReviewScreen) for s in app.screen_stack) == 1


async def test_closing_right_after_a_grade_is_clean(tmp_path: Path) -> None:
    # The footer asked the closing screen about its keys once its widgets were gone.
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3):
            await open_review(app, pilot)
            await pilot.press("3", "escape")
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
            await settle(app, pilot)
        assert app.return_code is None  # still running, no error


async def test_review_tag_at_start_narrows_the_first_review_only(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    app.start_screen, app.review_tag = "review", "rail"  # reader review --tag rail
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await wait_for(pilot, lambda: screen.queue is not None)
        assert {q.quote.text for q in screen.queue or []} == {"left the station", "ten past nine"}
        field = screen.query_one("#review-filter", Input)
        assert field.value == "tag:rail" and field.display
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        again = app.screen
        assert isinstance(again, ReviewScreen)
        await wait_for(pilot, lambda: again.queue is not None)
        assert len(again.queue or []) > 2  # the next review is of everything
        assert not again.query_one("#review-filter", Input).display


async def test_undoing_a_quote_deletion_brings_its_schedule_back(tmp_path: Path) -> None:
    from reader.review.cards import grade

    app = make_app(tmp_path)
    grade(app.repo, 1, "easy", LATER - timedelta(days=1))
    card = app.repo.documents(CARDS)["1"]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.quote_actions.delete(1)
        await settle(app, pilot)
        assert "1" not in app.repo.documents(CARDS)  # deleting a quote deletes its card
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        await wait_for(pilot, lambda: "1" in app.repo.documents(CARDS))
        assert app.repo.documents(CARDS)["1"] == card
        assert app.repo.quote(1).text == "lit the lamp at dusk"


async def test_a_library_without_quotes_says_how_to_keep_some(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "lib")
    repo.add_articles([(parsed("Plain", "Nothing kept from this one yet."), "p.txt")])
    app = ReaderApp(repo, Config(), tmp_path / "s.json")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(app, pilot)
        await wait_for(pilot, lambda: "No quotes yet" in card_text(screen))
        assert "then b" in card_text(screen)
    app.saver.close()


async def test_stats_with_nothing_read_says_how_the_plots_fill(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "lib")
    repo.add_articles([(parsed("Plain", "Nothing read in this one yet."), "p.txt")])
    app = ReaderApp(repo, Config(), tmp_path / "s.json")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.action_stats()
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await wait_for(pilot, lambda: screen.stats is not None)
        side = str(screen.query_one("#stats-side", Static).render())
        assert "Nothing read or reviewed yet" in side
    app.saver.close()


async def test_a_burst_right_after_slash_lands_in_the_filter(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(app, pilot)
        graded = dict(app.repo.documents(REVIEWS))
        post_burst(app, "/tag:rail 1234 qDR")  # all queued before the app handles any
        await calm(pilot)
        field = screen.query_one("#review-filter", Input)
        assert field.value == "tag:rail 1234 qDR"
        assert app.repo.documents(REVIEWS) == graded  # the digits graded nothing
