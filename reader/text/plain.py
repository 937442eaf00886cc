"""Plain-text articles: headline, photo credit, paragraphs, lists and subheadings."""

# Typographic quotes, dashes and non-Latin punctuation here are deliberate.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import re

from .clean import clean_text
from .credit import match_credit
from .model import ParsedArticle, assemble
from .scripts import HAN_KANA
from .sentences import sentence_spans

# A first line this long is the start of the story, not its headline.
_HEADLINE_MAX_WORDS = 25
_HEADLINE_MAX_CHARS = 200
# A first line ending in a full stop with this many words reads as a sentence even
# when a blank line follows (tr-1150haber has many such "lead, blank, body" files).
_SENTENCE_MIN_WORDS = 8
_TITLE_MAX_WORDS = 12
_TITLE_MAX_CHARS = 100

_SUBHEADING_MAX_WORDS = 10
_SUBHEADING_MAX_CHARS = 80
# Hard-wrapped text stays under ~80 columns; a block with a longer line is one
# paragraph per line (the Turkish corpus writes paragraphs that way).
_WRAP_MAX_CHARS = 100

_CLOSING_QUOTES = "\"'”’»›」』)]"
_SENTENCE_END = ".!?…。！？"
_PARAGRAPH_END = ".!?…:;。！？：；"
_FINAL_PUNCTUATION = ".!?:;,…。！？：；，、؟،؛۔"
_BULLET = re.compile(r"[-*•·–—]\s+\S")
_LETTER = re.compile(r"[^\W\d_]")

_BOILERPLATE = frozenset(
    {
        "advertisement",
        "all rights reserved",
        "click here to subscribe",
        "contact us",
        "follow us on facebook",
        "follow us on twitter",
        "more on this story",
        "read more",
        "related articles",
        "related stories",
        "share this article",
        "share this story",
        "sign up for our newsletter",
        "subscribe to our newsletter",
    }
)
_BOILERPLATE_TRIM = " \t.:!|>»›-–—"

_CJK = re.compile(f"[{HAN_KANA}]")
_WORD = re.compile(r"\w+")


def parse_plain(text: str) -> ParsedArticle:
    """Parse a decoded plain-text article; the language is left for the caller to detect."""
    lines = [line.strip() for line in clean_text(text).split("\n")]
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    lines = lines[start:]
    blocks: list[tuple[str, str]] = []
    credit = source = None
    if not lines:
        title = ""
    elif _starts_with_story(lines):
        title = _title_from_sentence(lines[0])
    else:
        title = lines[0]
        blocks.append(("headline", title))
        lines = lines[1:]
        found = next(((i, line) for i, line in enumerate(lines) if line), None)
        if found is not None:
            parsed = match_credit(found[1])
            if parsed is not None:
                credit, source = parsed
                lines = lines[found[0] + 1 :]
    blocks.extend(_mark_subheadings(_blocks(_drop_boilerplate(lines))))
    body, spans = assemble(blocks)
    return ParsedArticle(
        title=title,
        body=body,
        spans=spans,
        credit=credit,
        source=source,
        language=None,
        words=count_words(body),
    )


def count_words(text: str) -> int:
    """Words in the text; every two Han/Kana characters count as one word."""
    # Chinese and Japanese have no spaces, so \w+ would count a whole sentence as
    # one word; two characters per word is the usual reading-speed convention.
    cjk = len(_CJK.findall(text))
    if cjk:
        text = _CJK.sub(" ", text)
    return len(_WORD.findall(text)) + (cjk + 1) // 2


def _starts_with_story(lines: list[str]) -> bool:
    """Whether the first line (non-blank) opens the story instead of being a headline."""
    first = lines[0]
    words = count_words(first)
    if words > _HEADLINE_MAX_WORDS or len(first) > _HEADLINE_MAX_CHARS:
        return True
    stripped = first.rstrip(_CLOSING_QUOTES)
    # An ellipsis ends teasers ("Ankara rahatlattı..."), not sentences.
    if not stripped.endswith(tuple(_SENTENCE_END)) or stripped.endswith(("..", "…")):
        return False
    next_is_text = len(lines) > 1 and lines[1] != ""
    return next_is_text or (stripped.endswith((".", "。")) and words >= _SENTENCE_MIN_WORDS)


