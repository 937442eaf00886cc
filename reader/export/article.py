"""One article as Markdown with front matter (quotes marked ``==…==``) or as its plain text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reader.library import Article, Quote
from reader.text.grid import RULE
from reader.text.structure import blocks_of

# Characters that would turn plain text into Markdown markup when read back: emphasis,
# code, links, tags, strike, "==" highlights, and "&" that would start an entity.
_INLINE = re.compile(r"[\\`*_\[\]<~]|=(?==)|&(?=#?\w+;)")
# Line starts that would open a heading, quote, list, rule or setext underline.
_LINE_START = re.compile(r"^( {0,3})([#>+=-]|\d{1,9}(?=[.)]))", re.MULTILINE)
_LIST_MARKER = re.compile(r"^( *)(?:\\([-+])|(\d{1,9})\\([.)]))(?= )", re.MULTILINE)
_BACKTICKS = re.compile(r"`+")
_EDGE_EQUALS = re.compile(r"^=|(?<!\\)=$")
MARK = "=="


def escape(text: str) -> str:
    """Plain text as Markdown that reads back as the same text."""
    text = _INLINE.sub(lambda m: "\\" + m[0], text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match[1], match[2]
    # "1984. A year" is no list item: the delimiter after the number is escaped instead.
    return f"{indent}{marker}\\" if marker[0].isdigit() else f"{indent}\\{marker}"


def yaml_string(value: str) -> str:
    """A one-line YAML double-quoted string."""
    value = value.replace("\n", " ")  # not split(): that would also eat U+3000 and NBSP
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(article: Article) -> str:
    """The article's metadata as YAML front matter, which reader's Markdown import reads back."""
    fields: list[tuple[str, str | None]] = [
        ("title", article.title),
        ("author", article.author),
        ("date", article.published),
        ("url", article.url),
        ("source", article.source),
        ("credit", article.credit),
        ("added", article.added.isoformat()),
        ("language", article.language),
    ]
    lines = ["---"]
    lines += [f"{key}: {yaml_string(value)}" for key, value in fields if value]
    if article.tags:
        lines.append(f"tags: [{', '.join(map(yaml_string, article.tags))}]")
    lines.append("---")
    return "\n".join(lines) + "\n"


def merged_ranges(quotes: Iterable[Quote], length: int) -> list[tuple[int, int]]:
    """The quotes' passages as sorted, non-overlapping ranges within ``length`` characters."""
    ranges: list[tuple[int, int]] = []
    for start, end in sorted((q.start, q.end) for q in quotes):
        start, end = max(start, 0), min(end, length)
        if start >= end:
            continue
        if ranges and start <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], end))
        else:
            ranges.append((start, end))
    return ranges


def _marked(body: str, start: int, end: int, ranges: list[tuple[int, int]]) -> str:
    """``body[start:end]`` escaped, with the parts inside ``ranges`` between ``==`` marks."""
    parts: list[str] = []
    at = start
    for r_start, r_end in ranges:
        s, e = max(r_start, start), min(r_end, end)
        if s >= e:
            continue
        # A mark cannot cross a line break in Markdown: close and reopen it on each line.
        lines = [_edges(escape(line)) for line in body[s:e].split("\n")]
        inner = "\n".join(f"{MARK}{line}{MARK}" if line else line for line in lines)
        parts += [_edges(escape(body[at:s])), inner]
        at = e
    parts.append(_edges(escape(body[at:end])) if parts else escape(body[at:end]))
    return "".join(parts)


def _edges(text: str) -> str:
    """An "=" next to a mark would lengthen it ("a==" + "==b==" reads "a====b=="): escape it."""
    return _EDGE_EQUALS.sub(lambda m: "\\" + m[0], text)


def _table(table: str) -> str:
    """A stored table is a GFM table already (see reader.text.grid); one without a header
    row gets an empty one, which Markdown needs."""
    lines = table.split("\n")
    if len(lines) > 1 and RULE.fullmatch(lines[1]):
        return table
    columns = max(1, lines[0].count(" | ") + 1)
    return "\n".join(["|" + "   |" * columns, "|" + " --- |" * columns, *lines])


def _fence(code: str) -> str:
    ticks = max((len(run) for run in _BACKTICKS.findall(code)), default=0)
    fence = "`" * max(3, ticks + 1)
    return f"{fence}\n{code}\n{fence}"


def body_markdown(article: Article, body: str, quotes: Iterable[Quote] = ()) -> str:
    """The body rebuilt as Markdown from its structure, the quotes' passages marked."""
    ranges = merged_ranges(quotes, len(body))
    out: list[str] = []
    for span in blocks_of(body, [(b.start, b.end, b.kind) for b in article.blocks]):
        if span.kind == "code":
            out.append(_fence(body[span.start : span.end]))
            continue
        if span.kind == "table":
            out.append(_table(body[span.start : span.end]))
            continue
        text = _marked(body, span.start, span.end, ranges)
        if span.kind in ("headline", "subheading"):
            hashes = "#" if span.kind == "headline" else "##"
            line = text.replace("\n", " ")
            out.append(f"{hashes} {line}")
        elif span.kind == "caption":
            out.append("\n".join(f"*{line}*" if line else line for line in text.split("\n")))
        elif span.kind == "quote":
            out.append("\n".join(f"> {line}".rstrip() for line in text.split("\n")))
        elif span.kind == "list":
            # List lines keep their own "- " or "1. " markers, escaped above as plain text.
            out.append(_LIST_MARKER.sub(lambda m: m[1] + (m[2] or m[3] + m[4]), text))
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


def article_markdown(
    article: Article, body: str, quotes: Iterable[Quote] = (), marks: bool = True
) -> str:
    """Front matter and body; with ``marks``, each quote's passage between ``==`` marks."""
    return front_matter(article) + "\n" + body_markdown(article, body, quotes if marks else ())
