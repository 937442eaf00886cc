"""The key footer: as many of the focused pane's keys as fit whole, never a word cut off.

Textual's Footer lays every key out in one row and lets the last ones run off the edge
("z Text onl"). Bindings are listed by importance (the mode's own keys, then the app's),
so this footer keeps the keys that fit, in order, and leaves out the rest, which help
(``?``) and the palette still list. On the right it shows what runs in the background
(the app's ``activity``: "Feeds 12/50"), before any key.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.content import Content
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer, Static


def key_width(key: Widget) -> int | None:
    """Cells a footer key takes in the default (not compact) style: " k " then "Description ",
    or None for a widget that is not a key. (Footer's key class is not public: duck-typed.)"""
    display, description = getattr(key, "key_display", None), getattr(key, "description", None)
    if not isinstance(display, str) or not isinstance(description, str):
        return None
    width = cell_len(display) + 2
    return width + cell_len(description) + 1 if description else width


def _palette_width(widgets: Iterable[Widget]) -> int:
    """Cells the palette key takes among ``widgets``: with a one-cell rule on its left and
    padding on its right."""
    return sum((key_width(w) or 0) + 2 for w in widgets if w.has_class("-command-palette"))


class Activity(Static):
    """What the app is doing in the background, at the footer's right."""

    DEFAULT_CSS = """
    Activity { dock: right; width: auto; padding: 0 1; color: $text-accent; }
    """


class KeyFooter(Footer):
    """A Footer that shows only whole keys: those that fit, in the order given."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        # Before its first layout the footer has no size yet: it spans the screen's width.
        width = self.size.width or self.app.size.width
        self._laid_out_for = width
        activity = self._activity()
        if activity:
            width -= cell_len(activity) + 2
        kept = self.fitting(widgets, width)
        yield from kept
        if activity:
            shown = Activity(Content(activity))
            # Docked right too, so it stands left of the palette key rather than over it.
            shown.styles.margin = (0, _palette_width(kept), 0, 0)
            yield shown

    def _activity(self) -> str:
        # Any app can have this footer; the reader's app says what it is doing.
        return str(getattr(self.app, "activity", ""))

    @staticmethod
    def fitting(widgets: Iterable[Widget], width: int) -> list[Widget]:
        """The widgets that fit in ``width`` cells: the palette key (docked right) first."""
        widgets = list(widgets)
        palette = [w for w in widgets if w.has_class("-command-palette")]
        room = width - _palette_width(palette)
        kept: list[Widget] = []
        for widget in widgets:
            if widget in palette:
                continue
            needed = key_width(widget)
            if needed is None:
                break  # groups are not used by this app; if they come, stop rather than guess
            room -= needed
            if room < 0:
                break
            kept.append(widget)
        return [*kept, *palette]

    def on_mount(self) -> None:
        if hasattr(self.app, "activity"):
            self.watch(self.app, "activity", self._activity_changed, init=False)

    def _activity_changed(self, activity: str) -> None:
        shown = self.query(Activity)
        if shown and activity and cell_len(activity) == cell_len(str(shown.first().content)):
            shown.first().update(Content(activity))  # the same room: no new layout of keys
        else:
            self.refresh(recompose=True)

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._laid_out_for:
            self._laid_out_for = event.size.width
            self.refresh(recompose=True)

    _laid_out_for = -1
