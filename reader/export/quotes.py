"""Quotes out to other tools: Markdown, Readwise CSV, W3C Web Annotation JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from itertools import groupby
from typing import Any

from reader.console import json_safe
from reader.export.article import escape
from reader.library import Article, Quote

#: Readwise's CSV import columns, in their order.
READWISE_COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date")
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

Articles = Mapping[int, Article]


def _title(quote: Quote, articles: Articles) -> str:
    """The article's current title, or the one the quote was saved with if it was deleted."""
    article = articles.get(quote.article_id)
    return article.title if article else quote.article_title


def quotes_markdown(quotes: Sequence[Quote], articles: Articles) -> str:
    """Per article a ``#`` title and a metadata line, then its quotes as block quotes."""
    sections: list[str] = []
    for article_id, group in groupby(quotes, key=lambda q: q.article_id):
        items = list(group)
        article = articles.get(article_id)
        title = escape(_title(items[0], articles)).replace("\n", " ")
        lines = [f"# {title}", ""]
        if article is None:
            lines += ["*Article deleted from the library.*", ""]
        elif facts := [f for f in (article.source, article.author, article.url) if f]:
            # "<…>" makes the address a link without it being read as markup.
            shown = [f"<{f}>" if f == article.url else escape(f) for f in facts]
            lines += [" · ".join(shown), ""]
        blocks = []
        for quote in items:
            block = "\n".join(f"> {line}".rstrip() for line in escape(quote.text).split("\n"))
            blocks.append(f"{block}\n\n{quote.note}" if quote.note else block)
        sections.append("\n".join(lines) + "\n\n---\n\n".join(blocks) + "\n")
    return "\n".join(sections)


def quotes_csv(quotes: Sequence[Quote], articles: Articles) -> str:
    """Readwise's CSV import: one row per quote, RFC 4180 quoting."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(READWISE_COLUMNS)
    for quote in quotes:
        article = articles.get(quote.article_id)
        writer.writerow(
            [
                quote.text,
                _title(quote, articles),
                (article.author if article else None) or "",
                (article.url if article else None) or "",
                quote.note,
                quote.start,
                quote.created.isoformat(),
            ]
        )
    return out.getvalue()


def annotation(quote: Quote, article: Article | None) -> dict[str, Any]:
    """One quote as a W3C Web Annotation."""
    body: list[dict[str, str]] = []
    if quote.note:
        body.append({"type": "TextualBody", "value": quote.note, "purpose": "commenting"})
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in quote.tags]
    source = (article.url if article else None) or f"urn:reader:article:{quote.article_id}"
    value: dict[str, Any] = {
        "@context": ANNOTATION_CONTEXT,
        "type": "Annotation",
        "id": f"urn:reader:quote:{quote.id}",
        "created": quote.created.isoformat(),
    }
    if body:
        value["body"] = body
    value["target"] = {
        "source": source,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": quote.text,
                "prefix": quote.prefix,
                "suffix": quote.suffix,
            },
            {"type": "TextPositionSelector", "start": quote.start, "end": quote.end},
        ],
    }
    return value


def quotes_json(quotes: Sequence[Quote], articles: Articles) -> str:
    """A JSON list of W3C Web Annotations."""
    items = [annotation(q, articles.get(q.article_id)) for q in quotes]
    return json_safe(json.dumps(items, ensure_ascii=False, indent=2)) + "\n"


WRITERS: dict[str, Callable[[Sequence[Quote], Articles], str]] = {
    "md": quotes_markdown,
    "csv": quotes_csv,
    "json": quotes_json,
}


def export_quotes(quotes: Sequence[Quote], articles: Articles, fmt: str) -> str:
    """The quotes in a format of WRITERS, in the order given (by article for Markdown)."""
    return WRITERS[fmt](quotes, articles)
