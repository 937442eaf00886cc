"""Markdown articles: front matter for the metadata, blocks as spans over a plain-text body."""

from __future__ import annotations

import html
import re
import unicodedata

from .clean import clean_text
from .frontmatter import field, iso_date, split_front_matter, tags_of
from .model import ParsedArticle, assemble
from .plain import count_words, parse_plain

Block = tuple[str, str]  # (kind, text); kinds "h1" and "h" become headline/subheading at the end

# Containers deeper than this are read as plain lines: the parser recurses per level,
# and a file of ten thousand ">" must not reach the recursion limit.
_MAX_DEPTH = 16


_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ ]+(.*))?$")
_ATX_CLOSE = re.compile(r"(?:^|[ ]+)#+[ ]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ ]*$")
_THEMATIC = re.compile(r"^ {0,3}([-*_])(?:[ ]*\1){2,}[ ]*$")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_QUOTE = re.compile(r"^ {0,3}> ?")
# A GFM table's delimiter row, under its header row: "| --- | :---: |" (outer pipes optional).
_TABLE_RULE = re.compile(r"^ {0,3}\|?(?: *:?-+:? *\|)* *:?-+:? *\|? *$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_ITEM = re.compile(r"^( *)(?:([-+*])|(\d{1,9})([.)]))(?:( +)(.*))?$")
_COMMENT_START = re.compile(r"^ {0,3}<!--")
_RAW_START = re.compile(r"^ {0,3}<(script|style)\b", re.IGNORECASE)
_DEFINITION = re.compile(
    r"^ {0,3}\[([^\[\]^][^\[\]]*)\]:[ ]*(?:<[^<>]*>|\S+)"
    r"(?:[ ]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ ]*$",
    re.MULTILINE,
)

# Spans whose text must survive the later passes untouched: code, escapes and autolinks
# become placeholders ("\x00" and "\x01" never survive clean_text, so cannot clash).
_PROTECT = re.compile(
    r"(?<!`)(?P<ticks>`+)(?!`)(?P<code>.+?)(?<!`)(?P=ticks)(?!`)"
    r"|\\(?P<escape>[!-/:-@\[-`{-~])"
    r"|(?P<comment><!--.*?-->)"
    r"|<(?P<auto>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>"
    r"|</?(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>"
)
_PLACEHOLDER = re.compile(r"\x00(\d+)\x01")
# Tags that break a line or a block in a browser leave a space; others leave nothing.
_SPACING_TAGS = frozenset(
    {"br", "hr", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "blockquote"}
)
_WIKILINK = re.compile(r"(!?)\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
# Possessive quantifiers keep a line full of unmatched "[" linear.
_LINK = re.compile(
    r"(?P<image>!?)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*+)\]"
    r"(?:\((?P<dest>[ ]*(?:<[^<>]*>|[^\s()]*+(?:\([^\s()]*\)[^\s()]*+)*+)"
    r"(?:[ ]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ ]*)\)|\[(?P<ref>[^\[\]]*)\])?"
)
_DELIMITER_RUN = re.compile(r"\*+|_+|~+|=+")
_SPACES = re.compile(r"[ \n]+")


def parse_markdown(text: str) -> ParsedArticle:
    """Parse a decoded Markdown article; the language is left for the caller to detect."""
    fields, lines = split_front_matter(clean_text(text).split("\n"))
    labels = {_label(m[1]) for m in _DEFINITION.finditer("\n".join(lines))}
    blocks = _Parser(labels).blocks(lines, 0)
    fm_title = field(fields, "title")
    h1 = next((text for kind, text in blocks if kind == "h1"), None)
    title = fm_title or h1 or _fallback_title(blocks)
    kinds: list[Block] = []
    for index, (kind, block) in enumerate(blocks):
        if kind in ("h1", "h"):
            # Only a heading that opens the article is its headline: an h1 further down
            # (after a badge or an introduction) is read as a section heading.
            first = index == 0 and (kind == "h1" or not (fm_title or h1))
            kind = "headline" if first else "subheading"
        kinds.append((kind, block))
    if fm_title and kinds and kinds[0][0] != "headline":
        kinds.insert(0, ("headline", fm_title))  # so the reading view shows the title
    body, spans = assemble(kinds)
    source = field(fields, "source", "site", "site_name")
    url = field(fields, "url", "canonical_url", "canonical", "source_url", "link")
    if source and re.match(r"https?://", source):
        # Clippers (Obsidian's among them) put the page address under "source".
        url, source = url or source, field(fields, "site", "site_name")
    published = field(fields, "date", "published", "pubdate", "date_published")
    author = field(fields, "author", "authors", "by")
    return ParsedArticle(
        title=title,
        body=body,
        spans=spans,
        credit=None,
        source=source,
        language=None,  # detected by the caller, as for plain text
        words=count_words(body),
        author=author,
        published=iso_date(published) if published else None,
        url=url,
        tags=tags_of(fields),
    )


def _label(text: str) -> str:
    """A link reference label as Markdown matches it: case- and space-insensitive."""
    return " ".join(text.split()).casefold()


def _fallback_title(blocks: list[Block]) -> str:
    """The title of an article with neither front matter title nor h1: its first line."""
    if not blocks:
        return ""
    kind, text = blocks[0]
    line = text.split("\n", 1)[0]
    if kind == "list":
        line = re.sub(r"^(?:-|\d+\.) ", "", line)
    return line if kind == "h" else parse_plain(line).title


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _code(lines: list[str]) -> str:
    """Code lines verbatim, without the blank lines around them."""
    while lines and not lines[-1].strip():
        lines.pop()
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    return "\n".join(lines[start:])


def _cells(line: str) -> list[str]:
    """A table row's cells: split at unescaped pipes, the outer pipes optional."""
    line = line.strip()
    line = line.removeprefix("|")
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(line)]


