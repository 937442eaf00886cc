"""Every quote in the library, filtered as you type; enter opens the article at the passage."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input

from reader.console import visible
from reader.library import NotFound, Quote, Repository
from reader.text.fold import fold
from reader.text.query import split_tags
from reader.tui.messages import (
    LibraryChanged,
    QuoteChosen,
    QuoteCopyRequested,
    QuoteDeleteRequested,
    QuoteNoteRequested,
    QuoteTagRequested,
)
from reader.tui.quote_actions import QuoteActions
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.quotes_pane import QuotesPane

SORTS = ("date", "article")


class LibraryQuotes(QuotesPane):
    """Quotes from every article: the article's title and the date above each one."""

    TITLE = "All quotes"

    def __init__(self, titles: dict[int, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: Current titles of articles still in the library (quotes keep theirs otherwise).
        self.titles = titles

    def _ordered(self, quotes: Sequence[Quote]) -> list[Quote]:
        return list(quotes)  # the screen decides the order

    def _quote_content(self, quote: Quote) -> Content:
        title = self.titles.get(quote.article_id)
        heading = Content.assemble(
            (visible(title or quote.article_title), "bold $text-muted"),
            ("" if title else "  (article deleted)", "italic $text-muted"),
            (f"  · {quote.created.astimezone():%Y-%m-%d}", "$text-muted"),
        )
        return Content("\n").join([heading, super()._quote_content(quote)])


class QuotesScreen(Screen[None]):
    """All quotes: filter over quote, note and title (and ``tag:name``); sort by date or article."""

    DEFAULT_CSS = """
    QuotesScreen LibraryQuotes { height: 1fr; border: round $primary; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back", id="quotes_screen.close", tooltip="Back to reading"),
        Binding("s", "cycle_sort", "Sort", id="quotes_screen.sort", tooltip="By date or article"),
        Binding("slash", "focus_filter", "Filter", id="quotes_screen.filter"),
        Binding(
            "down,tab",
            "to_results",
            "Results",
            id="quotes_screen.results",
            tooltip="From the filter to the quotes",
        ),
    ]

    def __init__(self, repo: Repository, actions: QuoteActions) -> None:
        super().__init__()
        self.repo = repo
        self.actions = actions
        self.sort = "date"
        self._all: list[Quote] = []
        #: Folded quote, note and title of each quote, made at the first filter after a
        #: reload (folding 20,000 of them on opening delayed the first quote shown).
        self._hays: list[str] | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="filter: words in the quote, note or title; tag:name", id="quotes-filter"
        )
        yield LibraryQuotes({}, id="all-quotes")
        yield KeyFooter()

    @property
    def quotes_list(self) -> LibraryQuotes:
        """The list of quotes."""
        return self.query_one(LibraryQuotes)

    def on_mount(self) -> None:
        self.reload()
        # The screen invites typing ("filter: …"): typing goes into the field, where letters
        # are text; on the list they are commands (d deletes, t tags).
        self.query_one("#quotes-filter", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Sorting and going to the results are list keys: from the field they are text."""
        # Not by querying the field: the footer asks while the screen is being closed too,
        # when its widgets are already gone.
        focused = self.focused
        filter_focused = focused is not None and focused.id == "quotes-filter"
        if action == "cycle_sort":
            return not filter_focused
        if action == "to_results":
            return filter_focused
        return True

    def action_to_results(self) -> None:
        """From the filter down to the quotes."""
        self.quotes_list.focus()

    @on(LibraryChanged)
    def _library_changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the quotes and the articles' titles again (after a change), and show them."""
        titles = self.repo.article_titles()
        self.quotes_list.titles = titles
        self._all = self.repo.quotes()
        self._hays = None
        self.refilter()

    def _haystacks(self) -> list[str]:
        """What the filter's words are looked for in, folded once, not at each key typed."""
        if self._hays is None:
            titles = self.quotes_list.titles
            self._hays = [
                fold(" ".join((q.text, q.note, titles.get(q.article_id, q.article_title))))
                for q in self._all
            ]
        return self._hays

    def refilter(self) -> None:
        """Show the quotes that match the filter, in the chosen order."""
        titles = self.quotes_list.titles
        tags, words = split_tags(self.query_one("#quotes-filter", Input).value)
        needles = fold(words).split()
        if needles:
            quotes = [
                q
                for q, hay in zip(self._all, self._haystacks(), strict=True)
                if all(n in hay for n in needles)
            ]
        else:
            quotes = list(self._all)
        for tag in tags:
            quotes = self.repo.quotes_tagged(quotes, tag)
        if self.sort == "date":
            quotes.sort(key=lambda q: (q.created, q.id), reverse=True)
        else:
            quotes.sort(
                key=lambda q: (titles.get(q.article_id, q.article_title).casefold(), q.start)
            )
        self.quotes_list.show_quotes(quotes)
        self.quotes_list.border_subtitle = f"sort: {self.sort}"

    @on(Input.Changed, "#quotes-filter")
    def _filter_changed(self) -> None:
        self.refilter()

    @on(Input.Submitted, "#quotes-filter")
    def _filter_done(self) -> None:
        self.quotes_list.focus()

    def action_cycle_sort(self) -> None:
        """Sort by date, or by article."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refilter()

    def action_focus_filter(self) -> None:
        """Type to filter."""
        self.query_one("#quotes-filter", Input).focus()

    def action_close(self) -> None:
        """Back to the main screen."""
        self.dismiss()

    @on(QuoteChosen)
    def _open(self, event: QuoteChosen) -> None:
        event.stop()
        try:
            quote = self.repo.quote(event.quote_id)
        except NotFound:
            return  # deleted while the key was on its way
        if quote.article_id not in self.quotes_list.titles:
            self.notify("Its article was deleted; the quote is all that is kept.", timeout=4)
            return
        self.dismiss()
        self.app.call_later(self.app.open_quote, quote.id)  # type: ignore[attr-defined]

    @on(QuoteNoteRequested)
    def _edit(self, event: QuoteNoteRequested) -> None:
        self.actions.edit_note(event.quote_id)

    @on(QuoteTagRequested)
    def _tag(self, event: QuoteTagRequested) -> None:
        self.actions.edit_tags(event.quote_id)

    @on(QuoteDeleteRequested)
    def _delete(self, event: QuoteDeleteRequested) -> None:
        self.actions.delete(event.quote_id)

    @on(QuoteCopyRequested)
    def _copy(self, event: QuoteCopyRequested) -> None:
        self.actions.copy(event.quote_id, event.cited)
