"""Pocket's CSV export (title,url,time_added,cursor,tags,status), one or more part_*.csv."""

from __future__ import annotations

from reader.migrate.bulk import Link, linked_rows
from reader.migrate.detect import Found
from reader.migrate.model import one_line, tags_of, time_of


def links(found: Found) -> list[Link]:
    """Every row with an http(s) URL, as a link to fetch."""
    found_links = []
    for url, row in linked_rows(found):
        found_links.append(
            Link(
                url=url,
                title=one_line(row.get("title")),
                added=time_of(row.get("time_added")),
                read=one_line(row.get("status")).lower() == "archive",
                tags=tags_of(row.get("tags", ""), "|"),
            )
        )
    return found_links
