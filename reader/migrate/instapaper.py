"""Instapaper's CSV export (URL,Title,Selection,Folder,Timestamp)."""

from __future__ import annotations

from reader.migrate.bulk import Link, linked_rows
from reader.migrate.detect import Found
from reader.migrate.model import one_line, text_of, time_of


def links(found: Found) -> list[Link]:
    """Every row with an http(s) URL: Archive is read, Starred a tag, other folders tags."""
    found_links = []
    for url, row in linked_rows(found):
        folder = one_line(row.get("folder"))
        tags: tuple[str, ...] = ()
        if folder.lower() == "starred":
            tags = ("starred",)
        elif folder and folder.lower() not in ("unread", "archive"):
            tags = (folder,)
        found_links.append(
            Link(
                url=url,
                title=one_line(row.get("title")),
                added=time_of(row.get("timestamp")),
                read=folder.lower() == "archive",
                tags=tags,
                selection=text_of(row.get("selection")),
            )
        )
    return found_links
