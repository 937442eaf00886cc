"""Case and accent folding that keeps every character where it was.

``fold(text)`` has exactly the length of ``text``, so an offset found in the folded text is
the same offset in the original: search matches on folded text and shows the original.
Folding is Turkish-aware (dotted ``İ``, ``I`` and the dotless i all become ``i``) and strips
diacritics (``Çavuşoğlu`` → ``cavusoglu``, ``FETÖ`` → ``feto``).
"""

from __future__ import annotations

import re
import unicodedata

# Turkish dotted and dotless i fold to plain i ("İ".lower() would be two characters); the
# Greek final sigma folds to sigma, since str.lower() picks one or the other by context.
_SPECIAL = {"İ": "i", "I": "i", "\u0131": "i", "\u03c2": "\u03c3"}
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
#: Folded non-ASCII runs seen so far. Words repeat, so most runs are a dict lookup; the
#: cache is bounded so that a stream of random text cannot grow it without end.
_RUNS: dict[str, str] = {}
_RUNS_MAX = 200_000
_CHARS: dict[str, str] = {}


def fold_char(char: str) -> str:
    """One character folded: lowercased and without diacritics, always one character."""
    folded = _CHARS.get(char)
    if folded is None:
        folded = _CHARS[char] = _fold_char(char)
    return folded


def _fold_char(char: str) -> str:
    special = _SPECIAL.get(char)
    if special is not None:
        return special
    base = unicodedata.normalize("NFD", char)[0]
    lower = base.lower()
    if len(lower) == 1:
        return lower
    lower = char.lower()
    return lower if len(lower) == 1 else char


def _fold_run(match: re.Match[str]) -> str:
    run = match.group()
    folded = _RUNS.get(run)
    if folded is None:
        folded = "".join(map(fold_char, run))
        if len(_RUNS) >= _RUNS_MAX:
            _RUNS.clear()
        _RUNS[run] = folded
    return folded


def _byte_table(codec: str) -> bytes:
    """``bytes.translate`` table folding every character ``codec`` encodes in one byte."""
    table = bytearray(range(256))
    for byte in range(256):
        try:
            folded = fold_char(bytes([byte]).decode(codec)).encode(codec)
        except UnicodeError:
            continue  # an undefined byte, or a fold the codec cannot write: leave it
        if len(folded) == 1:
            table[byte] = folded[0]
    return bytes(table)


#: Single-byte codecs tried in turn: most European text encodes in one of them, and then
#: folding is encode + bytes.translate + decode, ~20x faster than a per-character table.
_CODECS = ("cp1254", "cp1252", "cp1250", "cp1251", "cp1253", "cp1257")
_TABLES: dict[str, bytes] = {}


def fold(text: str) -> str:
    """``text`` lowercased, Turkish-aware, without diacritics; same length as ``text``."""
    if text.isascii():
        return text.lower()
    for codec in _CODECS:
        try:
            raw = text.encode(codec)
        except UnicodeEncodeError:
            continue
        table = _TABLES.get(codec)
        if table is None:
            table = _TABLES[codec] = _byte_table(codec)
        return raw.translate(table).decode(codec)
    # Anything else: str.lower() keeps the length of every character but "İ", which goes
    # first; then only the non-ASCII runs go through the per-character table.
    if "İ" in text:
        text = text.replace("İ", "i")
    return _NON_ASCII_RUN.sub(_fold_run, text.lower())
