"""Command-line parsing; builds the app or runs one command.

Commands other than the app itself never import Textual: ``reader list`` is a script's tool
and must start fast, so heavy imports live inside the functions that need them.
"""

from __future__ import annotations

import argparse
import os
import sys
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reader import locations
from reader.console import safe

if TYPE_CHECKING:
    from pathlib import Path

    from reader.library import Article, Quote, Repository

EXIT_OK, EXIT_ERROR = 0, 1


SEARCH_HELP = """\
Search the titles and text of every article and the text and notes of every quote.
Case, accents and Turkish letters are ignored: cavusoglu finds Çavuşoğlu.

  word word     every word must match      "a phrase"   the words in this order
  -word         leave out what has it      word*        words starting with "word"
  tag:name      only what is tagged name   -tag:name    leave out what is tagged name
  feed:name     only articles of the feed  -feed:name   leave out the feed's articles

Write the query as it is: every word after "search" that is not one of its options belongs
to it (reader search idlib -russia). An argument the shell unquoted is a phrase again:
-"a phrase" leaves out the phrase.

Each result: [article id] Title · Source (score), then the text around the best match,
with the matches in bold on a terminal and between « » otherwise. The index is kept in
search.sqlite3 in the library folder: derived data, rebuilt when missing.
"""


class CommandError(Exception):
    """A command cannot do what was asked; str() is the one line shown to the person."""


def _common_options(exit_on_error: bool = True) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False, exit_on_error=exit_on_error)
    # SUPPRESS lets the options come before or after the command without one erasing the other.
    common.add_argument(
        "--library",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"library folder (default: ${locations.LIBRARY_ENV} or the per-user data folder)",
    )
    common.add_argument(
        "--config", metavar="PATH", default=argparse.SUPPRESS, help="config file (TOML)"
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show a traceback on errors",
    )
    return common


