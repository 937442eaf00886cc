"""``reader export``: its arguments and what it does (called from reader.cli)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.library import Repository

EXPORT_HELP = """\
  reader export quotes [--format md|csv|json] [-o FILE] [--article ID] [--tag NAME]
  reader export quotes --format anki -o FILE.apkg
  reader export article ID [--format md|txt] [-o FILE]
  reader export library -o DIR      (restore it with: reader import DIR)

md: Markdown; csv: Readwise's import columns; json: W3C Web Annotations; anki: an Anki
deck, one note per quote (exporting again updates the same notes in Anki).
Without -o the export goes to standard output.
"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``export`` and its actions to the command parsers."""
    p = sub.add_parser(
        "export",
        parents=[common],
        help="export quotes, an article or the whole library",
        description=EXPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    p = actions.add_parser("quotes", parents=[common], help="all quotes, or some")
    p.add_argument("--format", choices=("md", "csv", "json", "anki"), default="md")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    p.add_argument("--article", type=int, metavar="ID", help="only this article's quotes")
    p.add_argument("--tag", help="only quotes with this tag (on the quote or its article)")
    p = actions.add_parser("article", parents=[common], help="one article with its quotes")
    p.add_argument("id", type=int)
    p.add_argument("--format", choices=("md", "txt"), default="md")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    p = actions.add_parser("library", parents=[common], help="every article, quote and state")
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="a new or empty folder")


def run_export(repo: Repository, args: argparse.Namespace) -> int:
    """Run ``reader export …``; errors are raised as one-line LibraryError or OSError."""
    what = args.export_command
    if what == "library":
        from reader.export.library import export_library

        done = export_library(repo, Path(args.output))
        print(
            f"Exported {done.articles} articles and {done.quotes} quotes to {done.folder}.",
            file=sys.stderr,
        )
        return 0
    if what == "quotes" and args.format == "anki":
        return _anki(repo, args)
    if what == "article":
        text = _article(repo, args.id, args.format)
    else:
        text = _quotes(repo, args.article, args.tag, args.format)
    _write(text, args.output)
    return 0


def _article(repo: Repository, article_id: int, fmt: str) -> str:
    article = repo.article(article_id)
    body = repo.body(article)
    if fmt == "txt":
        return body  # as stored: the text every quote offset refers to
    from reader.export.article import article_markdown

    return article_markdown(article, body, repo.quotes(article_id))


def _quotes(repo: Repository, article_id: int | None, tag: str | None, fmt: str) -> str:
    from reader.export.quotes import export_quotes

    if article_id is not None:
        repo.article(article_id)  # an unknown id is an error, not an empty export
    quotes = repo.quotes(article_id)
    if tag:
        quotes = repo.quotes_tagged(quotes, tag)
    articles = {a.id: a for a in repo.articles()}
    return export_quotes(quotes, articles, fmt)


def _anki(repo: Repository, args: argparse.Namespace) -> int:
    from reader.export.anki import write_anki
    from reader.library import LibraryError

    if not args.output or args.output == "-":
        raise LibraryError("an Anki deck is a file: give it with -o FILE.apkg")
    if args.article is not None:
        repo.article(args.article)  # an unknown id is an error, not an empty export
    quotes = repo.quotes(args.article)
    if args.tag:
        quotes = repo.quotes_tagged(quotes, args.tag)
    count = write_anki(quotes, {a.id: a for a in repo.articles()}, Path(args.output))
    print(f"Exported {count} quotes to {args.output} (an Anki deck).", file=sys.stderr)
    return 0


def _write(text: str, output: str | None) -> None:
    """To FILE atomically, or to standard output (made safe for a terminal)."""
    if output is None or output == "-":
        if sys.stdout.isatty():
            from reader.console import safe

            text = safe(text)
        sys.stdout.write(text)
        return
    from reader.library.storage import atomic_write

    atomic_write(Path(output), text.encode("utf-8"))
