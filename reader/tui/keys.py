"""The binding ids and key names a config file may use, known without importing Textual.

The command line checks ``[keys]`` before the app, and Textual, load. Tests hold both tables
to the app's real bindings and to Textual's key names, so neither can drift unnoticed.
"""

from __future__ import annotations

import string
import unicodedata

#: Every ``Binding(..., id=...)`` in the app (``tests/test_config_keys.py`` checks it).
BINDING_IDS = frozenset(
    {
        "app.help",
        "app.next_pane",
        "app.prev_pane",
        "app.quit",
        "app.quit_always",
        "app.quotes",
        "app.review",
        "app.search",
        "app.side",
        "app.text_only",
        "app.undo",
        "app.update_feeds",
        "confirm.cancel",
        "cursor.extend",
        "cursor.next",
        "cursor.paragraph",
        "cursor.previous",
        "cursor.shrink",
        "export.close",
        "feeds.close",
        "find.close",
        "help.close",
        "help.page_down",
        "help.page_up",
        "help.top",
        "help.bottom",
        "help.down",
        "help.up",
        "import.close",
        "list.delete",
        "list.down",
        "list.filter",
        "list.filter_clear",
        "list.filter_down",
        "list.first",
        "list.last",
        "list.open",
        "list.page_down",
        "list.page_up",
        "list.sort",
        "list.tags",
        "list.toggle_read",
        "list.up",
        "note.cancel",
        "note.save",
        "quotes.copy",
        "quotes.copy_cited",
        "quotes.delete",
        "quotes.down",
        "quotes.edit",
        "quotes.jump",
        "quotes.keep",
        "quotes.tags",
        "quotes.up",
        "quotes_screen.close",
        "quotes_screen.filter",
        "quotes_screen.sort",
        "quotes_screen.results",
        "review.again",
        "review.close",
        "review.easy",
        "review.filter",
        "review.good",
        "review.hard",
        "review.note",
        "review.open",
        "review.reveal",
        "review.tags",
        "review.undo",
        "search.close",
        "search.query",
        "search.results",
        "stats.close",
        "tags.cancel",
        "text.back",
        "text.bottom",
        "text.cursor",
        "text.find",
        "text.find_next",
        "text.find_previous",
        "text.half_down",
        "text.half_up",
        "text.line_down",
        "text.line_up",
        "text.page_down",
        "text.page_up",
        "text.quote",
        "text.copy",
        "text.top",
    }
)

#: Modifiers as Textual names them; it lists them in alphabetical order in a key's name.
MODIFIERS = frozenset({"alt", "ctrl", "hyper", "meta", "shift", "super"})

#: Textual's names of ASCII punctuation (``textual.keys``): "?" is "question_mark".
PUNCTUATION = {
    "!": "exclamation_mark",
    '"': "quotation_mark",
    "#": "number_sign",
    "$": "dollar_sign",
    "%": "percent_sign",
    "&": "ampersand",
    "'": "apostrophe",
    "(": "left_parenthesis",
    ")": "right_parenthesis",
    "*": "asterisk",
    "+": "plus",
    ",": "comma",
    "-": "minus",
    ".": "full_stop",
    "/": "slash",
    ":": "colon",
    ";": "semicolon",
    "<": "less_than_sign",
    "=": "equals_sign",
    ">": "greater_than_sign",
    "?": "question_mark",
    "@": "at",
    "[": "left_square_bracket",
    "\\": "backslash",
    "]": "right_square_bracket",
    "^": "circumflex_accent",
    "_": "underscore",
    "`": "grave_accent",
    "{": "left_curly_bracket",
    "|": "vertical_line",
    "}": "right_curly_bracket",
    "~": "tilde",
}

#: Keys that are not characters, as Textual names them (``textual.keys.Keys``).
SPECIAL_KEYS = frozenset(
    {
        "backspace",
        "delete",
        "down",
        "end",
        "enter",
        "escape",
        "home",
        "insert",
        "left",
        "newline",
        "pagedown",
        "pageup",
        "return",
        "right",
        "space",
        "tab",
        "up",
        *(f"f{n}" for n in range(1, 25)),
    }
)

#: Every multi-letter key name accepted after the modifiers.
NAMED_KEYS = SPECIAL_KEYS | frozenset(PUNCTUATION.values())


def _character_name(char: str) -> str | None:
    """Textual's name of a key that types ``char``; None for one no key types."""
    if char.isalnum():
        return char
    if char in PUNCTUATION:
        return PUNCTUATION[char]
    if not char.isprintable() or char in string.whitespace:
        return None
    try:
        return unicodedata.name(char).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return None


def normalize_key(key: str) -> str | None:
    """``key`` as Textual names it ("shift+ctrl+?" → "ctrl+shift+question_mark"), or None.

    A key is modifiers (ctrl, shift, alt, super, meta, hyper; each once) joined by "+" to
    one character or one of Textual's key names (``escape``, ``pageup``, ``f5``, ``comma``…).
    """
    key = key.strip()
    if len(key) == 1:
        return _character_name(key)
    *modifiers, name = key.split("+")
    if len(modifiers) != len(set(modifiers)) or not MODIFIERS.issuperset(modifiers):
        return None
    single = len(name) == 1
    base = _character_name(name) if single else (name if name in NAMED_KEYS else None)
    return None if base is None else "+".join([*sorted(modifiers), base])
