"""The Metadata pane: what is known about the article the side column describes."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from reader.console import visible
from reader.library import Article
from reader.tui.widgets.byline import byline, human_date

NOTHING = Content("No article selected.")


class MetadataPane(Widget):
    """The facts of one article, most used first; long values wrap under themselves."""

    DEFAULT_CSS = """
    MetadataPane { height: auto; padding: 0 1; overflow-y: auto; }
    """

    #: The article shown (None: none), and the quote count shown with it.
    article_id: int | None = None
    quote_count = 0

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[Article | None, int, str | None] = (None, 0, None)
        self._title = NOTHING
        self._rows: list[tuple[str, Content]] = []
        # The lines for one width: the pane is drawn, and measured, from them. A Rich grid
        # was rendered twice for each cursor move (once to measure it), a fifth of a move.
        self._lines: tuple[int, list[Content]] | None = None

    def show_article(
        self, article: Article | None, quote_count: int = 0, feed: str | None = None
    ) -> None:
        """Show one article's facts (None: nothing selected), with the title of the feed it
        came from, if any."""
        shown = (article, quote_count, feed)
        if self._lines is not None and shown == self._shown:
            return  # as shown (the library changed elsewhere)
        self._shown = shown
        self.article_id = article.id if article else None
        self.quote_count = quote_count if article else 0
        before = self._lines
        self._title, self._rows = (
            (NOTHING, []) if article is None else _facts(article, quote_count, feed)
        )
        self._lines = None
        # The screen is laid out again only when the pane's height changes.
        same_height = before is not None and len(self._lines_at(before[0])) == len(before[1])
        self.refresh(layout=not same_height)

    def _lines_at(self, width: int) -> list[Content]:
        if self._lines is not None and self._lines[0] == width:
            return self._lines[1]
        lines = self._title.wrap(max(1, width))
        if self._rows:
            # A long value (a title, a URL) wraps under itself, not under its label.
            label_width = max(len(label) for label, _ in self._rows)
            room = max(1, width - label_width - 1)
            pad = " " * (label_width + 1)
            lines.append(Content(""))
            for label, value in self._rows:
                for number, part in enumerate(value.wrap(room)):
                    if number:
                        lines.append(Content.assemble(pad, part))
                    else:
                        head = Content.styled(label.ljust(label_width), "dim")
                        lines.append(Content.assemble(head, " ", part))
        self._lines = (width, lines)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the facts take at this width."""
        return len(self._lines_at(width))

    def render(self) -> Content:
        """The lines, already wrapped to the pane's width."""
        return Content("\n").join(self._lines_at(self.content_region.width))


def _facts(
    article: Article, quote_count: int, feed: str | None
) -> tuple[Content, list[tuple[str, Content]]]:
    """The title, and each known fact as (label, value). Values are untrusted: Content from
    plain strings, never markup."""
    by = byline(article)
    progress = f"{round(article.progress * 100)}%" + (" · read" if article.read else "")
    rows = [
        ("By", by, ""),
        ("URL", article.url or "", "underline"),
        # The feed, unless the byline names it already (as the source of a page that names
        # no site of its own).
        ("Feed", feed if feed and feed != article.source else "", ""),
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
    title = Content.styled(visible(article.title), "bold")
    return title, [(label, Content.styled(visible(v), s)) for label, v, s in rows if v]
