"""The command palette's "Open article…": fuzzy over every title."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

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
            score = matcher.match(article.title)
            if score > 0:
                yield Hit(
                    score,
                    self._highlight(article.title, matcher.query),
                    partial(app.open_article, article.id),
                    text=article.title,
                    # The palette reads help as markup: titles and sources are escaped.
                    help=escape(f"Open article {article.id} · {article.source or ''}"),
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
                Content.assemble("Open: ", article.title),
                partial(app.open_article, article.id),
                text=article.title,
            )
