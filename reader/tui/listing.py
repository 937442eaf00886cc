"""What the article list shows, read in one go (on a worker when another process wrote)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.library import Repository
    from reader.tui.widgets.article_rows import RowData


@dataclass(frozen=True, slots=True)
class Listing:
    """What the article list shows, read at one library ``version`` (off the UI thread)."""

    version: object
    #: The articles and what the list derives from them, in one sort order.
    rows: RowData
    #: One line for each article left out because its document is damaged.
    damaged: list[str]
    #: Every feed's title by id (for ``feed:name`` in the filter).
    feeds: dict[int, str] = field(default_factory=dict)

    @classmethod
    def read(cls, repo: Repository, sort: str = "added") -> Listing:
        """Every readable article and the quote counts, as the library stands, in ``sort``
        order (the list's, so that the UI thread only swaps them in)."""
        from reader.feeds.store import feed_titles
        from reader.library.errors import DamagedDocument
        from reader.tui.widgets.article_rows import RowData

        damaged: list[DamagedDocument] = []
        version = repo.version
        rows = RowData.of(repo.articles(damaged), repo.quote_counts(), sort)
        return cls(version, rows, [str(d) for d in damaged], feed_titles(repo))
