"""``reader list|show|quote add|quotes|delete|search|doctor``: what each command does.

reader.cli parses their arguments and imports this module only when one of them runs. Like the
rest of the command line it never imports Textual: heavy imports live inside the functions.
"""

from __future__ import annotations

import sys
import unicodedata
from typing import TYPE_CHECKING, Any

from reader import locations
from reader.cli import EXIT_ERROR, EXIT_OK, CommandError  # main() tells a CommandError
from reader.console import safe

if TYPE_CHECKING:
    import argparse

    from reader.library import Article, Quote, Repository


def refresh_start_view(repo: Repository, only_if_there: bool = False) -> None:
    """Keep the app's start view fresh after a write (15 ms at 10,000 articles): otherwise the
    next start reads the whole library before it shows anything. A quick `quote add` does it
    only for libraries the app has been used on."""
    import contextlib

    from reader.library.errors import DamagedDocument
    from reader.library.head import START_VIEW_FILE, write_start_view

    folder = repo.location.parent if repo.location is not None else None
    if folder is not None and (not only_if_there or (folder / START_VIEW_FILE).exists()):
        # The command itself succeeded; with no fresh start view the app reads the library
        # and names the damaged article there.
        with contextlib.suppress(DamagedDocument):
            write_start_view(repo)


def _print_json(value: Any) -> None:
    from reader.console import json_text

    # Escapes DEL, C1 and bidi controls too: a note with an RLO must not reach the terminal.
    sys.stdout.write(json_text(value))


def article_json(article: Article, quotes: int) -> dict[str, Any]:
    """The ``--json`` form of an article in listings."""
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "words": article.words,
        "reading_minutes": article.reading_minutes,
        "progress": article.progress,
        "quotes": quotes,
        "added": article.added.isoformat(),
        "language": article.language,
        "read": article.read,
        "tags": list(article.tags),
        "feed": article.feed,
    }


def quote_json(quote: Quote) -> dict[str, Any]:
    """The ``--json`` form of a quote."""
    return {
        "id": quote.id,
        "article_id": quote.article_id,
        "article_title": quote.article_title,
        "text": quote.text,
        "note": quote.note,
        "start": quote.start,
        "end": quote.end,
        "prefix": quote.prefix,
        "suffix": quote.suffix,
        "created": quote.created.isoformat(),
        "tags": list(quote.tags),
    }


def _fit(text: str, width: int) -> str:
    """Text on one line in exactly width terminal cells: cut with "…", or padded."""
    # Cells, not characters: a CJK character takes two, a combining accent none, so
    # padding by len() would push the columns after a Japanese title out of line.
    from rich.cells import cell_len, set_cell_size

    text = " ".join(safe(text).split())
    if cell_len(text) > width:
        # set_cell_size pads with a space where a wide character would straddle the cut.
        text = set_cell_size(text, max(width - 1, 0)).rstrip() + "…"
    return set_cell_size(text, width)


def run_list(repo: Repository, as_json: bool) -> int:
    """Run ``reader list``: every article, newest first; a damaged one is told, not listed."""
    from reader.library.errors import DamagedDocument

    # A damaged article is one line on stderr; the others are still listed.
    damaged: list[DamagedDocument] = []
    articles = repo.articles(damaged)
    for error in damaged:
        print(f"reader: {safe(error)}", file=sys.stderr)
    status = EXIT_ERROR if damaged else EXIT_OK
    counts = repo.quote_counts()
    if as_json:
        _print_json([article_json(a, counts[a.id]) for a in articles])
        return status
    if not articles:
        if not damaged:
            print("The library is empty. Add articles with: reader import PATH…", file=sys.stderr)
        return status
    width = _terminal_width()
    id_width = len(str(max(a.id for a in articles)))
    title_width = max(width - id_width - 36, 20)
    for a in articles:
        mark = " " if a.read else "●"
        print(
            f"{a.id:>{id_width}} {mark} {_fit(a.title, title_width)} "
            f"{_fit(a.source or '', 12)} {a.reading_minutes:>3}m {round(a.progress * 100):>3}% "
            f"{counts[a.id]:>3}q"
        )
    return status


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 120


def run_show(repo: Repository, article_id: int, as_json: bool) -> int:
    """Run ``reader show ID``: one article's facts and text."""
    article = repo.article(article_id)
    body = repo.body(article)
    quotes = repo.quotes(article_id)
    if as_json:
        value = article_json(article, len(quotes))
        value.update(
            text=body,
            credit=article.credit,
            file=article.file,
            hash=article.hash,
            position=article.position,
            detected_quotes=_detected_json(body),
            author=article.author,
            published=article.published,
            url=article.url,
            last_read=article.last_read.isoformat() if article.last_read else None,
        )
        _print_json(value)
        return EXIT_OK
    facts = [
        article.source,
        article.credit,
        f"{article.words} words · {article.reading_minutes} min",
    ]
    print(safe(article.title))
    print(safe(" · ".join(f for f in facts if f)))
    print()
    print(safe(body))
    return EXIT_OK


