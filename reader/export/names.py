"""File names made from article titles, safe on every common file system."""

from __future__ import annotations

import re
import unicodedata

#: Longest name before the extension, in characters and in UTF-8 bytes (ext4 and APFS allow
#: 255 bytes for the whole name; the margin leaves room for " (123)" and the extension).
MAX_CHARS = 80
MAX_BYTES = 200
FALLBACK = "untitled"

# Escape sequences go whole, so "\x1b[2J" leaves no "[2J" behind.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.)?")
# Path separators and what Windows forbids in names become spaces.
_FORBIDDEN = re.compile(r'[/\\<>:"|?*]')
_DOTS = re.compile(r"\.{2,}")
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{base}{n}" for base in ("com", "lpt") for n in "123456789¹²³"}
)


def _visible(char: str) -> bool:
    """Whether a character may stay: no controls, format (bidi, zero-width) or unassigned."""
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def safe_stem(title: str) -> str:
    """A file name stem from a title: one line, no separators, no "..", length-limited."""
    text = _ESCAPE.sub("", unicodedata.normalize("NFC", title))
    text = "".join(c if _visible(c) else " " for c in text)
    text = " ".join(_FORBIDDEN.sub(" ", text).split())
    # A leading dot hides the file; a leading dash makes it read as an option on a command line.
    text = text.lstrip(" .-")
    # Runs of dots become an ellipsis: no ".." is left, and "Wait... what" still reads well.
    text = _DOTS.sub("…", text).rstrip(" .")
    text = _shorten(text, MAX_CHARS, MAX_BYTES)
    if not text:
        return FALLBACK
    if text.split(".")[0].rstrip().casefold() in _RESERVED:
        text += "_"  # "CON", "nul.txt": devices on Windows, whatever the extension
    return text


def _shorten(text: str, chars: int, size: int) -> str:
    """``text`` cut to ``chars`` characters and ``size`` UTF-8 bytes, never inside a character."""
    text = text[:chars]
    while len(text.encode("utf-8")) > size:
        text = text[:-1]
    # A combining mark left without its base letter, or a trailing space or dot, goes too.
    while text and (unicodedata.combining(text[-1]) or text[-1] in " ."):
        text = text[:-1]
    return text


class UniqueNames:
    """Safe names for one folder's files, unique ignoring case (as macOS and Windows do)."""

    def __init__(self, extension: str = ".md") -> None:
        self.extension = extension
        self.taken: set[str] = set()
        # The next number to try per stem: a thousand "Untitled" articles stay linear.
        self._next: dict[str, int] = {}

    def name(self, title: str) -> str:
        """A safe name for ``title`` not given out before: "Title.md", "Title (2).md", …"""
        stem = safe_stem(title)
        key = stem.casefold()
        number = self._next.get(key, 1)
        while True:
            name = self._numbered(stem, number)
            if name.casefold() not in self.taken:
                break
            number += 1
        self._next[key] = number + 1
        self.taken.add(name.casefold())
        return name

    def _numbered(self, stem: str, number: int) -> str:
        if number == 1:
            return stem + self.extension
        suffix = f" ({number})"
        base = _shorten(stem, MAX_CHARS - len(suffix), MAX_BYTES - len(suffix)) or FALLBACK
        return f"{base}{suffix}{self.extension}"
