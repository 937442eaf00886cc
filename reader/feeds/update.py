"""Updating feeds: a conditional GET of each (several at once, a few per host), the new items
as full articles (the page extracted as ``reader add`` does, or the feed's own content when
that is fuller or the page cannot be had), stored feed by feed as they arrive.
"""

from __future__ import annotations

import dataclasses
import html
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from reader.feeds.parse import ACCEPT, Item, NotAFeed, parse_feed
from reader.feeds.store import Feed, FeedState, save_states, seen_keys
from reader.fetch import Fetched, FetchError, fetch, parse_fetched
from reader.fetch_pool import PER_HOST, WORKERS, host_of, run_each
from reader.library.models import now
from reader.text.model import ParsedArticle

if TYPE_CHECKING:
    from reader.library import Repository

#: New items imported per feed and update, at most (the rest come with the next update).
MAX_NEW = 100
#: Waited when a 429 gives no usable Retry-After, and the longest wait honoured.
DEFAULT_WAIT = timedelta(minutes=30)
LONGEST_WAIT = timedelta(days=7)
GONE = "gone (HTTP 410): the site removed this feed; 'reader feed remove' unsubscribes"
#: Statuses that come back as answers, not errors.
_ANSWERS = frozenset({304, 410, 429})


@dataclass(frozen=True, slots=True)
class FeedArticle(ParsedArticle):
    """A parsed article that came from a feed (the repository stores ``feed`` with it)."""

    feed: int | None = None


@dataclass(frozen=True, slots=True)
class Options:
    """Bounds of one update."""

    max_new: int = MAX_NEW
    timeout: float = 15.0
    max_bytes: int = 10 * 1024 * 1024
    workers: int = WORKERS
    per_host: int = PER_HOST
    #: False: keep every feed's own content, fetching no item pages.
    fetch_pages: bool = True


@dataclass(frozen=True, slots=True)
class Report:
    """What updating one feed did."""

    feed: Feed
    new: int = 0
    error: str | None = None
    #: Not an error: "not modified", "waiting until …".
    note: str | None = None
    #: The ids of the articles it added.
    articles: tuple[int, ...] = ()


class HostSlots:
    """At most ``per_host`` requests at once to any one host, across every feed and item
    page of an update (feeds of one site each fetch their items' pages)."""

    def __init__(self, per_host: int = PER_HOST) -> None:
        self._per_host = max(1, per_host)
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        """Hold one of the host's slots while the block runs (waiting for one if need be)."""
        host = host_of(url)
        with self._lock:
            gate = self._hosts.setdefault(host, threading.BoundedSemaphore(self._per_host))
        with gate:
            yield


@dataclass(frozen=True, slots=True)
class _Checked:
    """A feed fetched and its new items made into articles (in a worker thread)."""

    state: Feed
    items: tuple[tuple[str, ParsedArticle], ...] = ()
    error: str | None = None
    note: str | None = None


def update_feeds(
    repo: Repository,
    feeds: Iterable[Feed],
    options: Options | None = None,
    *,
    stop: threading.Event | None = None,
    on_report: Callable[[Report], None] | None = None,
    fetched: Mapping[int, Fetched] | None = None,
) -> list[Report]:
    """Update each feed and store its new items; a failing feed is reported, the rest go on.

    ``fetched`` holds feeds already fetched (by ``reader feed add``) by id.
    """
    options = options or Options()
    feeds = list(feeds)
    seen = {f.id: seen_keys(repo, f.id) for f in feeds}
    ready = dict(fetched or {})
    reports: list[Report] = []
    pending: list[FeedState] = []
    slots = HostSlots(options.per_host)

    def work(feed: Feed) -> _Checked:
        return check_feed(feed, seen[feed.id], options, ready.get(feed.id), slots)

    try:
        outcomes = run_each(
            feeds,
            work,
            lambda f: host_of(f.url),
            workers=options.workers,
            per_host=options.per_host,
            stop=stop,
        )
        for outcome in outcomes:
            feed = outcome.item
            checked = outcome.value
            if checked is None:  # a bug in checking one feed must not stop the others
                error = f"could not update ({type(outcome.error).__name__})"
                checked = _Checked(replace(feed, last_checked=now(), last_error=error), error=error)
            report = _store(repo, checked, pending)
            reports.append(report)
            if on_report is not None:
                on_report(report)
    finally:
        # Feeds that brought nothing new are written together, once: 50 304s cost one write.
        save_states(repo, pending)
    return reports


def _store(repo: Repository, checked: _Checked, pending: list[FeedState]) -> Report:
    """Store one feed's new articles now; its state goes with them, or waits in ``pending``."""
    if not checked.items:
        pending.append(FeedState(checked.state))
        return Report(checked.state, 0, checked.error, checked.note)
    # Oldest first, so that the newest story is the newest article in the list.
    items = list(reversed(checked.items))
    results = repo.add_articles([(article, None) for _, article in items])
    pending.append(FeedState(checked.state, tuple(key for key, _ in items)))
    save_states(repo, pending)
    pending.clear()
    added = tuple(r.article.id for r in results if r.created)
    return Report(checked.state, len(added), checked.error, checked.note, added)


