"""Pure text layout: wrapping to a cell width and mapping offsets to lines and back."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from reader.text import parse_plain
from reader.text.structure import blocks_of
from reader.tui.widgets import text_layout as tl

SAMPLES = Path(__file__).resolve().parents[1] / "sample_articles"


def _blocks(
    body: str, marked: list[tuple[int, int, str]] | None = None
) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.kind) for s in blocks_of(body, marked or [])]


def _sample(name: str) -> tuple[str, list[tuple[int, int, str]]]:
    parsed = parse_plain((SAMPLES / name).read_text(encoding="utf-8"))
    marked = [(s.start, s.end, s.kind) for s in parsed.spans if s.kind != "paragraph"]
    return parsed.body, _blocks(parsed.body, marked)


def _check_cover(body: str, lay: tl.Layout) -> None:
    """Body lines are disjoint and in order; only newlines fall between them."""
    covered = [0] * len(body)
    pos = 0
    for line in range(len(lay)):
        start, end = lay.starts[line], lay.ends[line]
        if not lay.is_body(line):
            assert start == end
            continue
        assert start >= pos, f"line {line} overlaps the one before"
        assert body[pos:start].strip("\n") == "", f"text lost before line {line}"
        for i in range(start, end):
            covered[i] += 1
        pos = end
    assert body[pos:].strip("\n") == ""
    assert all(c == 1 for c, ch in zip(covered, body, strict=True) if ch != "\n")


def _check_width(text: str, lay: tl.Layout) -> None:
    for line in range(len(lay)):
        if lay.is_body(line):
            shown = text[lay.starts[line] : lay.ends[line]].rstrip(" ")
            # A wide character alone on a line narrower than it is the only overflow.
            fits = lay.indents[line] + cell_len(shown) <= lay.width or len(shown) == 1
            assert fits, (line, shown)


@pytest.mark.parametrize(
    "name",
    [
        "turkish-delegation-idlib.txt",
        "ja-tokyo-night-trains.txt",
        "ar-date-palm-oasis.txt",
        "tr-istanbul-kitapcilar.txt",
        "notes-on-slow-reading.md",
    ],
)
@pytest.mark.parametrize("width", [1, 7, 20, 45, 80])
def test_samples_wrap_within_width_and_cover_the_body(name: str, width: int) -> None:
    body, blocks = _sample(name)
    lay = tl.layout(body, blocks, width, credit="AA Photo")
    _check_width(body, lay)
    _check_cover(body, lay)


def test_wide_characters_count_two_cells() -> None:
    body = "東京の夜の電車は静かで、窓の外に街の灯りが流れていく。" * 3
    lay = tl.layout(body, _blocks(body), 10)
    assert len(lay) > 1
    for line in range(len(lay)):
        assert cell_len(body[lay.starts[line] : lay.ends[line]]) <= 10
    assert cell_len(body[lay.starts[0] : lay.ends[0]]) == 10  # five characters fill it
    _check_cover(body, lay)


def test_long_words_are_hard_broken() -> None:
    body = "short " + "x" * 25 + " end"
    lay = tl.layout(body, _blocks(body), 10)
    texts = [body[lay.starts[i] : lay.ends[i]] for i in range(len(lay))]
    assert texts == ["short ", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx end"]


def test_breaks_at_spaces_and_keeps_them_on_the_line() -> None:
    body = "one two three four five six"
    lay = tl.layout(body, _blocks(body), 9)
    texts = [body[lay.starts[i] : lay.ends[i]] for i in range(len(lay))]
    assert texts == ["one two ", "three ", "four five ", "six"]
    assert "".join(texts) == body


def test_blocks_are_separated_by_one_blank_line_and_credit_follows_headline() -> None:
    body = "Title\n\nFirst paragraph.\n\n- one item that wraps\n- two"
    blocks = _blocks(body, [(0, 5, "headline"), (25, len(body), "list")])
    lay = tl.layout(body, blocks, 12, credit="Photo: AP")
    kinds = lay.kinds
    assert kinds[:3] == [tl.HEADLINE, tl.CREDIT, tl.BLANK]
    assert lay.extra[1] == "Photo: AP"
    assert kinds.count(tl.BLANK) == 2
    # The list item's continuation hangs under its text, after "- ".
    item = [i for i in range(len(lay)) if kinds[i] == tl.LIST]
    assert [body[lay.starts[i] : lay.ends[i]] for i in item] == [
        "- one item ",
        "that wraps",
        "- two",
    ]
    assert [lay.indents[i] for i in item] == [0, 2, 0]
    _check_cover(body, lay)


def test_unknown_kinds_render_as_paragraphs() -> None:
    body = "A quote block."
    lay = tl.layout(body, [(0, len(body), "blockquote")], 40)
    assert lay.kinds == [tl.PARAGRAPH]


def test_offsets_round_trip_through_lines() -> None:
    body, blocks = _sample("the-long-winter-of-the-lighthouse-keepers.txt")
    lay = tl.layout(body, blocks, 37)
    rng = random.Random(7)
    for offset in rng.sample(range(len(body)), 2000):
        line = lay.line_of(offset)
        if body[offset] == "\n":
            continue
        assert lay.starts[line] <= offset < lay.ends[line]
        assert lay.offset_at(line, lay.column_of(offset, line)) == offset
    for line in range(len(lay)):
        assert lay.line_of(lay.starts[line]) == line or not lay.is_body(line)


def test_top_line_positions_restore_exactly() -> None:
    body, blocks = _sample("turkish-delegation-idlib.txt")
    lay = tl.layout(body, blocks, 30, credit="AA Photo")
    for line in range(len(lay)):
        assert lay.line_of(lay.starts[line]) == line


def test_span_between_points_is_exact() -> None:
    body = "Alpha beta gamma.\n\nDelta epsilon."
    lay = tl.layout(body, _blocks(body), 8)
    # (column, line): from "beta" on line 0 to after "Delta" on the last-but-one line.
    last = lay.line_of(body.index("Delta"))
    start, end = lay.span((6, 0), (5, last))
    assert body[start:end] == "beta gamma.\n\nDelta"
    # Columns past a line's end clamp to it; None is the whole text.
    assert lay.span((99, 0), None) == (lay.ends[0], len(body))
    assert lay.span(None, (0, 999)) == (0, len(body))


def test_control_characters_are_made_visible_without_moving_offsets() -> None:
    body = "a\x1b[2Jb\u202ec\x07"
    shown = tl.display_text(body)
    assert len(shown) == len(body)
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown


def test_trimmed_and_reveal() -> None:
    assert tl.trimmed(" \n ab c \n", 0, 9) == (3, 7)
    assert tl.reveal(5, 6, top=0, height=10) == 0  # already visible: stay
    assert tl.reveal(12, 13, top=0, height=10) == 4  # below: the least scroll
    assert tl.reveal(2, 30, top=10, height=10) == 2  # too tall: show its start


def test_runs_split_at_highlight_edges() -> None:
    assert tl.runs(0, 10, [(2, 4, 1), (3, 12, 2)]) == [(0, 2, 0), (2, 3, 1), (3, 4, 3), (4, 10, 2)]
    assert tl.runs(0, 5, []) == [(0, 5, 0)]


def test_passage_moves_by_sentence_and_paragraph() -> None:
    body = "One. Two. Three.\n\nFour. Five."
    passage = tl.Passage(body, _blocks(body))
    passage.start(0, len(body))
    assert body[slice(*passage.span)] == "One."
    assert passage.move("next") and body[slice(*passage.span)] == "Two."
    assert passage.move("extend") and body[slice(*passage.span)] == "Two. Three."
    assert passage.move("shrink") and body[slice(*passage.span)] == "Two."
    assert not passage.move("shrink")
    assert passage.move("paragraph") and body[slice(*passage.span)] == "One. Two. Three."
    assert passage.move("next") and body[slice(*passage.span)] == "Four."
    assert passage.move("previous") and body[slice(*passage.span)] == "Three."


def test_matches_step_and_wrap() -> None:
    matches = tl.Matches()
    matches.search("a b a b a", "A", at=3)
    assert matches.spans == [(0, 1), (4, 5), (8, 9)] and matches.current == (4, 5)
    assert matches.step(1) and matches.current == (8, 9)
    assert matches.step(1) and matches.current == (0, 1)
    assert matches.between(3, 6) == [(4, 5)]


def test_layout_of_fifty_thousand_words_is_fast() -> None:
    import time

    body, _ = _sample("the-long-winter-of-the-lighthouse-keepers.txt")
    body = "\n\n".join([body, body, body[: len(body) // 2]])
    start = time.perf_counter()
    lay = tl.layout(body, _blocks(body), 80)
    elapsed = time.perf_counter() - start
    print(f"layout of {len(body.split())} words: {elapsed * 1000:.1f} ms, {len(lay)} lines",
          file=sys.stderr)  # fmt: skip
    assert len(lay) > 1000


def test_block_quotes_are_set_in_for_their_bar_and_code_wraps_at_its_indentation() -> None:
    quote = "A block quote long enough to wrap onto a second line here."
    code = "def f():\n        return a_rather_long_name_that_wraps(x)"
    text = f"{quote}\n\n{code}"
    blocks = [(0, len(quote), "quote"), (len(quote) + 2, len(text), "code")]
    lay = tl.layout(text, blocks, 30)
    quoted = [i for i in range(len(lay)) if lay.kinds[i] == tl.BLOCKQUOTE]
    assert len(quoted) > 1 and all(lay.indents[i] == tl.QUOTE_INDENT for i in quoted)
    assert all(cell_len(text[lay.starts[i] : lay.ends[i]].rstrip()) <= 28 for i in quoted)
    coded = [i for i in range(len(lay)) if lay.kinds[i] == tl.CODE]
    assert [lay.indents[i] for i in coded][:3] == [0, 0, 8]  # the wrapped part hangs at 8
    assert text[lay.starts[coded[1]] :].startswith("        return")


def test_selections_widen_to_whole_words() -> None:
    text = "Mevlüt Çavuşoğlu said it, twice."
    assert tl.whole_words(text, 9, 13) == (7, 16)  # inside "Çavuşoğlu"
    assert text[slice(*tl.whole_words(text, 2, 20))] == "Mevlüt Çavuşoğlu said"
    assert tl.whole_words(text, 7, 16) == (7, 16)  # already whole
    assert text[slice(*tl.whole_words(text, 24, 27))] == ", twice"  # ends mid-word: widened
    assert tl.whole_words(text, 24, 26) == (24, 26)  # punctuation and a space: as they are
    assert tl.whole_words(text, 5, 5) == (5, 5)


def test_a_subheading_has_two_blank_lines_above_it_each_restorable() -> None:
    text = "Para one.\n\nA heading\n\nPara two."
    blocks = [(0, 9, "paragraph"), (11, 20, "subheading"), (22, len(text), "paragraph")]
    lay = tl.layout(text, blocks, 40)
    assert lay.kinds == [tl.PARAGRAPH, tl.BLANK, tl.BLANK, tl.SUBHEADING, tl.BLANK, tl.PARAGRAPH]
    first, second = lay.starts[1], lay.starts[2]
    assert (first, second) == (9, 10)
    assert lay.line_of(first) == 1 and lay.line_of(second) == 2  # a saved top line comes back
