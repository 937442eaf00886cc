"""How an article's facts read to a person: human dates and the byline under a headline."""

from __future__ import annotations

from datetime import datetime

from reader.library import Article


def human_date(moment: datetime | None) -> str:
    """A date as people write it: "5 Mar 2024" (in local time)."""
    if moment is None:
        return "—"
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y}"


def published_date(value: str | None) -> str | None:
    """A published date as stored (ISO, or whatever the page said), made human if it can be."""
    if not value:
        return None
    try:
        return human_date(datetime.fromisoformat(value))
    except ValueError:
        return value


def byline(article: Article) -> str:
    """Author · source · published date, as far as they are known.

    A photo or wire credit that names the source ("AA Photo" for "AA") stands in for it.
    """
    source = article.source
    if article.credit and (not source or source in article.credit):
        source = article.credit
    parts = [article.author, source, published_date(article.published)]
    return " · ".join(p for p in parts if p)