def check_feed(
    feed: Feed,
    seen: set[str],
    options: Options,
    prefetched: Fetched | None = None,
    slots: HostSlots | None = None,
) -> _Checked:
    """Fetch one feed (conditionally) and make its new items into articles."""
    slots = slots or HostSlots(options.per_host)
    started = now()
    if feed.gone:
        return _Checked(replace(feed, last_error=GONE), error=GONE)
    if feed.wait_until is not None and feed.wait_until > started:
        when = f"{feed.wait_until:%Y-%m-%d %H:%M} UTC"
        return _Checked(feed, note=f"waiting until {when}, as the server asked (HTTP 429)")
    headers = {"Accept": ACCEPT}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        answer = prefetched
        if answer is None:
            with slots.slot(feed.url):
                answer = fetch(
                    feed.url,
                    timeout=options.timeout,
                    max_bytes=options.max_bytes,
                    headers=headers,
                    types=None,
                    statuses=_ANSWERS,
                )
    except FetchError as error:
        failed = replace(feed, last_checked=started, last_error=error.reason)
        return _Checked(failed, error=error.reason)
    state = replace(feed, url=answer.moved_to or feed.url, last_checked=started, wait_until=None)
    if answer.status == 304:
        return _Checked(replace(state, last_error=None), note="not modified")
    if answer.status == 410:
        return _Checked(replace(state, gone=True, last_error=GONE), error=GONE)
    if answer.status == 429:
        wait = retry_after(answer.headers.get("retry-after"), started)
        # Not a failure: the server asks for a pause, and the next update keeps to it.
        limited = f"rate limited (HTTP 429); next try after {wait:%Y-%m-%d %H:%M} UTC"
        return _Checked(replace(state, wait_until=wait), note=limited)
    try:
        parsed = parse_feed(answer.body, answer.final_url, answer.content_type)
    except NotAFeed as refusal:
        return _Checked(replace(state, last_error=refusal.reason), error=refusal.reason)
    state = replace(
        state,
        title=parsed.title or state.title,
        site_url=parsed.site_url or state.site_url,
        etag=answer.headers.get("etag"),
        last_modified=answer.headers.get("last-modified"),
        last_error=None,
    )
    fresh: dict[str, Item] = {}
    for item in parsed.items:
        if item.key not in seen and item.key not in fresh:
            fresh[item.key] = item
    chosen = list(fresh.values())[: max(0, options.max_new)]
    articles = _articles(chosen, state, options, slots)
    return _Checked(state, tuple((item.key, articles[item.key]) for item in chosen))


def _articles(
    items: list[Item], feed: Feed, options: Options, slots: HostSlots
) -> dict[str, ParsedArticle]:
    """Each item as an article, its page fetched a few at a time per host."""
    fetch_pages = options.fetch_pages and not feed.no_fetch

    def make(item: Item) -> ParsedArticle:
        return item_article(item, feed, options if fetch_pages else None, slots)

    done: dict[str, ParsedArticle] = {}
    for outcome in run_each(
        items,
        make,
        lambda i: host_of(i.link or ""),
        workers=options.per_host,
        per_host=options.per_host,
    ):
        item = outcome.item
        done[item.key] = outcome.value or item_article(item, feed, None)
    return done


def item_article(
    item: Item, feed: Feed, options: Options | None, slots: HostSlots | None = None
) -> FeedArticle:
    """The item as an article: its page (when ``options`` allow fetching) or the feed's own
    content, whichever is fuller; the title alone when there is neither."""
    own = _from_content(item)
    page = None
    if options is not None and item.link:
        try:
            # Only the request holds the host's slot: extracting the page needs no server.
            with (slots or HostSlots(options.per_host)).slot(item.link):
                got = fetch(item.link, timeout=options.timeout, max_bytes=options.max_bytes)
            page = parse_fetched(got, item.link)
        except FetchError:
            page = None  # 404, not HTML, a timeout: the feed's own content stands in
    best = page if page is not None and (own is None or page.words >= own.words) else own
    if best is None:
        from reader.text import parse_plain

        best = parse_plain("\n\n".join(p for p in (item.title or feed.title, item.link) if p))
    if best.language is None:
        from reader.text import detect_language

        best = replace(best, language=detect_language(best.body))
    fields = {f.name: getattr(best, f.name) for f in dataclasses.fields(ParsedArticle)}
    fields.update(
        title=item.title or best.title,
        url=item.link or best.url,
        published=item.published or best.published,
        author=item.author or best.author,
        source=_site_name(best.source, item.link) or feed.title,
        tags=tuple(dict.fromkeys([*best.tags, *feed.tags])),
    )
    return FeedArticle(**fields, feed=feed.id)


def _site_name(source: str | None, link: str | None) -> str | None:
    """The page's site name, unless it is only the link's host (what extraction gives when
    the page names no site): the feed's title reads better then."""
    if not source or not link:
        return source
    named = source.lower().removeprefix("www.").partition(":")[0]  # as host:port too
    return None if named == host_of(link).removeprefix("www.") else source


def _from_content(item: Item) -> ParsedArticle | None:
    """The feed's own content as an article, or None when it has none."""
    if not item.content:
        return None
    try:
        if item.content_is_html:
            from reader.text.html import parse_html

            title = html.escape(item.title)
            page = (
                f'<html><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body><article><h1>{title}</h1>{item.content}</article></body></html>"
            )
            # No URL: the source is then the feed's title, not the address's host.
            article = parse_html(page)
        else:
            from reader.text import parse_plain
            from reader.text.clean import clean_text

            article = parse_plain(clean_text(f"{item.title}\n\n{item.content}"))
    except (ValueError, TypeError, LookupError, RecursionError):
        return None
    return article if article.body.strip() else None


def retry_after(value: str | None, start: datetime) -> datetime:
    """When a 429's Retry-After (seconds or an HTTP date) allows the next request."""
    wait = DEFAULT_WAIT
    if value:
        value = value.strip()
        if value.isdigit():
            wait = timedelta(seconds=int(value))
        else:
            from email.utils import parsedate_to_datetime

            try:
                wait = parsedate_to_datetime(value) - start
            except (TypeError, ValueError, IndexError, OverflowError):
                wait = DEFAULT_WAIT
    wait = min(max(wait, timedelta(0)), LONGEST_WAIT)
    return (start + wait).replace(microsecond=0)
