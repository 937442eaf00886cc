"""``reader review`` and ``reader stats``: their arguments and what they do (called from
reader.cli; ``reader review`` without an action or ``--json`` opens the app instead)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from reader.review.clock import Clock, system_clock

if TYPE_CHECKING:
    from reader.library import Repository

REVIEW_HELP = """\
  reader review                       open the app on today's review
  reader review --json [--tag NAME]   print today's set
  reader review grade QUOTE_ID again|hard|good|easy
  reader stats [--json]

Today's set holds at most [review] daily quotes (config file; default 10), the most due
first. A quote graded today leaves it unless it is due again today (again, hard).
"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``review`` (and its ``grade`` action) and ``stats`` to the command parsers."""
    from reader.review.cards import GRADES

    json_flag = argparse.ArgumentParser(add_help=False)
    json_flag.add_argument("--json", action="store_true", help="machine-readable output")
    p = sub.add_parser(
        "review",
        parents=[common, json_flag],
        help="today's review of your quotes (opens the app without --json)",
        description=REVIEW_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--tag", help="only quotes with this tag (on the quote or its article)")
    actions = p.add_subparsers(dest="review_command", metavar="ACTION")
    g = actions.add_parser("grade", parents=[common, json_flag], help="record a review")
    g.add_argument("quote_id", type=int, metavar="QUOTE_ID")
    g.add_argument("grade", choices=GRADES)
    sub.add_parser("stats", parents=[common, json_flag], help="reading and review statistics")


def opens_app(args: argparse.Namespace) -> bool:
    """Whether ``reader review`` was asked for the app (no action, no ``--json``)."""
    return args.command == "review" and not args.review_command and not args.json


def run_review(repo: Repository, args: argparse.Namespace, clock: Clock = system_clock) -> int:
    """Run ``reader review --json``, ``reader review grade …`` or ``reader stats``."""
    from reader.console import json_text

    if args.command == "stats":
        from reader.review.stats import read_stats

        stats = read_stats(repo, clock())
        if args.json:
            sys.stdout.write(json_text(stats.to_json()))
        else:
            _print_stats(stats.to_json(), stats.top_sources)
        return 0
    if args.review_command == "grade":
        from reader.review.cards import grade

        graded = grade(repo, args.quote_id, args.grade, clock())
        if args.json:
            sys.stdout.write(
                json_text(
                    {"id": graded.quote_id, "grade": graded.grade, "due": graded.due.isoformat()}
                )
            )
        else:
            print(f"Quote {graded.quote_id}: {graded.grade}; due again {_when(graded.due)}.")
        return 0
    from reader import locations
    from reader.review.cards import due_json, todays_set
    from reader.review.settings import read_daily

    daily = read_daily(locations.config_file(getattr(args, "config", None)))
    found = todays_set(repo, clock(), daily, args.tag)
    sys.stdout.write(json_text([due_json(item) for item in found.due]))
    return 0


def _when(moment: Any) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def _print_stats(values: dict[str, int], top: list[tuple[str, int]]) -> None:
    from reader.console import safe

    labels = {
        "articles": "Articles",
        "read": "Read",
        "quotes": "Quotes",
        "words_read_today": "Words read today",
        "words_read_7d": "Words read, 7 days",
        "words_read_30d": "Words read, 30 days",
        "streak_days": "Streak (days)",
        "reviews_today": "Reviews today",
        "due_quotes": "Quotes due",
    }
    for key, label in labels.items():
        print(f"{label:<22}{values[key]:>10,}")
    if top:
        print("Most quoted")
        for name, count in top:
            print(f"  {count:>4}  {safe(name)}")
