"""``reader feed add|list|update|remove|import|export``: arguments and what each does."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.console import safe

if TYPE_CHECKING:
    from reader.feeds.parse import ParsedFeed
    from reader.feeds.store import Feed
    from reader.feeds.update import Options, Report
    from reader.fetch import Fetched
    from reader.library import Repository

FEED_HELP = """\
  reader feed add URL… [--tag NAME] [--no-fetch]   subscribe (a page that links a feed will do)
  reader feed list [--json]                        the subscriptions
  reader feed update [ID…] [--json]                fetch every feed (or these); import the new
  reader feed remove ID…                           unsubscribe (the articles and quotes stay)
  reader feed import FILE.opml                     subscribe to every feed in an OPML file
  reader feed export [-o FILE]                     the subscriptions as OPML 2.0

New items arrive as full articles: each item's page is fetched and extracted as 'reader add'
does, unless the feed's own content is fuller or the page cannot be had.
"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``feed`` and its actions to the command parsers."""
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="machine-readable output")
    limit = argparse.ArgumentParser(add_help=False)
    limit.add_argument(
        "--max-new",
        type=int,
        default=None,
        metavar="N",
        help="import at most N new items per feed (default 100)",
    )
    p = sub.add_parser(
        "feed",
        parents=[common],
        help="subscribe to feeds and import their new stories in full",
        description=FEED_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="feed_command", metavar="ACTION", required=True)
    p = actions.add_parser("add", parents=[common, as_json, limit], help="subscribe to feeds")
    p.add_argument("urls", nargs="+", metavar="URL", help="a feed, or a page that links one")
    p.add_argument("--tag", action="append", default=[], metavar="NAME", help="tag its articles")
    p.add_argument(
        "--no-fetch", action="store_true", help="keep the feed's own content; fetch no pages"
    )
    actions.add_parser("list", parents=[common, as_json], help="the subscriptions")
    p = actions.add_parser("update", parents=[common, as_json, limit], help="fetch new items")
    p.add_argument("ids", nargs="*", type=int, metavar="ID", help="only these feeds")
    p = actions.add_parser("remove", parents=[common, as_json], help="unsubscribe")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p = actions.add_parser("import", parents=[common, as_json, limit], help="subscribe from OPML")
    p.add_argument("file", metavar="FILE.opml")
    p.add_argument("--no-update", action="store_true", help="subscribe only; fetch nothing now")
    p = actions.add_parser("export", parents=[common], help="the subscriptions as OPML 2.0")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")


def run_feed(repo: Repository, args: argparse.Namespace) -> int:
    """Run ``reader feed …``; 1 if any feed or id failed (the others still go through)."""
    action = args.feed_command
    if action == "list":
        return _list(repo, args.json)
    if action == "export":
        return _export(repo, args.output)
    if action == "remove":
        return _remove(repo, args.ids, args.json)
    options = _options(args)
    if action == "add":
        return _add(repo, args.urls, args.tag, args.no_fetch, options, args.json)
    if action == "import":
        return _import(repo, Path(args.file), not args.no_update, options, args.json)
    return _update(repo, args.ids, options, args.json)


def _options(args: argparse.Namespace) -> Options:
    from reader.feeds.update import MAX_NEW, Options

    max_new = MAX_NEW if args.max_new is None else args.max_new
    if max_new < 0:
        _fail("--max-new must be 0 or more")
        raise SystemExit(2)
    return Options(max_new=max_new)


def _fail(line: str) -> None:
    print(f"reader: {safe(line)}", file=sys.stderr)


def _print_json(value: Any) -> None:
    from reader.console import json_text

    sys.stdout.write(json_text(value))


def _run_updates(
    repo: Repository,
    feeds: list[Feed],
    options: Options,
    as_json: bool,
    fetched: dict[int, Fetched] | None = None,
) -> list[Report]:
    """Update the feeds, one line per feed as each finishes (stderr for errors)."""
    from reader.feeds.update import update_feeds

    def told(report: Report) -> None:
        title = safe(report.feed.title)
        if report.error:
            _fail(f"feed {report.feed.id} “{report.feed.title}”: {report.error}")
        elif as_json:
            return
        elif report.note and not report.new:
            print(f"{title}: 0 new ({safe(report.note)})", flush=True)
        else:
            print(f"{title}: {report.new} new", flush=True)

    return update_feeds(repo, feeds, options, on_report=told, fetched=fetched)


def _report_json(report: Report) -> dict[str, Any]:
    return {
        "id": report.feed.id,
        "title": report.feed.title,
        "new": report.new,
        "error": report.error,
    }


def _update(repo: Repository, ids: list[int], options: Options, as_json: bool) -> int:
    from reader.feeds.store import all_feeds, feeds_by_ids

    if ids:
        feeds, missing = feeds_by_ids(repo, ids)
    else:
        feeds, missing = all_feeds(repo), []
    for feed_id in missing:
        _fail(f"no feed with id {feed_id}")
    if not feeds and not missing and not as_json:
        print("No feeds yet; subscribe with: reader feed add URL", file=sys.stderr)
    reports = _run_updates(repo, feeds, options, as_json)
    if as_json:
        _print_json([_report_json(r) for r in reports])
    return 1 if missing or any(r.error for r in reports) else 0


