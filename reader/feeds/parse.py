"""Reading a feed: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed as plain JSON, and
finding the feed a web page links to (``<link rel="alternate">``).

Everything here is untrusted input: titles are cleaned as every stored text is, and nothing a
feed names (enclosures, images, stylesheets, DTDs) is fetched.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from reader.text.clean import clean_text

#: Media types a page's ``<link rel="alternate">`` names a feed with.
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
#: What a feed request asks for: feeds first, pages (to discover a feed in) last.
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml,"
    " application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1"
)
#: Longest title kept, in characters (a feed can put a whole article there).
MAX_TITLE = 300


class NotAFeed(Exception):
    """The document is no feed; ``links`` are the feeds it names, if it is a page that does."""

    def __init__(self, reason: str, links: list[str]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.links = links


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of a feed, as the feed gives it."""

    #: What makes it the same item next time: its guid/id, else its link, else its content.
    key: str
    title: str
    link: str | None
    #: ISO 8601, in UTC where the feed gives a zone.
    published: str | None
    #: The fullest text the feed carries (HTML, or plain text for a JSON Feed's content_text).
    content: str | None
    content_is_html: bool
    author: str | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's title, the site it belongs to, and its items in the feed's order."""

    title: str
    site_url: str | None
    items: list[Item]


def one_line(text: str | None, limit: int = MAX_TITLE) -> str:
    """Untrusted text as one clean line: controls and escape sequences gone, spaces collapsed."""
    if not text:
        return ""
    line = " ".join(clean_text(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def item_key(kind: str, value: str) -> str:
    """A short, fixed-size key for an item (16 hex digits of SHA-256 of ``kind:value``)."""
    return hashlib.sha256(f"{kind}:{value}".encode("utf-8", "replace")).hexdigest()[:16]


def parse_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """The feed in ``body`` (fetched from ``url``); NotAFeed if it is none."""
    start = body.lstrip()[:1]
    if "json" in content_type or start == b"{":
        return _json_feed(body, url)
    return _xml_feed(body, url, content_type)


def _xml_feed(body: bytes, url: str, content_type: str) -> ParsedFeed:
    import feedparser

    # A file object, never bytes or a string: feedparser would open those as a file name or
    # fetch them as a URL.
    parsed: Any = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": url, "content-type": content_type or "text/xml"},
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    if not parsed.get("version") and not parsed.entries:
        links = discover(body, url)
        if links:
            raise NotAFeed("a web page, not a feed", links)
        raise NotAFeed("not a feed (no RSS, Atom or JSON Feed found)", [])
    info = parsed.feed
    items = [_xml_item(entry, url) for entry in parsed.entries]
    return ParsedFeed(
        one_line(info.get("title")) or _host(url),
        _http(info.get("link"), url),
        items,
    )


def _xml_item(entry: Any, base: str) -> Item:
    link = _http(entry.get("link"), base)
    contents = [c for c in entry.get("content") or () if c.get("value")]
    summary = entry.get("summary") or ""
    content = max((c["value"] for c in contents), key=len, default="")
    if len(summary) > len(content):
        content = summary
    kind = "text/html"
    for c in contents:
        if c["value"] == content:
            kind = c.get("type") or kind
    title = one_line(entry.get("title"))
    guid = entry.get("id") or ""
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    return Item(
        key=_key(guid, link, title, content),
        title=title,
        link=link,
        published=_iso(when),
        content=content or None,
        content_is_html=kind != "text/plain",
        author=one_line(entry.get("author")) or None,
    )


def _json_feed(body: bytes, url: str) -> ParsedFeed:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise NotAFeed("not a feed (broken JSON)", []) from None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or "jsonfeed.org" not in version:
        raise NotAFeed("not a feed (JSON without a JSON Feed version)", [])
    raw_items = data.get("items")
    items = (
        [_json_item(i, url) for i in raw_items if isinstance(i, dict)]
        if isinstance(raw_items, list)
        else []
    )
    return ParsedFeed(
        one_line(_text(data.get("title"))) or _host(url),
        _http(_text(data.get("home_page_url")), url),
        items,
    )


def _json_item(item: dict[str, Any], base: str) -> Item:
    link = _http(_text(item.get("url")) or _text(item.get("external_url")), base)
    html, text = _text(item.get("content_html")), _text(item.get("content_text"))
    summary = _text(item.get("summary"))
    content, is_html = (html, True) if len(html) >= len(text) else (text, False)
    if len(summary) > len(content):
        content, is_html = summary, False
    title = one_line(_text(item.get("title")))
    guid = item.get("id")
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    names = [one_line(_text(a.get("name"))) for a in authors if isinstance(a, dict)]
    when = _text(item.get("date_published")) or _text(item.get("date_modified"))
    return Item(
        key=_key(str(guid) if guid is not None else "", link, title, content),
        title=title,
        link=link,
        published=_iso_text(when),
        content=content or None,
        content_is_html=is_html,
        author=", ".join(n for n in names if n) or None,
    )


def discover(body: bytes, url: str) -> list[str]:
    """The feeds an HTML page names in ``<link rel="alternate" type="…">``, in page order."""
    from lxml import etree, html

    try:
        tree = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    found: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = link.get("href")
        if "alternate" in rel and kind in FEED_TYPES and href:
            address = _http(href, url)
            if address and address not in found:
                found.append(address)
    return found


# -- small helpers -------------------------------------------------------------------------


def _key(guid: str, link: str | None, title: str, content: str) -> str:
    if guid.strip():
        return item_key("id", guid.strip())
    if link:
        return item_key("link", link)
    return item_key("hash", f"{title}\n{content}")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _http(value: str | None, base: str) -> str | None:
    """An absolute http(s) address (relative ones resolved against ``base``), else None."""
    if not value or not isinstance(value, str):
        return None
    try:
        address = urljoin(base, value.strip())
    except ValueError:
        return None
    return address if address.lower().startswith(("http://", "https://")) else None


def _host(url: str) -> str:
    from reader.fetch_pool import host_of

    return host_of(url) or url


def _iso(when: Any) -> str | None:
    """A feedparser time (a struct_time in UTC) as ISO 8601."""
    try:
        if not when:
            return None
        year, month, day, hour, minute, second = (int(v) for v in when[:6])
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC).isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


def _iso_text(value: str) -> str | None:
    """An RFC 3339 date of a JSON Feed, checked and normalised to UTC."""
    if not value:
        return None
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=UTC)
    return found.astimezone(UTC).isoformat()
