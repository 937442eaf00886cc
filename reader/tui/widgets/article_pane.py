"""The article pane: the list, titled with its count and sort, and the filter shown on `/`."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input

from reader.tui.widgets.article_list import ArticleList


class ArticlePane(Vertical):
    """The article list with its filter input, titled with the count and subtitled with the sort."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear", id="list.filter_clear", tooltip="Clear filter"),
        Binding(
            "down", "leave_filter", "List", show=False, id="list.filter_down", tooltip="To list"
        ),
    ]
    DEFAULT_CSS = """
    ArticlePane {
        border: round $border-blurred;
        &:focus-within { border: round $border; }
        & > ArticleList { height: 1fr; }
        & > #article-filter { display: none; }
        &.-filtering > #article-filter { display: block; }
    }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._list = ArticleList(id="article-list")
        #: Made on the first `/`: an Input is costly to start with, and most starts never filter.
        self._input: Input | None = None

    @property
    def article_list(self) -> ArticleList:
        """The list itself (set_articles, update_article, select_article live there)."""
        return self._list

    def compose(self) -> ComposeResult:
        """The list (the filter input comes when it is first wanted)."""
        yield self._list

    def on_mount(self) -> None:
        """Titles follow the list's state."""
        self.watch(self._list, "counts", self._update_titles)
        self.watch(self._list, "sort", self._update_titles)
        self.watch(self._list, "filter_text", self._sync_filter)

    def _update_titles(self) -> None:
        shown, total = self._list.counts
        count = f"{shown} of {total}" if self._list.filter_text else str(total)
        self.border_title = f"Articles ({count})"
        self.border_subtitle = f"sort: {self._list.sort}"

    def _sync_filter(self, value: str) -> None:
        """The list's filter was changed from code (e.g. select_article): follow it.

        The field owns its text while it has focus: writing into it then would post another
        ``Input.Changed`` carrying a value older than the keys still queued, and the two
        chased each other for ever under a burst of keys (a paste, an input method).
        """
        field = self._input
        if field is not None and not field.has_focus and value != field.value:
            field.value = value
        if not value and not (field and field.has_focus):
            self.remove_class("-filtering")
        self._update_titles()
        self.refresh_bindings()

    @on(ArticleList.FilterRequested)
    def _open_filter(self, event: ArticleList.FilterRequested) -> None:
        event.stop()
        if self._input is None:
            self._input = Input(
                self._list.filter_text,
                placeholder="filter: title, source",
                id="article-filter",
                compact=True,
            )
            self.mount(self._input)
        self.add_class("-filtering")
        self._input.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#article-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        # The field's text now, not the event's: under a burst, queued events carry values
        # the field has since moved past.
        self._list.filter_text = event.input.value

    @on(Input.Submitted, "#article-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._list.filter_text = event.input.value
        self._list.choose_first()
        self.remove_class("-filtering")
        self._list.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape only means something while filtering; down only from the input."""
        if action == "clear_filter":
            return self.has_class("-filtering") or bool(self._list.filter_text)
        if action == "leave_filter":
            return self._input is not None and self._input.has_focus
        return True

    def action_clear_filter(self) -> None:
        """Clear and hide the filter; back to the list."""
        if self._input is not None:
            self._input.value = ""
        self._list.filter_text = ""
        self.remove_class("-filtering")
        self._list.focus()

    def action_leave_filter(self) -> None:
        """From the filter input down to the list, keeping the filter."""
        self._list.focus()
