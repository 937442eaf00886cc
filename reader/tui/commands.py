"""The command palette's "Open article…" (fuzzy over every title), and the panes' commands."""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.await_complete import AwaitComplete
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from reader.console import visible
from reader.text.fold import fold
from reader.text.fuzzy import FuzzyQuery

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp
    from reader.tui.screens.main import MainScreen

#: How many recent articles the palette offers before anything is typed.
DISCOVER = 20


#: Most articles the palette lists for a query: the best matches are what is wanted, and
#: a hit for each of 10,000 titles cost more than the matching.
HITS = 40


class Palette(CommandPalette):
    """Textual's command palette, dismissed at most once.

    A choice and an escape queued together (a burst of keys) both dismissed it: the second
    popped the screen beneath it, or, over the main screen, stopped the app with a
    traceback (ScreenStackError). Found by the monkey.
    """

    def dismiss(self, result: None = None) -> AwaitComplete:
        """Close the palette, unless it is closed already."""
        if self.app.screen is not self:
            nothing: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
            return nothing
        return super().dismiss(result)


class ArticleCommands(Provider):
    """Open any article by typing part of its title, ranked as the list's filter ranks."""

    #: (article id, title as shown) and the folded titles: made once when the palette opens.
    _titles: list[tuple[int, str]] | None = None
    _hays: list[str] = []  # replaced whole, never changed in place
    #: The last query (folded) and the indices of the titles it matched.
    _previous: tuple[str, list[int]] | None = None

    @property
    def _app(self) -> ReaderApp:
        from reader.tui.app import ReaderApp

        app = self.app
        assert isinstance(app, ReaderApp)
        return app

    def _all_titles(self) -> list[tuple[int, str]]:
        if self._titles is None:
            # From the app's in-memory library, folded once: each keystroke then only matches.
            titles = self._app.repo.article_titles()
            self._titles = [(article_id, visible(title)) for article_id, title in titles.items()]
            self._hays = [fold(shown) for _, shown in self._titles]
        return self._titles

    async def search(self, query: str) -> Hits:
        app = self._app
        titles = self._all_titles()
        if not query.strip():
            return
        fuzzy = FuzzyQuery(query)
        hays = self._hays
        # Ranked on a worker thread: a short query over 10,000 titles matches most of them,
        # and scoring them all took 10-20 ms that the UI thread would otherwise wait for. A
        # newer key cancels this search; its result is then dropped here, unused.
        best, self._previous = await asyncio.to_thread(
            self._rank, fuzzy, hays, len(titles), self._previous
        )
        top = best[0][1] if best else 1.0
        for index, score in best:
            article_id, title = titles[index]
            yield Hit(
                # The palette wants 0-1 scores beside its own commands'; the order is ours.
                max(0.05, min(1.0, score / top)) if top > 0 else 0.5,
                self._highlight(title, fuzzy.score(hays[index])[1]),
                partial(app.open_article, article_id),
                text=title,
                # The palette reads help as markup: the title's id line is escaped.
                help=escape(f"Open article {article_id}"),
            )

    @staticmethod
    def _rank(
        fuzzy: FuzzyQuery, hays: list[str], count: int, previous: tuple[str, list[int]] | None
    ) -> tuple[list[tuple[int, float]], tuple[str, list[int]]]:
        """The best matches, and what the next key narrows from."""
        # One more letter can only narrow the last query's matches: search just those.
        narrow = previous is not None and fuzzy.text.startswith(previous[0])
        candidates = previous[1] if previous is not None and narrow else range(count)
        scores = fuzzy.filter(hays, candidates)
        best = heapq.nlargest(HITS, scores.items(), key=lambda item: item[1])
        return best, (fuzzy.text, list(scores))

    @staticmethod
    def _highlight(title: str, offsets: Iterable[int]) -> Content:
        # Matcher.highlight() would parse the title as markup, so that a title holding
        # "[@click=app.quit]" became a live action: build the Content from the plain string.
        content = Content(title)
        for offset in offsets:
            content = content.stylize("bold underline", offset, offset + 1)
        return content

    async def discover(self) -> Hits:
        app = self._app
        for article in app.repo.articles()[:DISCOVER]:
            yield DiscoveryHit(
                Content.assemble("Open: ", visible(article.title)),
                partial(app.open_article, article.id),
                text=visible(article.title),
            )


def pane_commands(main: MainScreen) -> list[tuple[str, Callable[[], object], str]]:
    """Palette commands for the main screen's panes: (label, action, help)."""
    view, articles = main.text.view, main.articles

    def in_text(action: str) -> Callable[[], object]:
        def run() -> object:
            view.focus()
            return view.run_action(action)

        return run

    def in_list(action: str) -> Callable[[], object]:
        def run() -> object:
            articles.focus()
            return articles.run_action(action)

        return run

    def in_quotes(action: str) -> Callable[[], object]:
        def run() -> object:
            main.quotes.focus()
            return main.quotes.run_action(action)

        return run

    return [
        ("Filter articles", in_list("filter"), "Narrow the list by title and source (/)"),
        ("Sort articles", in_list("cycle_sort"), "Next sort order (s)"),
        ("Toggle read", in_list("toggle_read"), "Mark the article read or unread (u)"),
        ("Delete article", in_list("delete"), "Delete the article, asking first (d)"),
        ("Find in text", in_text("find"), "Find in the open article (/)"),
        ("Passage cursor", in_text("toggle_cursor"), "Select sentences to keep (v)"),
        ("Save selection as quote", in_text("quote"), "Keep the selected passage (b)"),
        ("Copy selection", in_text("copy"), "Copy the selected passage (y)"),
        (
            "Copy quote with citation",
            in_quotes("copy(True)"),
            "The quote under the Quotes pane's cursor, then — Title, Source, URL (Y)",
        ),
        ("Go to the article list", main.leave_text, "Back to the list (escape)"),
    ]
