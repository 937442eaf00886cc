"""The ``feeds`` table (subscriptions and their state) and ``feed_seen`` (the items each feed
has already brought), read and written through the repository.

The seen keys live in a table of their own: a 304 rewrites only the small feed document,
not thousands of keys.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reader.library.errors import NotFound
from reader.library.models import now, stored_time
from reader.library.storage import Change

if TYPE_CHECKING:
    from reader.library import Repository

FEEDS = "feeds"
SEEN = "feed_seen"
#: Most item keys remembered per feed: far more than any feed lists at once.
MAX_SEEN = 5000


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscription and what the last update learned."""

    id: int
    url: str
    title: str
    site_url: str | None = None
    tags: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    last_checked: datetime | None = None
    last_error: str | None = None
    #: The server answered 410 Gone: the feed is not asked for again.
    gone: bool = False
    #: A 429's Retry-After: not asked for again before this time.
    wait_until: datetime | None = None
    #: Keep the feed's own content, never fetch the items' pages.
    no_fetch: bool = False
    added: datetime | None = None

    @classmethod
    def from_doc(cls, doc_id: int, doc: Mapping[str, Any]) -> Feed:
        """Build from a stored document; a field of the wrong type falls back to its default."""

        def text(name: str) -> str | None:
            value = doc.get(name)
            return value if isinstance(value, str) else None

        def when(name: str) -> datetime | None:
            try:
                return stored_time(doc.get(name))
            except (TypeError, ValueError):
                return None

        tags = doc.get("tags")
        return cls(
            id=doc_id,
            url=text("url") or "",
            title=text("title") or text("url") or f"feed {doc_id}",
            site_url=text("site_url"),
            tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (),
            etag=text("etag"),
            last_modified=text("last_modified"),
            last_checked=when("last_checked"),
            last_error=text("last_error"),
            gone=doc.get("gone") is True,
            wait_until=when("wait_until"),
            no_fetch=doc.get("no_fetch") is True,
            added=when("added"),
        )

    def to_doc(self) -> dict[str, Any]:
        """The stored document (without the id); empty fields are left out."""
        doc: dict[str, Any] = {
            "url": self.url,
            "title": self.title,
            "site_url": self.site_url,
            "tags": list(self.tags),
            "etag": self.etag,
            "last_modified": self.last_modified,
            "last_checked": self.last_checked.isoformat() if self.last_checked else None,
            "last_error": self.last_error,
            "gone": self.gone,
            "wait_until": self.wait_until.isoformat() if self.wait_until else None,
            "no_fetch": self.no_fetch,
            "added": self.added.isoformat() if self.added else None,
        }
        return {k: v for k, v in doc.items() if k in ("url", "title") or v not in (None, [], False)}


def all_feeds(repo: Repository) -> list[Feed]:
    """Every feed, by id."""
    docs = repo.documents(FEEDS)
    found = [Feed.from_doc(int(i), d) for i, d in docs.items() if isinstance(d, dict)]
    return sorted(found, key=lambda f: f.id)


def feeds_by_ids(repo: Repository, ids: Iterable[int]) -> tuple[list[Feed], list[int]]:
    """The feeds with these ids (in the order given, once each), and the ids not found."""
    docs = repo.documents(FEEDS)
    found: list[Feed] = []
    missing: list[int] = []
    for feed_id in dict.fromkeys(ids):
        doc = docs.get(str(feed_id))
        if isinstance(doc, dict):
            found.append(Feed.from_doc(feed_id, doc))
        else:
            missing.append(feed_id)
    return found, missing


def feed_titles(repo: Repository) -> dict[int, str]:
    """Every feed's title by id (what ``feed:NAME`` matches)."""
    return {f.id: f.title for f in all_feeds(repo)}


def article_counts(repo: Repository) -> Counter[int]:
    """How many articles in the library came from each feed."""
    articles = repo.documents("articles").values()
    found: Counter[int] = Counter()
    for doc in articles:
        feed = doc.get("feed") if isinstance(doc, dict) else None
        if isinstance(feed, int):
            found[feed] += 1
    return found


def seen_keys(repo: Repository, feed_id: int) -> set[str]:
    """The keys of the items this feed has already brought (imported or not)."""
    doc = repo.documents(SEEN).get(str(feed_id))
    keys = doc.get("keys") if isinstance(doc, dict) else None
    return {k for k in keys if isinstance(k, str)} if isinstance(keys, list) else set()


def subscribe(
    repo: Repository, url: str, title: str, site_url: str | None = None, **fields: Any
) -> tuple[Feed, bool]:
    """Add a feed (or find the one with this URL); True if it is new."""
    with repo.writing() as batch:
        for key, doc in batch.data.get(FEEDS, {}).items():
            if isinstance(doc, dict) and doc.get("url") == url:
                return Feed.from_doc(int(key), doc), False
        feed_id = batch.allocate("next_feed_id", FEEDS)
        feed = Feed(id=feed_id, url=url, title=title, site_url=site_url, added=now(), **fields)
        batch.changes.append(Change(FEEDS, feed_id, feed.to_doc()))
    return feed, True


def unsubscribe(repo: Repository, feed_id: int) -> Feed:
    """Remove a feed and its seen keys; its articles stay. NotFound for an unknown id."""
    with repo.writing() as batch:
        doc = batch.data.get(FEEDS, {}).get(str(feed_id))
        if not isinstance(doc, dict):
            raise NotFound(f"no feed with id {feed_id}")
        batch.changes.append(Change(FEEDS, feed_id, None))
        if str(feed_id) in batch.data.get(SEEN, {}):
            batch.changes.append(Change(SEEN, feed_id, None))
    return Feed.from_doc(feed_id, doc)


@dataclass(frozen=True, slots=True)
class FeedState:
    """What one update learned about a feed: its new state and the item keys now seen."""

    feed: Feed
    seen: tuple[str, ...] = ()


def save_states(repo: Repository, states: Iterable[FeedState]) -> None:
    """Write the feeds' new state and seen keys in one write; a feed removed meanwhile stays
    removed."""
    states = list(states)
    if not states:
        return
    with repo.writing() as batch:
        feeds, seen = batch.data.get(FEEDS, {}), batch.data.get(SEEN, {})
        for state in states:
            key = str(state.feed.id)
            if not isinstance(feeds.get(key), dict):
                continue
            # Tags and the no-fetch choice are the person's: keep what is stored now.
            stored = Feed.from_doc(state.feed.id, feeds[key])
            feed = replace(state.feed, tags=stored.tags, no_fetch=stored.no_fetch)
            batch.changes.append(Change(FEEDS, feed.id, feed.to_doc()))
            if state.seen:
                doc = seen.get(key)
                old = doc.get("keys") if isinstance(doc, dict) else None
                keys = [k for k in old if isinstance(k, str)] if isinstance(old, list) else []
                known = set(keys)
                keys.extend(k for k in dict.fromkeys(state.seen) if k not in known)
                batch.changes.append(Change(SEEN, feed.id, {"keys": keys[-MAX_SEEN:]}))
