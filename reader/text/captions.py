"""Image captions in saved pages: found in the page, then marked among the extracted blocks.

The extractor drops the images but keeps their captions as whatever element held them; a
Guardian caption is a one-item list after its figure, a Wikipedia gallery's a list item.
Read as list items they look like content. The page's markup still says what they are, so
their texts are collected before extraction and the blocks holding just that text become
"caption" blocks, which the reading view sets quietly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Block = tuple[str, str]

_CAPTION_CLASSES = ("caption", "gallerytext", "wp-caption-text", "figure__text")
_BY_CLASS = " or ".join(
    f"contains(concat(' ', normalize-space(@class), ' '), '{name}')" for name in _CAPTION_CLASSES
)
_CAPTIONS = f"//figcaption | //*[{_BY_CLASS}] | //figure/following-sibling::*[1][self::ul]"
# Longer than this is prose that happens to sit in a figure, not a caption.
_MAX_CHARS = 400
_BULLET_PREFIXES = ("- ", "• ")


def _key(text: str) -> str:
    return " ".join(text.split()).rstrip(".").casefold()


def caption_texts(tree: Any) -> frozenset[str]:
    """The texts of the page's image captions, as keys for ``mark_captions``."""
    found: set[str] = set()
    for element in tree.xpath(_CAPTIONS):
        items = element.findall("li") if element.tag == "ul" else [element]
        for item in items:
            text = _key(item.text_content())
            if 0 < len(text) <= _MAX_CHARS:
                found.add(text)
    return frozenset(found)


def _unbulleted(line: str) -> str:
    for prefix in _BULLET_PREFIXES:
        if line.startswith(prefix):
            return line[len(prefix) :]
    return line


def mark_captions(blocks: Iterable[Block], captions: frozenset[str]) -> list[Block]:
    """The blocks, with paragraphs and lists that hold only caption text as "caption" blocks."""
    out: list[Block] = []
    for kind, text in blocks:
        if captions and kind in ("paragraph", "list"):
            lines = [_unbulleted(line) for line in text.split("\n")]
            if all(_key(line) in captions for line in lines):
                out.append(("caption", "\n".join(lines)))
                continue
        out.append((kind, text))
    return out
