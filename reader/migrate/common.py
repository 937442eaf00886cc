"""Pieces the export readers share: JSON loading, building an article from HTML or text."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from reader.migrate.model import ExportError, one_line, tags_of, text_of
from reader.text.model import ParsedArticle


def load_json(data: bytes, where: str) -> Any:
    """Parse JSON from an export; ExportError naming the file if it is not JSON."""
    import orjson

    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ExportError(f"{where}: not valid JSON ({exc})") from None


def decode(data: bytes, where: str) -> str:
    """Text from an export's file (UTF-8, else detected)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from reader.text import decode_bytes

        return decode_bytes(data, where)


def article_from_html(html: str | bytes | None, url: str | None) -> ParsedArticle | None:
    """The article in an export's HTML, read as saved pages are (nothing fetched); None if empty."""
    if not html:
        return None
    from reader.text.html import parse_html

    try:
        parsed = parse_html(html, url=url)
    except (ValueError, TypeError, LookupError, RecursionError):
        return None  # a hostile or broken page: the entry falls back to its metadata
    return parsed if parsed.body.strip() else None


def article_from_text(title: str, *parts: str) -> ParsedArticle:
    """A short article from metadata alone (a title, a description, a URL)."""
    from reader.text import parse_plain

    lines = [title or "Untitled", *(p for p in parts if p)]
    return parse_plain("\n\n".join(lines))


def finish(
    parsed: ParsedArticle,
    *,
    title: Any = None,
    author: Any = None,
    url: Any = None,
    published: Any = None,
    tags: Any = None,
    language: Any = None,
) -> ParsedArticle:
    """The parsed article with the export's metadata over what the page said, language known."""
    changes: dict[str, Any] = {}
    for name, value in (("title", title), ("author", author), ("url", url)):
        clean = one_line(value)
        if clean:
            changes[name] = clean
    when = one_line(published)
    if when:
        changes["published"] = when[:10] if len(when) >= 10 and when[4] == "-" else when
    if tags:
        changes["tags"] = tags_of(tags)
    lang = one_line(language)
    if lang and len(lang) <= 12:
        changes["language"] = lang.split("_")[0].lower()
    parsed = dataclasses.replace(parsed, **changes)
    if parsed.language is None:
        from reader.text import detect_language

        parsed = dataclasses.replace(parsed, language=detect_language(parsed.body))
    if not parsed.title:
        parsed = dataclasses.replace(parsed, title=text_of(parsed.body).split("\n")[0][:120])
    return parsed


@dataclass(frozen=True, slots=True)
class ParseJob:
    """What it takes to build one entry's article: picklable, for worker processes."""

    html: str | bytes | None
    url: str
    title: str
    #: Text to make the article from when the HTML holds none (a description, the URL).
    fallback: tuple[str, ...] = ()
    author: str | None = None
    published: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None


def run_job(job: ParseJob) -> ParsedArticle:
    """The article of one entry: its HTML read as a saved page, the export's metadata over it."""
    parsed = article_from_html(job.html, job.url or None)
    if parsed is None:
        parsed = article_from_text(job.title, *job.fallback)
    return finish(
        parsed,
        title=job.title,
        author=job.author,
        url=job.url,
        published=job.published,
        tags=job.tags,
        language=job.language,
    )
