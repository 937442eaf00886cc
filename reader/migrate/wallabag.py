"""wallabag's JSON export: entries with their HTML content, tags and annotations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from reader.migrate.common import ParseJob, load_json
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


def entries(
    found: Found, seen: Seen | None = None, on_total: Callable[[int], None] | None = None
) -> Iterator[Entry | tuple[str, str]]:
    """Each entry of the export, or (name, reason) for one that cannot be read (an entry
    ``seen`` in the library already is not parsed again); ``on_total`` hears how many."""
    for member in found.members:
        items = load_json(found.bundle.read(member), f"{found.path}")
        if not isinstance(items, list):
            raise ExportError(f"{found.path}: not a list of entries")
        if on_total:
            on_total(len(items))
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                yield (f"entry {number}", "not an entry")
                continue
            yield _entry(item, number, seen)


def _entry(item: dict[str, Any], number: int, seen: Seen | None) -> Entry:
    url = one_line(item.get("url"))
    title = one_line(item.get("title"))
    name = url or title or f"entry {number}"
    known = seen.get(name, url) if seen is not None else None
    job = None if known is not None else _job(item, url, title)
    highlights = []
    annotations = item.get("annotations")
    for note in annotations if isinstance(annotations, list) else ():
        if isinstance(note, dict) and isinstance(note.get("quote"), str):
            highlights.append(
                Highlight(
                    note["quote"],
                    note["text"] if isinstance(note.get("text"), str) else "",
                    created=time_of(note.get("created_at")),
                )
            )
    return Entry(
        parsed=None,
        job=job,
        known=known,
        name=name,
        added=time_of(item.get("created_at")),
        read=_flag(item.get("is_archived")),
        highlights=highlights,
    )


def _job(item: dict[str, Any], url: str, title: str) -> ParseJob:
    content = item.get("content")
    tags = list(tags_of(item.get("tags")))
    if _flag(item.get("is_starred")):
        tags.append("starred")
    return ParseJob(
        html=content if isinstance(content, str) else None,
        url=url,
        title=title,
        fallback=(url,),
        author=", ".join(tags_of(item.get("published_by"))) or None,
        published=one_line(item.get("published_at")) or None,
        tags=tuple(tags),
        language=one_line(item.get("language")) or None,
    )


def _flag(value: Any) -> bool:
    return value in (1, True, "1", "true")
