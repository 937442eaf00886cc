"""The article list: a Line-API list of the library, with a sort and a live fuzzy filter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive, var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from reader.library.models import Article
from reader.tui.messages import (
    ArticleChosen,
    ArticleHighlighted,
    DeleteArticleRequested,
    TagArticleRequested,
    ToggleReadRequested,
    message,
)
from reader.tui.widgets.article_rows import SORTS, ArticleRows, RowData, RowLayout, row_pieces

#: Cursor moves within this many seconds make one ArticleHighlighted (holding `j` stays cheap).
HIGHLIGHT_DELAY = 0.05
EMPTY_LIBRARY = "No articles yet — import some with: reader import PATH"

_UNSET = object()
#: A drawn row, and the article and quote count it was drawn from.
_Drawn = tuple[Article, int, Strip]


class ArticleList(ScrollView, can_focus=True):
    """The articles, one row each, drawn with the Line API: 10,000 rows are not 10,000 widgets."""

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Open", id="list.open", tooltip="Read the article"),
        Binding("/", "filter", "Filter", id="list.filter", tooltip="Filter by title and source"),
        Binding("s", "cycle_sort", "Sort", id="list.sort", tooltip="Next sort order"),
        Binding("u", "toggle_read", "Read/unread", id="list.toggle_read", tooltip="Mark read"),
        Binding("d", "delete", "Delete", id="list.delete", tooltip="Delete (asks first)"),
        Binding("t", "tag", "Tags", id="list.tags", tooltip="Edit the article's tags"),
        Binding("j,down", "move(1)", "Down", show=False, id="list.down", tooltip="Next"),
        Binding("k,up", "move(-1)", "Up", show=False, id="list.up", tooltip="Previous"),
        Binding("g,home", "first", "First", show=False, id="list.first", tooltip="First row"),
        Binding("G,end", "last", "Last", show=False, id="list.last", tooltip="Last row"),
        Binding(
            "pageup,ctrl+b", "page(-1)", "Page up", show=False, id="list.page_up", tooltip="Up"
        ),
        Binding(
            "pagedown,ctrl+f",
            "page(1)",
            "Page down",
            show=False,
            id="list.page_down",
            tooltip="Down",
        ),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--marker",
        "article-list--meta",
        "article-list--match",
    }
    DEFAULT_CSS = """
    ArticleList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        &:focus { background-tint: $foreground 5%; }
        & > .article-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .article-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .article-list--unread { text-style: bold; }
        & > .article-list--marker { color: $text-accent; }
        & > .article-list--meta { color: $text-muted; }
        & > .article-list--match { color: $text-accent; text-style: bold underline; }
    }
    """

    sort: reactive[str] = reactive("added", init=False)
    """The order: "added" (newest first), "title" (A to Z), "length" (shortest), "progress"."""
    filter_text: reactive[str] = reactive("", init=False)
    """The fuzzy filter over title and source; empty shows everything."""
    counts: var[tuple[int, int]] = var((0, 0))
    """Rows shown and articles in the list."""

    @message
    class FilterRequested(Message):
        """The person pressed the filter key: the pane shows its input."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._model = ArticleRows()
        self._total: int | None = None
        self._styles_of: dict[tuple[bool, bool], dict[str, Style]] = {}
        self._cursor = 0
        # Drawn rows, with the article and quote count each was drawn from: a row is drawn
        # again only when those change (or the filter, width or sources' width do).
        self._strips: LRUCache[tuple[int, int, bool, bool], _Drawn] = LRUCache(1024)
        self._highlight_timer: Timer | None = None
        self._posted: object = _UNSET
        self._chose_on_click = False

    # -- public API ----------------------------------------------------------------------

    def set_articles(
        self,
        articles: Sequence[Article],
        quote_counts: Mapping[int, int],
        total: int | None = None,
        feeds: Mapping[int, str] | None = None,
    ) -> None:
        """Replace the rows (see ``set_rows``), deriving what the list needs here."""
        self.set_rows(RowData.of(articles, quote_counts, self.sort), total, feeds)

    def set_rows(
        self, data: RowData, total: int | None = None, feeds: Mapping[int, str] | None = None
    ) -> None:
        """Replace the rows, keeping the cursor on the same article if it is still there.

        ``total`` is the library's size when ``data`` holds only its newest articles (the
        start view); ``feeds`` are the feeds' titles by id, for ``feed:name`` in the filter.
        """
        keep = self.highlighted
        self._total = total
        if feeds is not None:
            self._model.feed_titles = feeds
        wider = data.source_width != self._model.source_width
        self._model.replace(data, self.sort)
        self._rows_changed(keep, redraw=wider)

    def update_article(self, article: Article, quote_count: int | None = None) -> None:
        """Redraw one changed article in place; the order stays until the next sort."""
        if not self._model.update(article, quote_count):
            return
        if (row := self._model.row_of(article.id)) is not None:
            self.refresh_line(row)

    def feed_title(self, article: Article | None) -> str | None:
        """The title of the feed ``article`` came from (None: from no feed, or not known)."""
        if article is None or article.feed is None:
            return None
        return self._model.feed_titles.get(article.feed)

    @property
    def highlighted(self) -> Article | None:
        """The article under the cursor, if any."""
        return self._model.article(self._cursor) if self._model.rows else None

    @property
    def cursor_row(self) -> int:
        """The cursor's row among the rows shown."""
        return self._cursor

    @property
    def all_articles(self) -> list[Article]:
        """Every article the list holds, shown or filtered out."""
        return list(self._model.articles)

    @property
    def shown(self) -> list[Article]:
        """The articles shown, in display order."""
        return [self._model.article(row) for row in range(len(self._model))]

    def select_article(self, article_id: int) -> None:
        """Move the cursor to an article, clearing a filter that hides it."""
        if self._model.row_of(article_id) is None:
            self.filter_text = ""
        if (row := self._model.row_of(article_id)) is not None:
            self._move_cursor(row)

    def choose_first(self) -> None:
        """Open the first row (the best match while filtering)."""
        if self._model.rows:
            self._move_cursor(0)
            # Run in this widget's own context: a message made while the pane handles an event
            # counts the pane as its sender, and Textual stops such a message at the pane.
            self.call_later(self.action_choose)

    # -- reactives -----------------------------------------------------------------------

    def validate_sort(self, sort: str) -> str:
        """Only the known sort orders."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}; expected one of {', '.join(SORTS)}")
        return sort

    def watch_sort(self) -> None:
        """Re-sort, keeping the cursor on its article."""
        keep = self.highlighted
        self._model.resort(self.sort)
        self._rows_changed(keep, redraw=False)

    def watch_filter_text(self) -> None:
        """Narrow the rows: the best match first, or back to the highlighted one when cleared."""
        keep = self.highlighted
        self._model.refilter(self.filter_text)
        self._rows_changed(None if self.filter_text else keep)

    # -- cursor --------------------------------------------------------------------------

    def _rows_changed(self, keep: Article | None, redraw: bool = True) -> None:
        """The rows changed: keep the cursor on ``keep``; ``redraw`` drops every drawn row
        (the filter's matches or the sources' width changed)."""
        if redraw:
            self._strips.clear()
        row = self._model.row_of(keep.id) if keep else None
        self._cursor = 0
        self.virtual_size = Size(self.scrollable_content_region.width, self._height())
        self.counts = (len(self._model), self._total or len(self._model.articles))
        self._move_cursor(row or 0)
        self.refresh()
        self.refresh_bindings()

    def _height(self) -> int:
        """Rows to scroll through: all the library's while only its newest are known, so the
        scroll bar does not jump when the rest arrive."""
        if self.filter_text or self._total is None:
            return len(self._model)
        return max(len(self._model), self._total)

    def _move_cursor(self, row: int) -> None:
        if not self._model.rows:
            self._cursor = 0
            self._schedule_highlight()
            return
        row = max(0, min(row, len(self._model) - 1))
        if row != self._cursor:
            self.refresh_line(self._cursor)
            self.refresh_line(row)
            self._cursor = row
        self._scroll_to_cursor()
        self._schedule_highlight()

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = self.scroll_offset.y
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False)

    def _schedule_highlight(self) -> None:
        if self._highlight_timer is None and self.is_mounted:
            self._highlight_timer = self.set_timer(HIGHLIGHT_DELAY, self._post_highlight)

    def _post_highlight(self) -> None:
        self._highlight_timer = None
        article = self.highlighted
        current = article.id if article else None
        if current != self._posted:
            self._posted = current
            self.post_message(ArticleHighlighted(current))

    # -- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw the row at ``y`` in the viewport, from the strip cache when it can."""
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        model = self._model
        if not model.rows:
            return self._message(width) if y == 0 else Strip.blank(width, self.rich_style)
        if row >= len(model):
            return Strip.blank(width, self.rich_style)
        article = model.article(row)
        cursor = row == self._cursor
        key = (article.id, width, cursor, self.has_focus)
        quotes = model.quotes.get(article.id, 0)
        cached = self._strips.get(key)
        if cached is not None and cached[0] is article and cached[1] == quotes:
            return cached[2]
        layout = RowLayout.fit(width, model.source_width)
        styles = self._kind_styles(cursor)
        pieces = row_pieces(article, quotes, model.matches(row), layout)
        strip = Strip([Segment(text, styles[kind]) for text, kind in pieces])
        strip = strip.adjust_cell_length(width, styles["title"])
        self._strips[key] = (article, quotes, strip)
        return strip

    def _message(self, width: int) -> Strip:
        message = f"No match for “{self.filter_text}”" if self._model.articles else EMPTY_LIBRARY
        text = Text(f" {message}", style=self.get_component_rich_style("article-list--meta"))
        text.truncate(width, overflow="ellipsis")
        text.stylize_before(self.rich_style)
        text.end = ""
        segments = list(text.render(self.app.console))
        return Strip(segments).adjust_cell_length(width, self.rich_style)

    def _kind_styles(self, cursor: bool) -> dict[str, Style]:
        """The style of each kind of row piece, over the list's own (combined once, not per
        row: Rich's style arithmetic was most of the cost of drawing a row)."""
        key = (cursor, self.has_focus)
        if (styles := self._styles_of.get(key)) is None:
            component = self.get_component_rich_style
            over = component("article-list--cursor") if cursor else Style()
            styles = {
                kind: self.rich_style + extra + over
                for kind, extra in (
                    ("title", Style()),
                    ("unread", component("article-list--unread")),
                    ("marker", component("article-list--marker")),
                    ("meta", component("article-list--meta")),
                    ("match", component("article-list--match")),
                )
            }
            self._styles_of[key] = styles
        return styles

    def notify_style_update(self) -> None:
        """A theme or CSS change: drop the drawn rows."""
        super().notify_style_update()
        self._strips.clear()
        self._styles_of.clear()

    def on_resize(self) -> None:
        """New width: new layout, and the cursor stays in view."""
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self._height())
        self._scroll_to_cursor()

    def on_mount(self) -> None:
        """Announce the first highlighted article."""
        self._schedule_highlight()

    @on(events.Focus)
    @on(events.Blur)
    def _redraw_cursor(self) -> None:
        # The cursor row is drawn dimmer while the list is not focused.
        self.refresh_line(self._cursor)

    # -- mouse ---------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor; a click on the cursor row, or a double click, opens."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.scroll_offset.y + offset.y
        if row >= len(self._model):
            return
        if event.chain == 1:
            self._chose_on_click = row == self._cursor
            self._move_cursor(row)
            if self._chose_on_click:
                self.action_choose()
        elif event.chain == 2 and not self._chose_on_click:
            self._chose_on_click = True
            self._move_cursor(row)
            self.action_choose()

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Actions on an article are shown disabled while there is none."""
        if action in {"choose", "toggle_read", "delete"} and not self._model.rows:
            return None
        return True

    def action_move(self, rows: int) -> None:
        """Move the cursor by ``rows``."""
        self._move_cursor(self._cursor + rows)

    def action_page(self, pages: int) -> None:
        """Move the cursor by ``pages`` screens."""
        self.action_move(pages * max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        """First row."""
        self._move_cursor(0)

    def action_last(self) -> None:
        """Last row."""
        self._move_cursor(len(self._model) - 1)

    def action_choose(self) -> None:
        """Open the highlighted article."""
        if article := self.highlighted:
            self.post_message(ArticleChosen(article.id))

    def action_toggle_read(self) -> None:
        """Ask to flip the highlighted article's read state."""
        if article := self.highlighted:
            self.post_message(ToggleReadRequested(article.id))

    def action_delete(self) -> None:
        """Ask to delete the highlighted article."""
        if article := self.highlighted:
            self.post_message(DeleteArticleRequested(article.id))

    def action_tag(self) -> None:
        """Ask to edit the highlighted article's tags."""
        if article := self.highlighted:
            self.post_message(TagArticleRequested(article.id))

    def action_cycle_sort(self) -> None:
        """Next sort order."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]

    def action_filter(self) -> None:
        """Ask the pane for the filter input."""
        self.post_message(self.FilterRequested())
