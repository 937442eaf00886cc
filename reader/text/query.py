"""The search query language, turned into a safe FTS5 MATCH expression, and result snippets.

Words must all match; ``"quoted phrases"`` match as phrases; ``-word`` and ``-"phrase"``
exclude; ``word*`` matches a prefix; ``tag:name`` (or ``-tag:name``) filters by tag and
``feed:name`` (or ``-feed:name``) by the feed an article came from; both are handed back
to the caller.
Everything the person types is folded (see ``reader.text.fold``) and passed to FTS5 inside
double-quoted strings, so FTS5's own operators (``AND``, ``NEAR``, ``(``, ``^``, ``:``) are
only ever plain words and no query can raise a syntax error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from reader.text.fold import fold
from reader.text.scripts import HAN_KANA, HANGUL

_PART = re.compile(r'(?P<neg>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_TAG = "tag:"
_FEED = "feed:"
#: Chinese, Japanese and Korean (whose words are long): a run of them is one unicode61
#: token, a whole sentence, so each character is indexed and searched as a word.
_CJK = HAN_KANA + HANGUL
_CJK_CHAR = re.compile(f"([{_CJK}])")


def tag_of(word: str) -> str | None:
    """The name in a ``tag:name`` word of a query or filter (the prefix in any case), or None."""
    if len(word) > len(_TAG) and word[: len(_TAG)].casefold() == _TAG:
        return word[len(_TAG) :]
    return None


def feed_of(word: str) -> str | None:
    """The name in a ``feed:name`` word of a query or filter (the prefix in any case), or None."""
    if len(word) > len(_FEED) and word[: len(_FEED)].casefold() == _FEED:
        return word[len(_FEED) :]
    return None


def feed_matches(wanted: str, feed_id: int, title: str) -> bool:
    """Whether a ``feed:`` term (folded) names this feed: its id ("feed:3"), or part of its
    title with hyphens for spaces ("feed:harbour", "feed:harbour-gazette")."""
    if wanted.isdigit():
        # An id, and only that: "feed:1" (the Feeds screen's choice) took "Gazette 10" too.
        return wanted == str(feed_id)
    return wanted in "-".join(fold(title).split())


def split_feeds(text: str) -> tuple[tuple[str, ...], str]:
    """The ``feed:name`` words of a filter, folded, and the rest of its words."""
    return _split(text, feed_of)


def split_tags(text: str) -> tuple[tuple[str, ...], str]:
    """The ``tag:name`` words of a filter, folded (see ``fold``), and the rest of its words.

    The one parser of ``tag:`` for the list filter, the quotes filter and search.
    """
    return _split(text, tag_of)


def _split(text: str, term_of: Callable[[str], str | None]) -> tuple[tuple[str, ...], str]:
    """The words ``term_of`` names a value in (those values, folded), and the other words."""
    terms: list[str] = []
    words: list[str] = []
    for word in text.split():
        value = term_of(word)
        if value is None:
            words.append(word)
        else:
            terms.append(fold(value))
    return tuple(terms), " ".join(words)


def spaced_cjk(folded: str) -> str:
    """``folded`` with each CJK character a word of its own, as it is indexed and queried.

    One token a character makes every run of them findable as a phrase: "夜行列車" is found
    inside "東京発の夜行列車" (a substring search), where the run would be one token.
    """
    return _CJK_CHAR.sub(r" \1 ", folded) if _CJK_CHAR.search(folded) else folded


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query split into what FTS5 matches and what the caller filters."""

    #: FTS5 MATCH expression over folded text; None when nothing positive is asked for.
    match: str | None
    #: Tags every result must have (folded).
    tags: tuple[str, ...] = ()
    #: Folded positive words and phrases (tokens joined by one space), for highlighting.
    terms: tuple[str, ...] = ()
    #: Folded positive prefixes (the last token is the prefix), for highlighting.
    prefixes: tuple[str, ...] = ()
    #: Tags no result may have (folded).
    exclude_tags: tuple[str, ...] = ()
    #: FTS5 expression matching what ``-word`` excludes, for queries with no positive words.
    excluded: str | None = None
    #: ``feed:`` terms (folded): every result comes from a feed each one names.
    feeds: tuple[str, ...] = ()
    #: ``-feed:`` terms (folded): no result comes from a feed one of them names.
    exclude_feeds: tuple[str, ...] = ()


