"""What the article list shows, read in one go (on a worker when another process wrote)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.library import Article, Repository


@dataclass(frozen=True, slots=True)
class Listing:
    """What the article list shows, read at one library ``version`` (off the UI thread)."""

    version: object
    articles: list[Article]
    quote_counts: Counter[int]
    #: One line for each article left out because its document is damaged.
    damaged: list[str]
    #: Every feed's title by id (for ``feed:name`` in the filter).
    feeds: dict[int, str] = field(default_factory=dict)

    @classmethod
    def read(cls, repo: Repository) -> Listing:
        """Every readable article and the quote counts, as the library stands."""
        from reader.feeds.store import feed_titles
        from reader.library.errors import DamagedDocument

        damaged: list[DamagedDocument] = []
        version = repo.version
        articles = repo.articles(damaged)
        feeds = feed_titles(repo)
        return cls(version, articles, repo.quote_counts(), [str(d) for d in damaged], feeds)
