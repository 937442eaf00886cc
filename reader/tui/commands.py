"""The command palette's "Open article…" (fuzzy over every title), and the panes' commands."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from reader.console import visible

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp
    from reader.tui.screens.main import MainScreen

#: How many recent articles the palette offers before anything is typed.
DISCOVER = 20


class ArticleCommands(Provider):
    """Open any article by typing part of its title."""

    @property
    def _app(self) -> ReaderApp:
        from reader.tui.app import ReaderApp

        app = self.app
        assert isinstance(app, ReaderApp)
        return app

    async def search(self, query: str) -> Hits:
        app = self._app
        matcher = self.matcher(query)
        for article in app.repo.articles():
            title = visible(article.title)
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    self._highlight(title, matcher.query),
                    partial(app.open_article, article.id),
                    text=title,
                    # The palette reads help as markup: titles and sources are escaped.
                    help=escape(visible(f"Open article {article.id} · {article.source or ''}")),
                )

    def _highlight(self, title: str, query: str) -> Content:
        # Matcher.highlight() would parse the title as markup, so that a title holding
        # "[@click=app.quit]" became a live action: build the Content from the plain string.
        content = Content(title)
        _, offsets = self.matcher(query).fuzzy_search.match(query, title)
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

    return [
        ("Filter articles", in_list("filter"), "Narrow the list by title and source (/)"),
        ("Sort articles", in_list("cycle_sort"), "Next sort order (s)"),
        ("Toggle read", in_list("toggle_read"), "Mark the article read or unread (u)"),
        ("Delete article", in_list("delete"), "Delete the article, asking first (d)"),
        ("Find in text", in_text("find"), "Find in the open article (/)"),
        ("Passage cursor", in_text("toggle_cursor"), "Select sentences to keep (v)"),
        ("Save selection as quote", in_text("quote"), "Keep the selected passage (b)"),
        ("Go to the article list", main.leave_text, "Back to the list (escape)"),
    ]
