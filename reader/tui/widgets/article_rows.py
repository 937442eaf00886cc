"""The article list apart from Textual: sort orders, the fuzzy filter, the rows, one row's text."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from rich.cells import cell_len, set_cell_size

from reader.console import visible
from reader.library.models import Article
from reader.text.fold import fold
from reader.text.fuzzy import FuzzyQuery

#: The sort orders ``s`` cycles through, in order.
SORTS: tuple[str, ...] = ("added", "title", "length", "progress")

_SORT_KEYS: dict[str, tuple[Callable[[Article], Any], bool]] = {
    "added": (lambda a: (a.added, a.id), True),
    "title": (lambda a: (a.title.casefold(), a.id), False),
    "length": (lambda a: (a.words, a.id), False),
    "progress": (lambda a: (a.progress, a.added, a.id), True),
}

UNREAD_MARK = "●"
#: Cells a title keeps in the list before the meta columns give way.
MIN_TITLE = 24
QUOTE_MARK = "❝"


def sort_order(articles: Sequence[Article], sort: str) -> list[int]:
    """Indices into ``articles`` in the given sort order (newest, A to Z, shortest, most read)."""
    key, reverse = _SORT_KEYS[sort]
    return sorted(range(len(articles)), key=lambda i: key(articles[i]), reverse=reverse)


def haystack(article: Article) -> str:
    """The folded text the filter searches: title, a space, source."""
    return fold(f"{article.title} {article.source or ''}")


@dataclass(frozen=True, slots=True)
class RowData:
    """Articles with what the list derives from them, made once (off the UI thread when
    another process wrote: for 10,000 articles this was 8 ms of a frame)."""

    articles: list[Article]
    quotes: dict[int, int]
    #: Cells of the longest source.
    source_width: int
    #: Each article's index in ``articles`` by id.
    index_of: dict[int, int]
    #: The folded text the filter searches, by index.
    hays: list[str]
    #: The sort order ``order`` is in.
    sort: str
    #: Indices into ``articles`` in that sort order.
    order: list[int]

    @classmethod
    def of(cls, articles: Sequence[Article], quotes: Mapping[int, int], sort: str) -> RowData:
        """Everything the list needs for ``articles`` in ``sort`` order."""
        articles = list(articles)
        return cls(
            articles,
            dict(quotes),
            max((cell_len(a.source) for a in articles if a.source), default=0),
            {a.id: i for i, a in enumerate(articles)},
            [haystack(a) for a in articles],
            sort,
            sort_order(articles, sort),
        )


class ArticleRows:
    """What the list shows: the articles in the current sort, narrowed by the filter."""

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.quotes: dict[int, int] = {}
        #: Cells of the longest source (the source column is no wider than that).
        self.source_width = 0
        #: The rows shown, as indices into ``articles``, in display order.
        self.rows: list[int] = []
        self._index_of: dict[int, int] = {}
        self._hays: list[str] = []
        self._order: list[int] = []
        self._query: FuzzyQuery | None = None
        #: ``tag:name`` terms of the filter (folded): every one must be on the article.
        self._tags: tuple[str, ...] = ()
        #: ``feed:name`` terms of the filter (folded), and every feed's title by id.
        self._feeds: tuple[str, ...] = ()
        self.feed_titles: Mapping[int, str] = {}
        # Scores of the filter's hits by article index, kept in sort order.
        self._hits: dict[int, float] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def article(self, row: int) -> Article:
        """The article shown at ``row``."""
        return self.articles[self.rows[row]]

    def matches(self, row: int) -> Sequence[int]:
        """Offsets into "title source" that the filter matched at ``row``."""
        hay = self._hays[self.rows[row]]
        # An article updated since the filter ran may no longer match it.
        if self._query is None or not self._query.matches(hay):
            return ()
        return self._query.score(hay)[1]

    def row_of(self, article_id: int) -> int | None:
        """The row showing an article, or None (not in the list, or filtered out)."""
        index = self._index_of.get(article_id)
        if index is None or (self._filtering and index not in self._hits):
            return None
        return self.rows.index(index)

    def replace(self, data: RowData, sort: str) -> None:
        """New articles, sorted and filtered as before. The model takes ``data``'s lists
        over (update() changes them in place): copying them was a third of the swap."""
        self.articles = data.articles
        self.quotes = data.quotes
        self.source_width = data.source_width
        self._index_of = data.index_of
        self._hays = data.hays
        if data.sort != sort:
            self.resort(sort)
            return
        self._order = data.order
        if self._filtering:
            self._hits = self._filter(self._order)
        self._arrange()

    def resort(self, sort: str) -> None:
        """Sort again (and re-run the filter, so its hits are in the new order)."""
        self._order = sort_order(self.articles, sort)
        if self._filtering:
            self._hits = self._filter(self._order)
        self._arrange()

    @property
    def _filtering(self) -> bool:
        return self._query is not None or bool(self._tags) or bool(self._feeds)

    def refilter(self, text: str) -> None:
        """Filter by ``text`` (fuzzy words, and ``tag:name`` terms); empty shows everything."""
        # Here, not at the top: the query module compiles its patterns on import, and the
        # first screen has no filter.
        from reader.text.query import split_feeds, split_tags

        tags, words = split_tags(text)
        feeds, words = split_feeds(words)
        previous, self._query = self._query, FuzzyQuery(words) if words else None
        same_tags = tags == self._tags and feeds == self._feeds
        self._tags, self._feeds = tags, feeds
        if not self._filtering:
            self._hits = {}
        elif previous and self._query and same_tags and self._query.text.startswith(previous.text):
            # One more letter can only narrow the previous hits: search just those.
            self._hits = self._query.filter(self._hays, list(self._hits))
        else:
            self._hits = self._filter(self._order)
        self._arrange()

    def _filter(self, candidates: Sequence[int]) -> dict[int, float]:
        if self._tags:
            candidates = [i for i in candidates if self._tagged(self.articles[i])]
        if self._feeds:
            candidates = [i for i in candidates if self._from_feed(self.articles[i])]
        if self._query is None:
            return dict.fromkeys(candidates, 0.0)
        return self._query.filter(self._hays, candidates)

    def _from_feed(self, article: Article) -> bool:
        from reader.text.query import feed_matches

        feed = article.feed
        if feed is None:
            return False
        title = self.feed_titles.get(feed, "")
        return all(feed_matches(wanted, feed, title) for wanted in self._feeds)

    def _tagged(self, article: Article) -> bool:
        have = {fold(t) for t in article.tags}
        return all(t in have for t in self._tags)

    def update(self, article: Article, quote_count: int | None) -> bool:
        """Replace one article in place (the order stays); False if it is not in the list."""
        index = self._index_of.get(article.id)
        if index is None:
            return False
        self.articles[index] = article
        self._hays[index] = haystack(article)
        if quote_count is not None:
            self.quotes[article.id] = quote_count
        return True

    def _arrange(self) -> None:
        if self._filtering:
            # Hits are in sort order and sorted() is stable: equal scores keep the sort.
            self.rows = sorted(self._hits, key=self._hits.__getitem__, reverse=True)
        else:
            self.rows = list(self._order)


def minutes_label(minutes: int) -> str:
    """Reading time in at most four cells: ``3m``, ``240m``, ``17h``."""
    return f"{minutes}m" if minutes < 1000 else f"{minutes // 60}h"


@dataclass(frozen=True, slots=True)
class RowLayout:
    """Column widths for one list width; 0 hides a column."""

    title: int
    source: int
    time: int
    progress: int
    quotes: int

    @classmethod
    def fit(cls, width: int, source_width: int) -> RowLayout:
        """Give the meta columns their room while the title keeps a readable width.

        Columns give way in turn (source, reading time, quote count, progress) until the
        title has ``MIN_TITLE`` cells: progress, what a reader looks for, goes last. The
        metadata pane shows them all for the row under the cursor.
        """
        columns = {"source": min(source_width, 12), "time": 4, "quotes": 4, "progress": 4}
        for column in (None, *columns):
            if column is not None:
                columns[column] = 0
            title = width - 2 - sum(c + 1 for c in columns.values() if c)
            if title >= MIN_TITLE:
                break
        return cls(max(0, title), **columns)


#: A piece of a row and what it is ("marker", "title", "unread", "match", "meta"); the
#: widget draws each kind in its style. Plain strings throughout: a title is never markup.
Piece = tuple[str, str]


def _fit(text: str, width: int, right: bool = False) -> tuple[str, int]:
    """``text`` in exactly ``width`` cells (cut with an ellipsis, padded with spaces), and how
    many of its characters were kept."""
    kept = len(text)
    if cell_len(text) > width:
        cut = set_cell_size(text, width - 1).rstrip() if width > 1 else ""
        kept = len(cut)
        text = cut + "…" if width else ""
    pad = " " * (width - cell_len(text))
    return (pad + text if right else text + pad), kept


def _runs(text: str, kind: str, hits: AbstractSet[int]) -> list[Piece]:
    """``text`` as pieces of ``kind``, with the characters at ``hits`` as "match" pieces."""
    if not hits:
        return [(text, kind)]
    pieces = []
    for hit, group in groupby(range(len(text)), key=hits.__contains__):
        at = list(group)
        pieces.append((text[at[0] : at[-1] + 1], "match" if hit else kind))
    return pieces


def row_pieces(
    article: Article, quotes: int, matches: Sequence[int], layout: RowLayout
) -> list[Piece]:
    """One article as one line: marker, title, source, reading time, progress, quotes."""
    unread = not article.read
    title, kept = _fit(visible(article.title), layout.title)
    hits = {pos for pos in matches if pos < kept}
    pieces = [(UNREAD_MARK if unread else " ", "marker"), (" ", "title")]
    pieces += _runs(title, "unread" if unread else "title", hits)
    if layout.source:
        source, kept = _fit(visible(article.source or ""), layout.source)
        offset = len(article.title) + 1
        hits = {pos - offset for pos in matches if 0 <= pos - offset < kept}
        pieces.append((" ", "meta"))
        pieces += _runs(source, "meta", hits)
    cells = [
        (layout.time, minutes_label(article.reading_minutes)),
        (layout.progress, f"{round(article.progress * 100)}%" if article.progress > 0 else ""),
        (layout.quotes, f"{QUOTE_MARK}{quotes}" if quotes else ""),
    ]
    for width, text in cells:
        if width:
            pieces.append((" " + _fit(text, width, right=True)[0], "meta"))
    return pieces
