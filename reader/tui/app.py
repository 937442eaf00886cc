"""The Textual app: a thin shell that sets up themes, keys, saving and the main screen."""

from __future__ import annotations

import asyncio
import gc
import signal
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.theme import Theme

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.timer import Timer

    from reader.library import Repository
    from reader.library.head import StartView
    from reader.library.search import SearchHit
    from reader.tui.screens.help import Section

from reader import locations
from reader.console import visible
from reader.review.clock import Clock, system_clock
from reader.tui.config import Config, load_config, load_state, save_state
from reader.tui.held_keys import HeldKeys
from reader.tui.listing import Listing
from reader.tui.messages import (
    LibraryChanged,
    LibraryUnreadable,
    QuoteChosen,
    message,
)
from reader.tui.quote_actions import QuoteActions
from reader.tui.saver import Saver
from reader.tui.screens.main import MainScreen, Resume
from reader.tui.undo import DeletedQuote, UndoEntry, UndoStack
from reader.tui.widgets.article_list import ArticleList

#: How often the app looks for changes made by other processes (e.g. `reader import`).
POLL_SECONDS = 2.0

PAPER = Theme(
    name="reader-paper",
    primary="#8a5a2b",
    secondary="#6b7d4f",
    accent="#9c3d2e",
    warning="#b07d1a",
    error="#a33a2a",
    success="#4f7a3a",
    foreground="#3b2f22",
    background="#f3ead8",
    surface="#ece1ca",
    panel="#e2d5b9",
    dark=False,
)


def _article_commands() -> type[Provider]:
    # Imported when the palette first opens: textual.command costs start-up time otherwise.
    from reader.tui.commands import ArticleCommands

    return ArticleCommands


