"""Painting the text view's rows: a wrapped line's styled runs as a Line-API strip."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from . import text_layout as tl

# Highlight layers, lowest first: a run's style adds each layer it is in, in this order.
QUOTE, MATCH, CURRENT, SELECTED, CURSOR, FLASH = 1, 2, 4, 8, 16, 32
_LAYERS = (
    (QUOTE, "text-view--quote"),
    (MATCH, "text-view--match"),
    (CURRENT, "text-view--match-current"),
    (SELECTED, "screen--selection"),  # the screen's, as for every selectable widget
    (CURSOR, "text-view--cursor"),
    (FLASH, "text-view--flash"),
)
_KIND_CLASSES = {
    tl.HEADLINE: "text-view--headline",
    tl.CREDIT: "text-view--credit",
    tl.SUBHEADING: "text-view--subheading",
    tl.BLOCKQUOTE: "text-view--blockquote",
    tl.CODE: "text-view--code",
    tl.TABLE_HEAD: "text-view--table-head",
    tl.TABLE_RULE: "text-view--table-rule",
    tl.CAPTION: "text-view--caption",
}
_HINT_CLASS = "text-view--hint"
#: The bar left of a block quote's lines, drawn in its indent.
_BAR_CLASS = "text-view--bar"
_BAR = -1  # its style's key among the kinds'
_PIPE = -2  # a table's column rule, drawn quiet
_TABLE_ROWS = (tl.TABLE, tl.TABLE_HEAD)
QUOTE_BAR = "▎"
#: The painted widget's own component classes, for its COMPONENT_CLASSES.
COMPONENT_CLASSES = frozenset(
    {
        *_KIND_CLASSES.values(),
        *(name for _, name in _LAYERS if name.startswith("text-view--")),
        _HINT_CLASS,
        _BAR_CLASS,
    }
)
#: A line kind with no style of its own: its style is the widget's.
_PLAIN = -1

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Highlights:
    """The body ranges highlighted, by layer."""

    quotes: Sequence[Span]
    find: tl.Matches
    selected: Span | None
    cursor: Span | None
    flash: Span | None

    def between(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Highlight ranges that may touch body[start:end], tagged with their layer."""
        ranges = [(a, b, QUOTE) for a, b in self.quotes if a < end and b > start]
        ranges += [(a, b, MATCH) for a, b in self.find.between(start, end)]
        if (current := self.find.current) is not None:
            ranges.append((*current, CURRENT))
        for span, layer in ((self.selected, SELECTED), (self.cursor, CURSOR), (self.flash, FLASH)):
            if span is not None:
                ranges.append((*span, layer))
        return ranges


class Painter:
    """Draws a widget's rows in the styles of its component classes, cached per kind and layers."""

    def __init__(self, widget: Widget) -> None:
        self._widget = widget
        self._styles: dict[tuple[int, int], Style] = {}

    def forget_styles(self) -> None:
        """Drop the cached styles: the theme or CSS changed."""
        self._styles.clear()

    def blank(self, width: int) -> Strip:
        """An empty row."""
        return Strip.blank(width, self._style(_PLAIN, 0))

    def hint(self, text: str, width: int) -> Strip:
        """A quiet line of ``text``, centred."""
        base = self._style(_PLAIN, 0)
        hint = text[:width]
        pad = Segment(" " * max(0, (width - cell_len(hint)) // 2), base)
        segments = [pad, Segment(hint, base + self._component(_HINT_CLASS))]
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    def row(self, lay: tl.Layout, text: str, row: int, width: int, marks: Highlights) -> Strip:
        """Line ``row`` of ``lay`` centred in ``width``: runs of ``text``, the body as drawn."""
        base = self._style(_PLAIN, 0)
        margin = max(0, (width - lay.width) // 2)
        kind, indent = lay.kinds[row], lay.indents[row]
        if kind == tl.BLOCKQUOTE:
            bar = QUOTE_BAR.ljust(tl.QUOTE_INDENT)
            segments = [Segment(" " * margin, base), Segment(bar, self._style(_BAR, 0))]
            segments.append(Segment(" " * (indent - tl.QUOTE_INDENT), base))
        else:
            segments = [Segment(" " * (margin + indent), base)]
        if kind == tl.CREDIT:
            segments.append(Segment(lay.extra.get(row, ""), self._style(kind, 0)))
        elif kind != tl.BLANK:
            start = lay.starts[row]
            end = start + len(text[start : lay.ends[row]].rstrip(" "))
            for s, e, mask in tl.runs(start, end, marks.between(start, end)):
                if kind in _TABLE_ROWS and "|" in text[s:e]:
                    segments.extend(self._table_run(text[s:e], kind, mask))
                else:
                    segments.append(Segment(text[s:e], self._style(kind, mask)))
            if kind == tl.CODE:
                # Code sits on a panel the column's width: pad its lines in its style.
                used = sum(segment.cell_length for segment in segments)
                segments.append(
                    Segment(" " * max(0, margin + lay.width - used), self._style(kind, 0))
                )
        strip = Strip(segments).extend_cell_length(width, base).crop(0, width)
        # Column 0 is the line's first character: the margin and indent get negative
        # columns, which clamp to the line's start when a selection maps to the body.
        return strip.apply_offsets(-(margin + indent), row)

    def _table_run(self, run: str, kind: int, mask: int) -> list[Segment]:
        """A run of a table row, its column rules ("|") quieter than the cells."""
        pieces = run.split("|")
        out = [Segment(pieces[0], self._style(kind, mask))]
        for piece in pieces[1:]:
            out.append(Segment("|", self._style(_PIPE, mask)))
            out.append(Segment(piece, self._style(kind, mask)))
        return [segment for segment in out if segment.text]

    def _style(self, kind: int, mask: int) -> Style:
        """A run's style: the line kind's plus each highlight layer it is in."""
        # Cached, the widget's own style too: rich_style is worked out afresh from the
        # ancestors at each call.
        style = self._styles.get((kind, mask))
        if style is None:
            widget = self._widget
            style = widget.rich_style
            if kind == _BAR:
                style += self._component(_BAR_CLASS)
            elif kind == _PIPE:
                style += self._component(_KIND_CLASSES[tl.TABLE_RULE])
            elif kind in _KIND_CLASSES:
                style += self._component(_KIND_CLASSES[kind])
            for bit, name in _LAYERS:
                if mask & bit:
                    style += self._component(name, widget.screen if bit == SELECTED else None)
            self._styles[kind, mask] = style
        return style

    def _component(self, name: str, node: Widget | None = None) -> Style:
        """Only what a component class sets, with colours blended as Textual blends them."""
        # A partial style drops alpha ("$text-muted" would be white on a light theme), a
        # full one sets every colour: take each colour from the full style if it is set.
        node = node or self._widget
        rules = node.get_component_styles(name)
        full = node.get_component_rich_style(name)
        color = full.color if rules.has_rule("color") and rules.color.a > 0 else None
        bgcolor = full.bgcolor if rules.has_rule("background") else None
        partial = node.get_component_rich_style(name, partial=True).without_color
        return partial + Style(color=color, bgcolor=bgcolor)