def _app_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments if they only open the app (the common case), else None.

    Kept apart so that opening the app does not build every command's parser (10 ms).
    """
    try:
        args, rest = _common_options(exit_on_error=False).parse_known_args(argv)
    except argparse.ArgumentError:
        return None  # the full parser says what is wrong
    if rest:
        return None
    args.command = None
    return args


#: Options of ``reader search`` (its own and the common ones) and whether each takes a value.
_SEARCH_OPTIONS = {
    "--limit": True,
    "--library": True,
    "--config": True,
    "--json": False,
    "--debug": False,
    "-h": False,
    "--help": False,
}


def _search_argv(argv: list[str]) -> list[str]:
    """``argv`` with a search query's words after ``--``, so that ``-word`` is not an option.

    Every token after ``search`` that is not one of its options is part of the query.
    """
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        i += 2 if argv[i] in ("--library", "--config") else 1
    if i >= len(argv) or argv[i] != "search":
        return argv
    options: list[str] = []
    words: list[str] = []
    rest = argv[i + 1 :]
    j = 0
    while j < len(rest):
        token = rest[j]
        takes_value = _SEARCH_OPTIONS.get(token.split("=", 1)[0])
        if token == "--":
            words += rest[j + 1 :]
            break
        if takes_value is None:
            words.append(token)
        elif takes_value and "=" not in token:
            options += rest[j : j + 2]
            j += 1
        else:
            options.append(token)
        j += 1
    return [*argv[: i + 1], *options, *(["--", *words] if words else [])]


def query_of(words: Sequence[str]) -> str:
    """The query that the shell words of ``reader search`` stand for.

    The shell has removed the quotes around an argument with spaces: ``-"a phrase"`` arrives
    as ``-a phrase``. Such an argument is a phrase again, unless it is written in the query
    language itself (it holds quote marks, or a word in it starts with ``-`` or ``tag:`` or
    ends with ``*``): ``'idlib -russia'`` stays two words.
    """
    parts = []
    for word in words:
        negated = word.startswith("-")
        inner = word[1:] if negated else word
        inner_words = inner.split()
        plain = not any(
            w.startswith("-") or w.casefold().startswith("tag:") or w.endswith("*")
            for w in inner_words
        )
        if len(inner_words) > 1 and '"' not in word and plain:
            word = ("-" if negated else "") + f'"{inner}"'
        parts.append(word)
    return " ".join(parts)


def _parser() -> argparse.ArgumentParser:
    common = _common_options()
    json_flag = argparse.ArgumentParser(add_help=False)
    json_flag.add_argument("--json", action="store_true", help="machine-readable output")

    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read saved articles in the terminal and keep the passages that matter.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser(
        "import",
        parents=[common, json_flag],
        help="import article files and folders, and Pocket, Omnivore, Instapaper, wallabag "
        "and Readwise exports",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p = sub.add_parser("add", parents=[common, json_flag], help="fetch web pages and add them")
    p.add_argument("urls", nargs="+", metavar="URL", help="http or https address of a page")
    sub.add_parser("list", parents=[common, json_flag], help="list articles, newest first")
    p = sub.add_parser("show", parents=[common, json_flag], help="show one article")
    p.add_argument("id", type=int)
    p = sub.add_parser("quote", parents=[common], help="work with quotes")
    quote_sub = p.add_subparsers(dest="quote_command", metavar="ACTION", required=True)
    p = quote_sub.add_parser(
        "add", parents=[common, json_flag], help="keep a passage of an article as a quote"
    )
    p.add_argument("id", type=int, help="the article's id")
    p.add_argument("passage", help="the exact passage, as it occurs in the article")
    p.add_argument("--note", default="", help="a note to keep with the quote")
    p = sub.add_parser(
        "quotes", parents=[common, json_flag], help="list one article's quotes, or all"
    )
    p.add_argument("id", type=int, nargs="?")
    p.add_argument("--tag", help="only quotes with this tag (on the quote or its article)")
    p = sub.add_parser(
        "search",
        parents=[common, json_flag],
        help="search every article and quote",
        description=SEARCH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("query", nargs="+", metavar="QUERY", help="words, joined into one query")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (20)")
    p = sub.add_parser(
        "delete",
        parents=[common, json_flag],
        help="delete articles (their quotes are kept)",
        description="Delete articles and their texts. Their quotes are kept, with the title "
        "they were saved under, unless --with-quotes is given; importing the article again "
        "re-attaches them.",
    )
    p.add_argument("ids", nargs="+", type=int, metavar="ID", help="the articles' ids")
    p.add_argument("--with-quotes", action="store_true", help="delete their quotes too")
    from reader.export.command import add_parser as add_export_parser

    add_export_parser(sub, common)
    from reader.feeds.command import add_parser as add_feed_parser

    add_feed_parser(sub, common)
    from reader.review.command import add_parser as add_review_parser

    add_review_parser(sub, common)
    p = sub.add_parser("doctor", parents=[common], help="check the library; --repair mends it")
    p.add_argument(
        "--repair",
        action="store_true",
        help="rebuild the library from its backups and journals; files found are kept, not lost",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reader`` command; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _app_arguments(argv) or _parser().parse_args(_search_argv(argv))
    debug = getattr(args, "debug", False)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`reader list | head`): not an error worth a word.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        from reader.library import LibraryError

        if debug:
            raise
        if isinstance(exc, CommandError | LibraryError):
            message = str(exc)
        elif isinstance(exc, OSError):
            where = f" ({exc.filename})" if exc.filename else ""
            # Not "intact": a write that failed at its fsync may have been kept. What was
            # acknowledged before is kept, whatever happened to this write.
            message = f"{exc.strerror or exc}{where}; what was saved before it is kept"
        else:
            message = f"unexpected error: {exc!r} (run with --debug for details)"
        print(f"reader: {safe(message)}", file=sys.stderr)
        return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    command = args.command
    if command == "doctor":
        return _doctor(args)
    if command is None:
        return _run_app(args)
    if command in ("review", "stats"):
        from reader.review.command import opens_app, run_review

        if opens_app(args):
            args.start_screen = "review"
            return _run_app(args)
        repo = _open_library(args)
        try:
            return run_review(repo, args)
        finally:
            repo.close()
    repo = _open_library(args)
    try:
        if command == "import":
            from reader.importing import run_import

            status = run_import(repo, args.paths, as_json=args.json)
            _write_start_view(repo)
            return status
        if command == "add":
            from reader.fetch import run_add

            status = run_add(repo, args.urls, as_json=args.json)
            _write_start_view(repo)
            return status
        if command == "list":
            return _list(repo, args.json)
        if command == "show":
            return _show(repo, args.id, args.json)
        if command == "quote":
            status = _quote_add(repo, args)
            _write_start_view(repo, only_if_there=True)
            return status
        if command == "quotes":
            return _quotes(repo, args.id, args.json, args.tag)
        if command == "search":
            return _search(repo, query_of(args.query), args.limit, args.json)
        if command == "delete":
            status = _delete(repo, args.ids, args.with_quotes, args.json)
            _write_start_view(repo)
            return status
        if command == "export":
            from reader.export.command import run_export

            return run_export(repo, args)
        if command == "feed":
            from reader.feeds.command import run_feed

            status = run_feed(repo, args)
            _write_start_view(repo, only_if_there=args.feed_command in ("list", "export"))
            return status
    finally:
        repo.close()
    raise CommandError(f"unknown command {command!r}")


def _run_app(args: argparse.Namespace) -> int:
    """The app; it paints the start view, if there is a fresh one, before reading the library."""
    import gc

    # Start-up makes a few hundred thousand objects that live as long as the app (Textual's
    # modules, the widgets, the library); collecting cycles among them while they are made
    # only delays the first screen (by about 30 ms here). The app turns the collector back
    # on, freezing what start-up made, once its first screen is up and the library read.
    gc.disable()
    from reader.library.head import (
        LibraryOpener,
        read_start_view,
        start_view_of,
        write_start_view,
    )
    from reader.tui.app import run_app

    config_path = locations.config_file(getattr(args, "config", None))
    _report_config_problems(config_path)
    folder, _ = locations.library_dir(getattr(args, "library", None))
    start_view = read_start_view(folder)
    repo = None
    if start_view is None:
        # No fresh start view: the library is read first, so that problems are told before
        # the app starts; the app still paints the newest articles before building them all.
        repo = _open_library(args)
        start_view = start_view_of(repo)
    library = LibraryOpener(folder, repo)
    try:
        status = run_app(
            library,
            config_path=config_path,
            notice=getattr(args, "notice", None),
            start_view=start_view,
            start_screen=getattr(args, "start_screen", None),
            review_tag=getattr(args, "tag", None) if args.command == "review" else None,
        )
        if library.opened is not None:
            write_start_view(library.opened)  # the next start paints from it
        return status
    finally:
        if library.opened is not None:
            library.opened.close()


def _report_config_problems(path: Path) -> None:
    """One line on stderr for each mistake in the config file (the app shows them too).

    They stay readable above the prompt once the app has quit.
    """
    from reader.tui.config import load_config

    for problem in load_config(path).problems:
        print(f"reader: {safe(problem)}", file=sys.stderr)


def _write_start_view(repo: Repository, only_if_there: bool = False) -> None:
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


def _open_library(args: argparse.Namespace) -> Repository:
    from reader.library import Repository
    from reader.library.storage import LIBRARY_FILE

    folder, is_default = locations.library_dir(getattr(args, "library", None))
    first_run = is_default and not (folder / LIBRARY_FILE).exists()
    repo = Repository.open(folder)
    if first_run:
        from reader.importing import import_paths

        summary = import_paths(repo, [locations.sample_articles_dir()])
        notice = f"created a new library in {folder} with {len(summary.imported)} sample articles"
        print(f"reader: {notice}", file=sys.stderr)
        args.notice = notice  # the app shows it too: the terminal's stderr is hidden under it
    return repo


# -- output ----------------------------------------------------------------------------


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


def _list(repo: Repository, as_json: bool) -> int:
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


def _show(repo: Repository, article_id: int, as_json: bool) -> int:
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


def _quote_add(repo: Repository, args: argparse.Namespace) -> int:
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


def _quotes(repo: Repository, article_id: int | None, as_json: bool, tag: str | None) -> int:
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
    for q in quotes:
        if q.article_id != current:
            if current is not None:
                print()
            current = q.article_id
            print(f"# {safe(q.article_title)} (article {q.article_id})")
        text = " ".join(safe(q.text).split())
        # A passage that opens with its own quotation mark is not wrapped in a second one.
        marked = text[:1] in OPENING_MARKS or unicodedata.category(text[:1] or " ") == "Pi"
        print(f"[{q.id}] {text}" if marked else f"[{q.id}] “{text}”")
        if q.note:
            print(f"     note: {safe(q.note)}")
    return EXIT_OK


def _delete(repo: Repository, ids: list[int], with_quotes: bool, as_json: bool) -> int:
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


def _search(repo: Repository, query: str, limit: int, as_json: bool) -> int:
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


def _doctor(args: argparse.Namespace) -> int:
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