class ReaderApp(App[None]):
    """Read saved articles and keep the passages that matter."""

    TITLE = "reader"
    CSS_PATH = "reader.tcss"
    COMMANDS = App.COMMANDS | {_article_commands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Every key, by pane"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit (saves first)"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_always"),
        Binding("Q", "quotes", "All quotes", id="app.quotes", tooltip="Every quote in the library"),
        Binding("S", "search", "Search", id="app.search", tooltip="Search every article and quote"),
        Binding("D", "review", "Review", show=False, id="app.review", tooltip="Today's review"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="app.undo", tooltip="Undo a deletion"),
        Binding(
            "R",
            "update_feeds",
            "Update feeds",
            show=False,
            id="app.update_feeds",
            tooltip="Fetch every feed's new stories",
        ),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="app.next_pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="app.prev_pane"),
    ]

    activity: var[str] = var("")
    """What runs in the background, shown at the footer's right ("Feeds 12/50")."""

    def __init__(
        self,
        repo: Repository | Callable[[], Repository],
        config: Config | None = None,
        state_path: Path | None = None,
        start_view: StartView | None = None,
    ) -> None:
        super().__init__()
        #: What opens the library on first use (after the start view is on screen).
        self._opener: Callable[[], Repository] = repo if callable(repo) else lambda: repo
        self._repo: Repository | None = None
        self.config = config or Config()
        self.state_path = state_path
        self.start_view = start_view
        #: Shown once the app is up (e.g. that a library was just created).
        self.notice: str | None = None
        #: A screen to open on instead of the list ("review", for ``reader review``).
        self.start_screen: str | None = None
        #: The tag ``reader review --tag`` narrows the first review to.
        self.review_tag: str | None = None
        #: The time, for the review and the statistics (tests fix it).
        self.clock: Clock = system_clock
        #: Why the library could not be read, when that ended the app.
        self.library_error: Exception | None = None
        self.saver = Saver(self._deliver, self._save_failed)
        self.held_keys = HeldKeys(self)
        self.undo_stack = UndoStack(self._library, self.saver, self._undone)
        self.quote_actions = QuoteActions(
            self, self._library, self.saver, self.undo_stack, self.library_changed
        )
        #: The last problem met reading the library while the app runs (told once).
        self._library_trouble: str | None = None
        from reader.tui.feed_updates import FeedUpdates

        self.feed_updates = FeedUpdates(self)
        #: Updates the feeds every ``[feeds] update_minutes``; None when that is not set.
        self.feeds_timer: Timer | None = None
        self.register_theme(PAPER)
        state = load_state(state_path) if state_path else {}
        #: The state remembered from the last run (theme, where the reader was).
        self._state = state
        theme = state.get("theme") or self.config.theme
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        if self.config.keys:
            self.set_keymap(self.config.keys)

    def _library(self) -> Repository:
        if self._repo is None:
            repo = self._opener()
            # The UI thread reads from memory; the poll and the saver refresh it.
            repo.use_snapshot_reads()
            self._repo = repo
        return self._repo

    @property
    def repo(self) -> Repository:
        """The library (opened here if it was not yet)."""
        return self._library()

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(
            self._library,
            self.saver,
            self.quote_actions,
            self.undo_stack,
            self.config.text_width,
            self.start_view,
            Resume.from_state(self._state.get("reading")),
        )

    async def on_event(self, event: events.Event) -> None:
        """Input that follows a key opening a field waits for the field (see held_keys)."""
        if self.held_keys.hold(event):
            return
        typed = isinstance(event, events.Key) and not event.is_forwarded  # forwarding marks it
        await super().on_event(event)
        if typed:
            assert isinstance(event, events.Key)
            self.held_keys.after(event)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.set_interval(POLL_SECONDS, self.poll)
        minutes = self.config.feeds_update_minutes
        if minutes:  # no timer, and no wake-ups, unless the config asks for updates
            self.feeds_timer = self.set_interval(
                minutes * 60, lambda: self.feed_updates.start(quiet=True)
            )
        try:
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGTERM, lambda: self.call_later(self.action_quit))
        except (NotImplementedError, RuntimeError):  # Windows, or not the main thread
            pass
        if self.notice:
            text = self.notice[0].upper() + self.notice[1:] + "."
            self.notify(text, title="Welcome", timeout=8, markup=False)
        for problem in self.config.problems:
            self.notify(problem, title="Config", severity="warning", markup=False, timeout=10)
        # After the first screen, and after the main screen's own after-first-screen work
        # (reading the library), which it scheduled first.
        self.call_after_refresh(self._started)
        if self.start_screen == "review":
            self.call_after_refresh(self.action_review)

    def _started(self) -> None:
        if not gc.isenabled():
            # reader.cli paused the cyclic garbage collector for start-up; what start-up made
            # (modules, widgets, the library) lives on, so later collections skip it.
            gc.freeze()
            gc.enable()

    # -- saving ----------------------------------------------------------------------------

    @message
    class _Deliver(Message):
        """A saver callback to run on the UI thread."""

        callback: Callable[[], None]

    def _deliver(self, callback: Callable[[], None]) -> None:
        # Posting never blocks the saver thread (call_from_thread would, and deadlock while
        # the UI thread waits for the saver in action_quit); once the app has stopped, the
        # message is simply dropped.
        self.post_message(self._Deliver(callback))

    def deliver(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the UI thread soon; callable from any thread, never blocks."""
        self._deliver(callback)

    def on_reader_app__deliver(self, message: _Deliver) -> None:
        message.callback()

    def _save_failed(self, error: Exception) -> None:
        self.notify(
            f"Could not save: {error}",
            title="Not saved",
            severity="error",
            markup=False,
            timeout=15,
        )

    def on_library_unreadable(self, message: LibraryUnreadable) -> None:
        self.library_error = message.error
        self.exit(return_code=1)

    def _remember_theme(self, theme: Theme) -> None:
        name = theme.name
        self._remember("theme", lambda: {"theme": name})

    def _remember(self, what: str, values: Callable[[], dict[str, object]]) -> None:
        """Keep ``values()`` in the state file (made and written on the saver thread: the UI
        never waits for the disk)."""
        path = self.state_path
        if path is not None:

            def save() -> None:
                state = load_state(path)
                state.update(values())
                save_state(path, state)

            self.saver.submit(save, key=("state", what))

    def library_changed(
        self, article_ids: frozenset[int] | None = None, listing: Listing | None = None
    ) -> None:
        """Tell every screen that the library changed, so each refreshes what it shows."""
        for screen in self.screen_stack:
            screen.post_message(LibraryChanged(article_ids, listing))

    def poll(self) -> None:
        """Read in what other processes wrote (done every ``POLL_SECONDS``; now, when one of
        ours has finished writing)."""
        if (main := self._main_screen()) is not None:
            self.poll_library(main.articles.sort)

    @work(thread=True, exclusive=True, group="poll")
    def poll_library(self, sort: str = "added") -> None:
        """Read in what other processes wrote, off the UI thread (cheap when nothing did)."""
        from reader.library import LibraryError

        try:
            arrived = self.repo.refresh()
        except (LibraryError, OSError) as error:
            trouble = error  # the except clause unbinds its name; the callback runs later
            self.post_message(self._Deliver(lambda: self._library_unreadable_now(trouble)))
            return
        if arrived:
            # The new list is built here too: 10,000 articles took 100 ms of the UI thread.
            listing = Listing.read(self.repo, sort)
            self.post_message(self._Deliver(lambda: self._library_readable_again(listing)))

    def _library_unreadable_now(self, error: Exception) -> None:
        # The app keeps what it has in memory and the reading goes on; say so once.
        text = str(error) or type(error).__name__
        if text != self._library_trouble:
            self._library_trouble = text
            self.notify(
                f"{text}. What is on screen is kept; run 'reader doctor' in a terminal.",
                title="Library unreadable",
                severity="error",
                markup=False,
                timeout=30,
            )

    def _library_readable_again(self, listing: Listing) -> None:
        self._library_trouble = None
        self.library_changed(None, listing)

    async def action_quit(self) -> None:
        """Save the reading position and every pending write, then quit."""
        self.feed_updates.halt()  # a feed update starts no more feeds
        main = self._main_screen()
        if main is not None:
            main.save_position_now()
            layout = main.layout_state()
            # The library's signature once the last position is written: the saver runs its
            # jobs in order, so this one runs after that write.
            self._remember(
                "reading",
                lambda: {"reading": replace(layout, library=self.repo.signature()).to_state()},
            )
        self.saver.flush()
        self.exit()

    def _main_screen(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    # -- help and commands -----------------------------------------------------------------

    def help_sections(self) -> list[Section]:
        """Every key, pane by pane."""
        from reader.tui.screens.review import ReviewScreen
        from reader.tui.widgets.quotes_pane import QuotesPane
        from reader.tui.widgets.text_view import TextView

        def with_prefix(bindings: Iterable[BindingType], prefix: str) -> list[BindingType]:
            return [
                b for b in bindings if isinstance(b, Binding) and (b.id or "").startswith(prefix)
            ]

        return [
            ("Everywhere", [*self.BINDINGS, *MainScreen.BINDINGS]),
            ("Article list", ArticleList.BINDINGS),
            ("Text", with_prefix(TextView.BINDINGS, "text.")),
            ("Passage cursor (v)", with_prefix(TextView.BINDINGS, "cursor.")),
            ("Quotes", QuotesPane.BINDINGS),
            ("Daily review (D)", ReviewScreen.BINDINGS),
        ]

    def action_command_palette(self) -> None:
        """Show the command palette (one that cannot be dismissed twice)."""
        from textual.command import CommandPalette

        from reader.tui.commands import Palette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette(id="--command-palette"))

    def action_help(self) -> None:
        """Show every key."""
        from reader.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections(), self._keymap_view()))

    def _keymap_view(self) -> dict[str, str]:
        return dict(self.config.keys)

    def action_quotes(self) -> None:
        """Show every quote in the library."""
        from reader.tui.screens.quotes import QuotesScreen

        if not isinstance(self.screen, QuotesScreen):
            self.push_screen(QuotesScreen(self.repo, self.quote_actions))

    def action_review(self) -> None:
        """Today's review of the quotes."""
        from reader.tui.screens.review import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.push_screen(
                ReviewScreen(
                    self._library,
                    self.saver,
                    self.quote_actions,
                    self.clock,
                    self.config.review_daily,
                    self.config.text_width,
                    tag=self.review_tag,
                )
            )
            self.review_tag = None  # the next review is of everything again

    def action_stats(self) -> None:
        """Reading and review statistics."""
        from reader.tui.screens.stats import StatsScreen

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen(self._library, self.clock))

    def action_import(self) -> None:
        """Import files or folders."""
        from reader.tui.screens.import_screen import ImportScreen

        def done(imported: int | None) -> None:
            if imported:
                self.library_changed(None)

        self.push_screen(ImportScreen(self.repo), done)

    def action_export(self, kind: str) -> None:
        """Export quotes ("md", "csv", "json", "anki") or the whole library ("library")."""
        from reader.tui.screens.export_screen import ExportScreen

        self.push_screen(ExportScreen(self.repo, kind))

    def action_search(self) -> None:
        """Search every article and quote."""
        from reader.tui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen(self.repo))

    def open_hit(self, hit: SearchHit) -> None:
        """Open a search result: the article scrolled to the match, which flashes."""
        main = self._main_screen()
        if main is None:
            return
        if hit.kind == "quote" and hit.quote_id is not None:
            if main.has_article(hit.article_id):
                self.open_quote(hit.quote_id)
            else:
                self.notify("That quote's article was deleted.", timeout=4)
            return
        main.open_by_id(hit.article_id)
        main.text.view.scroll_to_offset(hit.offset, flash=(hit.offset, hit.end))

    def open_quote(self, quote_id: int) -> None:
        """Open a quote's article at the passage."""
        main = self._main_screen()
        if main is not None:
            main.jump_to_quote(QuoteChosen(quote_id))

    def action_update_feeds(self) -> None:
        """Fetch every feed and import the new stories (in the background)."""
        self.feed_updates.start()

    def action_feeds(self) -> None:
        """List the feeds; choosing one narrows the article list to it."""
        from reader.tui.screens.feeds import FeedsScreen

        def chosen(feed_id: int | None) -> None:
            main = self._main_screen()
            if feed_id is not None and main is not None:
                main.articles.filter_text = f"feed:{feed_id}"
                main.articles.focus()

        if not isinstance(self.screen, FeedsScreen):
            self.push_screen(FeedsScreen(self.repo), chosen)

    def action_undo(self) -> None:
        """Bring back the last deleted quote or article."""
        self.undo_stack.undo()

    def _undone(self, entry: UndoEntry | None) -> None:
        if entry is None:
            self.notify("Nothing to undo.", timeout=2)
        elif isinstance(entry, DeletedQuote):
            self.library_changed(frozenset({entry.quote.article_id}))
            self.notify("Quote restored.", timeout=2)
        else:
            self.library_changed(None)
            self.notify(f"Restored “{visible(entry.article.title)}”.", timeout=3, markup=False)

    def open_article(self, article_id: int) -> None:
        """Open an article (from the palette)."""
        main = self._main_screen()
        if main is not None:
            main.open_by_id(article_id)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: keys", "Every key, by pane", self.action_help)
        yield SystemCommand("All quotes", "Every quote in the library (Q)", self.action_quotes)
        yield SystemCommand("Daily review", "Today's quotes, one at a time (D)", self.action_review)
        yield SystemCommand("Stats", "Words read, reviews, streak, top sources", self.action_stats)
        yield SystemCommand("Import files…", "Import files or folders", self.action_import)
        from reader.tui.screens.export_screen import KINDS

        for kind, (what, _) in KINDS.items():
            yield SystemCommand(
                f"Export {what}…", "Write a file", partial(self.action_export, kind)
            )
        yield SystemCommand(
            "Search everything", "Articles, quotes and notes (S)", self.action_search
        )
        yield SystemCommand(
            "Feeds: update all", "Fetch every feed's new stories (R)", self.action_update_feeds
        )
        yield SystemCommand(
            "Feeds…", "The subscriptions; choose one to list its articles", self.action_feeds
        )
        main = self._main_screen()
        if main is None:
            return
        yield SystemCommand(
            "Continue reading",
            "The article read last, where you left it",
            main.action_continue_reading,
        )
        yield SystemCommand("Text only", "Show the text alone (z)", main.action_text_only)
        yield SystemCommand(
            "Toggle metadata and quotes", "Fold the side column (i)", main.action_toggle_side
        )
        yield SystemCommand(
            "Undo deletion", "Bring back the last deleted quote or article", self.action_undo
        )
        from reader.tui.commands import pane_commands

        for label, action, help_text in pane_commands(main):
            yield SystemCommand(label, help_text, action)


def run_app(
    repo: Repository | Callable[[], Repository],
    config_path: Path | None = None,
    notice: str | None = None,
    start_view: StartView | None = None,
    start_screen: str | None = None,
    review_tag: str | None = None,
) -> int:
    """Run the app until the person quits; every pending write is saved first.

    ``start_screen`` "review" opens it on today's review (``reader review``), narrowed to
    ``review_tag`` if given (``reader review --tag NAME``)."""
    config = load_config(config_path) if config_path else Config()
    app = ReaderApp(repo, config, locations.state_file(), start_view)
    app.notice = notice
    app.start_screen = start_screen
    app.review_tag = review_tag
    try:
        app.run()
    finally:
        app.saver.close()
    if app.library_error is not None:
        raise app.library_error
    return 0
