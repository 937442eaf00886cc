"""Restore a library from an export folder (``reader import DIR`` on a ``reader export``)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.export import EXPORT_FILE
from reader.export.library import FORMAT, FORMAT_VERSION
from reader.library import Article, Quote, Repository
from reader.library.models import (
    ARTICLE_CHECKS,
    CONTEXT_CHARS,
    QUOTE_CHECKS,
    Check,
    is_count,
    is_optional_text,
    is_time,
    now,
    problem,
    stored_time,
)
from reader.library.reattach import anchor
from reader.library.texts import content_hash
from reader.text.clean import clean_text
from reader.text.model import ImportRefused, ParsedArticle, Span

# An export's entries hold the stored documents' fields, plus these.
_RECORD_CHECKS: tuple[Check, ...] = (
    ("id", False, is_count, "a whole number"),
    ("markdown", False, is_optional_text, "text"),
    ("body", False, is_optional_text, "text"),
    *ARTICLE_CHECKS,
)
_QUOTE_RECORD_CHECKS: tuple[Check, ...] = (
    ("id", False, is_count, "a whole number"),
    ("article_hash", False, is_optional_text, "text"),
    ("created", True, is_time, "a time"),
    *QUOTE_CHECKS,
)
_LINE_FIELDS = ("title", "source", "credit", "author", "published", "url", "language", "file")


@dataclass
class Restored:
    """What a restore did: articles as (Markdown file, article), quotes, refusals."""

    imported: list[tuple[Path, Article]] = field(default_factory=list)
    present: list[tuple[Path, Article]] = field(default_factory=list)
    refused: list[ImportRefused] = field(default_factory=list)
    quotes: int = 0


def _load(path: Path) -> dict[str, Any]:
    """The export document, or ImportRefused saying why it cannot be used."""
    import orjson

    try:
        document = orjson.loads(path.read_bytes())
    except OSError as exc:
        raise ImportRefused(path, (exc.strerror or str(exc)).lower()) from None
    except orjson.JSONDecodeError as exc:
        raise ImportRefused(path, f"not valid JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused(path, "not a reader export")
    version = document.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ImportRefused(path, f"export format {version!r} is newer than this reader reads")
    return document


def _time(value: Any) -> datetime | None:
    return stored_time(value) if isinstance(value, str) else None


def _invalid(document: dict[str, Any]) -> str | None:
    """What makes the export unusable, naming the entry and the field, or None.

    Checked whole before anything is written: a restore is applied entirely or not at all.
    """
    for key in ("articles", "quotes"):
        if type(document.get(key) or []) is not list:
            return f"{key} must be a list"
    checks = {"articles": _RECORD_CHECKS, "quotes": _QUOTE_RECORD_CHECKS}
    for key, kind in (("articles", "article"), ("quotes", "quote")):
        for number, record in enumerate(document.get(key) or (), start=1):
            flaw = problem(record, checks[key])
            if flaw is not None:
                known = isinstance(record, dict) and "id" in record
                which = f" (id {record['id']})" if known else ""
                return f"{kind} entry {number}{which}: {flaw}"
    return None


def _cleaned(
    record: dict[str, Any], lines: tuple[str, ...], texts: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The record with its text fields cleaned as every stored text is (controls, bidi).

    ``lines`` are one-line fields (titles, names), ``texts`` may hold several lines.
    """
    record = dict(record)
    for name in (*lines, *texts):
        value = record.get(name)
        if isinstance(value, str):
            value = clean_text(value)
            record[name] = " ".join(value.split("\n")).strip() if name in lines else value
    tags = record.get("tags")
    if tags:
        record["tags"] = [" ".join(clean_text(t).split()) for t in tags]
    return record


def _markdown_file(folder: Path, name: Any) -> Path | None:
    """The entry's Markdown file, if its name is a plain name inside the folder."""
    if not isinstance(name, str) or not name or name != Path(name).name or name[0] == ".":
        return None
    return folder / name


def _parsed(folder: Path, record: dict[str, Any]) -> ParsedArticle:
    """The article as stored: the exact body from the export, else its Markdown file."""
    body = record.get("body")
    # A body with terminal controls in it was not written by reader: its Markdown is read.
    if isinstance(body, str) and content_hash(body) == record["hash"] and clean_text(body) == body:
        spans = tuple(Span(s, e, k) for s, e, k in record.get("blocks") or ())
        words = int(record.get("words") or 0)
    else:
        # A trimmed or hand-edited export: read the Markdown file people and tools see.
        from reader.text import read_article_file

        path = _markdown_file(folder, record.get("markdown"))
        if path is None:
            raise ImportRefused(folder / EXPORT_FILE, f"article {record['title']!r}: no text")
        from_file = read_article_file(path)
        body, spans, words = from_file.body, from_file.spans, from_file.words
    return ParsedArticle(
        title=record["title"],
        body=body,
        spans=spans,
        credit=record.get("credit"),
        source=record.get("source"),
        language=record.get("language"),
        words=words,
        author=record.get("author"),
        published=record.get("published"),
        url=record.get("url"),
        tags=tuple(record.get("tags") or ()),
    )


