"""Keys typed right after a key that opens a field wait for that field.

A key such as ``/`` (filter), ``Q`` (all quotes) or ``e`` (edit the note) opens a field and
moves the focus into it; Textual moves focus on a later turn of the event loop, and a field
may first have to be mounted or a screen pushed. Keys already delivered with it, as a paste,
an input method or an SSH link deliver them, went to the widget that still had the focus,
where letters are commands: "/turk" on the article list toggled read state (``u``) and
opened the tag editor (``t``). So after such a key the app holds what follows until the
focus has settled in a text field (or briefly, if the key opened none), then lets it go in
order, to wherever the focus now is.

Keys that open an article (``enter`` on the list, or on a passage in the review) move the
focus to the text the same way: "enter" then "jjj" in one packet moved the list's cursor
instead of scrolling the article, and "v" then "b" kept no passage. Input after them waits
until the focus has moved.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

#: Binding ids of the keys that open a field (or a screen that opens with one focused).
INVITING = frozenset(
    {
        "list.filter",
        "text.find",
        "quotes_screen.filter",
        "search.query",
        "review.filter",
        "app.quotes",
        "app.search",
        "list.tags",
        "quotes.tags",
        "quotes.edit",
        "review.note",
        "review.tags",
    }
)
#: Binding ids of the keys that move the focus to an article's text.
MOVING = frozenset({"list.open", "review.open"})
#: Seconds to wait for the field before letting the held keys go anyway.
LIMIT = 0.5
#: Seconds between looks at where the focus is.
STEP = 0.01


class HeldKeys:
    """Holds the input that follows an inviting key until a text field has the focus."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._held: list[events.Key | events.Paste] | None = None
        self._since = 0.0
        #: Whether the focus has gone where the key that started the holding sends it.
        self._settled: Callable[[], bool] = self._in_field

    @property
    def holding(self) -> bool:
        """Whether input is being held now."""
        return self._held is not None

    def hold(self, event: events.Event) -> bool:
        """True if ``event`` is held (the caller must not handle it now)."""
        if self._held is None or not isinstance(event, events.Key | events.Paste):
            return False
        if event.is_forwarded:
            return False  # on its way back up from the widgets: the bindings act on it here
        self._held.append(event)
        return True

    def after(self, event: events.Key) -> None:
        """Called once ``event`` has been handled: start holding if it invites typing."""
        if self._held is not None or self._in_field():
            return  # in a field, letters are text: nothing is opened
        kind = self._binding_id(event.key)
        if kind in INVITING:
            self._settled = self._in_field
        elif kind in MOVING:
            start = self._focused()
            self._settled = lambda: self._focused() not in (None, start)
        else:
            return
        self._held = []
        self._since = time.monotonic()
        self._app.set_timer(STEP, self._check)

    def _focused(self) -> Widget | None:
        try:
            return self._app.focused
        except Exception:  # no screen yet, or one being taken down
            return None

    def _in_field(self) -> bool:
        return isinstance(self._focused(), Input | TextArea)

    def _binding_id(self, key: str) -> str | None:
        try:
            active = self._app.screen.active_bindings.get(key)
        except Exception:  # no screen yet, or one being taken down
            return None
        return active.binding.id if active is not None else None

    def _check(self) -> None:
        if self._settled() or time.monotonic() - self._since > LIMIT:
            self.release()
        else:
            self._app.set_timer(STEP, self._check)

    def release(self) -> None:
        """Let the held input go, in order, to wherever the focus is now."""
        held, self._held = self._held, None
        for event in held or ():
            if isinstance(event, events.Key):
                self._app.post_message(events.Key(event.key, event.character))
            else:
                self._app.post_message(events.Paste(event.text))
