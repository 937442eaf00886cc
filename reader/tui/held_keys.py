"""Keys typed right after a key that opens a field wait for that field.

A key such as ``/`` (filter), ``Q`` (all quotes) or ``e`` (edit the note) opens a field and
moves the focus into it; Textual moves focus on a later turn of the event loop, and a field
may first have to be mounted or a screen pushed. Keys already delivered with it, as a paste,
an input method or an SSH link deliver them, went to the widget that still had the focus,
where letters are commands: "/turk" on the article list toggled read state (``u``) and
opened the tag editor (``t``). So after such a key the app holds what follows until the
focus has settled in a text field (or briefly, if the key opened none), then lets it go in
order, to wherever the focus now is.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.app import App

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
        if self._binding_id(event.key) not in INVITING:
            return
        self._held = []
        self._since = time.monotonic()
        self._app.set_timer(STEP, self._check)

    def _in_field(self) -> bool:
        try:
            return isinstance(self._app.focused, Input | TextArea)
        except Exception:  # no screen yet
            return False

    def _binding_id(self, key: str) -> str | None:
        try:
            active = self._app.screen.active_bindings.get(key)
        except Exception:  # no screen yet, or one being taken down
            return None
        return active.binding.id if active is not None else None

    def _check(self) -> None:
        if self._in_field() or time.monotonic() - self._since > LIMIT:
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
