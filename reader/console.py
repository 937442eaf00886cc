"""Make untrusted strings safe to print on a terminal from the command line."""

from __future__ import annotations

import re

# C0 controls but newline and tab, DEL, C1 controls, and bidi overrides/isolates: any of
# these from a file name or a hand-edited library could move the cursor, retitle the
# window, write the clipboard (OSC 52) or reorder what the person sees.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: object) -> str:
    """``text`` with every terminal control character shown as a visible escape."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


_VISIBLE = {code: "\ufffd" for code in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}
_VISIBLE.update({code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def visible(text: str) -> str:
    """``text`` for the app's panes: each terminal control character a U+FFFD, one for one.

    Import cleans what it stores, but a hand-edited library could still hold them (Textual
    would pass an ESC on to the terminal). One for one keeps offsets into the text valid.
    """
    return text.translate(_VISIBLE) if _UNSAFE.search(text) else text