def _with_state(article: Article, record: dict[str, Any]) -> Article:
    """The article with the exported reading state, tags and time added."""
    return replace(
        article,
        added=_time(record.get("added")) or article.added,
        read=bool(record.get("read")),
        position=int(record.get("position") or 0),
        progress=float(record.get("progress") or 0.0),
        last_read=_time(record.get("last_read")),
        tags=tuple(record.get("tags") or ()),
    )


def restore(repo: Repository, folder: Path) -> Restored:
    """Restore articles, reading state, tags and quotes from an export folder."""
    result = Restored()
    export_path = folder / EXPORT_FILE
    try:
        document = _load(export_path)
    except ImportRefused as refusal:
        result.refused.append(refusal)
        return result
    flaw = _invalid(document)
    if flaw is not None:
        result.refused.append(ImportRefused(export_path, f"{flaw}; nothing was restored"))
        return result
    # Into an empty library the export's reading state wins; otherwise articles already
    # here keep their own (the person may have read on since the export).
    empty = not repo.articles() and not repo.quotes()
    records: list[dict[str, Any]] = []
    parsed: list[tuple[ParsedArticle, str | None]] = []
    for raw in document.get("articles") or ():
        record = _cleaned(raw, _LINE_FIELDS)
        try:
            parsed.append((_parsed(folder, record), record.get("file")))
            records.append(record)
        except ImportRefused as refusal:
            result.refused.append(refusal)
    results = repo.add_articles(parsed) if parsed else []
    new_ids: dict[int, Article] = {}
    updates: list[Article] = []
    for record, outcome in zip(records, results, strict=True):
        path = _markdown_file(folder, record.get("markdown")) or export_path
        article = outcome.article
        if outcome.created or empty:
            article = _with_state(article, record)
            updates.append(article)
        (result.imported if outcome.created else result.present).append((path, article))
        if isinstance(record.get("id"), int):
            new_ids[record["id"]] = article
    if updates:
        repo.replace_articles(updates)
    _restore_quotes(repo, document.get("quotes") or (), new_ids, export_path, result)
    return result


def _restore_quotes(
    repo: Repository,
    records: Any,
    articles: dict[int, Article],
    export_path: Path,
    result: Restored,
) -> None:
    """Re-anchor each exported quote in its restored article and store them all at once."""
    kept: list[Quote] = []
    orphaned: list[Quote] = []
    bodies: dict[int, str] = {}
    for number, raw in enumerate(records, start=1):
        record = _cleaned(raw, ("article_title",), ("text", "prefix", "suffix", "note"))
        try:
            quote = Quote(
                id=0,
                article_id=int(record["article_id"]),
                article_title=str(record.get("article_title") or ""),
                text=str(record["text"]),
                start=int(record["start"]),
                end=int(record["end"]),
                prefix=str(record.get("prefix") or ""),
                suffix=str(record.get("suffix") or ""),
                created=stored_time(record["created"]) or now(),
                note=str(record.get("note") or ""),
                tags=tuple(record.get("tags") or ()),
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            result.refused.append(ImportRefused(export_path, f"quote entry {number} is malformed"))
            continue
        if record.get("article_hash") is None:
            orphaned.append(quote)  # its article had been deleted before the export
            continue
        article = articles.get(quote.article_id)
        where = f"quote {record.get('id', number)} from {quote.article_title!r}"
        if article is None:
            result.refused.append(ImportRefused(export_path, f"{where}: its article was refused"))
            continue
        if article.id not in bodies:
            bodies[article.id] = repo.body(article)
        body = bodies[article.id]
        start = anchor(body, quote.text, quote.start, quote.prefix, quote.suffix)
        if start is None:
            reason = f"{where}: the passage is not in the article's text"
            result.refused.append(ImportRefused(export_path, reason))
            continue
        quote = replace(quote, article_id=article.id)
        if start != quote.start:  # re-anchored: the context is taken afresh
            end = start + len(quote.text)
            before = body[max(0, start - CONTEXT_CHARS) : start]
            after = body[end : end + CONTEXT_CHARS]
            quote = replace(quote, start=start, end=end, prefix=before, suffix=after)
        kept.append(quote)
    result.quotes = len(repo.add_restored_quotes(kept, orphaned))
