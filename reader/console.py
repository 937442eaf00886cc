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
