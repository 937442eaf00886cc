"""Saved web pages: the main content as blocks over a plain-text body, and the page's metadata."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .clean import clean_text
from .decode import bom_codec, codec_for_label, decode_bytes
from .model import ParsedArticle, assemble
from .plain import _title_from_sentence, count_words

if TYPE_CHECKING:
    from lxml import html as lxml_html

    from .html_title import PageMetadata

Block = tuple[str, str]

# The HTML standard looks for a declaration in the first 1024 bytes; saved pages often
# put a long comment or inline styles first, so look a little further.
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(
    rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE | re.DOTALL
)
# Pages saved as UTF-8 keep the declaration they were served with; a page "in" UTF-16
# read from ASCII-compatible bytes cannot be UTF-16 (the HTML standard says the same).
_IGNORED_DECLARATIONS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32"})
# Site navigation that the extractor's last-resort pass returns for pages without an article.
_CHROME = frozenset({"nav", "header", "footer", "aside", "menu"})
# Extracted text shorter than this is checked for being only links and menus.
_SHORT_CHARS = 200
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_SPACES = re.compile(r"\s+")
_INDENTED_LINE = re.compile(r"\n[ \t]{2,}\S")
_PAGE_NOISE = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object")
# MediaWiki's section edit links ("[edit]", "[edit source]", "[değiştir]"), in the heading
# (until 2023) or beside it in a div.mw-heading (since); and its superscript clutter in the
# prose: citation markers ("[12]") and what its print style hides ("[citation needed]").
_WIKI_CLUTTER = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' mw-editsection ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' editsection ')]"
    " | //sup[contains(concat(' ', normalize-space(@class), ' '), ' reference ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' noprint ')]"
)
# A heading ending in a bracketed link or two: "History [edit]", "Tarihçe [değiştir | kaynak]".
_TRAILING_BRACKET = re.compile(r"\s*\[([^\[\]]{1,80})\]\s*$")
# Edit labels that stay behind as plain text when a page was saved with its links removed.
_EDIT_WORDS = frozenset(
    {
        "edit", "edit source", "değiştir", "kaynağı değiştir", "bearbeiten",  # noqa: RUF001
        "quelltext bearbeiten", "modifier", "modifier le code", "editar", "editar código",
        "editar código-fonte", "modifica", "modifica wikitesto", "bewerken", "brontekst bewerken",
        "redigera", "redigera wikitext", "edytuj", "edytuj kod", "править", "править код",
        "编辑", "编辑源代码", "編集", "ソースを編集", "تعديل", "عدل المصدر",
    }
)  # fmt: skip
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def decode_html(data: bytes, name: str) -> str:
    """A page's text: BOM, UTF-8 if valid, the declared charset if it reads, then detection."""
    if bom_codec(data) is not None:
        return decode_bytes(data, name)
    declared = _declared_codec(data[:_SNIFF_BYTES])
    # ISO-2022 pages are 7-bit, so also valid UTF-8: only the declaration tells them apart.
    if declared is not None and declared.startswith("iso2022"):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(declared)
    # Valid UTF-8 beats any declaration: non-ASCII legacy text almost never is valid
    # UTF-8, while pages re-saved as UTF-8 often keep the charset they were served in
    # (and single-byte codecs such as Windows-1251 "decode" anything, into mojibake).
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8")
    if declared is not None and declared != "utf-8":
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(declared)
    return decode_bytes(data, name)  # the page is not what it claims: detect


def _declared_codec(head: bytes) -> str | None:
    """The Python codec of the page's <meta charset> or http-equiv declaration, if known."""
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    codec = codec_for_label(match.group(1).decode("ascii"))
    return None if codec in _IGNORED_DECLARATIONS else codec


