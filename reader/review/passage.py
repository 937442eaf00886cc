"""The paragraph around a quote, for the review's reveal."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.library import Quote, Repository


def paragraph_around(body: str, start: int, end: int) -> str:
    """The blank-line-separated paragraph(s) holding ``body[start:end]``."""
    first = body.rfind("\n\n", 0, max(start, 0))
    last = body.find("\n\n", min(end, len(body)))
    return body[first + 2 if first >= 0 else 0 : last if last >= 0 else len(body)].strip()


def quote_paragraph(repo: Repository, quote: Quote) -> str | None:
    """The paragraph a quote was kept from, or None if its article is gone (reads the disk)."""
    from reader.library import LibraryError, NotFound

    try:
        article = repo.article(quote.article_id)
        body = repo.body(article)
    except (NotFound, LibraryError, OSError):
        return None
    if body[quote.start : quote.end] != quote.text:
        found = body.find(quote.text)
        if found < 0:
            return None
        return paragraph_around(body, found, found + len(quote.text))
    return paragraph_around(body, quote.start, quote.end)
