"""Today's review: one quote at a time, graded with 1-4; every write goes through the saver."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from reader.console import visible
from reader.review.cards import GRADES, DueQuote, Graded, ReviewSet
from reader.tui.messages import LibraryChanged, message
from reader.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from reader.library import Repository
    from reader.review.clock import Clock
    from reader.tui.quote_actions import QuoteActions
    from reader.tui.saver import Saver


@dataclass
class GradeEntry:
    """One grade given on this screen, for ``u``: filled in on the saver thread once written."""

    item: DueQuote
    grade: str
    #: Whether it left today's set (good, easy) rather than going to its end (again, hard).
    left: bool
    graded: Graded | None = field(default=None)


@message
class SetLoaded(Message):
    """Today's set and the streak, read off the UI thread."""

    found: ReviewSet
    streak: int
    today_counts: bool


@message
class ParagraphRead(Message):
    """The paragraph around a quote (None: its article is gone), read off the UI thread."""

    quote_id: int
    paragraph: str | None


#: The actions that act on the quote on screen.
CARD_ACTIONS = frozenset({"reveal", "grade", "undo", "note", "tags", "open"})


class ReviewScreen(Screen[None]):
    """Today's quotes, most due first: reveal, grade, undo, edit, tag, open the passage."""

    AUTO_FOCUS = "#review-body"
    DEFAULT_CSS = """
    ReviewScreen #review-filter { width: 1fr; display: none; }
    ReviewScreen #review-filter.-shown { display: block; }
    ReviewScreen #review-body { width: 1fr; height: 1fr; align: center middle; }
    ReviewScreen #review-card { width: 1fr; height: auto; padding: 1 2; }
    ReviewScreen #review-progress { width: 1fr; height: 1; margin-bottom: 1;
        content-align: center middle; color: $text-muted; }
    """
    BINDINGS = [
        Binding("space", "reveal", "Reveal", id="review.reveal", tooltip="Show the paragraph"),
        Binding("1", "grade('again')", "Again", id="review.again", tooltip="Again: later today"),
        Binding("2", "grade('hard')", "Hard", id="review.hard", tooltip="Hard"),
        Binding("3", "grade('good')", "Good", id="review.good", tooltip="Good"),
        Binding("4", "grade('easy')", "Easy", id="review.easy", tooltip="Easy: longest wait"),
        Binding("u", "undo", "Undo", id="review.undo", tooltip="Undo the last grade"),
        Binding("e", "note", "Note", id="review.note", tooltip="Edit the quote's note"),
        Binding("t", "tags", "Tags", id="review.tags", tooltip="Tag the quote"),
        Binding("enter", "open", "Open", id="review.open", tooltip="The passage in its article"),
        Binding(
            "slash", "filter", "Filter", show=False, id="review.filter", tooltip="tag:name narrows"
        ),
        Binding("escape", "close", "Back", id="review.close", tooltip="Back to reading"),
    ]

    def __init__(
        self,
        repo: Callable[[], Repository],
        saver: Saver,
        actions: QuoteActions,
        clock: Clock,
        daily: int,
        text_width: int,
        tag: str | None = None,
    ) -> None:
        super().__init__()
        self._library = repo
        self.saver = saver
        self.actions = actions
        self.clock = clock
        self.daily = daily
        self.text_width = text_width
        #: Quotes still to review today, the one shown first; None until read.
        self.queue: list[DueQuote] | None = None
        #: Quotes done today (graded and not due again today).
        self.done = 0
        self.streak = 0
        self._today_counts = False
        self.tag: str | None = tag
        #: The shown quote's paragraph, once revealed.
        self.revealed: str | None = None
        self._undo: list[GradeEntry] = []

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="tag:name narrows today's review; enter to apply", id="review-filter"
        )
        with VerticalScroll(id="review-body"):
            yield Static(id="review-card")
        yield Static(id="review-progress")
        yield KeyFooter()

    def on_mount(self) -> None:
        card = self.query_one("#review-card", Static)
        card.styles.max_width = self.text_width + 4  # the reading measure, padding included
        if self.tag:
            field = self.query_one("#review-filter", Input)
            field.value = f"tag:{self.tag}"
            field.add_class("-shown")
        self.query_one("#review-body").focus()
        self.load()

    # -- reading the set (off the UI thread) ------------------------------------------------

    @work(thread=True, exclusive=True, group="review-load")
    def load(self) -> None:
        """Read today's set and the streak."""
        from reader.review.cards import todays_set
        from reader.review.stats import streak_of

        now = self.clock()
        repo = self._library()
        found = todays_set(repo, now, self.daily, self.tag)
        streak, counts = streak_of(repo, now)
        self.post_message(SetLoaded(found, streak, counts))

    @on(SetLoaded)
    def _loaded(self, event: SetLoaded) -> None:
        self.queue = list(event.found.due)
        self.done = event.found.done
        self.streak, self._today_counts = event.streak, event.today_counts
        self._undo.clear()
        self.show()

    @property
    def current(self) -> DueQuote | None:
        """The quote on screen."""
        return self.queue[0] if self.queue else None

    # -- drawing ----------------------------------------------------------------------------

    def show(self) -> None:
        """Draw the current quote (or the calm end of the day) and the progress line."""
        self.revealed = None
        self._draw()
        self.refresh_bindings()  # undo, and the card's keys, come and go

    def _draw(self) -> None:
        card = self.query_one("#review-card", Static)
        progress = self.query_one("#review-progress", Static)
        streak = f" · {self.streak}-day streak" if self.streak else ""
        item = self.current
        if self.queue is None:
            card.update(Content.styled("Reading today's quotes…", "$text-muted"))
            progress.update("")
            return
        if (
            item is None
            and not self.done
            and not self.tag
            and not self._library().documents("quotes")
        ):
            hint = "Keep passages while you read (v, then b): they come back here to review."
            lines = [
                Content.styled("No quotes yet.", "bold"),
                Content(""),
                Content.styled(hint, "$text-muted"),
            ]
            card.update(Content("\n").join(lines))
            progress.update("")
            return
        if item is None:
            what = f" tagged {self.tag}" if self.tag else ""
            lines = [
                Content.styled(f"Nothing due{what}.", "bold"),
                Content(""),
                Content.styled(
                    f"{self.done} reviewed today. Your quotes will be back when they are due.",
                    "$text-muted",
                ),
            ]
            card.update(Content("\n").join(lines))
            progress.update(Content(f"{self.done} of {self.done}{streak}"))
            return
        quote = item.quote
        parts = [self._passage(quote.text.strip())]
        cite = " · ".join(p for p in (visible(item.title), visible(item.source or "")) if p)
        parts += [Content(""), Content.styled(f"— {cite}", "$text-muted")]
        if not item.article_kept:
            parts.append(Content.styled("(its article was deleted)", "italic $text-muted"))
        if quote.note:
            parts += [Content(""), Content.styled(visible(quote.note), "italic")]
        if quote.tags:
            parts.append(Content.styled(" ".join(f"#{t}" for t in quote.tags), "$accent"))
        card.update(Content("\n").join(parts))
        total = self.done + len(self.queue or [])
        progress.update(Content(f"{self.done + 1} of {total}{streak}"))

    def _passage(self, text: str) -> Content:
        """The quote in bold; once revealed, within its paragraph, the rest set quietly."""
        paragraph = self.revealed
        at = paragraph.find(text) if paragraph is not None else -1
        if paragraph is None:
            return Content.styled(visible(text), "bold")
        if at < 0:  # the article is gone, or the paragraph no longer holds the words
            return Content("\n\n").join(
                [
                    Content.styled(visible(text), "bold"),
                    Content.styled(visible(paragraph), "$text-muted"),
                ]
            )
        return Content.assemble(
            (visible(paragraph[:at]), "$text-muted"),
            (visible(text), "bold"),
            (visible(paragraph[at + len(text) :]), "$text-muted"),
        )

    # -- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Letters are text in the filter; the card's keys work only on a card."""
        if action not in CARD_ACTIONS:
            return True
        # self.focused, not a query: this also runs while the screen is being taken down.
        if isinstance(self.focused, Input):
            return False
        if action == "undo":
            return bool(self._undo)
        return self.current is not None  # nothing due: the card's keys leave the footer

    def action_reveal(self) -> None:
        """Show (or hide) the paragraph the quote was kept from."""
        item = self.current
        if item is None:
            return
        if self.revealed is not None:
            self.revealed = None
            self._draw()
            return
        self.read_paragraph(item)

    @work(thread=True, exclusive=True, group="review-reveal")
    def read_paragraph(self, item: DueQuote) -> None:
        """Read the quote's paragraph from its article's text (a file)."""
        from reader.review.passage import quote_paragraph

        paragraph = quote_paragraph(self._library(), item.quote)
        self.post_message(ParagraphRead(item.quote.id, paragraph))

    @on(ParagraphRead)
    def _paragraph(self, event: ParagraphRead) -> None:
        item = self.current
        if item is None or item.quote.id != event.quote_id:
            return  # graded meanwhile
        self.revealed = event.paragraph or "Its article was deleted; the quote is all that is kept."
        self._draw()

    def action_grade(self, grade: str) -> None:
        """Grade the quote on screen; the write goes to the saver thread."""
        item = self.current
        if item is None or self.queue is None or grade not in GRADES:
            return
        self.queue.pop(0)
        left = grade in ("good", "easy")
        if left:
            self.done += 1
        else:
            self.queue.append(item)  # due again in minutes: back at the end of today's set
        if not self._today_counts:
            self.streak, self._today_counts = self.streak + 1, True
        entry = GradeEntry(item, grade, left)
        self._undo.append(entry)
        repo, clock = self._library, self.clock

        def write() -> Graded:
            from reader.review.cards import grade as record

            entry.graded = record(repo(), item.quote.id, grade, clock())
            return entry.graded

        self.saver.submit(write)
        self.show()

    def action_undo(self) -> None:
        """Take back the last grade: the quote is shown again and its card is as it was."""
        if not self._undo or self.queue is None:
            return
        entry = self._undo.pop()
        quote_id = entry.item.quote.id
        if entry.left:
            self.done -= 1
        else:
            self.queue = [q for q in self.queue if q.quote.id != quote_id]
        self.queue.insert(0, entry.item)
        repo = self._library

        def write() -> None:
            from reader.review.cards import undo

            if entry.graded is not None:  # None: the grade itself failed (and was reported)
                undo(repo(), entry.graded.review_id)

        self.saver.submit(write)
        self.show()
        self.notify(f"Grade “{entry.grade}” taken back.", timeout=2, markup=False)

    def action_note(self) -> None:
        """Edit the quote's note (the editor the Quotes pane uses)."""
        if self.current is not None:
            self.actions.edit_note(self.current.quote.id)

    def action_tags(self) -> None:
        """Tag the quote (the editor the Quotes pane uses)."""
        if self.current is not None:
            self.actions.edit_tags(self.current.quote.id)

    def action_open(self) -> None:
        """Open the passage in its article."""
        item = self.current
        if item is None:
            return
        if not item.article_kept:
            self.notify("Its article was deleted; the quote is all that is kept.", timeout=4)
            return
        self.dismiss()
        self.app.call_later(self.app.open_quote, item.quote.id)  # type: ignore[attr-defined]

    def action_filter(self) -> None:
        """Type ``tag:name`` to narrow today's set (the field shows only while it is used)."""
        field = self.query_one("#review-filter", Input)
        field.add_class("-shown")
        field.focus()

    def action_close(self) -> None:
        """Back to reading (from the filter: back to the card)."""
        field = self.query_one("#review-filter", Input)
        if field.has_focus:
            field.set_class(bool(field.value), "-shown")
            self.query_one("#review-body").focus()
            return
        self.dismiss()

    @on(Input.Submitted, "#review-filter")
    def _filter(self, event: Input.Submitted) -> None:
        from reader.text.query import split_tags

        tags, words = split_tags(event.value)
        self.tag = (tags[0] if tags else words.strip()) or None
        event.input.set_class(self.tag is not None, "-shown")
        self.query_one("#review-body").focus()
        self.queue = None
        self._draw()
        self.load()

    @on(LibraryChanged)
    def _library_changed(self) -> None:
        # A note or tags edited here (or anywhere): the quotes on show are read again from
        # the app's in-memory library; the order of today's set stays as it is.
        from dataclasses import replace

        from reader.library import NotFound

        if not self.queue:
            return
        repo = self._library()
        fresh = []
        for item in self.queue:
            try:
                fresh.append(replace(item, quote=repo.quote(item.quote.id)))
            except NotFound:
                continue  # deleted
        self.queue = fresh
        self._draw()