def _starts_block(line: str) -> bool:
    """Whether a line opens a block of its own (so it cannot continue a paragraph lazily)."""
    return bool(
        not line.strip()
        or _THEMATIC.match(line)
        or _ATX.match(line)
        or _FENCE.match(line)
        or _QUOTE.match(line)
        or _ITEM.match(line)
    )


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _strip_emphasis(text: str) -> str:
    """The text without the emphasis, strike and highlight delimiters that pair up."""
    # CommonMark's delimiter-run rules, simplified: linear, and "_" only at word edges.
    runs = list(_DELIMITER_RUN.finditer(text))
    counts = [len(run[0]) for run in runs]
    stack: list[int] = []
    bottom: dict[str, int] = {}  # below this height no opener of the character is left
    for index, run in enumerate(runs):
        char = run[0][0]
        if char in "~=" and counts[index] != 2:
            continue
        before = text[run.start() - 1] if run.start() else " "
        after = text[run.end()] if run.end() < len(text) else " "
        left = not after.isspace() and (
            not _is_punctuation(after) or before.isspace() or _is_punctuation(before)
        )
        right = not before.isspace() and (
            not _is_punctuation(before) or after.isspace() or _is_punctuation(after)
        )
        can_open, can_close = left, right
        if char == "_":
            can_open = left and (not right or _is_punctuation(before))
            can_close = right and (not left or _is_punctuation(after))
        while can_close and counts[index]:
            k = len(stack) - 1
            while k >= bottom.get(char, 0) and runs[stack[k]][0][0] != char:
                k -= 1
            if k < bottom.get(char, 0):
                bottom[char] = len(stack)
                break
            opener = stack[k]
            used = 2 if counts[opener] >= 2 and counts[index] >= 2 else 1
            counts[opener] -= used
            counts[index] -= used
            del stack[k if counts[opener] == 0 else k + 1 :]
            bottom = {c: min(height, len(stack)) for c, height in bottom.items()}
        if can_open and counts[index]:
            stack.append(index)
    parts, position = [], 0
    for run, count in zip(runs, counts, strict=True):
        parts.append(text[position : run.start()] + run[0][:count])
        position = run.end()
    return "".join(parts) + text[position:]