def parse_html(raw: bytes | str, url: str | None = None) -> ParsedArticle:
    """Parse a saved page (never fetching anything); an empty body means no text was found."""
    # trafilatura and lxml load on first use: ~0.3 s that plain-text imports never need.
    import trafilatura

    from .captions import caption_texts, mark_captions
    from .html_title import page_metadata

    text = _decoded(raw, url)
    tree = _tree(text)
    captions: frozenset[str] = frozenset()
    if tree is not None:
        _drop_edit_links(tree)
        captions = caption_texts(tree)  # before the extractor prunes the tree
    meta = page_metadata(tree, url) if tree is not None else None
    document: Any
    try:
        document = trafilatura.bare_extraction(
            tree if tree is not None else text,
            url=url,
            include_comments=False,
            include_formatting=True,
            include_tables=True,
            include_links=False,
            include_images=False,
            with_metadata=True,
        )
    except Exception:  # the extractor must never take an import down with it
        document = None
    blocks = _body_blocks(document.body) if document is not None else []
    blocks = mark_captions(blocks, captions)
    if sum(len(text) for _, text in blocks) < _SHORT_CHARS and not _has_prose(text):
        blocks = []  # the extractor's last resort returned menu links: there is no article
    if not blocks:
        # A fresh tree: the extractor prunes the one it is given.
        fresh = _tree(text)
        blocks = _visible_paragraphs(fresh) if fresh is not None else []
    return _article(blocks, meta, document, url)


def page_title(raw: bytes | str) -> str:
    """The title parse_html would give a page, without extracting its content."""
    from .html_title import page_metadata

    tree = _tree(_decoded(raw, None))
    return (page_metadata(tree).title or "") if tree is not None else ""


def _drop_edit_links(tree: lxml_html.HtmlElement) -> None:
    """Remove wiki edit links ("[edit]") and citation markers ("[12]"): they read as noise."""
    for element in tree.xpath(_WIKI_CLUTTER):
        if element.getparent() is not None:
            element.drop_tree()  # keeps the text after it
    for heading in tree.iter(*_HEADINGS):
        text = heading.text_content()
        match = _TRAILING_BRACKET.search(text)
        if match is None:
            continue
        links = {_inline(a.text_content()).casefold() for a in heading.iter("a")}
        labels = [_inline(part).casefold() for part in match.group(1).split("|")]
        # Only links or edit words: "Notes [1]" or "Chapter [draft]" keep their brackets.
        if all(label and (label in links or label in _EDIT_WORDS) for label in labels):
            tail, attributes = heading.tail, dict(heading.attrib)
            heading.clear()  # the heading becomes its text alone; clear() drops tail and attributes
            heading.attrib.update(attributes)
            heading.text, heading.tail = text[: match.start()], tail


def _decoded(raw: bytes | str, url: str | None) -> str:
    """The page as text, with what lxml rejects outright (NULs) removed."""
    text = decode_html(raw, url or "page") if isinstance(raw, bytes) else raw
    return clean_text(text).replace("\x00", "")


def _tree(text: str) -> lxml_html.HtmlElement | None:
    """The parsed page, or None if there is nothing lxml can make a document of."""
    from lxml import etree
    from lxml import html as lxml_html

    # lxml refuses a str that starts with an XML declaration; the text is decoded already.
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        return lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None  # nothing but whitespace or comments: no document at all


