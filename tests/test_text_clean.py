"""Cleaning rules applied to every stored body (DESIGN.md, "Text model")."""

from __future__ import annotations

import pytest

from reader.text import clean_text

C0_REMOVED = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


def test_crlf_and_lone_cr_become_lf() -> None:
    assert clean_text("one\r\ntwo\rthree\n\r\nfour") == "one\ntwo\nthree\n\nfour"


def test_tabs_expand_to_eight_column_stops_per_line() -> None:
    assert clean_text("a\tb") == "a" + " " * 7 + "b"
    assert clean_text("abcdefgh\tx") == "abcdefgh" + " " * 8 + "x"
    assert clean_text("abc\n\tx") == "abc\n" + " " * 8 + "x"


def test_tab_stops_count_after_removed_controls() -> None:
    # The ESC sequence is gone before columns are counted.
    assert clean_text("\x1b[1mab\tc") == "ab" + " " * 6 + "c"


def test_nfc() -> None:
    assert clean_text("Cafe\u0301") == "Café"
    assert clean_text("I\u0307stanbul") == "İstanbul"


@pytest.mark.parametrize("char", C0_REMOVED, ids=lambda c: f"U+{ord(c):04X}")
def test_c0_controls_removed(char: str) -> None:
    # Before a newline, so that ESC has no sequence to take with it.
    assert clean_text(f"a{char}\nb{char}") == "a\nb"


def test_del_removed() -> None:
    assert clean_text("a\x7fb") == "ab"


@pytest.mark.parametrize("char", C1, ids=lambda c: f"U+{ord(c):04X}")
def test_c1_controls_removed_without_eating_text(char: str) -> None:
    assert clean_text(f"a{char}bc d") == "abc d"


@pytest.mark.parametrize("char", BIDI, ids=lambda c: f"U+{ord(c):04X}")
def test_bidi_overrides_and_isolates_removed(char: str) -> None:
    assert clean_text(f"abc{char}def") == "abcdef"


def test_bidi_marks_and_joiners_kept() -> None:
    # LRM/RLM, ALM and ZWJ are needed by right-to-left text and emoji sequences.
    text = "abc\u200e\u200f\u061c 👩\u200d💻"
    assert clean_text(text) == text


def test_bom_removed_anywhere() -> None:
    assert clean_text("\ufeffHello\ufeff world") == "Hello world"


def test_unicode_line_separators_become_newlines() -> None:
    assert clean_text("a\u2028b\u2029c") == "a\nb\nc"


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("before\x1b[2Jafter", "beforeafter"),  # clear screen
        ("x\x1b[31mred\x1b[0m", "xred"),  # colours
        ("a\x1b]52;c;SGVsbG8gd29ybGQ=\x07b", "ab"),  # OSC 52 clipboard write, BEL
        ("a\x1b]0;title\x1b\\b", "ab"),  # OSC with ST terminator
        ("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),  # hyperlink
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),  # DCS (sixel)
        ("a\x1bcb", "ab"),  # reset
        ("a\x1b(Bb", "ab"),  # charset designation
        ("a\x1b]52;c;unterminated\nnext", "a\nnext"),  # OSC stops at the line end
        ("a\x1b]52;c;unterminated\rnext", "a\nnext"),
        ("trailing\x1b", "trailing"),
    ],
)
def test_escape_sequences_removed_whole(dirty: str, clean: str) -> None:
    assert clean_text(dirty) == clean


def test_text_kept_intact() -> None:
    text = (
        "Çavuşoğlu: \"İyi\" — 'ok'\n\n"
        "مرحبا بالعالم\n東京は日本の首都です。\n[@click=app.quit]quit[/]"
    )
    assert clean_text(text) == text


def test_idempotent() -> None:
    dirty = "\ufeffA\tb\r\nc\x1b[2Je\u0301\u202e\x85\x00 end\r"
    once = clean_text(dirty)
    assert clean_text(once) == once
    assert once == "A" + " " * 7 + "b\ncé end\n"
