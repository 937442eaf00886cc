"""The text pane: the article's TextView, a find bar shown on `/`, and a one-line status."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from .text_view import TextView


class TextPane(Vertical):
    """The article text with its find bar and a status line (progress, matches, mode)."""

    DEFAULT_CSS = """
    TextPane {
        height: 1fr;
        & > TextView { height: 1fr; }
        & > #text-find { display: none; height: auto; }
        &.-finding > #text-find { display: block; }
        & > #text-status { height: 1; color: $text-muted; background: $surface; }
    }
    """
    BINDINGS = [
        Binding("escape", "close_find", "Close find", show=False, id="find.close",
                tooltip="Close the find bar and clear the matches"),
    ]  # fmt: skip

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, text_width: int = 80
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._view = TextView(id="text-view", text_width=text_width)
        self._find_bar: Input | None = None
        self._status = ""

    @property
    def view(self) -> TextView:
        """The TextView inside."""
        return self._view

    def compose(self) -> ComposeResult:
        yield self._view
        yield Static(id="text-status")

    def on_mount(self) -> None:
        # Progress changes with every scroll; watching scroll_y beats a message per line.
        self.watch(self._view, "scroll_y", self._update_status)

    @on(TextView.FindRequested)
    def _open_find(self) -> None:
        if self._find_bar is None:
            # Made on the first `/`: an Input is costly to start with.
            self._find_bar = Input(placeholder="Find in this article", id="text-find", compact=True)
            self.mount(self._find_bar, before="#text-status")
        if not self._view.find_active:
            self._view.find(self._find_bar.value)  # an open bar is an active find
        self.add_class("-finding")
        self._find_bar.focus()

    @on(Input.Changed, "#text-find")
    def _find_as_you_type(self, event: Input.Changed) -> None:
        event.stop()
        if self.has_class("-finding"):
            self._view.find(event.input.value)  # the bar's text now, not a queued one

    @on(Input.Submitted, "#text-find")
    def _back_to_text(self, event: Input.Submitted) -> None:
        # The matches stay: n/N go through them from the text.
        event.stop()
        self._view.focus()

    def action_close_find(self) -> None:
        """Hide the find bar, clear the matches and go back to the text."""
        self._view.clear_find()
        self._view.focus()

    @on(TextView.StateChanged)
    def _state_changed(self, event: TextView.StateChanged) -> None:
        event.stop()
        bar = self._find_bar
        # The bar owns its text while it has focus: it is cleared only once left.
        if not self._view.find_active and self.has_class("-finding") and bar and not bar.has_focus:
            self.remove_class("-finding")
            bar.value = ""
        self._update_status()

    def on_resize(self) -> None:
        """The column moved (z, i, a new terminal size): so does the status under it."""
        self.call_after_refresh(self._update_status)

    def _update_status(self) -> None:
        view = self._view
        parts = [] if view.article_id is None else [f"{round(view.progress * 100)}%"]
        if view.find_active and view.match_index is not None:
            parts.append(f"match {view.match_index + 1}/{view.match_count}")
        elif view.find_active and self._find_bar and self._find_bar.value:
            parts.append("no matches")
        if view.cursor_active:
            parts.append("passage cursor")
        # Under the text column, where the eye is, not in the pane's far corner.
        bar = self.query_one("#text-status", Static)
        indent = view.column_margin + max(0, view.content_region.x - bar.content_region.x)
        status = " " * indent + " · ".join(parts)
        if status != self._status:  # an update re-renders the Static; skip unchanged ones
            self._status = status
            bar.update(Content(status))
