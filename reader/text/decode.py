"""Turning a file's bytes into text: BOMs, UTF-8, and legacy 8-bit encodings."""

# Typographic quotes, dashes and non-Latin punctuation here are deliberate.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import codecs
import re

from .language import detect_language
from .model import ImportRefused

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control bytes that text files do not contain (tab, newlines, FF, VT and ESC are
# allowed); above this share of the bytes, non-UTF-8 data is taken to be binary.
_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")
_MAX_CONTROL_SHARE = 0.02

# Up to this many invalid bytes in otherwise-UTF-8 data are read as Windows-1252
# (the classic stray Latin-1 pound sign); more suggests a legacy-encoded file.
_MAX_STRAY_BYTES = 8
_SURROGATE_ESCAPES = re.compile("[\udc80-\udcff]")
_VALID_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")

# Characters that a Western Windows-1252 byte plausibly stands for in English or
# Western European text. Icelandic letters (ð þ ý) are left out on purpose: they
# are what Turkish ğ ş ı look like when Windows-1254 is misread as Windows-1252.
_WESTERN = frozenset(
    "\u00a0£€©®°±«»‘’“”‚„–—…•·¡¿´½¼¾™§¶¢¥×÷"
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜßàáâãäåæçèéêëìíîïñòóôõöøùúûüÿŒœŠšŽžŸƒ"
)

# Letters of Turkish beyond ASCII (with the circumflexed vowels of loanwords) and
# the ones that only Windows-1254 among the 8-bit Latin codepages puts at their bytes.
_TURKISH_LETTERS = frozenset("çğıöşüÇĞİÖŞÜâîûÂÎÛ")
_TURKISH_ONLY = frozenset("ğışĞİŞ")

# Latin-script languages and the Windows code page their legacy files use.
_WESTERN_LANGUAGES = (
    "af br ca cy da de en eo es eu fi fo fr fy ga gd gl id is it la lb ms nl nn no oc pt rw "
    "so sv sw tl wa xh zu"
)
_LATIN_CODEPAGES = {
    **dict.fromkeys(_WESTERN_LANGUAGES.split(), "cp1252"),
    **dict.fromkeys(("bs", "cs", "hr", "hu", "pl", "ro", "sk", "sl", "sq"), "cp1250"),
    **dict.fromkeys(("tr", "az"), "cp1254"),
    **dict.fromkeys(("et", "lt", "lv"), "cp1257"),
}
# Above this share of non-ASCII among letter bytes, a text is not in a Latin script.
_MAX_HIGH_SHARE = 0.3
_ASCII_BYTES = bytes(range(0x80))
_NON_LETTER_BYTES = bytes(b for b in range(0x100) if not chr(b).isascii() or not chr(b).isalpha())

# Code pages whose printable range is a subset of a Windows code page, which also decodes
# the curly quotes at 0x91-0x94: browsers read a page labelled with one as the Windows one,
# and charset-normalizer names them for legacy files.
_WINDOWS_SUPERSET = {"iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254"}


def bom_codec(data: bytes) -> str | None:
    """The codec that a byte-order mark at the start of ``data`` names, or None."""
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def codec_for_label(label: str) -> str | None:
    """The codec to decode with for a charset label, read as browsers do; None if unknown.

    "iso-8859-1", "latin1" and "us-ascii" are read as Windows-1252, "iso-8859-9" as
    Windows-1254 (their supersets).
    """
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return _WINDOWS_SUPERSET.get(name, name)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a text file's bytes, or raise ImportRefused for binary or undecodable data."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if codec == "utf-8":
                data = body
                break
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                raise ImportRefused(name, f"not valid {codec.upper()} text") from None
    if b"\x00" in data:
        raise ImportRefused(name, "binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if len(_CONTROL_BYTES.findall(data)) > _MAX_CONTROL_SHARE * len(data):
        raise ImportRefused(name, "binary file (contains control bytes)")
    return _decode_legacy(data, name)


def _decode_legacy(data: bytes, name: str) -> str:
    """Decode bytes that are not valid UTF-8."""
    for attempt in (_as_turkish, _utf8_with_stray_bytes, _as_latin_language):
        text = attempt(data)
        if text is not None:
            return text
    # Imported lazily: only non-Latin legacy files need it, and it costs ~50 ms to load.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ImportRefused(name, "cannot decode: not UTF-8 and no known encoding fits")
    preferred = codec_for_label(best.encoding)
    if preferred is not None and preferred != codecs.lookup(best.encoding).name:
        try:
            return data.decode(preferred)
        except UnicodeDecodeError:
            pass
    return str(best)


def _as_turkish(data: bytes) -> str | None:
    """The data as Windows-1254 if it reads as Turkish text there, else None."""
    # charset-normalizer often names Windows-1252, -1257 or ISO-8859-10 for these
    # (62 of 200 tr-1150haber files), which turns ş ğ ı into þ ð ý; a letter census
    # is both faster and right.
    try:
        text = data.decode("cp1254")
    except UnicodeDecodeError:
        return None
    letters = [c for c in _NON_ASCII.findall(text) if c.isalpha()]
    turkish = sum(c in _TURKISH_LETTERS for c in letters)
    if turkish >= 0.9 * len(letters) and any(c in _TURKISH_ONLY for c in letters):
        return text
    return None


def _utf8_with_stray_bytes(data: bytes) -> str | None:
    """UTF-8 data with a few invalid bytes read as Windows-1252, or None if it is not that."""
    text = data.decode("utf-8", "surrogateescape")
    strays = _SURROGATE_ESCAPES.findall(text)
    if not strays:
        return None
    # A few bad bytes, or few against many well-formed multibyte characters.
    if len(strays) > _MAX_STRAY_BYTES and 4 * len(strays) > len(_VALID_NON_ASCII.findall(text)):
        return None
    table: dict[int, str] = {}
    for escaped in set(strays):
        byte = bytes([ord(escaped) - 0xDC00])
        char = byte.decode("cp1252", "replace")
        if char not in _WESTERN:
            return None
        table[ord(escaped)] = char
    return text.translate(table)


def _as_latin_language(data: bytes) -> str | None:
    """Mostly-ASCII data decoded with the Windows code page of its language, else None."""
    # On short Latin-script texts charset-normalizer's guesses are close to random
    # (French came out as Windows-1257, "crème" as "crčme"), but the ASCII letters
    # alone tell the language, and the language tells the code page.
    high = len(data.translate(None, _ASCII_BYTES))
    letters = len(data.translate(None, _NON_LETTER_BYTES))
    if high > _MAX_HIGH_SHARE * (letters + high):
        return None  # Greek, Cyrillic, Arabic, CJK...: leave them to charset-normalizer
    try:
        provisional = data.decode("cp1252")
    except UnicodeDecodeError:
        provisional = data.decode("latin-1")
    language = detect_language(provisional)
    if language is not None and language not in _LATIN_CODEPAGES:
        return None
    try:
        return data.decode(_LATIN_CODEPAGES.get(language or "", "cp1252"))
    except UnicodeDecodeError:
        return None
