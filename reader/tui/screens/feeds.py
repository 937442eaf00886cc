"""The feeds: one line each with its article count and last check (or error); enter lists
its articles, R updates them all."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.console import visible
from reader.tui.messages import LibraryChanged

if TYPE_CHECKING:
    from reader.library import Repository


class FeedsScreen(ModalScreen[int | None]):
    """Dismisses with the chosen feed's id (None when closed)."""

    DEFAULT_CSS = """
    FeedsScreen { align: center middle; }
    FeedsScreen > Vertical {
        width: 100; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    FeedsScreen OptionList { height: auto; max-height: 30; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="feeds.close")]

    def __init__(self, repo: Repository) -> None:
        super().__init__()
        self.repo = repo

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Feeds"
            yield Label(Content("enter: its articles · R: update all · escape: close"))
            yield OptionList(id="feeds-list")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        from reader.feeds.store import all_feeds, article_counts

        feeds = all_feeds(self.repo)
        counts = article_counts(self.repo)
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        if not feeds:
            options.add_option(
                Option(Content("No feeds yet — subscribe with: reader feed add URL"), disabled=True)
            )
            return
        for feed in feeds:
            checked = f"{feed.last_checked:%Y-%m-%d %H:%M}" if feed.last_checked else "never"
            line = Content.assemble(
                (visible(feed.title), "bold"),
                f"  {counts[feed.id]} articles · checked {checked}",
            )
            if feed.last_error:
                line = Content.assemble(line, ("  " + visible(feed.last_error), "$text-error"))
            options.add_option(Option(line, id=str(feed.id)))
        options.highlighted = min(highlighted or 0, len(feeds) - 1)

    @on(LibraryChanged)
    def _library_changed(self, event: LibraryChanged) -> None:
        self._fill()

    @on(OptionList.OptionSelected, "#feeds-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_close(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