def find_feed(url: str, timeout: float = 15.0) -> tuple[str, Fetched, ParsedFeed]:
    """The feed at ``url``, or the one the page at ``url`` links to: its address, the answer,
    and the feed. FetchError or NotAFeed (with the reason) if there is none."""
    from reader.feeds.parse import ACCEPT, NotAFeed, parse_feed
    from reader.fetch import fetch

    address = url
    for hop in range(2):
        answer = fetch(address, timeout=timeout, headers={"Accept": ACCEPT}, types=None)
        try:
            parsed = parse_feed(answer.body, answer.final_url, answer.content_type)
        except NotAFeed as refusal:
            if hop or not refusal.links:
                raise
            address = refusal.links[0]  # the page names its feed: subscribe to that
            continue
        return answer.moved_to or address, answer, parsed
    raise AssertionError("unreachable")


def _add(
    repo: Repository,
    urls: list[str],
    tags: list[str],
    no_fetch: bool,
    options: Options,
    as_json: bool,
) -> int:
    from reader.feeds.parse import NotAFeed
    from reader.feeds.store import subscribe
    from reader.fetch import FetchError
    from reader.library.batch import normalize_tags

    failed: list[dict[str, Any]] = []
    feeds: list[Feed] = []
    fetched: dict[int, Fetched] = {}
    present: list[Feed] = []
    for url in dict.fromkeys(urls):
        try:
            address, answer, parsed = find_feed(url, options.timeout)
        except FetchError as error:
            _fail(str(error))
            failed.append({"url": url, "error": error.reason})
            continue
        except NotAFeed as refusal:
            _fail(f"{url}: {refusal.reason}")
            failed.append({"url": url, "error": refusal.reason})
            continue
        feed, created = subscribe(
            repo,
            address,
            parsed.title,
            parsed.site_url,
            tags=normalize_tags(tags),
            no_fetch=no_fetch,
        )
        if not created:
            present.append(feed)
            if not as_json:
                print(f"{safe(feed.title)}: already subscribed (feed {feed.id})")
            continue
        feeds.append(feed)
        fetched[feed.id] = answer
    reports = _run_updates(repo, feeds, options, as_json, fetched)
    if as_json:
        _print_json(
            {
                "added": [_report_json(r) for r in reports],
                "already_subscribed": [{"id": f.id, "title": f.title} for f in present],
                "failed": failed,
            }
        )
    return 1 if failed or any(r.error for r in reports) else 0


def _list(repo: Repository, as_json: bool) -> int:
    from reader.feeds.store import all_feeds, article_counts

    feeds = all_feeds(repo)
    counts = article_counts(repo)
    if as_json:
        _print_json(
            [
                {
                    "id": f.id,
                    "title": f.title,
                    "url": f.url,
                    "site_url": f.site_url,
                    "articles": counts[f.id],
                    "last_checked": f.last_checked.isoformat() if f.last_checked else None,
                    "last_error": f.last_error,
                    "tags": list(f.tags),
                }
                for f in feeds
            ]
        )
        return 0
    if not feeds:
        print("No feeds yet; subscribe with: reader feed add URL", file=sys.stderr)
    for f in feeds:
        checked = (
            f"checked {f.last_checked:%Y-%m-%d %H:%M} UTC" if f.last_checked else "not checked"
        )
        facts = [f"{counts[f.id]} articles", checked]
        if f.tags:
            facts.append("tags: " + ", ".join(f.tags))
        print(f"[{f.id}] {safe(f.title)}")
        print(f"     {safe(f.url)} · {' · '.join(safe(x) for x in facts)}")
        if f.last_error:
            print(f"     error: {safe(f.last_error)}")
    return 0


def _remove(repo: Repository, ids: list[int], as_json: bool) -> int:
    from reader.feeds.store import article_counts, unsubscribe
    from reader.library import NotFound

    counts = article_counts(repo)
    removed: list[dict[str, Any]] = []
    missing: list[int] = []
    for feed_id in dict.fromkeys(ids):
        try:
            feed = unsubscribe(repo, feed_id)
        except NotFound as error:
            _fail(str(error))
            missing.append(feed_id)
            continue
        removed.append({"id": feed.id, "title": feed.title, "articles_kept": counts[feed.id]})
        if not as_json:
            print(
                f"Removed feed {feed.id} “{safe(feed.title)}”; "
                f"its {counts[feed.id]} articles and their quotes stay."
            )
    if as_json:
        _print_json({"removed": removed, "not_found": missing})
    return 1 if missing else 0


def _import(repo: Repository, path: Path, update: bool, options: Options, as_json: bool) -> int:
    from reader.feeds.opml import OpmlError, read_opml
    from reader.feeds.store import subscribe
    from reader.library.batch import normalize_tags

    try:
        outlines = read_opml(path.read_bytes())
    except OpmlError as error:
        _fail(f"{path}: {error}")
        return 1
    new: list[Feed] = []
    for outline in outlines:
        feed, created = subscribe(
            repo, outline.url, outline.title, outline.site_url, tags=normalize_tags(outline.tags)
        )
        if created:
            new.append(feed)
    if not as_json:
        print(
            f"Subscribed to {len(new)} feeds from {safe(path)} "
            f"({len(outlines) - len(new)} already subscribed)."
        )
    reports = _run_updates(repo, new, options, as_json) if update else []
    if as_json:
        _print_json(
            {
                "subscribed": [{"id": f.id, "title": f.title, "url": f.url} for f in new],
                "already_subscribed": len(outlines) - len(new),
                "updated": [_report_json(r) for r in reports],
            }
        )
    return 1 if any(r.error for r in reports) else 0


def _export(repo: Repository, output: str | None) -> int:
    from reader.feeds.opml import export_opml
    from reader.feeds.store import all_feeds

    text = export_opml(all_feeds(repo))
    if output is None or output == "-":
        sys.stdout.write(safe(text) if sys.stdout.isatty() else text)
        return 0
    from reader.library.storage import atomic_write

    atomic_write(Path(output), text.encode("utf-8"))
    return 0
