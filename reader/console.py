"""Make untrusted strings safe for a terminal: printed by the command line, shown by the app.

The one home of the table of terminal control characters: reader.text.clean strips the same
characters from what is stored, and JSON output escapes them.
"""

from __future__ import annotations

import re
from typing import Any

#: C0 controls but newline and tab, DEL, C1 controls, and bidi overrides/isolates: any of
#: these from a file name or a hand-edited library could move the cursor, retitle the
#: window, write the clipboard (OSC 52) or reorder what the person sees.
CONTROL_RANGES = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x202A, 0x202E), (0x2066, 0x2069))
#: The ranges as the inside of a regular-expression character class.
CONTROL_CLASS = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in CONTROL_RANGES)
_UNSAFE = re.compile(f"[{CONTROL_CLASS}]")
# Bytes of a file name that are not UTF-8 come back from os.fsdecode as lone surrogates
# (U+DC80-U+DCFF); a terminal cannot show them and UTF-8 cannot encode them.
_UNSAFE_OR_BYTE = re.compile(f"[{CONTROL_CLASS}\udc80-\udcff]")
_VISIBLE = {code: "\ufffd" for a, b in CONTROL_RANGES for code in range(a, b + 1)}


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the original byte, as Python writes it
    return match.group().encode("unicode_escape").decode("ascii")


def safe(text: object) -> str:
    """``text`` with every terminal control character (and non-UTF-8 byte) as a visible escape."""
    return _UNSAFE_OR_BYTE.sub(_escaped, str(text))


def file_name(name: str) -> str:
    """A name from the file system as valid text: non-UTF-8 bytes shown as ``\\xNN``."""
    return _UNSAFE_OR_BYTE.sub(_escaped, name) if _UNSAFE_OR_BYTE.search(name) else name


def visible(text: str) -> str:
    """``text`` for the app's panes: each terminal control character a U+FFFD, one for one.

    Import cleans what it stores, but a hand-edited library could still hold them (Textual
    would pass an ESC on to the terminal). One for one keeps offsets into the text valid.
    """
    return text.translate(_VISIBLE) if _UNSAFE.search(text) else text


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(text: str) -> str:
    """JSON text with DEL, C1 and bidi controls escaped as ``\\uXXXX``.

    JSON encoders escape only C0; the rest would reach a terminal raw. Outside strings a
    JSON text is ASCII (and its only C0 is the newline of indentation, which is not in the
    table), so escaping every match keeps it valid and equal in value.
    """
    return _UNSAFE.sub(_json_escape, text) if _UNSAFE.search(text) else text


def json_text(value: Any) -> str:
    """``value`` as indented JSON, safe to print to a terminal, ending with a newline."""
    import orjson

    try:
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError:
        # A string with lone surrogates (a file name that is not UTF-8): shown as \xNN.
        data = orjson.dumps(_names_fixed(value), option=orjson.OPT_INDENT_2)
    return json_safe(data.decode("utf-8")) + "\n"


def _names_fixed(value: Any) -> Any:
    if isinstance(value, str):
        return file_name(value)
    if isinstance(value, dict):
        return {_names_fixed(k): _names_fixed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_names_fixed(v) for v in value]
    return value