def _title_from_sentence(line: str) -> str:
    """A title made from the first sentence of a story that has no headline."""
    sentence = _first_sentence(line)
    # Too short means a false break ("Dr."); length in characters covers unspaced scripts.
    too_short = count_words(sentence) < 4
    if too_short or len(sentence.split()) > _TITLE_MAX_WORDS or len(sentence) > _TITLE_MAX_CHARS:
        sentence = line
    words = sentence.split()
    if len(words) <= _TITLE_MAX_WORDS:
        title = " ".join(words)
        title = title[:-1] if title.endswith(".") and not title.endswith("..") else title
    else:
        title = " ".join(words[:_TITLE_MAX_WORDS]).rstrip(",;:-–— .") + "…"
    if len(title) > _TITLE_MAX_CHARS:
        cut = title[: _TITLE_MAX_CHARS - 1]
        # At a space if there is one; unspaced scripts (Chinese, Japanese) cut anywhere.
        space = cut.rfind(" ")
        title = (cut[:space] if space > _TITLE_MAX_CHARS // 2 else cut).rstrip(",;:-–— .") + "…"
    return title


def _first_sentence(line: str) -> str:
    """The line up to the end of its first sentence (as the passage cursor splits them)."""
    spans = sentence_spans(line)
    return line[: spans[0][1]] if spans else line


def _drop_boilerplate(lines: list[str]) -> list[str]:
    """The lines without the site boilerplate at their end."""
    end = len(lines)
    while end:
        line = lines[end - 1]
        if line and " ".join(line.strip(_BOILERPLATE_TRIM).casefold().split()) not in _BOILERPLATE:
            break
        end -= 1
    return lines[:end]


def _blocks(lines: list[str]) -> list[tuple[str, str]]:
    """Blank-line separated blocks as (kind, text), split into paragraphs and lists."""
    blocks: list[tuple[str, str]] = []
    group: list[str] = []
    for line in [*lines, ""]:
        if line:
            group.append(line)
        elif group:
            blocks.extend(_split_group(group))
            group = []
    return blocks


def _split_group(lines: list[str]) -> list[tuple[str, str]]:
    """One block of consecutive lines as paragraphs and lists."""
    wrapped = max(map(len, lines)) <= _WRAP_MAX_CHARS
    blocks: list[tuple[str, str]] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(("paragraph", " ".join(paragraph)))
            paragraph.clear()
        if items:
            blocks.append(("list", "\n".join(items)))
            items.clear()

    for line in lines:
        if _BULLET.match(line):
            if paragraph:
                flush()
            items.append(line)
        elif wrapped and items:
            items[-1] += " " + line  # a list item wrapped onto the next line
        elif wrapped:
            if items:
                flush()
            paragraph.append(line)
        else:
            flush()
            blocks.append(("paragraph", line))
    flush()
    return blocks


def _is_subheading_candidate(kind: str, text: str) -> bool:
    """A short paragraph without final punctuation."""
    if kind != "paragraph" or len(text) > _SUBHEADING_MAX_CHARS:
        return False
    if count_words(text) > _SUBHEADING_MAX_WORDS or not _LETTER.search(text):
        return False
    stripped = text.rstrip(_CLOSING_QUOTES)
    return bool(stripped) and stripped[-1] not in _FINAL_PUNCTUATION


def _mark_subheadings(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Blocks with lone short unpunctuated lines between paragraphs made subheadings."""
    candidates = [_is_subheading_candidate(kind, text) for kind, text in blocks]
    marked = list(blocks)
    for i in range(1, len(blocks) - 1):
        # Runs of short lines (schedules, lists without bullets) are not headings.
        if not candidates[i] or candidates[i - 1] or candidates[i + 1]:
            continue
        (before_kind, before), (_, text), (_, after) = blocks[i - 1 : i + 2]
        # Words cut out of a sentence (the BBC set has italics split off that way)
        # start or are followed by a lower-case letter, or follow an unfinished one.
        if _starts_lower(text) or _starts_lower(after):
            continue
        if before_kind == "paragraph" and before.rstrip(_CLOSING_QUOTES)[-1:] not in _PARAGRAPH_END:
            continue
        marked[i] = ("subheading", text)
    return marked


def _starts_lower(text: str) -> bool:
    """Whether the first letter of the text is lower-case."""
    letter = _LETTER.search(text)
    return letter is not None and letter.group().islower()
