"""OPML 2.0, the file every feed reader exchanges subscriptions in (newsboat, Feedly,
NetNewsWire, Miniflux): written from the feeds, read into subscriptions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import format_datetime

from reader.feeds.parse import one_line
from reader.feeds.store import Feed
from reader.library.models import now


class OpmlError(Exception):
    """A file that is no OPML we can read; str() says why."""


@dataclass(frozen=True, slots=True)
class Outline:
    """One subscription found in an OPML file."""

    url: str
    title: str
    site_url: str | None
    #: The folders it sits in and its ``category`` attribute.
    tags: tuple[str, ...]


def export_opml(feeds: Iterable[Feed]) -> str:
    """The feeds as an OPML 2.0 document (tags as the ``category`` attribute)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "reader subscriptions"
    ET.SubElement(head, "dateCreated").text = format_datetime(now())
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": feed.title, "title": feed.title, "xmlUrl": feed.url}
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        if feed.tags:
            attributes["category"] = ",".join(feed.tags)
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def read_opml(data: bytes) -> list[Outline]:
    """Every outline with an ``xmlUrl`` (nested in folders or not), once each."""
    # Entities could expand a small file into gigabytes; no OPML needs a DTD.
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        raise OpmlError("the file declares a DTD or entities, which OPML does not use")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not well-formed XML ({exc})") from None
    if root.tag != "opml":
        raise OpmlError(f"not OPML (the document is <{root.tag}>)")
    body = root.find("body")
    found: dict[str, Outline] = {}
    if body is not None:
        _walk(body, (), found)
    return list(found.values())


def _walk(parent: ET.Element, folders: tuple[str, ...], found: dict[str, Outline]) -> None:
    for outline in parent.findall("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        name = one_line(outline.get("title") or outline.get("text"))
        if url:
            if url.lower().startswith(("http://", "https://")) and url not in found:
                categories = [
                    one_line(c).strip("/")
                    for c in (outline.get("category") or "").split(",")
                    if one_line(c).strip("/")
                ]
                tags = tuple(dict.fromkeys([*folders, *categories]))
                found[url] = Outline(url, name or url, _site(outline.get("htmlUrl")), tags)
        else:
            _walk(outline, (*folders, name) if name else folders, found)


def _site(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) else None
