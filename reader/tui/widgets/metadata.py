"""The Metadata pane: what is known about the article under the cursor."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from reader.console import visible
from reader.library import Article

LABEL_WIDTH = 10


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "—"


class MetadataPane(Static):
    """Title, source, credit, language, length, dates, progress, quotes, file and hash."""

    DEFAULT_CSS = """
    MetadataPane { height: auto; padding: 0 1; }
    """

    def show_article(self, article: Article | None, quote_count: int = 0) -> None:
        """Show one article's facts (None: nothing selected)."""
        if article is None:
            self.update(Content("No article selected."))
            return
        rows = [
            ("Title", article.title),
            ("Source", article.source or "—"),
            ("Author", article.author or "—"),
            ("Published", article.published or "—"),
            ("Credit", article.credit or "—"),
            ("Language", article.language or "—"),
            ("Words", f"{article.words:,} · {article.reading_minutes} min"),
            ("Added", _when(article.added)),
            ("Read", _when(article.last_read) if article.last_read else "not yet"),
            ("Progress", f"{round(article.progress * 100)}%" + (" · read" if article.read else "")),
            ("Quotes", str(quote_count)),
            ("File", article.file or "—"),
            ("Hash", article.hash[:12]),
        ]
        if article.url:
            rows.append(("URL", article.url))
        if article.tags:
            rows.append(("Tags", ", ".join(article.tags)))
        # Values are untrusted (titles, file names): Content from plain strings, styled by spans.
        lines = [
            Content.assemble((f"{label:<{LABEL_WIDTH}}", "$text-muted"), visible(value))
            for label, value in rows
        ]
        self.update(Content("\n").join(lines))
