"""Feeds: subscribing, updating and OPML, against servers on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from reader.feeds.parse import parse_feed
from reader.feeds.store import all_feeds, seen_keys, subscribe
from reader.feeds.update import Options, update_feeds
from reader.library import Repository
from tests.feed_server import (
    FeedServer,
    conditional,
    feed_server,
    lingering,
    page,
    rss,
    slow,
    static,
)

RSS_TYPE = "application/rss+xml"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        # A proxy from the environment must not see (or swallow) requests to localhost.
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    with feed_server() as httpd:
        yield httpd


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    library = Repository.open(tmp_path / "lib")
    yield library
    library.close()


def cli(tmp_path: Path, *args: str) -> int:
    return main(["--library", str(tmp_path / "lib"), *args])


def harbour(server: FeedServer, count: int = 3, path: str = "/feed.xml") -> None:
    """A Harbour Gazette RSS feed of ``count`` stories, each page on the server."""
    items = []
    for n in range(count):
        server.routes[f"/story/{n}"] = static(page(f"Story {n}"), "text/html")
        items.append(
            {"title": f"Story {n}", "link": server.url(f"/story/{n}"), "guid": f"s{n}", "day": "5"}
        )
    server.routes[path] = static(rss("Harbour Gazette", items), RSS_TYPE)


# -- formats -------------------------------------------------------------------------------


def test_rss2_add_imports_full_articles_with_feed_link_and_date(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    harbour(server, 3)
    assert cli(tmp_path, "feed", "add", server.url("/feed.xml")) == 0
    assert capsys.readouterr().out.strip() == "Harbour Gazette: 3 new"
    assert cli(tmp_path, "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 3 and {a["feed"] for a in listed} == {1}
    story = next(a for a in listed if a["title"] == "Story 1")
    assert cli(tmp_path, "show", str(story["id"]), "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["url"] == server.url("/story/1")
    assert shown["feed"] == 1
    assert shown["published"].startswith("2026-11-05T09:30")
    assert "breakwater" in shown["text"]  # the page's text, not the feed's teaser
    assert "A short teaser" not in shown["text"]
    # The newest story of the feed (its first item) is the newest article.
    assert listed[0]["title"] == "Story 0"


def test_rss1_rdf_feed_is_read() -> None:
    rdf = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel rdf:about="http://a.example/"><title>RDF Times</title><link>http://a.example/</link>
  <description>d</description></channel>
 <item rdf:about="http://a.example/1"><title>First &amp; foremost</title>
  <link>http://a.example/1</link><description>One.</description>
  <dc:date>2026-11-02T10:00:00Z</dc:date></item>
</rdf:RDF>"""
    feed = parse_feed(rdf, "http://a.example/rdf")
    assert feed.title == "RDF Times"
    (item,) = feed.items
    assert item.title == "First & foremost"
    assert item.link == "http://a.example/1"
    assert item.published == "2026-11-02T10:00:00+00:00"


def test_atom_feed_content_and_id() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Post</title>
 <link href="http://b.example/"/><id>urn:feed</id><updated>2026-11-03T00:00:00Z</updated>
 <entry><title>An entry</title><link href="/e/1"/><id>urn:e:1</id>
  <updated>2026-11-03T08:00:00+02:00</updated>
  <content type="html">&lt;p&gt;The whole story, in the feed.&lt;/p&gt;</content></entry>
