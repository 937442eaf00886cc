"""Omnivore exports: metadata_*.json, content/<slug>.html and highlights/<slug>.md."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import Any

from reader.migrate.common import ParseJob, decode, load_json
from reader.migrate.detect import Found
from reader.migrate.model import (
    Entry,
    ExportError,
    Highlight,
    Seen,
    one_line,
    tags_of,
    time_of,
)

# The link Omnivore puts after each quote: " [⤴️](https://omnivore.app/me/slug#id)".
_BACKLINK = re.compile(r"\s*\[[^\]]{0,8}\]\(https?://[^)\s]*\)\s*$")
_LABELS = re.compile(r"^(#[^\s#]+\s*)+$")
_SAFE_SLUG = re.compile(r"^[^/\\]+$")


def entries(
    found: Found, seen: Seen | None = None, on_total: Callable[[int], None] | None = None
) -> Iterator[Entry | tuple[str, str]]:
    """Each article of the export, or (slug, reason) for one that cannot be read.

    An article ``seen`` in the library already is not parsed again (its highlights are read).
    ``on_total`` hears how many entries there are, once the metadata is read.
    """
    bundle = found.bundle
    loaded = []
    for member in found.members:
        items = load_json(bundle.read(member), f"{found.path}: {member}")
        if not isinstance(items, list):
            raise ExportError(f"{found.path}: {member} is not a list of articles")
        loaded.append((member, items))
    if on_total:
        on_total(sum(len(items) for _, items in loaded))
    for member, items in loaded:
        base = PurePosixPath(member).parent
        for item in items:
            if not isinstance(item, dict):
                yield (member, "an entry that is not an article")
                continue
            try:
                yield _entry(found, base, item, seen)
            except ExportError as error:
                yield (one_line(item.get("slug")) or member, str(error))


def _member(base: PurePosixPath, folder: str, slug: str, suffix: str) -> str:
    path = base / folder / f"{slug}{suffix}"
    return path.as_posix().removeprefix("./")


def _entry(found: Found, base: PurePosixPath, item: dict[str, Any], seen: Seen | None) -> Entry:
    bundle = found.bundle
    slug = item.get("slug")
    slug = (
        slug if isinstance(slug, str) and _SAFE_SLUG.match(slug) and slug not in (".", "..") else ""
    )
    url = one_line(item.get("url"))
    title = one_line(item.get("title"))
    known = seen.get(slug or url or title, url) if seen is not None else None
    job = None if known is not None else _job(found, base, slug, item)
    highlights: list[Highlight] = []
    if slug:
        name = _member(base, "highlights", slug, ".md")
        if bundle.has(name):
            highlights = parse_highlights(decode(bundle.read(name), name))
    progress = item.get("readingProgress")
    if not isinstance(progress, int | float) or isinstance(progress, bool):
        progress = 0
    return Entry(
        parsed=None,
        job=job,
        known=known,
        name=slug or url or title,
        added=time_of(item.get("savedAt")),
        read=str(item.get("state", "")).lower() == "archived",
        progress=min(max(float(progress), 0.0), 100.0) / 100,
        highlights=highlights,
    )


def _job(found: Found, base: PurePosixPath, slug: str, item: dict[str, Any]) -> ParseJob:
    """What building the article takes: its content HTML, else its metadata alone."""
    url = one_line(item.get("url"))
    html = None
    if slug:
        name = _member(base, "content", slug, ".html")
        if found.bundle.has(name):
            html = found.bundle.read(name)
    return ParseJob(
        html=html,
        url=url,
        title=one_line(item.get("title")),
        fallback=(one_line(item.get("description")), url),
        author=one_line(item.get("author")) or None,
        published=one_line(item.get("publishedAt")) or None,
        tags=tags_of(item.get("labels")),
    )


def parse_highlights(text: str) -> list[Highlight]:
    """Highlights from Omnivore's Markdown: a "> quote" block, an optional "#label" line, a note."""
    found: list[Highlight] = []
    quote: list[str] = []
    after: list[str] = []

    def close() -> None:
        if quote:
            lines = [line.strip() for line in after if line.strip()]
            tags: tuple[str, ...] = ()
            if lines and _LABELS.match(lines[0]):
                tags = tuple(t.lstrip("#") for t in lines.pop(0).split())
            passage = _BACKLINK.sub("", "\n".join(quote)).strip()
            found.append(Highlight(passage, "\n".join(lines), tags_of(list(tags))))
        quote.clear()
        after.clear()

    lines = text.replace("\r\n", "\n").split("\n")
    # Omnivore writes "> " before a quote's first line only, and ends every quote with its
    # link back: where there are such links, a quote runs until its link.
    linked = any(_BACKLINK.search(line) for line in lines)
    waiting = False  # inside a quote whose link has not come yet
    blank = False
    for line in lines:
        if waiting and line.startswith(">") and blank:
            waiting = False  # a quote without its link: a new one starts after a blank line
            after.append("")
        if waiting and _LABELS.match(line.strip()):
            waiting = False  # labels follow a quote: it has ended, without its link
        blank = not line.strip()
        if waiting:
            quote.append(line[1:].removeprefix(" ") if line.startswith(">") else line)
            waiting = not _BACKLINK.search(line)
        elif line.startswith(">"):
            if after or (quote and linked):
                close()
            quote.append(line[1:].removeprefix(" "))
            waiting = linked and not _BACKLINK.search(line)
        elif quote:
            after.append(line)
    close()
    return found
