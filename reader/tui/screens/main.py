"""The main screen: article list | text | metadata above quotes; wires the panes to the library."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from reader.console import visible
from reader.library.errors import LibraryError, NotFound
from reader.tui.listing import Listing
from reader.tui.messages import (
    ArticleChosen,
    ArticleHighlighted,
    DeleteArticleRequested,
    KeepFoundQuotation,
    LeaveText,
    LibraryChanged,
    LibraryUnreadable,
    PositionChanged,
    QuoteChosen,
    QuoteCopyRequested,
    QuoteDeleteRequested,
    QuoteNoteRequested,
    QuoteRequested,
    QuoteTagRequested,
    ShowPassage,
    TagArticleRequested,
    ToggleReadRequested,
    message,
)
from reader.tui.quote_actions import QuoteActions
from reader.tui.saver import Saver
from reader.tui.undo import DeletedArticle, UndoStack
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.article_pane import ArticlePane

if TYPE_CHECKING:
    from reader.library import Article, Quote, Repository
    from reader.library.head import StartView
    from reader.text.quotations import DetectedQuote
    from reader.tui.widgets.metadata import MetadataPane
    from reader.tui.widgets.quotes_pane import QuotesPane
    from reader.tui.widgets.text_pane import TextPane


@dataclass(frozen=True, slots=True)
class Resume:
    """Where the reader was: the article open (if reading one) and the layout chosen."""

    article_id: int | None = None
    text_only: bool = False
    side_closed: bool = False
    #: The library's signature when the reader left (see Repository.signature).
    library: object = None

    @classmethod
    def from_state(cls, state: object) -> Resume:
        """Read from the remembered state; anything odd is ignored."""
        if not isinstance(state, dict):
            return cls()
        article_id = state.get("article")
        return cls(
            article_id
            if isinstance(article_id, int) and not isinstance(article_id, bool)
            else None,
            state.get("text_only") is True,
            state.get("side_closed") is True,
            state.get("library"),
        )

    def to_state(self) -> dict[str, object]:
        """For the state file."""
        return {
            "article": self.article_id,
            "text_only": self.text_only,
            "side_closed": self.side_closed,
            "library": self.library,
        }


#: Below this width the side column folds away (toggle it with `i`) and the list and the
#: text take turns on the screen.
NARROW = 110
#: Seconds after the first screen before the article read last is reopened.
RESUME_DELAY = 0.05
#: The list's cursor rests this long before the quotations of its article are looked for.
QUOTATIONS_DELAY = 0.25


class MainScreen(Screen[None]):
    """Reading and keeping: every library write goes through the saver, off the UI thread."""

    BINDINGS = [
        Binding("z", "text_only", "Text only", id="app.text_only", tooltip="Show the text alone"),
        Binding("i", "toggle_side", "Info", id="app.side", tooltip="Show or hide metadata/quotes"),
    ]

    def __init__(
        self,
        library: Callable[[], Repository],
        saver: Saver,
        quote_actions: QuoteActions,
        undo_stack: UndoStack,
        text_width: int,
        start_view: StartView | None = None,
        resume: Resume | None = None,
    ) -> None:
        super().__init__()
        self._library = library
        self.saver = saver
        self.quote_actions = quote_actions
        self.undo_stack = undo_stack
        self._quotations_timer: Timer | None = None
        #: Where the reader was when the app last quit (used once, after the first screen).
        self._resume_at = resume
        #: Damaged documents already told about.
        self._told_damaged: set[str] = set()
        self.text_width = text_width
        #: The newest articles as the library last stood: painted before the library is read.
        self._start_view = start_view
        self._open: Article | None = None
        #: The article the side column (metadata, quotes, quotations found) describes: the
        #: one under the list's cursor. Opening an article puts the cursor on it, so while
        #: reading it is the open article. One rule, kept by ``_describe`` alone.
        self._described: int | None = None
        self._article_pane = ArticlePane(id="articles-pane")
        self._text: TextPane | None = None
        self._metadata: MetadataPane | None = None
        self._quotes: QuotesPane | None = None

    @property
    def repo(self) -> Repository:
        """The library (opened on first use)."""
        return self._library()

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The first screen is the list; the other panes, and the key footer, are mounted
        # right after it (see _panes), in places kept by empty placeholders: their modules,
        # styles and drawing were a fifth of the time to the first screen.
        with Horizontal(id="main"):
            yield self._article_pane
            yield Static(id="text-slot")
            with Vertical(id="side"):
                yield Static(id="metadata-slot")
                yield Static(id="quotes-slot")
        yield Static(id="footer-slot")

    @property
    def articles(self) -> ArticleList:
        """The article list."""
        # Kept, not queried: this is asked for several times at each cursor move.
        return self._article_pane.article_list

    @property
    def text(self) -> TextPane:
        """The text pane."""
        return self._panes()[0]

    @property
    def metadata(self) -> MetadataPane:
        """The metadata pane."""
        return self._panes()[1]

    @property
    def quotes(self) -> QuotesPane:
        """The quotes pane."""
        return self._panes()[2]

    def _panes(self) -> tuple[TextPane, MetadataPane, QuotesPane]:
        """The text, metadata and quotes panes, mounted in their placeholders' places on first
        use (just after the first screen, or sooner if a key needs them)."""
        if self._text is None or self._metadata is None or self._quotes is None:
            from reader.tui.widgets.metadata import MetadataPane
            from reader.tui.widgets.quotes_pane import QuotesPane
            from reader.tui.widgets.text_pane import TextPane

            self._text = TextPane(id="text-pane", text_width=self.text_width)
            self._metadata = MetadataPane(id="metadata")
            self._quotes = QuotesPane(id="quotes")
            self._metadata.border_title = "Metadata"
            self._quotes.border_title = "Quotes"
            with self.app.batch_update():
                self._replace("text-slot", self._text)
                self._replace("metadata-slot", self._metadata)
                self._replace("quotes-slot", self._quotes)
        return self._text, self._metadata, self._quotes

    def _replace(self, slot: str, widget: Widget) -> None:
        placeholder = self.query_one(f"#{slot}")
        self.mount(widget, after=placeholder)
        placeholder.display = False  # gone from the layout now; removed from the DOM soon
        placeholder.remove()

    def on_mount(self) -> None:
        self.query_one("#metadata-slot").border_title = "Metadata"
        self.query_one("#quotes-slot").border_title = "Quotes"
        view = self._start_view
        if view is None:
            self.reload_articles()
        else:
            self.articles.set_articles(view.articles, view.quote_counts, total=view.total)
        self.articles.focus()
        self.call_after_refresh(self._after_first_screen)

    def _after_first_screen(self) -> None:
        """What the first screen does without: the other panes, the key footer, and the rest
        of the library; then back to where the reader was."""
        from reader.tui.widgets.key_footer import KeyFooter

        self._panes()
        with self.app.batch_update():
            narrow = self.has_class("-narrow")
            self._replace("footer-slot", KeyFooter(show_command_palette=not narrow))
        self._read_library()
        # Once the first screen has reached the terminal: opening a long article takes tens
        # of milliseconds that the first screen need not wait for.
        self.set_timer(RESUME_DELAY, self._resume)
        self.call_after_refresh(self.refresh_bindings)  # the footer shows the keys once told

    def _resume(self) -> None:
        """Reopen the article read last, where it was left, in the layout it was read in.
        An article gone since (or unreadable) leaves the list as it is, quietly."""
        resume, self._resume_at = self._resume_at, None
        if resume is None or self._start_view is not None:
            return
        if resume.side_closed and not self.has_class("-narrow"):
            self.add_class("-side-closed")
        if resume.article_id is None or self._article(resume.article_id) is None:
            return
        if resume.library is not None and resume.library != self.repo.signature():
            return  # changed by another process since: the list, quietly
        self.open_article(ArticleChosen(resume.article_id), quiet=True)
        if self._open is not None and resume.text_only:
            self.add_class("-text-only")

    def layout_state(self) -> Resume:
        """What to come back to next time: the open article and the layout."""
        return Resume(
            self._open.id if self._open is not None and self.has_class("-reading") else None,
            self.has_class("-text-only"),
            self.has_class("-side-closed"),
        )

    def action_continue_reading(self) -> None:
        """Open the article read most recently, where it was left."""
        read = [a for a in self.articles.all_articles if a.last_read is not None]
        if not read:
            self.notify("Nothing read yet: choose an article from the list.", timeout=3)
            return
        latest = max(read, key=lambda a: a.last_read or a.added)
        self.open_article(ArticleChosen(latest.id))

    def _read_library(self) -> None:
        """After the first screen: read the whole library and show all of it."""
        view, self._start_view = self._start_view, None
        if view is None:
            return
        try:
            self.reload_articles()
        except (LibraryError, OSError) as error:
            # The files are those the start view was made from, so this is rare: a disk
            # error, say. End the app; the command line reports it in one line.
            self._start_view = view  # the start view stays all there is until then
            self.post_message(LibraryUnreadable(error))
            return
        highlighted = self.articles.highlighted
        self.article_highlighted(ArticleHighlighted(highlighted.id if highlighted else None))

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self._compact_footer()

    def _compact_footer(self) -> None:
        """A narrow screen's footer leaves out the palette's key (ctrl+p still opens it, and
        help lists it), so that each mode's keys fit at 80 columns."""
        from textual.widgets import Footer

        for footer in self.query(Footer):
            footer.show_command_palette = not self.has_class("-narrow")

    def action_text_only(self) -> None:
        """Show the text alone, or everything again."""
        self.toggle_class("-text-only")
        if self.has_class("-text-only"):
            self.text.view.focus()

    def action_toggle_side(self) -> None:
        """Fold or unfold the metadata and quotes column."""
        if self.has_class("-narrow"):
            self.toggle_class("-side-open")
        else:
            self.toggle_class("-side-closed")

    @on(LeaveText)
    def leave_text(self) -> None:
        """Escape from the text: back to the list."""
        self.remove_class("-text-only")
        self.articles.focus()

    def on_descendant_focus(self) -> None:
        # Reading from when the text takes focus until the list takes it back: the list gives
        # way to the text (on a narrow screen the two take turns). The side column's panes
        # taking focus change neither.
        if self._text is not None and self._text.has_focus_within:
            self.add_class("-reading")
        elif self.query_one(ArticlePane).has_focus_within:
            self.remove_class("-reading")

    # -- loading ---------------------------------------------------------------------------

    def reload_articles(self, listing: Listing | None = None) -> None:
        """Show the library as it is now (from ``listing`` if it is still current)."""
        repo = self.repo
        if listing is None or listing.version is not repo.version:
            listing = Listing.read(repo, self.articles.sort)
        self.articles.set_rows(listing.rows, feeds=listing.feeds)
        self._tell_damaged(listing.damaged)

    def _tell_damaged(self, damaged: list[str]) -> None:
        """Articles that cannot be read are left out of the list: say so, once for each."""
        new = [problem for problem in damaged if problem not in self._told_damaged]
        if new:
            self._told_damaged.update(new)
            more = f" (and {len(new) - 1} more)" if len(new) > 1 else ""
            self.notify(
                f"{new[0]}{more}. It is left out of the list until mended.",
                title="Damaged article",
                severity="error",
                markup=False,
                timeout=20,
            )

    def _quote_count(self, article_id: int) -> int:
        return self.repo.quote_count(article_id)

    @on(ArticleHighlighted)
    def article_highlighted(self, event: ArticleHighlighted) -> None:
        """The side column follows the list's cursor."""
        if self._start_view is not None:
            return  # shown once the library is read
        self._describe(event.article_id)

    def _describe(self, article_id: int | None, at_once: bool = False) -> None:
        """Show one article in the side column: its facts, its quotes, and (found off the UI
        thread) the quotations it contains. Everything there is about this one article."""
        article = self._article(article_id)
        quotes = self._quotes_of(article.id) if article else []
        changed = self._described != (article.id if article else None)
        self._described = article.id if article else None
        self.metadata.show_article(article, len(quotes), self.articles.feed_title(article))
        # Quotations found belong to the article described: new article, none until found.
        if changed:
            self.quotes.show_quotes(quotes, detected=[])
        elif not self.quotes.lists(quotes):  # else, as listed: the library changed elsewhere
            self.quotes.show_quotes(quotes)
        self.quotes.article_id = self._described
        if article is not None and changed:
            self._find_quotations_soon(article.id, 0.0 if at_once else QUOTATIONS_DELAY)

    def _article(self, article_id: int | None) -> Article | None:
        if article_id is None:
            return None
        try:
            return self.repo.article(article_id)
        except LibraryError:  # gone, or damaged (told when the list was read)
            return None

    def _quotes_of(self, article_id: int) -> list[Quote]:
        try:
            return self.repo.quotes(article_id)
        except LibraryError as error:  # a damaged quote document
            self._tell_damaged([str(error)])
            return []

    @on(ArticleChosen)
    def open_article(self, event: ArticleChosen, quiet: bool = False) -> None:
        """Open an article where the reader left it."""
        article = self._article(event.article_id)
        if article is None:
            return
        try:
            body = self.repo.body(article)
        except (LibraryError, OSError) as error:
            if quiet:
                return
            # A missing or damaged text file: say so; the rest of the app goes on.
            self.notify(
                f"{error}. Run 'reader doctor' in a terminal to check the library.",
                title="Cannot open this article",
                severity="error",
                markup=False,
                timeout=12,
            )
            return
        self._open = article
        quotes = self._quotes_of(article.id)
        self.text.view.show(article, body, quotes, article.position)
        self.articles.select_article(article.id)
        self._describe(article.id, at_once=True)
        self.text.view.focus()

    @on(LibraryChanged)
    def library_changed(self, event: LibraryChanged) -> None:
        """A change reached the disk (here, on another screen, or from another process)."""
        if event.article_ids is None:
            self.refresh_open(event.listing)
        else:
            for article_id in event.article_ids:
                self._show_quotes_of(article_id)

    def refresh_open(self, listing: Listing | None = None) -> None:
        """The library may have changed anywhere: show it as it is, keeping our place."""
        if self._start_view is not None:
            return  # the whole library is read just after the first screen
        self.reload_articles(listing)
        if self._open is not None:
            article = self._article(self._open.id)
            if article is None:
                self._open = None
                self.text.view.clear()
            else:
                self._open = article
                self.text.view.set_quotes(self._quotes_of(article.id))
        # Its facts and quotes are read again; the quotations found in it stay (a body never
        # changes), so a change elsewhere does not send a worker through the text again.
        highlighted = self.articles.highlighted
        self._describe(highlighted.id if highlighted else self._described)

    # -- saving ----------------------------------------------------------------------------

    @on(PositionChanged)
    def position_changed(self, event: PositionChanged) -> None:
        """Remember the reading position (only the latest per article is written)."""
        from reader.review.clock import system_clock
        from reader.review.reading import save_position

        aid, offset, progress = event.article_id, event.offset, event.progress
        clock = getattr(self.app, "clock", system_clock)
        self.saver.submit(
            # With the words newly reached counted for today's statistics, in the same write.
            lambda: save_position(self.repo, aid, offset, progress, clock),
            self._article_saved,
            key=("position", aid),
        )

    def _article_saved(self, article: Article) -> None:
        self.articles.update_article(article)
        if self._open and self._open.id == article.id:
            self._open = article
        if self._described == article.id:
            count = self._quote_count(article.id)
            self.metadata.show_article(article, count, self.articles.feed_title(article))

    @on(ToggleReadRequested)
    def toggle_read(self, event: ToggleReadRequested) -> None:
        """Flip read/unread."""
        article = self._article(event.article_id)
        if article is not None:
            read = not article.read
            self.saver.submit(lambda: self.repo.set_read(article.id, read), self._article_saved)

    @on(DeleteArticleRequested)
    def delete_article(self, event: DeleteArticleRequested) -> None:
        """Confirm, then delete (keeping its quotes unless asked)."""
        from reader.tui.screens.confirm import WITH_QUOTES, ConfirmDelete

        article = self._article(event.article_id)
        if article is None:
            return

        def decided(choice: str | None) -> None:
            if choice is not None:
                with_quotes = choice == WITH_QUOTES
                self.saver.submit(lambda: self._delete(article.id, with_quotes), self._deleted)

        self.app.push_screen(ConfirmDelete(article.title, self._quote_count(article.id)), decided)

    def _delete(self, article_id: int, with_quotes: bool) -> DeletedArticle:
        """On the saver thread: delete, keeping what undo needs to put it all back."""
        repo = self.repo
        article = repo.article(article_id)
        body = repo.body(article)
        quotes = tuple(repo.quotes(article_id)) if with_quotes else ()
        repo.delete_article(article_id, delete_quotes=with_quotes)
        return DeletedArticle(article, body, quotes)

    def _deleted(self, entry: DeletedArticle) -> None:
        self.undo_stack.push(entry)
        if self._open and self._open.id == entry.article.id:
            self._open = None
            self.text.view.clear()
        self.refresh_open()
        kept = "" if entry.quotes else " Its quotes are kept."
        title = visible(entry.article.title)
        self.notify(f"Deleted “{title}”.{kept} ctrl+z brings it back.", markup=False)

    @on(QuoteRequested)
    def save_quote(self, event: QuoteRequested) -> None:
        """Keep a passage; the highlight appears once it is on disk."""
        aid, start, end = event.article_id, event.start, event.end
        body = self._body_of(aid)
        self.saver.submit(
            lambda: self.repo.add_quote(aid, start, end, body=body), self._quote_saved
        )

    def _quote_saved(self, result: tuple[Quote, bool]) -> None:
        quote, created = result
        self._show_quotes_of(quote.article_id)
        if created:
            self.notify("Quote saved.", timeout=2)
        else:
            self.notify("Already kept as a quote.", severity="warning", timeout=2)

    def _show_quotes_of(self, article_id: int) -> None:
        """An article's quotes changed: its highlights, its count in the list, the side column."""
        quotes = self._quotes_of(article_id)
        if self._open and self._open.id == article_id:
            self.text.view.set_quotes(quotes)
        article = self._article(article_id)
        if article is not None:
            self.articles.update_article(article, len(quotes))
        if self._described == article_id:
            self.metadata.show_article(article, len(quotes), self.articles.feed_title(article))
            self.quotes.show_quotes(quotes)

    @on(QuoteChosen)
    def jump_to_quote(self, event: QuoteChosen) -> None:
        """Scroll the text to a quote's passage and flash it."""
        try:
            quote = self.repo.quote(event.quote_id)
        except NotFound:
            return  # deleted while the key was on its way
        if self._open is None or self._open.id != quote.article_id:
            self.open_article(ArticleChosen(quote.article_id))
            if self._open is None or self._open.id != quote.article_id:
                return  # its article is gone, or its text could not be read
        self.text.view.scroll_to_offset(quote.start, flash=(quote.start, quote.end))
        self.text.view.focus()

    @on(TagArticleRequested)
    def tag_article(self, event: TagArticleRequested) -> None:
        """Edit an article's tags."""
        from reader.tui.screens.tag_editor import TagEditor

        article = self._article(event.article_id)
        if article is None:
            return

        def edited(tags: list[str] | None) -> None:
            if tags is not None:
                self.saver.submit(
                    lambda: self.repo.set_article_tags(article.id, tags), self._article_saved
                )

        editor = TagEditor(f"Article: {visible(article.title)}", article.tags, self.repo.all_tags())
        self.app.push_screen(editor, edited)

    def _find_quotations_soon(self, article_id: int, delay: float) -> None:
        # Once the cursor rests: holding `j` over the list must not read every body.
        if self._quotations_timer is not None:
            self._quotations_timer.stop()
            self._quotations_timer = None
        if delay <= 0:
            self.find_quotations(article_id)
        else:
            self._quotations_timer = self.set_timer(delay, lambda: self.find_quotations(article_id))

    @work(thread=True, exclusive=True, group="quotations")
    def find_quotations(self, article_id: int) -> None:
        """Find the quotations in the described article, off the UI thread."""
        from reader.text.quotations import detect_quotes

        if self._described != article_id:
            return
        article = self._article(article_id)
        try:
            body = self.repo.body(article) if article else ""
        except (LibraryError, OSError):
            return  # said when the article is opened; the pane lists its kept quotes only
        found = detect_quotes(body)
        self.post_message(self._QuotationsFound(article_id, found))

    @message
    class _QuotationsFound(Message):
        """Quotations found in an article, for the side column if it still describes it."""

        article_id: int
        found: list[DetectedQuote]

    def on_main_screen__quotations_found(self, event: _QuotationsFound) -> None:
        if self._described == event.article_id:
            self.quotes.show_detected(event.found)

    @on(KeepFoundQuotation)
    def keep_detected(self, event: KeepFoundQuotation) -> None:
        """Keep a found quotation as a quote, its speaker in the note."""
        aid, start, end = event.article_id, event.start, event.end
        note = f"— {event.speaker}" if event.speaker else ""
        body = self._body_of(aid)
        self.saver.submit(
            lambda: self.repo.add_quote(aid, start, end, note, body=body), self._quote_saved
        )

    def _body_of(self, article_id: int) -> str | None:
        """The body the text view already holds, if it shows this article: the save need not
        read it again."""
        view = self.text.view
        return view.body if view.article_id == article_id else None

    @on(ShowPassage)
    def show_passage(self, event: ShowPassage) -> None:
        """Show a found quotation in its article's text, and flash it."""
        if self._open is None or self._open.id != event.article_id:
            self.open_article(ArticleChosen(event.article_id))
            if self._open is None or self._open.id != event.article_id:
                return
        self.text.view.scroll_to_offset(event.start, flash=(event.start, event.end))
        self.text.view.focus()

    @on(QuoteNoteRequested)
    def edit_note(self, event: QuoteNoteRequested) -> None:
        """Edit a quote's note in a modal editor."""
        self.quote_actions.edit_note(event.quote_id)

    @on(QuoteTagRequested)
    def tag_quote(self, event: QuoteTagRequested) -> None:
        """Edit a quote's tags."""
        self.quote_actions.edit_tags(event.quote_id)

    @on(QuoteDeleteRequested)
    def delete_quote(self, event: QuoteDeleteRequested) -> None:
        """Delete a quote; ctrl+z brings it back."""
        self.quote_actions.delete(event.quote_id)

    @on(QuoteCopyRequested)
    def copy_quote(self, event: QuoteCopyRequested) -> None:
        """Copy a quote to the clipboard."""
        self.quote_actions.copy(event.quote_id, event.cited)

    # -- other screens and the app ---------------------------------------------------------

    def save_position_now(self) -> None:
        """Queue the open article's reading position (before quitting)."""
        view = self.text.view
        if self._open is not None and view.article_id == self._open.id:
            self.position_changed(PositionChanged(self._open.id, view.top_offset, view.progress))

    def has_article(self, article_id: int) -> bool:
        """Whether the article is (still) in the library."""
        return self._article(article_id) is not None

    def open_by_id(self, article_id: int) -> None:
        """Open an article from the command palette."""
        self.open_article(ArticleChosen(article_id))