</feed>"""
    feed = parse_feed(atom, "http://b.example/atom.xml")
    assert feed.title == "Atom Post" and feed.site_url == "http://b.example/"
    (item,) = feed.items
    assert item.link == "http://b.example/e/1"  # relative links resolved
    assert item.published == "2026-11-03T06:00:00+00:00"
    assert item.content is not None and "The whole story" in item.content


def test_json_feed(server: FeedServer, repo: Repository) -> None:
    body = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Journal",
        "home_page_url": "https://j.example/",
        "items": [
            {
                "id": "j1",
                "title": "Plain words",
                "content_text": "Only text here. " * 30,
                "date_published": "2026-11-04T12:00:00Z",
                "authors": [{"name": "Jo"}],
            }
        ],
    }
    server.routes["/feed.json"] = static(json.dumps(body).encode(), "application/feed+json")
    feed, _ = subscribe(repo, server.url("/feed.json"), "?")
    (report,) = update_feeds(repo, [feed])
    assert report.new == 1 and report.error is None
    article = repo.article(report.articles[0])
    assert article.title == "Plain words" and article.author == "Jo"
    assert article.published == "2026-11-04T12:00:00+00:00"
    assert "Only text here." in repo.body(article)
    assert all_feeds(repo)[0].title == "JSON Journal"


# -- politeness and failures ---------------------------------------------------------------


def test_dead_and_slow_feeds_fail_while_the_others_update(
    server: FeedServer, repo: Repository
) -> None:
    harbour(server, 2)
    server.routes["/slow.xml"] = slow(10)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    good, _ = subscribe(repo, server.url("/feed.xml"), "good")
    lazy, _ = subscribe(repo, server.url("/slow.xml"), "slow")
    dead, _ = subscribe(repo, f"http://127.0.0.1:{dead_port}/feed.xml", "dead")
    reports = {r.feed.id: r for r in update_feeds(repo, [lazy, dead, good], Options(timeout=0.5))}
    assert reports[good.id].new == 2 and reports[good.id].error is None
    assert "timed out" in (reports[lazy.id].error or "")
    assert "connection refused" in (reports[dead.id].error or "")
    stored = {f.id: f for f in all_feeds(repo)}
    assert stored[lazy.id].last_error and stored[dead.id].last_error
    assert stored[good.id].last_error is None


def test_304_with_conditional_headers(server: FeedServer, repo: Repository) -> None:
    harbour(server, 2)
    etag, modified = '"v1"', "Tue, 03 Nov 2026 10:00:00 GMT"
    body = server.routes["/feed.xml"](None)[2]  # type: ignore[arg-type]
    server.routes["/feed.xml"] = conditional(body, RSS_TYPE, etag, modified)
    feed, _ = subscribe(repo, server.url("/feed.xml"), "?")
    assert update_feeds(repo, [feed])[0].new == 2
    (report,) = update_feeds(repo, all_feeds(repo))
    assert report.new == 0 and report.error is None and report.note == "not modified"
    last = server.hits("/feed.xml")[-1]
    assert last["if-none-match"] == etag
    assert last["if-modified-since"] == modified
    assert len(server.hits("/story/0")) == 1  # nothing fetched again


def test_at_most_two_requests_at_once_to_one_host(server: FeedServer, repo: Repository) -> None:
    """Six feeds of one site, each with pages to fetch: never more than two requests at once."""
    for f in range(6):
        items = []
        for n in range(3):
            path = f"/f{f}/story/{n}"
            server.routes[path] = lingering(static(page(f"Story {f}-{n}"), "text/html"), 0.05)
            items.append({"title": f"Story {f}-{n}", "link": server.url(path), "guid": path})
        route = static(rss(f"Feed {f}", items), RSS_TYPE)
        server.routes[f"/f{f}.xml"] = lingering(route, 0.05)
        subscribe(repo, server.url(f"/f{f}.xml"), "?")
    reports = update_feeds(repo, all_feeds(repo))
    assert sum(r.new for r in reports) == 18
    assert server.most_in_flight == 2


def test_301_updates_the_stored_url(server: FeedServer, repo: Repository) -> None:
    harbour(server, 1, path="/new.xml")
    server.routes["/old.xml"] = static(b"", "text/plain", 301, Location=server.url("/new.xml"))
    feed, _ = subscribe(repo, server.url("/old.xml"), "?")
    assert update_feeds(repo, [feed])[0].new == 1
    assert all_feeds(repo)[0].url == server.url("/new.xml")


def test_302_keeps_the_stored_url(server: FeedServer, repo: Repository) -> None:
    harbour(server, 1, path="/new.xml")
    server.routes["/old.xml"] = static(b"", "text/plain", 302, Location=server.url("/new.xml"))
    feed, _ = subscribe(repo, server.url("/old.xml"), "?")
    update_feeds(repo, [feed])
    assert all_feeds(repo)[0].url == server.url("/old.xml")


def test_410_marks_the_feed_gone_and_it_is_not_asked_again(
    server: FeedServer, repo: Repository
) -> None:
    server.routes["/gone.xml"] = static(b"", "text/plain", 410)
    feed, _ = subscribe(repo, server.url("/gone.xml"), "?")
    assert "410" in (update_feeds(repo, [feed])[0].error or "")
    assert all_feeds(repo)[0].gone
    assert "gone" in (update_feeds(repo, all_feeds(repo))[0].error or "")
    assert len(server.hits("/gone.xml")) == 1


def test_429_retry_after_is_respected(server: FeedServer, repo: Repository) -> None:
    server.routes["/busy.xml"] = static(b"", "text/plain", 429, **{"Retry-After": "120"})
    feed, _ = subscribe(repo, server.url("/busy.xml"), "?")
    (first,) = update_feeds(repo, [feed])
    # Told, but not a failed feed: the server asked for a pause, and it is kept.
    assert first.error is None and "429" in (first.note or "")
    stored = all_feeds(repo)[0]
    assert stored.wait_until is not None and stored.last_checked is not None
    assert (stored.wait_until - stored.last_checked).total_seconds() == pytest.approx(120, abs=2)
    (second,) = update_feeds(repo, [stored])
    assert second.error is None and "waiting" in (second.note or "")
    assert len(server.hits("/busy.xml")) == 1


def test_a_rate_limited_feed_does_not_fail_the_update(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    harbour(server, 1)
    repo = Repository.open(tmp_path / "lib")
    subscribe(repo, server.url("/feed.xml"), "Harbour Gazette")
    subscribe(repo, server.url("/busy.xml"), "Busy Herald")
    repo.close()
    server.routes["/busy.xml"] = static(b"", "text/plain", 429, **{"Retry-After": "60"})
    assert cli(tmp_path, "feed", "update") == 0
    out = capsys.readouterr().out
    assert "Harbour Gazette: 1 new" in out and "Busy Herald: 0 new (rate limited" in out


def test_a_page_linking_a_feed_subscribes_to_the_feed(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    harbour(server, 1)
    link = '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
    server.routes["/"] = static(page("Home", 1, extra=link), "text/html")
    assert cli(tmp_path, "feed", "add", server.url("/")) == 0
    assert "Harbour Gazette: 1 new" in capsys.readouterr().out
    assert cli(tmp_path, "feed", "list", "--json") == 0
    (feed,) = json.loads(capsys.readouterr().out)
    assert feed["url"] == server.url("/feed.xml")
    assert set(feed) == {
        "id", "title", "url", "site_url", "articles", "last_checked", "last_error", "tags"
    }  # fmt: skip
    assert feed["articles"] == 1 and feed["last_error"] is None


def test_an_item_page_that_404s_keeps_the_feed_content(
    server: FeedServer, repo: Repository
) -> None:
    content = "<p>The full story is in the feed itself. " + "More words here. " * 40 + "</p>"
    items = [{"title": "Missing", "link": server.url("/nowhere"), "guid": "m", "content": content}]
    server.routes["/feed.xml"] = static(rss("Harbour Gazette", items), RSS_TYPE)
    feed, _ = subscribe(repo, server.url("/feed.xml"), "?")
    (report,) = update_feeds(repo, [feed])
    assert report.error is None and report.new == 1
    article = repo.article(report.articles[0])
    assert "The full story is in the feed itself." in repo.body(article)
    assert article.url == server.url("/nowhere")


def test_fuller_feed_content_wins_over_a_thin_page(server: FeedServer, repo: Repository) -> None:
    server.routes["/thin"] = static(page("Thin", 1), "text/html")
    content = "".join(
        f"<p>Paragraph {n} of the feed's long version of events.</p>" for n in range(60)
    )
    items = [{"title": "Thin", "link": server.url("/thin"), "guid": "t", "content": content}]
    server.routes["/feed.xml"] = static(rss("G", items), RSS_TYPE)
    feed, _ = subscribe(repo, server.url("/feed.xml"), "?")
    (report,) = update_feeds(repo, [feed])
    assert "Paragraph 59" in repo.body(repo.article(report.articles[0]))


def test_no_fetch_keeps_the_feeds_own_content(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    harbour(server, 2)
    assert cli(tmp_path, "feed", "add", "--no-fetch", server.url("/feed.xml")) == 0
    assert not server.hits("/story/0")
    capsys.readouterr()
    assert cli(tmp_path, "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 2 and {a["source"] for a in listed} == {"Harbour Gazette"}


def test_a_fetched_page_without_a_site_name_takes_the_feeds_title(
    server: FeedServer, repo: Repository
) -> None:
    """Extraction names such a page after its host ("127.0.0.1:8123"); a page that names
    its site keeps that name."""
    harbour(server, 2)
    named = '<meta property="og:site_name" content="The Quay Weekly">'
    server.routes["/story/1"] = static(page("Story 1", extra=named), "text/html")
    feed, _ = subscribe(repo, server.url("/feed.xml"), "?")
    (report,) = update_feeds(repo, [feed])
    sources = {repo.article(i).title: repo.article(i).source for i in report.articles}
    assert sources == {"Story 0": "Harbour Gazette", "Story 1": "The Quay Weekly"}


def test_at_most_max_new_items_per_update(server: FeedServer, repo: Repository) -> None:
    harbour(server, 5)
    feed, _ = subscribe(repo, server.url("/feed.xml"), "?")
    assert update_feeds(repo, [feed], Options(max_new=2))[0].new == 2
    assert update_feeds(repo, all_feeds(repo), Options(max_new=2))[0].new == 2
    assert update_feeds(repo, all_feeds(repo), Options(max_new=2))[0].new == 1


# -- once only -----------------------------------------------------------------------------


def test_reordered_redated_or_deleted_items_are_not_imported_again(
    server: FeedServer, repo: Repository
) -> None:
    harbour(server, 3)
    feed, _ = subscribe(repo, server.url("/feed.xml"), "?")
    (first,) = update_feeds(repo, [feed])
    assert first.new == 3
    # The feed re-orders its items, re-dates them and changes a title: the same guids.
    items = [
        {"title": f"Story {n} (updated)", "link": server.url(f"/story/{n}"), "guid": f"s{n}",
         "day": str(20 + n)}
        for n in (2, 0, 1)
    ]  # fmt: skip
    server.routes["/feed.xml"] = static(rss("Harbour Gazette", items), RSS_TYPE)
    assert update_feeds(repo, all_feeds(repo))[0].new == 0
    # The person deletes one; it does not come back.
    repo.delete_article(first.articles[0])
    assert update_feeds(repo, all_feeds(repo))[0].new == 0
    assert len(repo.articles()) == 2
    assert len(seen_keys(repo, feed.id)) == 3


def test_items_without_guid_are_known_by_link_then_content(
    server: FeedServer, repo: Repository
) -> None:
    items = [
        {"title": "Linked", "link": server.url("/story/0"), "day": "1"},
    ]
    server.routes["/story/0"] = static(page("Linked"), "text/html")
    server.routes["/feed.xml"] = static(rss("G", items), RSS_TYPE)
    feed, _ = subscribe(repo, server.url("/feed.xml"), "?")
    assert update_feeds(repo, [feed])[0].new == 1
    items[0]["day"] = "9"
    server.routes["/feed.xml"] = static(rss("G", items), RSS_TYPE)
    assert update_feeds(repo, all_feeds(repo))[0].new == 0


# -- untrusted input -----------------------------------------------------------------------


def test_hostile_titles_are_cleaned_and_markup_stays_text(
    server: FeedServer, repo: Repository
) -> None:
    evil = "\x1b]52;c;aGk=\x07Breaking\x1b[2J [@click=app.quit]news[/] <b>bold</b>\u202e"
    body = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "\x1b[31mRed\x9b Feed",
        "items": [{"id": "x", "title": evil, "content_html": "<p>Body text of the item.</p>"}],
    }
    server.routes["/feed.json"] = static(json.dumps(body).encode(), "application/json")
    feed, _ = subscribe(repo, server.url("/feed.json"), "?")
    (report,) = update_feeds(repo, [feed])
    article = repo.article(report.articles[0])
    for text in (article.title, all_feeds(repo)[0].title, repo.body(article)):
        assert not any(c in text for c in "\x1b\x07\x9b\u202e")
    assert article.title == "Breaking [@click=app.quit]news[/] <b>bold</b>"
    assert all_feeds(repo)[0].title == "Red Feed"


def test_enclosures_are_never_downloaded(server: FeedServer, repo: Repository) -> None:
    server.routes["/story/0"] = static(page("Pod"), "text/html")
    feed_xml = rss("Pod", [{"title": "Pod", "link": server.url("/story/0"), "guid": "p"}])
    feed_xml = feed_xml.replace(
        b"</item>", f'<enclosure url="{server.url("/big.mp3")}" type="audio/mpeg"/></item>'.encode()
    )
    server.routes["/feed.xml"] = static(feed_xml, RSS_TYPE)
    feed, _ = subscribe(repo, server.url("/feed.xml"), "?")
    assert update_feeds(repo, [feed])[0].new == 1
    assert not server.hits("/big.mp3")


# -- the command line ----------------------------------------------------------------------


def test_update_json_and_exit_status(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    harbour(server, 2)
    server.routes["/gone.xml"] = static(b"", "text/plain", 410)
    repo = Repository.open(tmp_path / "lib")
    subscribe(repo, server.url("/feed.xml"), "Harbour")
    subscribe(repo, server.url("/gone.xml"), "Gone")
    repo.close()
    assert cli(tmp_path, "feed", "update", "--json") == 1
    captured = capsys.readouterr()
    reports = json.loads(captured.out)
    assert [(r["id"], r["new"]) for r in reports if not r["error"]] == [(1, 2)]
    assert [r["id"] for r in reports if r["error"]] == [2]
    assert set(reports[0]) == {"id", "title", "new", "error"}
    assert "feed 2" in captured.err and "410" in captured.err
    assert cli(tmp_path, "feed", "update", "1") == 0
    assert capsys.readouterr().out.strip() == "Harbour Gazette: 0 new"
    assert cli(tmp_path, "feed", "update", "7") == 1
    assert "no feed with id 7" in capsys.readouterr().err


def test_remove_keeps_articles_and_quotes(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    harbour(server, 1)
    assert cli(tmp_path, "feed", "add", server.url("/feed.xml"), "--tag", "news") == 0
    assert cli(tmp_path, "quote", "add", "1", "the new breakwater") == 0
    capsys.readouterr()
    assert cli(tmp_path, "feed", "remove", "1") == 0
    assert "its 1 articles" in capsys.readouterr().out
    assert cli(tmp_path, "feed", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert cli(tmp_path, "list", "--json") == 0
    (article,) = json.loads(capsys.readouterr().out)
    assert article["quotes"] == 1 and article["tags"] == ["news"]
    assert cli(tmp_path, "feed", "remove", "1") == 1


def test_opml_round_trip(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    harbour(server, 1)
    assert cli(tmp_path, "feed", "add", server.url("/feed.xml"), "--tag", "local news") == 0
    out = tmp_path / "subs.opml"
    assert cli(tmp_path, "feed", "export", "-o", str(out)) == 0
    text = out.read_text()
    assert 'version="2.0"' in text and server.url("/feed.xml") in text
    other = tmp_path / "other"
    assert main(["--library", str(other), "feed", "import", str(out), "--no-update"]) == 0
    capsys.readouterr()
    assert main(["--library", str(other), "feed", "list", "--json"]) == 0
    (feed,) = json.loads(capsys.readouterr().out)
    assert feed["url"] == server.url("/feed.xml")
    assert feed["title"] == "Harbour Gazette"
    assert feed["tags"] == ["local-news"]
    assert not server.hits("/story/0")[1:]  # --no-update fetched nothing


def test_opml_from_other_readers_with_folders(tmp_path: Path) -> None:
    from reader.feeds.opml import read_opml

    data = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
<outline text="Tech"><outline text="A &amp; B" type="rss" xmlUrl="https://a.example/rss"
 htmlUrl="https://a.example/"/></outline>
<outline text="Loose" xmlUrl="https://b.example/atom" category="/x,/y"/>
<outline text="Bad" xmlUrl="javascript:alert(1)"/>
</body></opml>"""
    first, second = read_opml(data)
    assert (first.url, first.title, first.tags) == ("https://a.example/rss", "A & B", ("Tech",))
    assert second.tags == ("x", "y")


def test_opml_with_entities_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.opml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaa">]><opml/>')
    assert cli(tmp_path, "feed", "import", str(bomb)) == 1
    assert "DTD" in capsys.readouterr().err


def test_add_failures_are_one_line_each(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    harbour(server, 1)
    server.routes["/plain"] = static(page("No feed here"), "text/html")
    code = cli(tmp_path, "feed", "add", server.url("/plain"), server.url("/feed.xml"))
    assert code == 1
    captured = capsys.readouterr()
    assert "Harbour Gazette: 1 new" in captured.out
    (line,) = captured.err.strip().splitlines()
    assert server.url("/plain") in line and "not a feed" in line
