"""The Metadata pane: what is known about the article the side column describes."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.content import Content
from textual.widgets import Static

from reader.console import visible
from reader.library import Article
from reader.tui.widgets.byline import byline, human_date


class MetadataPane(Static):
    """The facts of one article, most used first; long values wrap under themselves."""

    DEFAULT_CSS = """
    MetadataPane { height: auto; padding: 0 1; overflow-y: auto; }
    """

    #: The article shown (None: none), and the quote count shown with it.
    article_id: int | None = None
    quote_count = 0

    def show_article(self, article: Article | None, quote_count: int = 0) -> None:
        """Show one article's facts (None: nothing selected)."""
        self.article_id = article.id if article else None
        self.quote_count = quote_count if article else 0
        if article is None:
            self.update(Content("No article selected."))
            return
        by = byline(article)
        progress = f"{round(article.progress * 100)}%" + (" · read" if article.read else "")
        rows = [
            ("By", by, ""),
            ("URL", article.url or "", "underline"),
            ("Tags", " ".join(f"#{t}" for t in article.tags), ""),
            ("Length", f"{article.words:,} words · {article.reading_minutes} min", ""),
            ("Progress", progress, ""),
            ("Quotes", str(quote_count) if quote_count else "none yet", ""),
            ("Added", human_date(article.added), ""),
            ("Read", human_date(article.last_read) if article.last_read else "not yet", ""),
            ("Language", article.language or "", ""),
            # The credit, unless the byline already shows it.
            ("Credit", "" if article.credit and article.credit in by else article.credit or "", ""),
            ("File", article.file or "", ""),
            ("Hash", article.hash[:12], "dim"),
        ]
        # A grid rather than padded lines: a long value (a title, a URL) wraps under itself,
        # not under its label. Values are untrusted: Text from plain strings, never markup.
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for label, value, style in rows:
            if value:
                grid.add_row(label, Text(visible(value), style=style))
        title = Text(visible(article.title), style="bold")
        self.update(Group(title, Text(""), grid))
