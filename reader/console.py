"""Make untrusted strings safe for a terminal: printed by the command line, shown by the app."""

from __future__ import annotations

import re

# C0 controls but newline and tab, DEL, C1 controls, and bidi overrides/isolates: any of
# these from a file name or a hand-edited library could move the cursor, retitle the
# window, write the clipboard (OSC 52) or reorder what the person sees.
_UNSAFE_RANGES = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x202A, 0x202E), (0x2066, 0x2069))
_UNSAFE = re.compile(
    "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _UNSAFE_RANGES) + "]"
)
_VISIBLE = {code: "\ufffd" for a, b in _UNSAFE_RANGES for code in range(a, b + 1)}


def safe(text: object) -> str:
    """``text`` with every terminal control character shown as a visible escape."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def visible(text: str) -> str:
    """``text`` for the app's panes: each terminal control character a U+FFFD, one for one.

    Import cleans what it stores, but a hand-edited library could still hold them (Textual
    would pass an ESC on to the terminal). One for one keeps offsets into the text valid.
    """
    return text.translate(_VISIBLE) if _UNSAFE.search(text) else text
