"""Small messages that flow up from the panes to the screen, which does the saving."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, dataclass_transform

from textual.message import Message

if TYPE_CHECKING:
    from reader.tui.listing import Listing

M = TypeVar("M", bound=Message)


@dataclass_transform()
def message(cls: type[M]) -> type[M]:
    """Make a message class a dataclass, for its fields and ``__init__``.

    No ``__repr__`` or ``__eq__`` is generated: nothing uses them, and each costs start-up
    time (0.1 ms a class, some twenty classes before the first screen).
    """
    return dataclass(repr=False, eq=False)(cls)


@message
class ArticleHighlighted(Message):
    """The list's cursor is on another article (None: the list is empty)."""

    article_id: int | None


@message
class LibraryChanged(Message):
    """The library changed (a write landed, an undo, another process): every screen showing
    it refreshes itself. ``article_ids`` names the articles whose quotes or facts changed;
    None means anything may have changed, the list of articles included."""

    article_ids: frozenset[int] | None
    #: Every article and the quote counts, read off the UI thread, with the library
    #: ``version`` they were read at (the screen reads them again if it has moved on).
    listing: Listing | None = None


@message
class ArticleChosen(Message):
    """Open this article in the text pane and read it."""

    article_id: int


@message
class ToggleReadRequested(Message):
    """Flip an article's read state."""

    article_id: int


@message
class DeleteArticleRequested(Message):
    """The person asked to delete an article (the screen confirms first)."""

    article_id: int


@message
class TagArticleRequested(Message):
    """Edit an article's tags."""

    article_id: int


@message
class PositionChanged(Message):
    """The reading position moved: ``offset`` into the body at the top of the view."""

    article_id: int
    offset: int
    progress: float


@message
class QuoteRequested(Message):
    """Keep ``body[start:end]`` of an article as a quote."""

    article_id: int
    start: int
    end: int


@message
class LeaveText(Message):
    """Escape in the text pane with nothing left to close: go back to the list."""


@message
class QuoteChosen(Message):
    """Show this quote's passage in the text."""

    quote_id: int


@message
class LibraryUnreadable(Message):
    """Reading the library after the start view failed: the app ends and says why."""

    error: Exception


@message
class QuoteNoteRequested(Message):
    """Edit this quote's note."""

    quote_id: int


@message
class QuoteDeleteRequested(Message):
    """Delete this quote."""

    quote_id: int


@message
class QuoteTagRequested(Message):
    """Edit this quote's tags."""

    quote_id: int


@message
class QuoteCopyRequested(Message):
    """Copy this quote to the clipboard (with a citation line under it, if ``cited``)."""

    quote_id: int
    cited: bool = False


@message
class KeepFoundQuotation(Message):
    """Keep a quotation found in an article as a quote (the speaker goes in its note)."""

    article_id: int
    start: int
    end: int
    speaker: str | None


@message
class ShowPassage(Message):
    """Show a passage of an article in the text (opening it if need be) and flash it."""

    article_id: int
    start: int
    end: int