class _Parser:
    """Markdown blocks and inline text for one document (which defines its link labels)."""

    def __init__(self, labels: set[str]) -> None:
        self.labels = labels

    def blocks(self, lines: list[str], depth: int) -> list[Block]:
        """The blocks of some lines, at a container depth."""
        out: list[Block] = []
        paragraph: list[str] = []

        def flush() -> None:
            # A line ending in a backslash is a hard line break: a space, like the others.
            joined = " ".join(line.removesuffix("\\") for line in paragraph[:-1])
            text = self.inline(f"{joined} {paragraph[-1]}" if paragraph else "")
            if text:
                out.append(("paragraph", text))
            paragraph.clear()

        containers = depth < _MAX_DEPTH
        unclosed: dict[str, int] = {}
        i, count = 0, len(lines)
        while i < count:
            line = lines[i]
            item = _ITEM.match(line) if containers else None
            fence = _FENCE.match(line)
            if fence and fence[2][0] == "`" and "`" in fence[3]:
                fence = None  # an info string with a backtick: inline code, not a fence
            if not line.strip():
                flush()
            elif paragraph and (setext := _SETEXT.match(line)):
                heading = self.inline(" ".join(paragraph))
                paragraph.clear()
                if heading:
                    out.append(("h1" if setext[1][0] == "=" else "h", heading))
            elif _indent(line) >= 4 and not paragraph:
                end = i
                while end < count and (not lines[end].strip() or _indent(lines[end]) >= 4):
                    end += 1
                if code := _code([line[4:] for line in lines[i:end]]):
                    out.append(("code", code))
                i = end
                continue
            elif _THEMATIC.match(line):
                flush()
            elif heading_match := _ATX.match(line):
                flush()
                if heading := self.inline(_ATX_CLOSE.sub("", heading_match[2] or "")):
                    out.append(("h1" if len(heading_match[1]) == 1 else "h", heading))
            elif fence:
                flush()
                i = self._fence(lines, i, fence, out)
                continue
            elif _COMMENT_START.match(line) or _RAW_START.match(line):
                flush()
                raw = _RAW_START.match(line)
                closing = f"</{raw[1].lower()}>" if raw else "-->"
                # Unclosed, only the opening line goes: a typo must not swallow the article.
                # A failed search is remembered, so many unclosed openers stay linear.
                if unclosed.get(closing, count) > i:
                    found = (j for j in range(i, count) if closing in lines[j].lower())
                    close = next(found, None)
                    if close is None:
                        unclosed[closing] = i
                    i = i if close is None else close
            elif containers and _QUOTE.match(line):
                flush()
                i = self._quote(lines, i, depth, out)
                continue
            # A bullet interrupts a paragraph; an ordered list only if it starts at 1.
            elif (
                item and item[6] and _indent(line) < 4 and (not paragraph or item[3] in (None, "1"))
            ):
                flush()
                i = self._list(lines, i, depth, out)
                continue
            elif (
                not paragraph
                and "|" in line
                and i + 1 < count
                and "-" in lines[i + 1]
                and _TABLE_RULE.match(lines[i + 1])
                and len(_cells(lines[i + 1])) == len(header := _cells(line))
            ):
                i = self._table(lines, i, header, out)
                continue
            elif not paragraph and _DEFINITION.match(line):
                pass  # a link reference definition ("[id]: https://…") shows nothing
            else:
                paragraph.append(line.strip())
            i += 1
        flush()
        return out

    def _fence(self, lines: list[str], i: int, fence: re.Match[str], out: list[Block]) -> int:
        """Read a fenced code block (to the end if unclosed); the index after it."""
        marker = fence[2]
        closing = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ ]*$")
        width = len(fence[1])
        end = i + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        # Lines lose the fence's own indentation, as far as they have it.
        body = [line[min(width, _indent(line)) :] for line in lines[i + 1 : end]]
        if code := _code(body):
            out.append(("code", code))
        return end + 1

    def _table(self, lines: list[str], i: int, header: list[str], out: list[Block]) -> int:
        """Read a GFM table (header, delimiter row, rows to a blank line); the index after it."""
        from .grid import aligned_table

        rows = [header]
        end = i + 2
        while end < len(lines) and lines[end].strip() and not _starts_block(lines[end]):
            rows.append(_cells(lines[end]))
            end += 1
        cells = [[self.inline(cell) for cell in row] for row in rows]
        if table := aligned_table(cells, header=True):
            out.append(("table", table))
        else:  # too wide to read as columns: a paragraph a row
            out.extend(("paragraph", " | ".join(c for c in row if c)) for row in cells if any(row))
        return end

    def _quote(self, lines: list[str], i: int, depth: int, out: list[Block]) -> int:
        """Read a block quote: each paragraph in it is one "quote" block; the index after it."""
        inner: list[str] = []
        while i < len(lines):
            line = lines[i]
            if marker := _QUOTE.match(line):
                inner.append(line[marker.end() :])
            elif inner and inner[-1].strip() and not _starts_block(line):
                inner.append(line)  # a lazy continuation of the quoted paragraph
            else:
                break
            i += 1
        for kind, text in self.blocks(inner, depth + 1):
            out.append((kind if kind in ("list", "code") else "quote", text))
        return i

    def _list(self, lines: list[str], i: int, depth: int, out: list[Block]) -> int:
        """Read a list, its items' content parsed as blocks; the index after it."""
        first = _ITEM.match(lines[i])
        assert first is not None
        kind_of = first[2] or first[4]  # a different bullet or delimiter starts a new list
        number = int(first[3]) if first[3] else 0
        items: list[list[str]] = []
        column = 0
        while i < len(lines):
            line = lines[i]
            item = _ITEM.match(line)
            if not line.strip():
                if items:
                    items[-1].append("")
            elif items and _indent(line) >= column:
                items[-1].append(line[column:])
            elif (
                item
                and not _THEMATIC.match(line)
                and _indent(line) < column + 4 * (not items)
                and (item[2] or item[4]) == kind_of
            ):
                spaces = len(item[5] or "")
                column = len(item[1]) + len(item[2] or item[3] + item[4])
                column += spaces if 1 <= spaces <= 4 else 1
                items.append([item[6] or ""] if spaces <= 4 else [line[column:]])
            elif items and items[-1][-1].strip() and not _starts_block(line):
                items[-1].append(line.strip())  # a lazy continuation of the item's paragraph
            else:
                break
            i += 1
        lines_out: list[str] = []
        for offset, content in enumerate(items):
            marker = f"{number + offset}. " if first[3] else "- "
            head: list[str] = []
            shown = split = False
            for kind, text in self.blocks(content, depth + 1):
                if split:  # after code the item cannot go on as list lines: blocks of its own
                    out.append((kind if kind in ("list", "code", "quote") else "paragraph", text))
                elif kind not in ("list", "code"):
                    if shown:
                        lines_out.append("  " + text)
                    else:
                        head.append(text)
                elif kind == "list":
                    if not shown:
                        lines_out.append((marker + " ".join(head)).rstrip())
                        shown = True
                    lines_out.extend("  " + nested for nested in text.split("\n"))
                else:
                    if head and not shown:
                        lines_out.append(marker + " ".join(head))
                    if lines_out:
                        out.append(("list", "\n".join(lines_out)))
                    lines_out = []
                    out.append(("code", text))
                    shown = split = True
            if not shown and head:
                lines_out.append(marker + " ".join(head))
        if lines_out:
            out.append(("list", "\n".join(lines_out)))
        return i

    def inline(self, text: str) -> str:
        """Plain text of a line of Markdown: markup, links, tags and entities resolved."""
        kept: list[str] = []

        def keep(value: str) -> str:
            kept.append(value)
            return f"\x00{len(kept) - 1}\x01"

        def protect(match: re.Match[str]) -> str:
            if match["code"] is not None:
                code = match["code"]
                # One space each side is padding ("`` `x` ``"), as CommonMark reads it.
                if code.startswith(" ") and code.endswith(" ") and code.strip():
                    code = code[1:-1]
                return keep(code)
            if match["escape"] is not None:
                return keep(match["escape"])
            if match["auto"] is not None:
                return keep(match["auto"].removeprefix("mailto:"))
            tag = match["tag"]
            return " " if tag is not None and tag.lower() in _SPACING_TAGS else ""

        def link(match: re.Match[str]) -> str:
            label = match["ref"] or match["text"]
            if match["dest"] is None and (
                match["ref"] is None and _label(label) not in self.labels
            ):
                return match[0]  # brackets that are no link: keep them as written
            return _LINK.sub(link, match["text"])

        text = _PROTECT.sub(protect, text)
        text = _WIKILINK.sub(lambda m: "" if m[1] else (m[3] or m[2]), text)
        text = _strip_emphasis(_LINK.sub(link, text))
        parts = _PLACEHOLDER.split(text)
        # Odd parts are placeholder numbers: their text is restored verbatim; entities are
        # decoded only outside them, then cleaned like the rest (an "&#27;" stays out).
        for index, part in enumerate(parts):
            if index % 2:
                parts[index] = kept[int(part)]
            else:
                parts[index] = _SPACES.sub(" ", clean_text(html.unescape(part)))
        return "".join(parts).strip()
