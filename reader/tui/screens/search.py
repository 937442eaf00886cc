"""Search every article and quote; enter opens the article at the match, highlighted."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.console import visible
from reader.library import LibraryError, Repository
from reader.tui.messages import message
from reader.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from reader.library.search import SearchHit

#: Typing pauses this long before a search runs, so each keystroke does not start one.
DEBOUNCE = 0.15
LIMIT = 100


def hit_content(hit: SearchHit) -> Content:
    """One result: title and source, then the snippet with the matches highlighted."""
    kind = "❝ quote · " if hit.kind == "quote" else ""
    heading = Content.assemble(
        (kind, "$accent"),
        (visible(hit.title), "bold"),
        (f"  · {visible(hit.source)}" if hit.source else "", "$text-muted"),
    )
    # Snippets are article text: a plain string, styled by offsets, never parsed as markup.
    snippet = Content(visible(hit.snippet))  # one for one: the highlights stay in place
    for start, end in hit.highlights:
        snippet = snippet.stylize("bold reverse", start, end)
    return Content("\n").join([heading, snippet])


class SearchScreen(Screen[None]):
    """Full-text search over titles, bodies, quotes and notes."""

    DEFAULT_CSS = """
    SearchScreen #search-results { height: 1fr; border: round $primary; }
    SearchScreen #search-status { color: $text-muted; padding: 0 1; height: 1; }
    SearchScreen #search-results > .option-list--option { padding: 0 1 1 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back", id="search.close", tooltip="Back to reading"),
        Binding("slash", "focus_query", "Query", show=False, id="search.query"),
        Binding(
            "down,tab",
            "to_results",
            "Results",
            id="search.results",
            tooltip="From the query to the results",
        ),
    ]

    @message
    class _Found(Message):
        """A search finished off the UI thread (dropped if the screen has gone since)."""

        query: str
        hits: list[SearchHit]
        seconds: float
        error: str | None

    def __init__(self, repo: Repository, query: str = "") -> None:
        super().__init__()
        self.repo = repo
        self.initial = query
        self.hits: list[SearchHit] = []
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            self.initial,
            placeholder='search: words  "a phrase"  -exclude  prefix*  tag:name',
            id="search-query",
        )
        yield Static(id="search-status")
        yield OptionList(id="search-results")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#search-query", Input).focus()
        if self.initial:
            self.run_search(self.initial)

    @on(Input.Changed, "#search-query")
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        query = event.value
        self._timer = self.set_timer(DEBOUNCE, lambda: self.run_search(query))

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = 0

    def run_search(self, query: str) -> None:
        """Search for ``query``; the results arrive as a message."""
        if query.strip():
            self._status("Searching…")
        self._search(query)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str) -> None:
        """Search off the UI thread (the first search may build the index)."""
        if not query.strip():
            self.post_message(self._Found(query, [], 0.0, None))
            return
        started = time.perf_counter()
        try:
            hits = self.repo.search(query, limit=LIMIT)
        except LibraryError as exc:
            self.post_message(self._Found(query, [], 0.0, str(exc)))
            return
        self.post_message(self._Found(query, hits, time.perf_counter() - started, None))

    def on_search_screen__found(self, event: _Found) -> None:
        self._show(event.query, event.hits, event.seconds, event.error)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Down and tab lead from the query to the results."""
        if action == "to_results":
            return self.query_one("#search-query", Input).has_focus
        return True

    def action_to_results(self) -> None:
        """From the query to the results."""
        results = self.query_one("#search-results", OptionList)
        results.focus()
        if results.option_count and results.highlighted is None:
            results.highlighted = 0

    def _status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(Content(text))

    def _show(self, query: str, hits: list[SearchHit], seconds: float, error: str | None) -> None:
        if query != self.query_one("#search-query", Input).value:
            return  # a newer query is on its way
        self.hits = hits
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options(Option(hit_content(h)) for h in hits)
        if error:
            self._status(error)
        elif not query.strip():
            self._status("")
        else:
            count = f"{len(hits)} result{'s' if len(hits) != 1 else ''}"
            self._status(f"{count} · {seconds * 1000:.0f} ms" if hits else "No matches.")

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[event.option_index]
        self.dismiss()
        open_hit = self.app.open_hit  # type: ignore[attr-defined]
        self.app.call_later(open_hit, hit)

    def action_close(self) -> None:
        """Back to the main screen."""
        self.dismiss()

    def action_focus_query(self) -> None:
        """Edit the query."""
        self.query_one("#search-query", Input).focus()
