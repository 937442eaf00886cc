"""The help screen: every key, pane by pane, with the id to remap it by."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

Section = tuple[str, Sequence[BindingType]]


def _key_label(keys: str) -> str:
    names = {"question_mark": "?", "slash": "/", "space": "space", "escape": "esc"}
    return " ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


def help_content(sections: Iterable[Section], keymap: Mapping[str, str]) -> Content:
    """The help text: one block per pane, remapped keys shown as they are now."""
    blocks: list[Content] = []
    for title, bindings in sections:
        rows = [Content.styled(title, "bold $accent")]
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            keys = keymap.get(binding.id or "", binding.key)
            what = binding.tooltip or binding.description
            rows.append(
                Content.assemble(
                    (f"  {_key_label(keys):<16}", "bold"),
                    f"{what:<44}",
                    (binding.id or "", "$text-muted"),
                )
            )
        blocks.append(Content("\n").join(rows))
    footer = Content.styled(
        "Keys can be remapped by id in the config file's [keys] table (see the README).",
        "$text-muted",
    )
    return Content("\n\n").join([*blocks, footer])


class HelpScreen(ModalScreen[None]):
    """Every key by pane; escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 96; max-width: 98%; height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "app.pop_screen", "Close", id="help.close"),
        Binding("j,down", "scroll('down')", show=False, id="help.down"),
        Binding("k,up", "scroll('up')", show=False, id="help.up"),
    ]

    def __init__(self, sections: Sequence[Section], keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.sections = sections
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            yield Static(help_content(self.sections, self.keymap), id="help-text")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_scroll(self, direction: str) -> None:
        """Scroll the help text."""
        scroll = self.query_one(VerticalScroll)
        if direction == "down":
            scroll.scroll_down()
        else:
            scroll.scroll_up()
