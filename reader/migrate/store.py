"""Store migrated articles in batches: their reading state, and every highlight as a quote."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from reader.library import Article, NotFound, Quote, Repository
from reader.library.batch import normalize_tags
from reader.library.models import CONTEXT_CHARS, EPOCH
from reader.migrate.anchor import find_passage
from reader.migrate.model import Entry, Highlight, MigrateSummary, text_of

#: Articles per library write for exports read from disk (no network).
BATCH = 500


class Store:
    """Collects entries and writes them a batch at a time; ``flush()`` writes what is left."""

    def __init__(self, repo: Repository, summary: MigrateSummary, batch: int = BATCH) -> None:
        self.repo = repo
        self.summary = summary
        self.batch = batch
        self.pending: list[Entry] = []

    def add(self, entry: Entry) -> None:
        """Queue one entry; a full batch is written."""
        self.pending.append(entry)
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write every queued entry, their state and their highlights."""
        if not self.pending:
            return
        entries, self.pending = self.pending, []
        new = [e for e in entries if e.parsed is not None]
        results = self.repo.add_articles((e.parsed, e.name) for e in new)
        updates: list[Article] = []
        kept: list[Quote] = []
        orphans: list[Quote] = []
        done: list[tuple[Entry, Article, str | None]] = []
        for entry, result in zip(new, results, strict=True):
            article = result.article
            if result.created:
                article = _with_state(article, entry)
                updates.append(article)
                self.summary.imported.append((entry.name, article))
            else:
                self.summary.present.append((entry.name, article))
            # The same content has the same body, whether it was new or already here.
            done.append((entry, article, entry.parsed.body if entry.parsed else None))
        for entry in entries:
            if entry.known is not None:
                try:
                    article = self.repo.article(entry.known)
                except NotFound:  # deleted meanwhile: nothing to put its highlights on
                    continue
                self.summary.present.append((entry.name, article))
                done.append((entry, article, None))
        for entry, article, body in done:
            if entry.highlights:
                text = body if body is not None else self.repo.body(article)
                for quote in self.quotes_for(article, text, entry.highlights, entry.added):
                    (orphans if quote.end == 0 else kept).append(quote)
        if updates:
            self.repo.replace_articles(updates)
        self.store_quotes(kept, orphans)

    def quotes_for(
        self,
        article: Article,
        body: str,
        highlights: Iterable[Highlight],
        added: datetime | None = None,
    ) -> list[Quote]:
        """Each highlight as a quote on its passage, or unanchored (start = end = 0)."""
        quotes = []
        for highlight in highlights:
            text = text_of(highlight.text)
            if not text:
                continue
            found = find_passage(body, text, highlight.hint)
            created = highlight.created or added or EPOCH
            if found is None:
                self.summary.unanchored += 1
                quotes.append(unanchored(article.id, article.title, text, highlight, created))
                continue
            if found.how == "exact":
                self.summary.exact += 1
            elif found.how == "normalised":
                self.summary.normalised += 1
            else:
                self.summary.fuzzy += 1
            start, end = found.start, found.end
            quotes.append(
                Quote(
                    id=0,
                    article_id=article.id,
                    article_title=article.title,
                    text=body[start:end],
                    start=start,
                    end=end,
                    prefix=body[max(0, start - CONTEXT_CHARS) : start],
                    suffix=body[end : end + CONTEXT_CHARS],
                    created=created,
                    note=text_of(highlight.note),
                    tags=normalize_tags(highlight.tags),
                )
            )
        return quotes

    def store_quotes(self, kept: list[Quote], orphans: list[Quote]) -> None:
        """Write quotes in one go; those already kept (same passage, or same text) are skipped."""
        if kept or orphans:
            self.summary.quotes_added += len(self.repo.add_restored_quotes(kept, orphans))


def unanchored(group: int, title: str, text: str, highlight: Highlight, created: datetime) -> Quote:
    """A highlight kept with its text though no passage holds it (as deleted articles' quotes)."""
    return Quote(
        id=0,
        article_id=group,
        article_title=title,
        text=text,
        start=0,
        end=0,
        prefix="",
        suffix="",
        created=created,
        note=text_of(highlight.note),
        tags=normalize_tags(highlight.tags),
    )


def _with_state(article: Article, entry: Entry) -> Article:
    """The new article with the export's added time, read state and progress."""
    progress = min(max(entry.progress, 0.0), 1.0)
    body = entry.parsed.body if entry.parsed is not None else ""
    position = 0
    if 0 < progress < 1:
        # The start of the paragraph the reader had reached.
        at = int(len(body) * progress)
        position = body.rfind("\n\n", 0, at) + 2 if body.rfind("\n\n", 0, at) >= 0 else 0
    return replace(
        article,
        added=entry.added or article.added,
        read=entry.read or progress >= 1.0,
        progress=progress,
        position=position,
    )
