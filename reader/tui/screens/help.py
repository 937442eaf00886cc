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


#: Cells of the key column at least and at most (it fits the longest keys between);
#: the description column takes what the width leaves.
KEYS_WIDTH = 16
MAX_KEYS_WIDTH = 22
ID_WIDTH = 24


def help_content(
    sections: Iterable[Section], keymap: Mapping[str, str], width: int = 88
) -> Content:
    """The help text: one block per pane, remapped keys shown as they are now, fitted to
    ``width`` cells (a long description is cut, never the id pushed onto a line of its own)."""
    sections = [(title, list(bindings)) for title, bindings in sections]
    labels = [
        _key_label(keymap.get(b.id or "", b.key))
        for _, bindings in sections
        for b in bindings
        if isinstance(b, Binding) and b.description
    ]
    keys_width = min(MAX_KEYS_WIDTH, max([KEYS_WIDTH - 1, *map(len, labels)]) + 1)
    what_width = max(16, width - 2 - keys_width - ID_WIDTH)
    blocks: list[Content] = []
    for title, bindings in sections:
        rows = [Content.styled(title, "bold $accent")]
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            keys = keymap.get(binding.id or "", binding.key)
            what = binding.tooltip or binding.description
            if len(what) > what_width - 1:
                what = what[: what_width - 2] + "…"
            label = _key_label(keys)
            if len(label) >= keys_width:
                label = label[: keys_width - 2] + "…"
            rows.append(
                Content.assemble(
                    (f"  {label:<{keys_width}}", "bold"),
                    f"{what:<{what_width}}",
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
        Binding("space,pagedown", "scroll('page_down')", show=False, id="help.page_down"),
        Binding("shift+space,pageup", "scroll('page_up')", show=False, id="help.page_up"),
        Binding("g,home", "scroll('home')", show=False, id="help.top"),
        Binding("G,end", "scroll('end')", show=False, id="help.bottom"),
    ]

    def __init__(self, sections: Sequence[Section], keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.sections = sections
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "esc, q or ? closes · j/k, space, g/G scroll"
            yield Static(help_content(self.sections, self.keymap), id="help-text")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def on_resize(self) -> None:
        """Fit the columns to the box."""
        box = self.query_one(VerticalScroll)
        text = help_content(self.sections, self.keymap, box.scrollable_content_region.width)
        self.query_one("#help-text", Static).update(text)

    def action_scroll(self, how: str) -> None:
        """Scroll the help text: "down", "up", "page_down", "page_up", "home" or "end"."""
        scroll = self.query_one(VerticalScroll)
        getattr(scroll, f"scroll_{how}")(animate=False)
