"""The Textual app: a first, minimal reading screen (the full TUI is issue #3)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from reader.library import Article, Repository


class ReaderApp(App[None]):
    """Article list beside the selected article's text."""

    TITLE = "reader"
    CSS = """
    #articles { width: 40%; max-width: 60; }
    #text { padding: 0 2; }
    #body { max-width: 80; }
    """
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit_always"),
    ]

    def __init__(self, repo: Repository) -> None:
        super().__init__()
        self.repo = repo
        self._articles: list[Article] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(id="articles")
            with VerticalScroll(id="text"):
                yield Static(id="body")
        yield Footer()

    def on_mount(self) -> None:
        self._articles = self.repo.articles()
        articles = self.query_one("#articles", OptionList)
        articles.add_options(Option(Content(a.title)) for a in self._articles)
        articles.border_title = f"Articles ({len(self._articles)})"
        if not self._articles:
            self.query_one("#body", Static).update(
                Content("The library is empty. Add articles with: reader import PATH…")
            )
        articles.focus()

    @on(OptionList.OptionHighlighted, "#articles")
    def show_article(self, event: OptionList.OptionHighlighted) -> None:
        article = self._articles[event.option_index]
        # Content built from a plain string: article text is never parsed as markup.
        self.query_one("#body", Static).update(Content(self.repo.body(article)))
        self.query_one("#text", VerticalScroll).scroll_home(animate=False)


def run_app(repo: Repository, config_path: Path | None = None) -> int:
    """Run the app until the person quits; returns the exit status."""
    ReaderApp(repo).run()
    return 0
