"""Anchoring highlights from other tools: exactly, after normalising, by close match."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reader.migrate.anchor import find_passage, normalise

WORDS = st.sampled_from(
    ["river", "bridge", "don't", '"quoted"', "well-known", "baker's", "water", "the", "a",
     "church", "night", "self-made", "'single'", "sandbags", "pumps", "county", "x-ray"]
)  # fmt: skip


def _perturb(text: str, choices: list[int]) -> str:
    """The same passage as another tool might write it: curly quotes, NBSP, soft hyphens."""
    out = []
    for i, char in enumerate(text):
        pick = choices[i % len(choices)] if choices else 0
        if char == "'":
            out.append("\u2019" if pick % 2 else "'")
        elif char == '"':
            out.append("\u201c" if pick % 3 == 0 else "\u201d" if pick % 3 == 1 else '"')
        elif char == "-":
            out.append("\u2011" if pick % 2 else "-")
        elif char == " ":
            out.append(["\u00a0", "  ", " ", " \n"][pick % 4])
        elif char.isalpha() and pick % 5 == 0:
            out.append(char + "\u00ad")
        else:
            out.append(char)
    return "".join(out).rstrip("\u00ad")


def _once(body: str, passage: str) -> bool:
    """Whether the normalised passage occurs exactly once (overlaps counted) in the body."""
    haystack, needle = normalise(body), normalise(passage)
    first = haystack.find(needle)
    return first >= 0 and haystack.find(needle, first + 1) < 0


@st.composite
def body_and_passage(draw: st.DrawFn) -> tuple[list[str], int, int]:
    words = draw(st.lists(WORDS, min_size=3, max_size=60))
    i = draw(st.integers(0, len(words) - 1))
    j = draw(st.integers(i + 1, len(words)))
    return words, i, j


def _layout(words: list[str], i: int, j: int, breaks: list[bool]) -> tuple[str, int, int]:
    """The body (some paragraph breaks) and where words[i:j] is in it."""
    parts: list[str] = []
    start = end = 0
    for n, word in enumerate(words):
        if n:
            parts.append("\n\n" if breaks and breaks[n % len(breaks)] and not i < n < j else " ")
        if n == i:
            start = sum(map(len, parts))
        parts.append(word)
        if n == j - 1:
            end = sum(map(len, parts))
    return "".join(parts), start, end


@settings(max_examples=300, deadline=None)
@given(body_and_passage(), st.lists(st.integers(0, 60), max_size=12), st.lists(st.booleans()))
def test_a_perturbed_highlight_anchors_to_exactly_its_passage(
    case: tuple[list[str], int, int], choices: list[int], breaks: list[bool]
) -> None:
    words, i, j = case
    body, start, end = _layout(words, i, j, breaks)
    passage = body[start:end]
    # Only one place holds it, once normalised: otherwise any of them is a right answer.
    assume(_once(body, passage))
    highlight = _perturb(passage, choices)
    found = find_passage(body, highlight)
    assert found is not None
    assert (found.start, found.end) == (start, end)
    assert body[found.start : found.end] == passage
    if highlight == passage:
        assert found.how == "exact"


@settings(max_examples=200, deadline=None)
@given(body_and_passage(), st.lists(st.integers(0, 60), min_size=1, max_size=12))
def test_a_plain_highlight_anchors_in_a_typographic_body(
    case: tuple[list[str], int, int], choices: list[int]
) -> None:
    words, i, j = case
    plain, _, _ = _layout(words, i, j, [])
    typographic = [_perturb(w, choices) for w in words]
    body, start, end = _layout(typographic, i, j, [])
    assume(_once(body, body[start:end]))
    found = find_passage(body, " ".join(words[i:j]))
    assert found is not None
    # The exact text of our body is what is kept, with its soft hyphens and curly quotes.
    assert body[found.start : found.end] == body[start:end].rstrip("\u00ad")
    assert plain  # the plain body exists only to show what the highlight was taken from


def test_fuzzy_match_takes_a_word_split_by_a_link() -> None:
    body = (
        "Intro paragraph about other things entirely.\n\n"
        "The committee published its findings on Tuesday after a long review of the evidence."
    )
    highlight = "The committee published itsfindings on Tuesday after a long review"
    found = find_passage(body, highlight)
    assert found is not None and found.how == "fuzzy"
    assert body[found.start : found.end].startswith("The committee published its findings")


def test_unrelated_text_is_not_anchored() -> None:
    body = "The committee published its findings on Tuesday after a long review."
    assert find_passage(body, "A quite different sentence about gardens and bees.") is None
    assert find_passage(body, "") is None


def test_repeated_passage_goes_to_the_hint() -> None:
    body = "same words here. other. same words here."
    found = find_passage(body, "same words here", hint=30)
    assert found is not None and found.start == body.rindex("same words here")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(WORDS, min_size=12, max_size=60),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
)
def test_a_highlight_with_one_letter_lost_anchors_close_to_its_passage(
    words: list[str], pick: int, drop: int
) -> None:
    i = pick % (len(words) - 10)
    body, start, end = _layout(words, i, i + 10, [])
    passage = body[start:end]
    assume(_once(body, passage))
    cut = 5 + drop % (len(passage) - 10)  # never the first or last few characters
    highlight = passage[:cut] + passage[cut + 1 :]
    found = find_passage(body, highlight)
    assert found is not None
    # The kept text is the body's own, and covers nearly all of the passage.
    overlap = min(end, found.end) - max(start, found.start)
    assert overlap >= len(passage) - 3
    assert found.end - found.start <= len(passage) + 3