def _detected_json(body: str) -> list[dict[str, Any]]:
    from reader.text.quotations import detect_quotes

    return [
        {"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end}
        for q in detect_quotes(body)
    ]


def run_quote_add(repo: Repository, args: argparse.Namespace) -> int:
    """Run ``reader quote add ID PASSAGE``: keep the passage as a quote, once."""
    from reader.text.clean import clean_text

    # Cleaned like every stored text: no escape sequence or bidi override kept in a note.
    note = clean_text(args.note)
    try:
        quote, created = repo.add_quote_text(args.id, args.passage, note=note)
    except OSError as exc:
        # A failed fsync may come after the quote was written: never claim it was not.
        where = f" ({exc.filename})" if exc.filename else ""
        raise CommandError(
            f"{exc.strerror or exc}{where} while saving the quote; it may have been saved: "
            f"check with 'reader quotes {args.id}'"
        ) from None
    if args.json:
        _print_json(quote_json(quote) | {"new": created})
    elif created:
        print(
            f"Saved quote {quote.id} from article {quote.article_id} ({quote.start}-{quote.end})."
        )
    else:
        print(f"Already kept as quote {quote.id}; nothing changed.")
    return EXIT_OK


#: Marks a kept passage may open with (a quotation kept whole, with its speech marks), beside
#: the initial-quote punctuation class: straight quotes, low-9 quotes and CJK corner brackets.
OPENING_MARKS = frozenset("\"'\u201e\u201a\u300c\u300e")


def run_quotes(repo: Repository, article_id: int | None, as_json: bool, tag: str | None) -> int:
    """Run ``reader quotes [ID]``: the quotes of one article, or all, grouped by article."""
    if article_id is not None:
        repo.article(article_id)  # a clear error for an unknown id, not an empty list
    quotes = repo.quotes(article_id)
    if tag:
        quotes = repo.quotes_tagged(quotes, tag)
    if as_json:
        _print_json([quote_json(q) for q in quotes])
        return EXIT_OK
    if not quotes:
        print("No quotes yet.", file=sys.stderr)
        return EXIT_OK
    current = None
    # A quote can outlive its article (deleted, or a highlight imported from another tool
    # whose passage was not found): its article id then names no article.
    present = repo.article_ids()
    for q in quotes:
        if q.article_id != current:
            if current is not None:
                print()
            current = q.article_id
            kept = q.article_id in present
            where = f"article {q.article_id}" if kept else "kept without its article"
            print(f"# {safe(q.article_title)} ({where})")
        text = " ".join(safe(q.text).split())
        # A passage that opens with its own quotation mark is not wrapped in a second one.
        marked = text[:1] in OPENING_MARKS or unicodedata.category(text[:1] or " ") == "Pi"
        print(f"[{q.id}] {text}" if marked else f"[{q.id}] “{text}”")
        if q.note:
            print(f"     note: {safe(q.note)}")
    return EXIT_OK


def run_delete(repo: Repository, ids: list[int], with_quotes: bool, as_json: bool) -> int:
    """Delete each article; an unknown id is one line on stderr and the others still go."""
    from reader.library import NotFound

    counts = repo.quote_counts()
    deleted: list[dict[str, Any]] = []
    missing: list[int] = []
    for article_id in dict.fromkeys(ids):
        try:
            article = repo.delete_article(article_id, delete_quotes=with_quotes)
        except NotFound as exc:
            print(f"reader: {exc}", file=sys.stderr)
            missing.append(article_id)
            continue
        quotes = counts[article_id]
        deleted.append(
            {
                "id": article.id,
                "title": article.title,
                "quotes_deleted": quotes if with_quotes else 0,
                "quotes_kept": 0 if with_quotes else quotes,
            }
        )
        if not as_json:
            fate = "deleted" if with_quotes else "kept"
            print(f"Deleted article {article.id} “{safe(article.title)}” ({quotes} quotes {fate}).")
    if as_json:
        _print_json({"deleted": deleted, "not_found": missing})
    return EXIT_ERROR if missing else EXIT_OK


def run_search(repo: Repository, query: str, limit: int, as_json: bool) -> int:
    """Run ``reader search``: the best matches among articles and quotes."""
    if limit < 1:
        raise CommandError("--limit must be at least 1")
    hits = repo.search(query, limit)
    if as_json:
        _print_json(
            [
                {
                    "id": h.article_id,
                    "kind": h.kind,
                    "quote_id": h.quote_id,
                    "title": h.title,
                    "source": h.source,
                    "score": round(h.score, 4),
                    "snippet": h.snippet,
                    "highlights": [list(r) for r in h.highlights],
                    "offset": h.offset,
                    "end": h.end,
                }
                for h in hits
            ]
        )
        return EXIT_OK
    if not hits:
        print("No matches.", file=sys.stderr)
        return EXIT_OK
    marks = ("\x1b[1m", "\x1b[22m") if sys.stdout.isatty() else ("«", "»")
    for n, h in enumerate(hits):
        source = f" · {safe(h.source)}" if h.source else ""
        what = f"quote {h.quote_id} · " if h.kind == "quote" else ""
        print(
            ("\n" if n else "") + f"[{h.article_id}] {what}{safe(h.title)}{source}  ({h.score:.2f})"
        )
        parts, at = [], 0
        for start, end in h.highlights:
            parts += [safe(h.snippet[at:start]), marks[0], safe(h.snippet[start:end]), marks[1]]
            at = end
        print("    " + "".join([*parts, safe(h.snippet[at:])]))
    return EXIT_OK


def run_doctor(args: argparse.Namespace) -> int:
    """Run ``reader doctor [--repair]`` on the library folder, which it does not open."""
    from reader.library import doctor

    folder, _ = locations.library_dir(getattr(args, "library", None))
    if args.repair:
        # A refusal (a newer reader's library, an unreadable file) is a LibraryError: main()
        # prints it as the one line, and nothing was changed.
        for line in doctor.repair(folder):
            print(f"repaired: {safe(line)}")
    report = doctor.check(folder)
    for problem in report.problems:
        print(f"problem: {safe(problem)}")
    for note in report.notes:
        print(f"note: {safe(note)}")
    if report.sound:
        print(f"{folder}: the library is sound")
        return EXIT_OK
    if report.advice:
        print(f"reader: {safe(report.advice)}", file=sys.stderr)
    elif not args.repair:
        print("reader: run 'reader doctor --repair' to mend what can be mended", file=sys.stderr)
    return EXIT_ERROR