def _article(
    blocks: list[Block], meta: PageMetadata | None, document: Any, url: str | None
) -> ParsedArticle:
    """The ParsedArticle from the content blocks and what the page said about itself."""

    def found(name: str) -> str | None:
        value = getattr(document, name, None)
        return value if isinstance(value, str) and value else None

    title = (meta.title if meta else None) or found("title") or ""
    title = _SPACES.sub(" ", clean_text(title)).strip()
    if blocks and title and _same(blocks[0][1], title):
        blocks[0] = ("headline", blocks[0][1])
    elif blocks and title and blocks[0][0] == "subheading" and _overlaps(blocks[0][1], title):
        blocks[0] = ("headline", title)  # the page's h1, shorter or longer than the title
    elif blocks and title:
        blocks.insert(0, ("headline", title))
    elif blocks:  # no title anywhere: name it after its first sentence, as plain text does
        title = _title_from_sentence(blocks[0][1].split("\n")[0])
    body, spans = assemble(blocks)
    author = (meta.author if meta else None) or found("author")
    source = (meta.site_name if meta else None) or found("sitename")
    published = _iso_date(meta.published if meta else None) or _iso_date(found("date"))
    return ParsedArticle(
        title=title,
        body=body,
        spans=spans,
        credit=None,
        source=_one_line(source),
        language=meta.language if meta else None,
        words=count_words(body),
        author=_one_line(author),
        published=published,
        url=(meta.url if meta else None) or url,
    )


def _body_blocks(body: Any) -> list[Block]:
    """Blocks from trafilatura's XML body (p, head, list, quote, code, table)."""
    out: list[Block] = []
    if body.tag not in _CHROME:
        _blocks_in(body, out)
    return [(kind, text) for kind, text in out if text]


def _blocks_in(element: Any, out: list[Block]) -> None:
    """Append the blocks of an element's children (and loose text) to out."""
    if element.text and element.text.strip():
        out.append(("paragraph", _inline(element.text)))
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        _block(child, out)
        if child.tail and child.tail.strip():
            out.append(("paragraph", _inline(child.tail)))


def _block(element: Any, out: list[Block]) -> None:
    """Append one XML element's blocks to out."""
    tag = element.tag
    if tag in _CHROME:
        return
    if tag == "head":
        out.append(("subheading", _inline_text(element)))
    elif tag == "list":
        lines = _list_lines(element, 0)
        if lines:
            out.append(("list", "\n".join(lines)))
    elif tag == "code":
        code = _code("".join(element.itertext()))
        if code:
            out.append(("code", code))
    elif tag == "quote":
        _quote(element, out)
    elif tag == "table":
        _table(element, out)
    elif tag in ("p", "item", "cell", "hi", "ref", "del", "span"):
        out.extend(("paragraph", line) for line in _lines(element))
    elif tag not in ("graphic", "lb"):
        _blocks_in(element, out)  # div, section and other containers


def _quote(element: Any, out: list[Block]) -> None:
    """A block quote: each paragraph a "quote" block; indented multi-line text is code."""
    if any(child.tag in ("p", "list", "code", "quote", "head") for child in element):
        inner: list[Block] = []
        _blocks_in(element, inner)
        out.extend((k if k in ("list", "code") else "quote", t) for k, t in inner if t)
        return
    raw = "".join(element.itertext())
    # trafilatura reports <pre> inside tables as quotes; indentation gives the code away.
    if _INDENTED_LINE.search(raw.strip("\n")):
        if code := _code(raw):
            out.append(("code", code))
        return
    out.extend(("quote", line) for line in _lines(element))


def _table(element: Any, out: list[Block]) -> None:
    """A table: runs of rows with short cells as aligned columns (or a paragraph a row, when
    too wide to align); rows whose cells hold paragraphs or lists as those blocks."""
    run: list[tuple[list[str], bool]] = []  # (cell texts, whether all are header cells)
    titled = False
    for row in element.iter("row"):
        cells = list(row.iter("cell"))
        if any(
            len(cell) and any(c.tag in ("p", "list", "quote", "code") for c in cell)
            for cell in cells
        ):
            _table_rows(run, out)
            run = []
            for cell in cells:
                _blocks_in(cell, out)
            continue
        texts = [_inline_text(cell) for cell in cells]
        if not any(texts):
            continue
        head = all(
            cell.get("role") == "head" for cell, text in zip(cells, texts, strict=True) if text
        )
        if not run and head and len(cells) > 1 and not any(texts[1:]):
            out.append(("caption", texts[0]))  # a title row spanning the table
            titled = True  # the extractor marks only the first row's cells as headers
            continue
        run.append((texts, head or (titled and not run)))
    _table_rows(run, out)


