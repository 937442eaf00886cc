"""Quotes for ``Repository`` (a layer of it; see core.py): reading them, with an index of
each article's quotes made once per quotes table, and keeping, editing, deleting, restoring.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from reader.library.batch import ARTICLES, CARDS, META, QUOTES, normalize_tags
from reader.library.errors import NotFound, PassageNotFound
from reader.library.models import CONTEXT_CHARS, Article, Quote, now
from reader.library.reads import ArticleReads
from reader.library.storage import Change


class QuoteOps(ArticleReads):
    """The quote reads and writes of a Repository."""

    # Set in Repository.__init__.
    _by_article: dict[int, list[tuple[str, dict[str, Any]]]]
    _by_article_of: object

    def quote_counts(self) -> Counter[int]:
        """How many quotes each article has."""
        # get(): a damaged quote is reported where quotes are read, not by a KeyError here.
        quotes = self._table(QUOTES).values()
        return Counter(d.get("article_id", 0) for d in quotes if type(d) is dict)

    def quotes(self, article_id: int | None = None) -> list[Quote]:
        """One article's quotes in text order, or every quote by article then text order."""
        if article_id is None:
            # Straight from the stored table, as articles() does: TinyDB would copy each.
            stored = self._table(QUOTES)
            found = [Quote.from_doc(int(i), d) for i, d in stored.items()]
        else:
            # The app asks for one article's quotes on the UI thread each time the list's
            # cursor moves: from an index made once per quotes table, not a scan.
            found = [Quote.from_doc(int(i), d) for i, d in self._quotes_of(article_id)]
        found.sort(key=lambda q: (q.article_id, q.start, q.end, q.id))
        return found

    def quote_count(self, article_id: int) -> int:
        """How many quotes one article has (from the per-article index, not a scan)."""
        return len(self._quotes_of(article_id))

    def _quotes_of(self, article_id: int) -> list[tuple[str, dict[str, Any]]]:
        table = self._table(QUOTES)
        if self._by_article_of is not table:
            # Tables are copy-on-write: a changed quotes table is a new dict, so identity
            # tells whether the index is still the table's.
            index: dict[int, list[tuple[str, dict[str, Any]]]] = {}
            for quote_id, doc in table.items():
                owner = doc.get("article_id")
                if isinstance(owner, int):
                    index.setdefault(owner, []).append((quote_id, doc))
            self._by_article, self._by_article_of = index, table
        return self._by_article.get(article_id, [])

    def quote(self, quote_id: int) -> Quote:
        """One quote; NotFound if there is no such id."""
        doc = self._table(QUOTES).get(str(quote_id))
        if doc is None:
            raise NotFound(f"no quote with id {quote_id}")
        return Quote.from_doc(quote_id, doc)

    def add_quote(
        self, article_id: int, start: int, end: int, note: str = "", body: str | None = None
    ) -> tuple[Quote, bool]:
        """Keep ``body[start:end]`` as a quote; returns the quote and whether it is new.

        ``body`` is the article's stored body, if the caller has it: otherwise it is read.
        """
        # One read of the library (the write's own) and a duplicate check by key: this runs
        # each time the reader keeps a passage. Only the quotes, the meta and this article
        # are read: at 50,000 articles the rest would cost most of a `reader quote add`.
        with self._writing(only=(META, QUOTES)) as batch:
            data, changes = batch.data, batch.changes
            doc = self.storage.document(ARTICLES, article_id)
            if doc is None:
                raise NotFound(f"no article with id {article_id}")
            quotes = data.get(QUOTES, {})
            kept = self._spots.find(self.storage.loads, quotes, (article_id, start, end))
            if kept is not None:
                return Quote.from_doc(kept, quotes[str(kept)]), False
            if body is None:
                body = self.body(Article.from_doc(article_id, doc))
            if not 0 <= start < end <= len(body):
                raise PassageNotFound(
                    f"offsets {start}-{end} are outside article {article_id} "
                    f"({len(body)} characters)"
                )
            quote_id = batch.allocate("next_quote_id", QUOTES)
            quote = Quote(
                id=quote_id,
                article_id=article_id,
                article_title=doc["title"],
                text=body[start:end],
                start=start,
                end=end,
                prefix=body[max(0, start - CONTEXT_CHARS) : start],
                suffix=body[end : end + CONTEXT_CHARS],
                created=now(),
                note=note,
            )
            changes.append(Change(QUOTES, quote_id, quote.to_doc()))
        self._index.keep(lambda index: index.add_quote(quote))
        return quote, True

    def add_quote_text(self, article_id: int, passage: str, note: str = "") -> tuple[Quote, bool]:
        """Keep the first occurrence of ``passage`` in the article's body as a quote."""
        body = self.body(self.article(article_id))
        start = body.find(passage) if passage else -1
        if start < 0:
            raise PassageNotFound(f"the passage does not occur in article {article_id}")
        return self.add_quote(article_id, start, start + len(passage), note, body=body)

    def set_quote_tags(self, quote_id: int, tags: Iterable[str]) -> Quote:
        """Replace a quote's tags."""
        clean = normalize_tags(tags)
        return self._update(QUOTES, Quote, quote_id, lambda q: replace(q, tags=clean))

    def quotes_tagged(self, quotes: Iterable[Quote], tag: str) -> list[Quote]:
        """The quotes carrying ``tag`` themselves or through their article (folded, as search)."""
        from reader.text.fold import fold
        from reader.text.query import tag_of

        wanted = fold(tag_of(tag) or tag)
        articles = self._tables().get(ARTICLES, {})

        def has(tags: Iterable[str]) -> bool:
            return any(fold(t) == wanted for t in tags)

        return [
            q
            for q in quotes
            if has(q.tags) or has(articles.get(str(q.article_id), {}).get("tags") or ())
        ]

    def set_quote_note(self, quote_id: int, note: str) -> Quote:
        """Replace a quote's note."""
        quote = self._update(QUOTES, Quote, quote_id, lambda q: replace(q, note=note))
        self._index.keep(lambda index: index.add_quote(quote))
        return quote

    def delete_quote(self, quote_id: int) -> Quote:
        """Remove a quote and return it (so it can be restored)."""
        with self._writing() as batch:
            data, changes = batch.data, batch.changes
            doc = data.get(QUOTES, {}).get(str(quote_id))
            if doc is None:
                raise NotFound(f"no quote with id {quote_id}")
            changes.append(Change(QUOTES, quote_id, None))
            if str(quote_id) in data.get(CARDS, {}):
                changes.append(Change(CARDS, quote_id, None))  # its review card goes with it
        self._index.keep(lambda index: index.remove_quote(quote_id))
        return Quote.from_doc(quote_id, doc)

    def review_card(self, quote_id: int) -> dict[str, Any] | None:
        """A quote's review card as stored (see reader.review.cards), or None if it has none:
        what undoing its deletion puts back."""
        card = self.documents(CARDS).get(str(quote_id))
        return dict(card) if isinstance(card, dict) else None

    def restore_quote(self, quote: Quote, card: dict[str, Any] | None = None) -> Quote:
        """Put a deleted quote back under its old id, with its review card if given (undo)."""
        with self._writing() as batch:
            changes = batch.changes
            changes.append(Change(QUOTES, quote.id, quote.to_doc()))
            if card is not None:
                changes.append(Change(CARDS, quote.id, card))
        self._index.keep(lambda index: index.add_quote(quote))
        return quote
