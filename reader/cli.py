"""Command-line parsing; builds the app or runs one command.

Commands other than the app itself never import Textual: ``reader list`` is a script's tool
and must start fast, so heavy imports live inside the functions that need them, and the
commands themselves in reader.commands and the rooms' command modules, imported when run.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader import locations
from reader.console import safe

if TYPE_CHECKING:
    from pathlib import Path

    from reader.library import Repository

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
        from reader.commands import run_doctor

        return run_doctor(args)
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
        from reader import commands

        if command == "import":
            from reader.importing import run_import

            status = run_import(repo, args.paths, as_json=args.json)
            commands.refresh_start_view(repo)
            return status
        if command == "add":
            from reader.fetch import run_add

            status = run_add(repo, args.urls, as_json=args.json)
            commands.refresh_start_view(repo)
            return status
        if command == "list":
            return commands.run_list(repo, args.json)
        if command == "show":
            return commands.run_show(repo, args.id, args.json)
        if command == "quote":
            status = commands.run_quote_add(repo, args)
            commands.refresh_start_view(repo, only_if_there=True)
            return status
        if command == "quotes":
            return commands.run_quotes(repo, args.id, args.json, args.tag)
        if command == "search":
            return commands.run_search(repo, query_of(args.query), args.limit, args.json)
        if command == "delete":
            status = commands.run_delete(repo, args.ids, args.with_quotes, args.json)
            commands.refresh_start_view(repo)
            return status
        if command == "export":
            from reader.export.command import run_export

            return run_export(repo, args)
        if command == "feed":
            from reader.feeds.command import run_feed

            status = run_feed(repo, args)
            commands.refresh_start_view(repo, only_if_there=args.feed_command in ("list", "export"))
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
