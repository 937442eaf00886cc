"""Feeds in the app: R updates them in a worker, new articles reach the list, feed:NAME narrows
the list, the filter and search; against a server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.feeds.store import all_feeds, subscribe
from reader.feeds.update import update_feeds
from reader.library import Repository
from reader.tui import app as app_module
from reader.tui.app import ReaderApp
from reader.tui.config import Config, load_config
from reader.tui.screens.feeds import FeedsScreen
from reader.tui.screens.main import MainScreen
from reader.tui.widgets.article_rows import ArticleRows, RowData
from reader.tui.widgets.key_footer import Activity
from tests.conftest import parsed
from tests.feed_server import FeedServer, feed_server, page, rss, static
from tests.tui_helpers import wait_for

RSS_TYPE = "application/rss+xml"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    with feed_server() as httpd:
        yield httpd


def gazette(server: FeedServer, path: str, title: str, stories: list[str]) -> None:
    items = []
    for story in stories:
        slug = "/" + story.lower().replace(" ", "-")
        server.routes[slug] = static(page(story), "text/html")
        items.append({"title": story, "link": server.url(slug), "guid": slug})
    server.routes[path] = static(rss(title, items), RSS_TYPE)


def footer_activity(screen: MainScreen) -> str:
    """What the key footer says runs in the background ("" when nothing does)."""
    shown = screen.query(Activity)
    return str(shown.first().content) if shown else ""


def library(folder: Path) -> Repository:
    repo = Repository.open(folder)
    repo.add_articles([(parsed("Saved essay", "A paragraph saved by hand, long ago."), "a.txt")])
    return repo


async def test_R_updates_feeds_and_new_articles_appear(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No timed poll in this test: the new articles are read in when the update finishes.
    monkeypatch.setattr(app_module, "POLL_SECONDS", 3600)
    gazette(server, "/feed.xml", "Harbour Gazette", ["Tide tables", "Breakwater news"])
    repo = library(tmp_path / "lib")
    subscribe(repo, server.url("/feed.xml"), "Harbour Gazette")
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        await wait_for(pilot, lambda: len(main.articles.all_articles) == 1)
        await pilot.press("R")
        # The footer says it runs ("Feeds 0/1" until the feed is done).
        await wait_for(pilot, lambda: footer_activity(main).startswith("Feeds "), tries=200)
        assert footer_activity(main).endswith("/1")
        # The update runs in a child process; the app reads its writes when it is done.
        await wait_for(pilot, lambda: len(main.articles.all_articles) == 3, tries=600)
        titles = {a.title for a in main.articles.all_articles}
        assert {"Tide tables", "Breakwater news"} <= titles
        await wait_for(pilot, lambda: not app.feed_updates.running, tries=600)
        await wait_for(pilot, lambda: footer_activity(main) == "")
        # The list is narrowed to the feed by name or id; the hand-saved essay is left out.
        main.articles.filter_text = "feed:harbour"
        await pilot.pause()
        assert {a.title for a in main.articles.shown} == {"Tide tables", "Breakwater news"}
        main.articles.filter_text = "feed:1 tide"
        await pilot.pause()
        assert [a.title for a in main.articles.shown] == ["Tide tables"]
        main.articles.filter_text = "feed:nosuchfeed"
        await pilot.pause()
        assert main.articles.shown == []
    app.saver.close()


async def test_the_metadata_names_the_feed_an_article_came_from(
    server: FeedServer, tmp_path: Path
) -> None:
    named = '<meta property="og:site_name" content="The Quay Weekly">'
    server.routes["/quay"] = static(page("Quay news", extra=named), "text/html")
    items = [{"title": "Quay news", "link": server.url("/quay"), "guid": "q"}]
    server.routes["/feed.xml"] = static(rss("Harbour Gazette", items), RSS_TYPE)
    repo = library(tmp_path / "lib")
    feed, _ = subscribe(repo, server.url("/feed.xml"), "?")
    update_feeds(repo, [feed])
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(120, 36)) as pilot:
        main = app.screen
        assert isinstance(main, MainScreen)
        await wait_for(pilot, lambda: "Feed" in main.metadata.render().plain)
        facts = main.metadata.render().plain
        assert "The Quay Weekly" in facts  # the page's own site, in the byline
        assert any(line.split() == ["Feed", "Harbour", "Gazette"] for line in facts.splitlines())
        await pilot.press("j")  # the essay saved by hand: from no feed
        await wait_for(pilot, lambda: "Saved essay" in main.metadata.render().plain)
        assert "Feed " not in main.metadata.render().plain
    app.saver.close()


async def test_feeds_screen_lists_feeds_and_choosing_one_filters(
    server: FeedServer, tmp_path: Path
) -> None:
    gazette(server, "/a.xml", "Harbour Gazette", ["Tide tables"])
    gazette(server, "/b.xml", "Mountain Post", ["Snow report"])
    repo = library(tmp_path / "lib")
    for path in ("/a.xml", "/b.xml"):
        subscribe(repo, server.url(path), path)
    update_feeds(repo, all_feeds(repo))
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        await wait_for(pilot, lambda: len(main.articles.all_articles) == 3)
        app.action_feeds()
        await pilot.pause()
        assert isinstance(app.screen, FeedsScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is main
        assert main.articles.filter_text == "feed:2"
        assert [a.title for a in main.articles.shown] == ["Snow report"]
    app.saver.close()


def test_feed_filter_in_search(server: FeedServer, tmp_path: Path) -> None:
    gazette(server, "/a.xml", "Harbour Gazette", ["Tide tables"])
    repo = library(tmp_path / "lib")
    feed, _ = subscribe(repo, server.url("/a.xml"), "?")
    update_feeds(repo, [feed])
    # "breakwater" is in the feed's story page and not in the hand-saved essay.
    assert [h.title for h in repo.search("breakwater feed:harbour-gazette")] == ["Tide tables"]
    assert repo.search("breakwater feed:mountain") == []
    assert [h.title for h in repo.search("feed:1")] == ["Tide tables"]
    # -feed: leaves a feed's articles out; an article from no feed stays.
    repo.add_articles([(parsed("Breakwater essay", "On the breakwater at dusk."), "b.txt")])
    assert [h.title for h in repo.search("breakwater -feed:harbour")] == ["Breakwater essay"]
    assert {h.title for h in repo.search("breakwater -feed:mountain")} == {
        "Tide tables",
        "Breakwater essay",
    }
    repo.close()


def test_list_rows_filter_by_feed() -> None:
    from datetime import UTC, datetime

    from reader.library import Article

    def art(i: int, title: str, feed: int | None) -> Article:
        return Article(i, title, "h", 10, 1, datetime(2026, 1, i, tzinfo=UTC), feed=feed)

    rows = ArticleRows()
    rows.feed_titles = {1: "Harbour Gazette", 2: "Mountain Post"}
    listed = [art(1, "Tides", 1), art(2, "Snow", 2), art(3, "Essay", None)]
    rows.replace(RowData.of(listed, {}, "added"), "added")
    rows.refilter("feed:HARBOUR")
    assert [rows.article(r).id for r in range(len(rows))] == [1]
    rows.refilter("feed:post")
    assert [rows.article(r).id for r in range(len(rows))] == [2]
    rows.refilter("")
    assert len(rows) == 3
    # A number is an id (what choosing on the Feeds screen sets), not a part of a title:
    # "feed:1" once took "Gazette 12" along with feed 1.
    rows.feed_titles = {1: "Harbour Gazette", 2: "Gazette 12"}
    rows.refilter("feed:1")
    assert [rows.article(r).id for r in range(len(rows))] == [1]
    rows.refilter("feed:gazette-12")
    assert [rows.article(r).id for r in range(len(rows))] == [2]


def test_config_feeds_section(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[feeds]\nupdate_minutes = 30\nmax_new = 20\n")
    config = load_config(path)
    assert (config.feeds_update_minutes, config.feeds_max_new, config.problems) == (30.0, 20, ())
    path.write_text("[feeds]\nupdate_minutes = 0\n")
    config = load_config(path)
    assert config.feeds_update_minutes is None and "update_minutes" in config.problems[0]
    assert Config().feeds_update_minutes is None


async def test_update_minutes_starts_a_timer_only_when_set(tmp_path: Path) -> None:
    repo = library(tmp_path / "lib")
    for minutes in (None, 5.0):
        app = ReaderApp(repo, Config(feeds_update_minutes=minutes), tmp_path / "state.json")
        async with app.run_test(size=(110, 36)) as pilot:
            await pilot.pause()
            timer = app.feeds_timer
            if minutes is None:
                assert timer is None
            else:
                assert timer is not None and timer._interval == 300
        app.saver.close()


async def test_R_on_a_library_in_memory_updates_on_a_thread(
    server: FeedServer, tmp_path: Path
) -> None:
    gazette(server, "/feed.xml", "Harbour Gazette", ["Tide tables"])
    server.routes["/gone.xml"] = static(b"", "text/plain", 410)
    repo = Repository.in_memory(tmp_path / "texts")
    subscribe(repo, server.url("/feed.xml"), "Harbour Gazette")
    subscribe(repo, server.url("/gone.xml"), "Gone")
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.press("R")
        await wait_for(
            pilot, lambda: [a.title for a in main.articles.all_articles] == ["Tide tables"]
        )
        await wait_for(pilot, lambda: not app.feed_updates.running)
        await pilot.pause()
        # The summary names the failed feed, in one line.
        messages = [str(n.message) for n in app._notifications]
        assert any("1 new" in m and "Gone" in m and "410" in m for m in messages), messages
    app.saver.close()


async def test_palette_offers_the_feeds(tmp_path: Path) -> None:
    repo = library(tmp_path / "lib")
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Feeds: update all" in commands and "Feeds…" in commands
        commands["Feeds…"].callback()
        await pilot.pause()
        assert isinstance(app.screen, FeedsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    app.saver.close()
