"""Small messages that flow up from the panes to the screen, which does the saving."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ArticleHighlighted(Message):
    """The list's cursor is on another article (None: the list is empty)."""

    article_id: int | None


@dataclass
class ArticleChosen(Message):
    """Open this article in the text pane and read it."""

    article_id: int


@dataclass
class ToggleReadRequested(Message):
    """Flip an article's read state."""

    article_id: int


@dataclass
class DeleteArticleRequested(Message):
    """The person asked to delete an article (the screen confirms first)."""

    article_id: int


@dataclass
class TagArticleRequested(Message):
    """Edit an article's tags."""

    article_id: int


@dataclass
class PositionChanged(Message):
    """The reading position moved: ``offset`` into the body at the top of the view."""

    article_id: int
    offset: int
    progress: float


@dataclass
class QuoteRequested(Message):
    """Keep ``body[start:end]`` of an article as a quote."""

    article_id: int
    start: int
    end: int


@dataclass
class LeaveText(Message):
    """Escape in the text pane with nothing left to close: go back to the list."""


@dataclass
class QuoteChosen(Message):
    """Show this quote's passage in the text."""

    quote_id: int


@dataclass
class LibraryUnreadable(Message):
    """Reading the library after the start view failed: the app ends and says why."""

    error: Exception