def _table_rows(run: list[tuple[list[str], bool]], out: list[Block]) -> None:
    """Append a run of simple rows: aligned if they make a readable table."""
    from .grid import aligned_table

    if table := aligned_table([texts for texts, _ in run], header=bool(run) and run[0][1]):
        out.append(("table", table))
        return
    for texts, _ in run:
        out.append(("paragraph", " | ".join(text for text in texts if text)))


def _list_lines(element: Any, depth: int) -> list[str]:
    """A list's items as lines ("- " or "1. "), nested lists indented two spaces a level."""
    ordered = element.get("rend") == "ol"
    lines: list[str] = []
    number = 0
    for item in element:
        if item.tag != "item":
            continue
        number += 1
        nested = [child for child in item if child.tag == "list"]
        for child in nested:
            item.remove(child)  # read separately, below the item's own text
        text = _inline(" ".join(_lines(item)))
        marker = f"{number}. " if ordered else "- "
        if text:
            lines.append("  " * depth + marker + text)
        for child in nested:
            lines.extend(_list_lines(child, depth + 1))
    return lines


def _lines(element: Any) -> list[str]:
    """An element's text split at its line breaks, each line's whitespace collapsed."""
    parts: list[str] = []
    current: list[str] = []

    def walk(node: Any) -> None:
        if node.text:
            current.append(node.text)
        for child in node:
            if child.tag == "lb":
                parts.append("".join(current))
                current.clear()
            elif isinstance(child.tag, str):
                walk(child)
            if child.tail:
                current.append(child.tail)

    walk(element)
    parts.append("".join(current))
    return [line for line in (_inline(part) for part in parts) if line]


def _inline_text(element: Any) -> str:
    """An element's whole text on one line."""
    return _inline(" ".join(_lines(element)))


def _inline(text: str) -> str:
    """Cleaned text with every run of whitespace made one space."""
    return _SPACES.sub(" ", clean_text(text)).strip()


def _code(text: str) -> str:
    """Code kept verbatim, but without trailing spaces or blank lines at either end."""
    lines = [line.rstrip() for line in clean_text(text).split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _visible_paragraphs(tree: lxml_html.HtmlElement) -> list[Block]:
    """The text of the page's <p> elements, for pages the extractor finds no article in."""
    for noise in list(tree.iter(*_PAGE_NOISE)):
        parent = noise.getparent()
        if parent is not None:
            noise.drop_tree()
    body = tree.find("body")
    if body is None:
        return []
    return [("paragraph", text) for p in body.iter("p") if (text := _inline(p.text_content()))]


def _has_prose(text: str) -> bool:
    """Whether the page has any text outside links, navigation and scripts."""
    tree = _tree(text)
    if tree is None:
        return False
    for element in list(tree.iter(*_PAGE_NOISE, *_CHROME, "a", "title", "head")):
        if element.getparent() is not None:
            element.drop_tree()
    return bool(tree.text_content().strip())


def _same(a: str, b: str) -> bool:
    """Whether two titles are the same, ignoring case and spacing."""
    return _SPACES.sub(" ", a).strip().casefold() == _SPACES.sub(" ", b).strip().casefold()


def _overlaps(heading: str, title: str) -> bool:
    """Whether a heading and the title start the same way (one is the other plus a tail)."""
    a, b = heading.casefold(), title.casefold()
    close = 2 * min(len(a), len(b)) >= max(len(a), len(b))  # not a one-word kicker
    return close and (a.startswith(b) or b.startswith(a))


def _one_line(value: str | None) -> str | None:
    """Metadata text cleaned onto one line, or None if nothing is left."""
    if not value:
        return None
    return _inline(value) or None


def _iso_date(value: str | None) -> str | None:
    """An ISO 8601 date or date-time from the page, or None if it is not one."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(value) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat()
