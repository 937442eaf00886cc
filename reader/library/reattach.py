"""Quotes come home: the quotes kept from a deleted article go back to it when it returns.

A deleted article's quotes stay in the library (orphans, under the deleted article's id),
and the ``deleted`` table remembers what that article was. When an article is imported and
it is the same one — the same content hash, the same URL, or the same title with every kept
passage in its text — its orphans are re-attached: the article id changes, and the offsets
are anchored again where the exact text occurs (prefix and suffix choose among several
occurrences, as a W3C TextQuoteSelector does; restoring an export anchors the same way). A
passage the new text no longer holds stays an orphan: a quote whose offsets do not match
its article would be a broken quote.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from reader.library.batch import ARTICLES, DELETED, QUOTES
from reader.library.models import CONTEXT_CHARS, Article, Quote
from reader.library.storage import Change, Tables


def deleted_record(article: Article) -> dict[str, Any]:
    """What the ``deleted`` table keeps of an article deleted with its quotes kept."""
    return {"title": article.title, "hash": article.hash, "url": article.url}


def anchor(body: str, text: str, start: int, prefix: str = "", suffix: str = "") -> int | None:
    """Where ``text`` is in ``body``: at ``start``, else where prefix and suffix fit best.

    Ties go to the occurrence nearest ``start``; None when ``text`` does not occur.
    """
    if text and body[start : start + len(text)] == text:
        return start
    best: tuple[int, int, int] | None = None
    at = body.find(text) if text else -1
    while at >= 0:
        before, after = body[max(0, at - len(prefix)) : at], body[at + len(text) :]
        score = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        candidate = (score, -abs(at - start), at)
        best = candidate if best is None or candidate > best else best
        at = body.find(text, at + 1)
    return best[2] if best else None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _orphans(tables: Tables) -> dict[int, list[Quote]]:
    """Quotes whose article is gone, by the id their article had."""
    articles = tables.get(ARTICLES, {})
    groups: dict[int, list[Quote]] = {}
    for i, doc in tables.get(QUOTES, {}).items():
        if str(doc["article_id"]) not in articles:
            groups.setdefault(doc["article_id"], []).append(Quote.from_doc(int(i), doc))
    return groups


def _home(
    record: dict[str, Any], group: list[Quote], arrivals: list[tuple[Article, str]]
) -> tuple[Article, str] | None:
    """The arriving article that a group of orphans came from, if one is."""
    digest, url = record.get("hash"), record.get("url")
    for article, body in arrivals:
        if digest and article.hash == digest:
            return article, body
    for article, body in arrivals:
        if url and article.url == url:
            return article, body
    titles = {q.article_title.strip() for q in group}
    for article, body in arrivals:
        if titles == {article.title.strip()} and all(q.text in body for q in group):
            return article, body
    return None


def reattach(
    tables: Tables, arrivals: Iterable[tuple[Article, str]]
) -> tuple[list[Change], list[Quote]]:
    """The changes bringing orphan quotes home to the arriving articles, and those quotes.

    ``tables`` is the library before the arrivals; ``arrivals`` are new articles and bodies.
    Records of deleted articles that no orphan refers to any more are dropped on the way.
    """
    arriving = list(arrivals)
    groups = _orphans(tables)
    deleted = tables.get(DELETED, {})
    changes = [Change(DELETED, int(i), None) for i in deleted if int(i) not in groups]
    if not arriving:
        return changes, []
    moved: list[Quote] = []
    taken: set[tuple[int, int, int]] = set()
    for old_id, group in sorted(groups.items()):
        home = _home(deleted.get(str(old_id), {}), group, arriving)
        if home is None:
            continue
        article, body = home
        left = 0
        for quote in group:
            start = anchor(body, quote.text, quote.start, quote.prefix, quote.suffix)
            end = start + len(quote.text) if start is not None else 0
            if start is None or (article.id, start, end) in taken:
                left += 1  # not in the new text, or kept already: it stays as it is
                continue
            taken.add((article.id, start, end))
            quote = replace(
                quote,
                article_id=article.id,
                article_title=article.title,
                start=start,
                end=end,
                prefix=body[max(0, start - CONTEXT_CHARS) : start],
                suffix=body[end : end + CONTEXT_CHARS],
            )
            changes.append(Change(QUOTES, quote.id, quote.to_doc()))
            moved.append(quote)
        if not left and str(old_id) in deleted:
            changes.append(Change(DELETED, old_id, None))
    return changes, moved