@cache
def _marks() -> str:
    """Combining marks of the BMP as a character-class body: FTS5 keeps them inside tokens."""
    ranges: list[str] = []
    start = prev = -2
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code))[0] == "M":
            if code != prev + 1:
                if start >= 0:
                    ranges.append(f"{chr(start)}-{chr(prev)}")
                start = code
            prev = code
    ranges.append(f"{chr(start)}-{chr(prev)}")
    return "".join(ranges)


@cache
def _token_re() -> re.Pattern[str]:
    return re.compile(rf"(?:[^\W_]|[{_marks()}])+")


def tokens(folded: str) -> list[str]:
    """The words FTS5's unicode61 tokenizer sees in ``folded`` (letters, digits, marks)."""
    return _token_re().findall(folded)


def parse_query(query: str) -> ParsedQuery:
    """Parse what a person typed; never raises, whatever the input."""
    positive: list[str] = []
    negative: list[str] = []
    terms: list[str] = []
    prefixes: list[str] = []
    tags: list[str] = []
    exclude_tags: list[str] = []
    feeds: list[str] = []
    exclude_feeds: list[str] = []
    for part in _PART.finditer(query):
        negated = bool(part["neg"])
        word = part["word"]
        text = part["phrase"] if word is None else word
        tag = tag_of(word) if word is not None else None
        if tag is not None:
            (exclude_tags if negated else tags).append(fold(tag))
            continue
        feed = feed_of(word) if word is not None else None
        if feed is not None:
            (exclude_feeds if negated else feeds).append(fold(feed))
            continue
        is_prefix = word is not None and word.endswith("*")
        found = tokens(spaced_cjk(fold(text.rstrip("*") if is_prefix else text)))
        if not found:
            continue  # punctuation alone (“-”, “*”, “(”): FTS5 would see an empty phrase
        term = " ".join(found)
        # Tokens are letters and digits only, so the quotes need no escaping inside.
        fts = f'"{term}"' + ("*" if is_prefix else "")
        if negated:
            negative.append(fts)
            continue
        positive.append(fts)
        (prefixes if is_prefix else terms).append(term)
    match = None
    if positive:
        match = " AND ".join(positive)
        for fts in negative:
            match = f"({match}) NOT {fts}"
    return ParsedQuery(
        match=match,
        tags=tuple(tags),
        terms=tuple(dict.fromkeys(terms)),
        prefixes=tuple(dict.fromkeys(prefixes)),
        exclude_tags=tuple(exclude_tags),
        excluded=" OR ".join(negative) if negative and not positive else None,
        feeds=tuple(feeds),
        exclude_feeds=tuple(exclude_feeds),
    )


