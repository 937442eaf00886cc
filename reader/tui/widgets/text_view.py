"""The article text: a Line-API ScrollView drawing wrapped lines, with find and a passage cursor."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.timer import Timer

from reader.console import visible
from reader.library.models import Article, Quote
from reader.tui.messages import LeaveText, PositionChanged, QuoteRequested, message

from . import text_layout as tl
from . import text_paint as tp

HINT = "No article open: choose one from the list."
SETTLE_SECONDS = 0.3
FLASH_SECONDS = 1.0


class TextView(ScrollView, can_focus=True, inherit_bindings=False):
    """The article's text, wrapped per block and drawn line by line (Line API)."""

    ALLOW_SELECT = True
    COMPONENT_CLASSES = set(tp.COMPONENT_CLASSES)
    DEFAULT_CSS = """
    TextView {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        & > .text-view--headline { color: $text-accent; text-style: bold; }
        & > .text-view--credit { color: $text-muted; text-style: italic; }
        & > .text-view--subheading { text-style: bold; }
        & > .text-view--blockquote { color: $text-muted; text-style: italic; }
        & > .text-view--bar { color: $primary; }
        & > .text-view--code { background: $foreground 6%; }
        & > .text-view--table-head { text-style: bold; }
        & > .text-view--table-rule { color: $text-muted; }
        & > .text-view--caption { color: $text-muted; text-style: italic; }
        & > .text-view--quote { background: $warning-muted; text-style: underline; }
        & > .text-view--match { background: $primary-muted; }
        & > .text-view--match-current { background: $accent; color: $text; text-style: bold; }
        & > .text-view--cursor { background: $secondary-muted; text-style: bold; }
        & > .text-view--flash { background: $success-muted; }
        & > .text-view--hint { color: $text-muted; text-style: italic; }
    }
    """
    # The same keys scroll by line or move the passage cursor: check_action enables
    # one set or the other, so the Footer shows the keys of the current mode.
    BINDINGS = [
        # Passage-cursor keys first, so the Footer lists them first while the mode is on
    # (and no inherited bindings: the scroll keys are all here, in reading order).
        Binding("j,down", "cursor('next')", "Next", id="cursor.next", tooltip="Next sentence"),
        Binding("k,up", "cursor('previous')", "Prev", id="cursor.previous",
                tooltip="Previous sentence"),
        Binding("J", "cursor('extend')", "Extend", id="cursor.extend",
                tooltip="Add the next sentence to the selection"),
        Binding("K", "cursor('shrink')", "Shrink", id="cursor.shrink",
                tooltip="Drop the last sentence from the selection"),
        Binding("p", "cursor('paragraph')", "Paragraph", id="cursor.paragraph",
                tooltip="Select the whole paragraph"),
        Binding("j,down", "scroll_lines(1)", "Down", show=False, id="text.line_down",
                tooltip="Scroll down a line"),
        Binding("k,up", "scroll_lines(-1)", "Up", show=False, id="text.line_up",
                tooltip="Scroll up a line"),
        Binding("space,pagedown", "scroll_pages(1)", "Page", id="text.page_down",
                tooltip="Scroll down a page"),
        Binding("shift+space,pageup", "scroll_pages(-1)", "Page up", show=False,
                id="text.page_up", tooltip="Scroll up a page"),
        Binding("ctrl+d", "scroll_pages(0.5)", "Half page", show=False, id="text.half_down",
                tooltip="Scroll down half a page"),
        Binding("ctrl+u", "scroll_pages(-0.5)", "Half page up", show=False, id="text.half_up",
                tooltip="Scroll up half a page"),
        Binding("g,home", "top", "Top", show=False, id="text.top", tooltip="Go to the start"),
        Binding("G,end", "bottom", "End", show=False, id="text.bottom", tooltip="Go to the end"),
        Binding("slash", "find", "Find", id="text.find", tooltip="Find in this article"),
        Binding("n", "find_step(1)", "Next match", id="text.find_next", tooltip="Next match"),
        Binding("N", "find_step(-1)", "Previous match", show=False, id="text.find_previous",
                tooltip="Previous match"),
        Binding("v", "toggle_cursor", "Passage", id="text.cursor",
                tooltip="Passage cursor: choose sentences to keep"),
        Binding("b", "quote", "Keep", id="text.quote", tooltip="Keep the selection as a quote"),
        Binding("y", "copy", "Copy", id="text.copy",
                tooltip="Copy the selection (passage cursor or mouse)"),
        Binding("escape", "back", "Back", id="text.back",
                tooltip="Leave the cursor or find, else back to the list"),
    ]  # fmt: skip

    text_width: reactive[int] = reactive(80)
    """Maximum width of the text column in cells; the column is centred."""

    @message
    class FindRequested(Message):
        """`/` in the text: the pane should open its find bar."""

    @message
    class StateChanged(Message):
        """The article, find or cursor state changed (the pane watches scroll_y for the rest)."""

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, text_width: int = 80
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(TextView.text_width, text_width)
        self._article: Article | None = None
        self._body = self._text = ""  # _text: the body as drawn, control characters made visible
        self._blocks: list[tuple[int, int, str]] = []
        self._layout: tl.Layout | None = None
        self._layouts: dict[int, tl.Layout] = {}  # by column width
        self._anchor = 0  # the body offset kept on the top line across re-wraps
        self._pending: int | None = None  # an offset to reveal once the widget has a size
        self._quotes: list[tuple[int, int]] = []
        self._find = tl.Matches()
        self._passage: tl.Passage | None = None  # the sentences, once the cursor was used
        self._cursor_on = False
        self._flash: tuple[int, int] | None = None
        self._flash_timer: Timer | None = None
        self._settle_timer: Timer | None = None
        self._known: tuple[int | None, int] = (None, 0)  # the position last posted or shown
        self._lines: LRUCache[int, Strip] = LRUCache(256)
        self._painter = tp.Painter(self)
        self._highlighted: tp.Highlights | None = None  # as drawn in _lines

    # -- public API ------------------------------------------------------------------

    def show(self, article: Article, body: str, quotes: Sequence[Quote], position: int = 0) -> None:
        """Lay out an article and scroll so that body offset ``position`` is on the top line."""
        from reader.text.structure import blocks_of  # not needed for the app's first screen

        self._reset(article, body)
        marked = [(b.start, b.end, b.kind) for b in article.blocks]
        self._blocks = [(s.start, s.end, s.kind) for s in blocks_of(body, marked)]
        self._quotes = sorted((q.start, q.end) for q in quotes)
        self._anchor = position
        laid_out = self._relayout(position)
        self._known = (article.id, self.top_offset if laid_out else position)

    def clear(self) -> None:
        """Show no article: a quiet hint line."""
        self._reset(None, "")
        self.virtual_size = Size(0, 0)
        self._scroll_y(0)

    def _reset(self, article: Article | None, body: str) -> None:
        if self._settle_timer is not None:
            # The previous article's last position must not wait for a timer that would
            # then read the new article.
            self._settle_timer.stop()
            self._settle()
        self._article, self._body, self._text = article, body, tl.display_text(body)
        self._blocks, self._quotes, self._layouts, self._layout = [], [], {}, None
        self._find, self._pending = tl.Matches(), None
        self._passage, self._cursor_on, self._flash, self._known = None, False, None, (None, 0)
        if self.is_mounted and self.text_selection is not None:
            self.screen.clear_selection()
        self.refresh_bindings()
        self._invalidate()
        self._changed()

    def set_quotes(self, quotes: Sequence[Quote]) -> None:
        """Highlight these saved quotes (this article's)."""
        self._quotes = sorted((q.start, q.end) for q in quotes)
        self._invalidate()

    def scroll_to_offset(self, offset: int, *, flash: tuple[int, int] | None = None) -> None:
        """Bring the line with ``offset`` into view (a third from the top); maybe flash a range."""
        if flash is not None:
            if self._flash_timer is not None:
                self._flash_timer.stop()
            self._flash, self._flash_timer = flash, self.set_timer(FLASH_SECONDS, self._end_flash)
            self._invalidate()
        if self._layout is None:
            self._pending = offset
            return
        line = self._layout.line_of(offset)
        top, height = self.scroll_offset.y, self._height
        if not top <= line < top + height:
            self._scroll_y(max(0, line - height // 3))

    @property
    def wrapped(self) -> tl.Layout | None:
        """The wrapped lines for the current width (None until there is an article and a size)."""
        return self._layout

    @property
    def column_margin(self) -> int:
        """Cells between the view's left edge and the text column (the column is centred)."""
        if self._layout is None:
            return 0
        return max(0, (self.scrollable_content_region.width - self._layout.width) // 2)

    @property
    def body(self) -> str:
        """The stored body of the article shown ("" when none is)."""
        return self._body

    @property
    def article_id(self) -> int | None:
        """The shown article's id, if any."""
        return self._article.id if self._article else None

    @property
    def top_offset(self) -> int:
        """Body offset at the start of the top visible line: the reading position."""
        if self._layout is None or not len(self._layout):
            return self._anchor if self._article else 0
        return self._layout.starts[min(self.scroll_offset.y, len(self._layout) - 1)]

    @property
    def progress(self) -> float:
        """The reading position as a fraction of the text (the top line's offset over the
        body's length), so it reads the same at every width; 1.0 once the last line shows."""
        if self._layout is None or not len(self._layout) or not self._body:
            return 0.0
        if self.scroll_offset.y + self._height >= len(self._layout):
            return 1.0
        return min(1.0, self.top_offset / len(self._body))

    def find(self, query: str) -> int:
        """Highlight every match of ``query``, go to the first at or after the view; the count."""
        self._find.search(self._body, query, self.top_offset)
        self._found()
        return len(self._find.spans)

    def find_next(self) -> None:
        """Go to the next match, wrapping round."""
        self.action_find_step(1)

    def find_previous(self) -> None:
        """Go to the previous match, wrapping round."""
        self.action_find_step(-1)

    def clear_find(self) -> None:
        """Forget the query and its highlights."""
        self._find.search(self._body, None)
        self._found()

    @property
    def find_active(self) -> bool:
        """Whether a find is in progress (its bar open or its matches shown)."""
        return self._find.query is not None

    @property
    def match_index(self) -> int | None:
        """Index (from 0) of the current match, if any."""
        return self._find.index

    @property
    def match_count(self) -> int:
        """How many matches the current query has."""
        return len(self._find.spans)

    @property
    def cursor_active(self) -> bool:
        """Whether the passage cursor is on."""
        return self._cursor_on

    @property
    def cursor_range(self) -> tuple[int, int] | None:
        """The body range the passage cursor selects, while it is on."""
        return self._passage.span if self._cursor_on and self._passage else None

    # -- layout and scrolling --------------------------------------------------------

    def _scroll_y(self, y: float) -> None:
        # force: just after a re-wrap the scrollbar state lags the new virtual size.
        self.scroll_to(y=y, animate=False, force=True)

    @property
    def _height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _relayout(self, keep: int | None = None) -> bool:
        """Wrap for the current width, keeping ``keep`` (or the anchor) on the top line."""
        width = self.scrollable_content_region.width
        if self._article is None or width <= 0:
            return False
        column = max(1, min(self.text_width, width - 2))
        if self._layout is not None and self._layout.width == column and keep is None:
            return True
        if keep is None:
            # The anchor survives re-wraps (no drift) until the reader scrolls off its line.
            old = self._layout
            at_anchor = old is None or old.line_of(self._anchor) == self.scroll_offset.y
            keep = self._anchor if at_anchor else self.top_offset
        new = self._layouts.get(column)
        if new is None:
            from reader.tui.widgets.byline import byline

            credit = visible(byline(self._article))
            new = tl.layout(self._text, self._blocks, column, credit)
            self._layouts = {**dict(list(self._layouts.items())[-3:]), column: new}
        unmoved = self._known == (self.article_id, self.top_offset)
        self._layout, self._anchor = new, keep
        self.virtual_size = Size(width, len(new))
        self._scroll_y(new.line_of(keep))
        if unmoved:  # a re-wrap is not the reader moving: not a new position to save
            self._known = (self.article_id, self.top_offset)
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.scroll_to_offset(pending)
        self._invalidate()
        self._changed()
        return True

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap when the column width changes; re-centre otherwise."""
        self._invalidate()
        self._relayout()

    def watch_text_width(self) -> None:
        """A new column width: re-wrap."""
        self._relayout()

    def notify_style_update(self) -> None:
        """The theme or CSS changed: drop styled lines and styles."""
        super().notify_style_update()
        self._painter.forget_styles()
        self._lines.clear()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolled: report the reading position once the scrolling settles (throttled)."""
        super().watch_scroll_y(old_value, new_value)
        if self._settle_timer is None and self._article is not None:
            self._settle_timer = self.set_timer(SETTLE_SECONDS, self._settle)

    def _settle(self) -> None:
        self._settle_timer = None
        if self._article is not None and self._layout is not None:
            position = (self._article.id, self.top_offset)
            if position != self._known:
                self._known, self._anchor = position, position[1]
                self.post_message(PositionChanged(position[0], position[1], self.progress))

    def action_scroll_lines(self, lines: int) -> None:
        """Scroll by lines."""
        self._scroll_y(self.scroll_offset.y + lines)

    def action_scroll_pages(self, pages: float) -> None:
        """Scroll by pages; a whole page keeps one line of context."""
        lines = self._height - 1 if abs(pages) == 1 else int(self._height * abs(pages))
        self.action_scroll_lines(max(1, lines) * (1 if pages > 0 else -1))

    def action_top(self) -> None:
        """Go to the start."""
        self._scroll_y(0)

    def action_bottom(self) -> None:
        """Go to the end."""
        self._scroll_y(self.max_scroll_y)

    # -- find, cursor, quotes ---------------------------------------------------------

    def _found(self) -> None:
        if (current := self._find.current) is not None:
            self.scroll_to_offset(current[0])
        self.refresh_bindings()
        self._invalidate()
        self._changed()

    def action_find(self) -> None:
        """Ask the pane for its find bar."""
        self.post_message(self.FindRequested())

    def action_find_step(self, delta: int) -> None:
        """Next (1) or previous (-1) match."""
        if self._find.step(delta):
            self._found()

    def action_back(self) -> None:
        """Leave the cursor, else the mouse selection, else find; else back to the list."""
        if self._cursor_on:
            self._set_cursor(False)
        elif self.text_selection is not None:
            self.screen.clear_selection()
        elif self.find_active:
            self.clear_find()
        else:
            self.post_message(LeaveText())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Line keys scroll or move the cursor by mode; n/N need matches."""
        if action == "cursor":
            return self._cursor_on
        if action == "scroll_lines" and parameters in ((1,), (-1,)):
            return not self._cursor_on
        if action == "find_step":
            return bool(self._find.spans) and not self._cursor_on
        # Paging, find and v are out of the footer while choosing sentences: it lists that
        # mode's keys (b, y and escape included) in full. Escape leaves the mode.
        return not (action in ("scroll_pages", "find", "toggle_cursor") and self._cursor_on)

    def _set_cursor(self, on: bool, *, show_end: bool = False) -> None:
        self._cursor_on = on
        if on and self._layout is not None and self._passage:
            start, end = self._passage.span
            first, last = self._layout.line_of(start), self._layout.line_of(max(start, end - 1))
            # Growing shows the new end; moving shows the start, and the end if it fits.
            focus = max(first, last - self._height + 1) if show_end else first
            self._scroll_y(tl.reveal(focus, last, self.scroll_offset.y, self._height))
        self.refresh_bindings()
        self._invalidate()
        self._changed()

    def action_toggle_cursor(self) -> None:
        """Start the passage cursor on the first sentence in view, or leave it."""
        if self._cursor_on or self._layout is None:
            self._set_cursor(False)
            return
        if self._passage is None:
            self._passage = tl.Passage(self._body, self._blocks)
        if self._passage:
            below = self.scroll_offset.y + self._height
            bottom = self._layout.starts[below] if below < len(self._layout) else len(self._body)
            self._passage.start(self.top_offset, bottom)
            self._set_cursor(True)

    def action_cursor(self, how: str) -> None:
        """Move the cursor: "next", "previous", "extend", "shrink" or "paragraph"."""
        if self._passage is not None and self._passage.move(how):
            self._set_cursor(True, show_end=how in ("extend", "shrink"))

    def _chosen_span(self, clear: bool) -> tuple[int, int] | None:
        """The mouse selection, else the passage cursor's sentences, trimmed; None (and a
        hint) when neither is there."""
        span = None
        if (selection := self.text_selection) is not None:
            span = self._selection_span(selection)
            if clear:
                self.screen.clear_selection()
        elif self._cursor_on:
            span = self.cursor_range
        if span is None or self._article is None:
            self.notify("Select a passage first: v for the passage cursor, or drag the mouse.")
            return None
        start, end = tl.trimmed(self._body, *span)
        return (start, end) if start < end else None

    def action_quote(self) -> None:
        """Keep the mouse selection, else the cursor's sentences, as a quote."""
        span = self._chosen_span(clear=True)
        if span is not None and self._article is not None:
            self.post_message(QuoteRequested(self._article.id, *span))

    def action_copy(self) -> None:
        """Copy the mouse selection, else the cursor's sentences, to the clipboard."""
        span = self._chosen_span(clear=False)
        if span is not None:
            self.app.copy_to_clipboard(self._body[span[0] : span[1]])
            self.notify("Copied the passage to the clipboard.", timeout=2)

    def _end_flash(self) -> None:
        self._flash, self._flash_timer = None, None
        self._invalidate()

    # -- mouse selection -------------------------------------------------------------

    def _selection_span(self, selection: Selection) -> tuple[int, int] | None:
        """The body range of a selection, widened to whole words (a drag that starts or ends
        mid-word keeps the word, as a reader means it); its x is a column in the line's text."""
        if self._layout is None or not len(self._layout):
            return None
        return tl.whole_words(self._body, *self._layout.span(selection.start, selection.end))

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected body text, exactly as stored."""
        span = self._selection_span(selection)
        return None if span is None else (self._body[span[0] : span[1]], "\n")

    def selection_updated(self, selection: Selection | None) -> None:
        """Repaint with the new selection."""
        self._invalidate()

    # -- rendering ---------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._lines.clear()
        self._highlighted = None
        self.refresh()

    def _changed(self) -> None:
        self.post_message(self.StateChanged())

    def render_line(self, y: int) -> Strip:
        """One visible row, from the cache unless something on it changed."""
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        strip = self._lines.get(row)
        if strip is None or strip.cell_length != width:
            strip = self._lines[row] = self._render_row(row, width)
        return strip

    def _render_row(self, row: int, width: int) -> Strip:
        lay = self._layout
        if lay is None or row >= len(lay):
            hint = self._article is None and row == 1
            return self._painter.hint(HINT, width) if hint else self._painter.blank(width)
        if self._highlighted is None:
            # One for every line drawn until the next _invalidate: whatever changes a
            # highlight has to drop the cached lines too.
            selection = self.text_selection if self.is_mounted else None
            selected = None if selection is None else self._selection_span(selection)
            cursor, flash = self.cursor_range, self._flash
            self._highlighted = tp.Highlights(self._quotes, self._find, selected, cursor, flash)
        return self._painter.row(lay, self._text, row, width, self._highlighted)
