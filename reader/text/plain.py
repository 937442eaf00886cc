"""Plain-text articles: headline, photo credit, paragraphs, lists and subheadings."""

from __future__ import annotations

import re

from .clean import clean_text
from .model import ParsedArticle, Span

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
_FINAL_PUNCTUATION = ".!?:;,…。！？：；，、؟،؛۔"
_BULLET = re.compile(r"[-*•·–—]\s+\S")
_FIRST_SENTENCE = re.compile(r"(.+?[.!?…。！？])[\"'”’»)]*(?:\s|$)")
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

# Agencies as they appear in credits, keyed by their lower-case spelling.
_AGENCIES = {
    "aa": "AA",
    "anadolu agency": "AA",
    "ap": "AP",
    "associated press": "AP",
    "afp": "AFP",
    "reuters": "Reuters",
    "getty": "Getty Images",
    "getty images": "Getty Images",
    "epa": "EPA",
    "epa-efe": "EPA-EFE",
    "efe": "EFE",
    "dpa": "dpa",
    "pa": "PA",
    "pa images": "PA",
    "pa wire": "PA",
    "xinhua": "Xinhua",
    "upi": "UPI",
    "bloomberg": "Bloomberg",
    "ansa": "ANSA",
    "tass": "TASS",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "iha": "İHA",
    "dha": "DHA",
    "shutterstock": "Shutterstock",
    "alamy": "Alamy",
}
_CREDIT_MAX_CHARS = 80
_PHOTO_WORD = r"(?:photo(?:graph)?s?|images?|pictures?|pic)"
# "Photo: Reuters", "(Photo: AFP)", "Photograph by Jane Doe/AP"
_CREDIT_LEADING = re.compile(
    rf"{_PHOTO_WORD}(?:\s+credits?)?(?:\s*[:\-–—]\s*|\s+by\s+)(?P<who>[^()]+)", re.IGNORECASE
)
# "AA Photo", "AP Photo/Jane Doe", "Reuters Photo", "Getty Images"
_CREDIT_TRAILING = re.compile(
    rf"(?P<agency>[^\W\d_][\w.&'’ -]*?)\s+{_PHOTO_WORD}(?:\s*/\s*(?P<who>[^()/]+))?",
    re.IGNORECASE,
)

# Han, Hiragana and Katakana are written without spaces between words.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
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
            parsed = _match_credit(found[1])
            if parsed is not None:
                credit, source = parsed
                lines = lines[found[0] + 1 :]
    blocks.extend(_mark_subheadings(_blocks(_drop_boilerplate(lines))))
    body, spans = _assemble(blocks)
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
    words = len(first.split())
    if words > _HEADLINE_MAX_WORDS or len(first) > _HEADLINE_MAX_CHARS:
        return True
    stripped = first.rstrip(_CLOSING_QUOTES)
    # An ellipsis ends teasers ("Ankara rahatlattı..."), not sentences.
    if not stripped.endswith(tuple(_SENTENCE_END)) or stripped.endswith(("..", "…")):
        return False
    next_is_text = len(lines) > 1 and lines[1] != ""
    return next_is_text or (stripped.endswith(".") and words >= _SENTENCE_MIN_WORDS)


def _title_from_sentence(line: str) -> str:
    """A title made from the first sentence of a story that has no headline."""
    match = _FIRST_SENTENCE.match(line)
    sentence = match.group(1) if match else line
    words = sentence.split()
    if not 4 <= len(words) <= _TITLE_MAX_WORDS:
        words = line.split()
    if len(words) <= _TITLE_MAX_WORDS:
        title = " ".join(words)
        title = title[:-1] if title.endswith(".") and not title.endswith("..") else title
    else:
        title = " ".join(words[:_TITLE_MAX_WORDS]).rstrip(",;:-–— ") + "…"
    if len(title) > _TITLE_MAX_CHARS:
        # Unspaced scripts (Chinese, Japanese) make one "word" of a whole sentence.
        title = title[: _TITLE_MAX_CHARS - 1].rstrip() + "…"
    return title


def _match_credit(line: str) -> tuple[str, str | None] | None:
    """(credit, source) if the line is a photo credit, else None."""
    if len(line) > _CREDIT_MAX_CHARS:
        return None
    credit = line[1:-1].strip() if line.startswith("(") and line.endswith(")") else line
    match = _CREDIT_LEADING.fullmatch(credit)
    if match is not None:
        parts = [p.strip() for p in match["who"].split("/")]
        return credit, _known_agency(parts) or parts[-1]
    match = _CREDIT_TRAILING.fullmatch(credit)
    if match is not None:
        agency = match["agency"].strip()
        known = _known_agency([agency, *(match["who"] or "").split("/")])
        # Only name an unknown agency if it looks like a proper name ("Sabah Photo").
        if known is None and (len(agency.split()) > 3 or not agency[0].isupper()):
            return None
        return credit, known or agency
    parts = [p.strip() for p in credit.split("/")]
    known = _known_agency(parts) if len(parts) <= 2 else None
    if known is not None and all(parts):
        return credit, known
    return None


def _known_agency(parts: list[str]) -> str | None:
    """The first known agency among the parts of a credit."""
    for part in parts:
        agency = _AGENCIES.get(part.strip().casefold())
        if agency is not None:
            return agency
    return None


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
    if len(text.split()) > _SUBHEADING_MAX_WORDS or not _LETTER.search(text):
        return False
    stripped = text.rstrip(_CLOSING_QUOTES)
    return bool(stripped) and stripped[-1] not in _FINAL_PUNCTUATION


def _mark_subheadings(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Blocks with lone short unpunctuated lines between paragraphs made subheadings."""
    candidates = [_is_subheading_candidate(kind, text) for kind, text in blocks]
    marked = list(blocks)
    for i in range(1, len(blocks) - 1):
        # Runs of short lines (schedules, lists without bullets) are not headings.
        if candidates[i] and not candidates[i - 1] and not candidates[i + 1]:
            marked[i] = ("subheading", blocks[i][1])
    return marked


def _assemble(blocks: list[tuple[str, str]]) -> tuple[str, tuple[Span, ...]]:
    """The body (blocks joined by one blank line) and a span for every block."""
    spans: list[Span] = []
    position = 0
    for kind, text in blocks:
        spans.append(Span(position, position + len(text), kind))
        position += len(text) + 2
    return "\n\n".join(text for _, text in blocks), tuple(spans)