# -- snippets ------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _matcher(terms: tuple[str, ...], prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex finding every term in folded text, at token boundaries as FTS5 matches.

    Terms are as parse_query makes them: tokens joined by spaces, each CJK character a token
    (see spaced_cjk). In the text, CJK characters follow one another with nothing between.
    """
    # A character of a word that is not CJK; the lookarounds are kept simple (one class
    # each), which the regex engine checks much faster than an alternation.
    letter, marks = rf"[^\W_{_CJK}]", f"[{_marks()}]"
    word = rf"(?:{letter}|{marks})"
    before, after = rf"(?<!{letter})(?<!{marks})", rf"(?!{letter})(?!{marks})"
    patterns = []
    for term, is_prefix in [(t, False) for t in terms] + [(p, True) for p in prefixes]:
        parts = term.split()
        body = ""
        for i, part in enumerate(parts):
            cjk = bool(_CJK_CHAR.fullmatch(part))
            if i:
                # Between words, at least a separator; next to a CJK character, maybe none.
                body += r"[\W_]*" if cjk or _CJK_CHAR.fullmatch(parts[i - 1]) else r"[\W_]+"
            body += re.escape(part) if cjk else before + re.escape(part)
        if not body:
            continue
        last_cjk = bool(_CJK_CHAR.fullmatch(parts[-1]))
        end = "" if last_cjk else (f"{word}*" if is_prefix else after)
        patterns.append((len(term), body + end))
    if not patterns:
        return None
    # Longest first, so a phrase wins over a word it starts with.
    patterns.sort(key=lambda p: -p[0])
    return re.compile("|".join(f"({p})" for _, p in patterns))


def find_terms(
    folded: str, terms: tuple[str, ...], prefixes: tuple[str, ...] = ()
) -> list[tuple[int, int, int]]:
    """Every match in ``folded`` as ``(start, end, which)``; ``which`` tells terms apart."""
    matcher = _matcher(tuple(terms), tuple(prefixes))
    if matcher is None:
        return []
    return [(m.start(), m.end(), m.lastindex or 0) for m in matcher.finditer(folded)]


def _best_cluster(matches: list[tuple[int, int, int]], width: int) -> tuple[int, int]:
    """Indices ``i..j`` of the run of matches within ``width`` holding most distinct terms."""
    best = (-1, -1, 0, 0)  # distinct terms, matches, i, j
    counts: dict[int, int] = {}
    i = 0
    for j, (_, end, which) in enumerate(matches):
        counts[which] = counts.get(which, 0) + 1
        while i < j and end - matches[i][0] > width:
            gone = matches[i][2]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
            i += 1
        score = (len(counts), j - i + 1)
        if score > best[:2]:
            best = (*score, i, j)
    return best[2], best[3]


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A snippet of a text around its best match, and where that match is in the text."""

    snippet: str
    #: Match ranges in ``snippet``, for highlighting.
    highlights: tuple[tuple[int, int], ...]
    #: The best match in the original text: the first of the densest cluster; None if none.
    match: tuple[int, int] | None


def excerpt(
    text: str, terms: tuple[str, ...], prefixes: tuple[str, ...] = (), width: int = 160
) -> Excerpt:
    """A window of ``text`` around its densest cluster of matches, cut at word boundaries.

    "…" marks where text was cut; newlines become spaces. Folds and scans ``text`` once.
    """
    matches = find_terms(fold(text), terms, prefixes)
    best = None
    if matches:
        i, j = _best_cluster(matches, width)
        first, last = matches[i][0], matches[j][1]
        best = (first, matches[i][1])
    else:
        first = last = 0
    start = max(0, first - max(width - (last - first), 0) // 3)
    end = min(len(text), start + max(width, last - first))
    start = max(0, min(start, end - width))
    if start > 0:
        space = _space_after(text, start, first)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = _space_before(text, end, last)
        end = space if space >= 0 else end
    window = " ".join(text[start:end].split("\n")).strip()
    window = re.sub(r" {2,}", " ", window) if "  " in window else window
    shown = ("…" if start > 0 else "") + window + ("…" if end < len(text) else "")
    # Found again in the snippet: cutting and collapsing whitespace moved the offsets.
    found = find_terms(fold(shown), terms, prefixes)
    return Excerpt(shown, tuple((s, e) for s, e, _ in found), best)


def snippet(
    text: str, terms: tuple[str, ...], width: int = 160, prefixes: tuple[str, ...] = ()
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of ``text`` around its densest cluster of matches, and the match ranges in it."""
    found = excerpt(text, terms, prefixes, width)
    return found.snippet, found.highlights


def _space_after(text: str, start: int, limit: int) -> int:
    """The first whitespace in ``text[start:limit]``, or -1."""
    for pos in range(start, min(limit, len(text))):
        if text[pos].isspace():
            return pos
    return -1


def _space_before(text: str, end: int, limit: int) -> int:
    """The last whitespace in ``text[limit:end]``, or -1."""
    for pos in range(end - 1, max(limit, 0) - 1, -1):
        if text[pos].isspace():
            return pos
    return -1
