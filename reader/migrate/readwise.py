"""Readwise highlights CSV (and reader's own Readwise-format export): quotes on our articles.

Each highlight goes to the library's article with the same URL, else the same title (folded,
as every match is); one whose article is not in the library is kept as a quote without an
article, under its title, as the quotes of deleted articles are. The "Document tags" of a
row are added to its article's tags.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reader.library import Quote, Repository
from reader.library.batch import ARTICLES, normalize_tags
from reader.library.models import EPOCH, Article
from reader.migrate.bulk import read_rows
from reader.migrate.detect import Found
from reader.migrate.model import Highlight, MigrateSummary, one_line, tags_of, text_of, time_of
from reader.migrate.store import Store, unanchored
from reader.text.fold import fold

#: Quotes per library write.
BATCH = 500


def import_highlights(
    repo: Repository,
    found: Found,
    summary: MigrateSummary,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Read the CSV and keep every highlight as a quote, on its passage where it can be found."""
    groups: dict[tuple[str, str], list[Highlight]] = {}
    document_tags: dict[tuple[str, str], list[str]] = {}
    for row in read_rows(found):
        text = text_of(row.get("highlight"))
        if not text:
            continue
        title = one_line(row.get("book title") or row.get("title")) or "Untitled"
        url = one_line(row.get("url"))
        location = one_line(row.get("location"))
        highlight = Highlight(
            text,
            text_of(row.get("note")),
            tags_of(row.get("tags", "")),
            time_of(row.get("highlighted at") or row.get("date")),
            int(location) if location.isdigit() else 0,
        )
        groups.setdefault((url, title), []).append(highlight)
        document_tags.setdefault((url, title), []).extend(tags_of(row.get("document tags", "")))
    by_url: dict[str, int] = {}
    by_title: dict[str, int] = {}
    for key, doc in repo.documents(ARTICLES).items():
        if isinstance(doc.get("url"), str):
            by_url.setdefault(doc["url"], int(key))
        if isinstance(doc.get("title"), str):
            by_title.setdefault(fold(doc["title"].strip()), int(key))
    store = Store(repo, summary)
    kept: list[Quote] = []
    orphans: list[Quote] = []
    tagged: list[Article] = []
    for number, ((url, title), highlights) in enumerate(groups.items(), start=1):
        article_id = by_url.get(url) if url else None
        if article_id is None:
            article_id = by_title.get(fold(title))
        article = _article(repo, article_id)
        if article is None:
            for highlight in highlights:
                summary.unanchored += 1
                created = highlight.created or EPOCH
                orphans.append(unanchored(-number, title, highlight.text, highlight, created))
        else:
            for quote in store.quotes_for(article, repo.body(article), highlights):
                (orphans if quote.end == 0 else kept).append(quote)
            tags = normalize_tags([*article.tags, *document_tags[(url, title)]])
            if tags != article.tags:
                tagged.append(replace(article, tags=tags))
        if len(kept) + len(orphans) + len(tagged) >= BATCH:
            _store(repo, store, kept, orphans, tagged)
            kept, orphans, tagged = [], [], []
        if on_progress:
            on_progress(number, len(groups))
    _store(repo, store, kept, orphans, tagged)


def _store(
    repo: Repository, store: Store, kept: list[Quote], orphans: list[Quote], tagged: list[Article]
) -> None:
    if tagged:
        repo.replace_articles(tagged)
    store.store_quotes(kept, orphans)


def _article(repo: Repository, article_id: int | None) -> Article | None:
    if article_id is None:
        return None
    try:
        return repo.article(article_id)
    except Exception:  # gone meanwhile or damaged: the highlights are kept unanchored
        return None
