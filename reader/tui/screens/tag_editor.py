"""A modal editor for tags, with completion from the tags already in use."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label


class TagSuggester(Suggester):
    """Completes the tag being typed (the last comma-separated one) from known tags."""

    def __init__(self, known: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = list(known)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        stem = last.lstrip()
        if not stem:
            return None
        taken = {t.strip().casefold() for t in head.split(",")}
        for tag in self.known:
            if tag.casefold().startswith(stem.casefold()) and tag.casefold() not in taken:
                return value[: len(value) - len(stem)] + tag
        return None


def parse_tags(value: str) -> list[str]:
    """Tags from the editor's comma-separated text."""
    return [t.strip() for t in value.split(",") if t.strip()]


class TagEditor(ModalScreen[list[str] | None]):
    """Edit tags as "a, b, c"; enter saves, escape cancels; → accepts a completion."""

    DEFAULT_CSS = """
    TagEditor { align: center middle; }
    TagEditor > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    TagEditor #what { color: $text-muted; margin-bottom: 1; }
    TagEditor #known { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tags.cancel")]

    def __init__(self, what: str, tags: Sequence[str], known: Sequence[str]) -> None:
        super().__init__()
        self.what = what
        self.tags = list(tags)
        self.known = list(known)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Tags"
            yield Label(Content(self.what), id="what")
            yield Input(
                ", ".join(self.tags) + (", " if self.tags else ""),
                placeholder="tags, separated by commas",
                suggester=TagSuggester(self.known),
                id="tags",
            )
            if self.known:
                yield Label(Content("In use: " + ", ".join(self.known)), id="known")

    @on(Input.Submitted, "#tags")
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(parse_tags(event.value))

    def action_cancel(self) -> None:
        """Leave the tags as they were."""
        self.dismiss(None)
