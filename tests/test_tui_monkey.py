"""The seeded monkey (issue 9): random keys, bursts, pastes, resizes, screen switches and undo
across every screen, with the invariants checked as it goes (see tests/monkey.py).

MONKEY_STEPS sets the total number of steps, spread over the seeds (default 2,100; the
budget is "finds nothing in 5,000"); MONKEY_SEEDS picks the seeds ("1,2,3"). A failure
prints its seed and every step; replay or shrink it with ``python -m tests.monkey``.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from tests.monkey import MonkeyFailure, describe, monkey

SEEDS = [int(s) for s in os.environ.get("MONKEY_SEEDS", "1,2,3,4,5,6").split(",") if s]
TOTAL_STEPS = int(os.environ.get("MONKEY_STEPS", "2100"))
STEPS = max(1, TOTAL_STEPS // len(SEEDS))


@pytest.mark.parametrize("seed", SEEDS)
async def test_monkey(app_library: Path, tmp_path: Path, seed: int) -> None:
    try:
        await monkey(app_library, tmp_path / "state.json", seed, STEPS)
    except MonkeyFailure as failure:
        steps = getattr(failure, "steps", [])
        message = (
            f"{failure}\n{describe(seed, steps)}\n"
            f"replay the steps: python -m tests.monkey --replay {shlex.join(steps)}\n"
            f"shrink them: python -m tests.monkey --shrink {seed} {STEPS}"
        )
    else:
        return
    pytest.fail(message, pytrace=False)  # outside the except: no "during handling" noise


def found(name: str, reason: str, *steps: str, ignore: str = "") -> object:
    """A reproduction the monkey found (issue 9), shrunk: each must keep passing."""
    return pytest.param(list(steps), ignore, id=name)


#: What the monkey found on main (shrunk by tests.monkey --shrink, then by hand). Each must
#: pass once its bug is fixed; `ignore` leaves out an invariant that an earlier bug trips first.
REPRODUCTIONS = [
    found("freeze", "a burst in the list filter freezes the app", "key:slash", "burst:Y9MubLü9a"),
    found("focus-Q", "Q opens with focus on the list, not the filter", "key:Q"),
    found(
        "crash-undo",
        "Q, d, escape, ctrl+z: NoMatches LibraryQuotes (undo keeps a dismissed screen)",
        *("key:Q", "focus:#all-quotes", "key:d", "settle", "key:escape", "key:ctrl+z"),
        ignore="focus",
    ),
    found(
        "crash-delete",
        "d then escape at once on Q: the deletion's refresh runs on the dismissed screen "
        "(NoMatches LibraryQuotes)",
        *("key:j", "key:Q", "focus:#quotes-filter", "burst:tide", "key:enter", "key:d,escape"),
        ignore="focus",
    ),
    found(
        "stale-side",
        "a quote deleted on Q: back on the main screen, metadata and quotes pane of the "
        "article under the cursor still count and list it",
        "key:j",
        *("key:Q", "focus:#quotes-filter", "burst:tide", "key:enter", "key:d", "settle"),
        "key:escape",
        ignore="focus",
    ),
    found(
        "stale-q",
        "d on a quote then Q at once: Q reads the quotes before the deletion is saved and "
        "nothing refreshes it after (a race: fails about half the time on main)",
        *("key:j", "focus:#quotes", "burst:dQ"),
        ignore="focus",
    ),
    found(
        "side-found",
        "open, escape, move: 'In this article' still lists the open article's quotations",
        *("key:G", "key:enter", "key:escape", "key:k"),
    ),
    found(
        "side-dialog",
        "open, escape, move, back from a dialog: the quotes pane lists the open article's "
        "quotes under the cursor article's metadata",
        *("key:j", "key:enter", "key:escape", "key:j", "key:question_mark", "key:escape"),
    ),
]


@pytest.mark.parametrize(("steps", "ignore"), REPRODUCTIONS)
async def test_reproduction(
    app_library: Path,
    tmp_path: Path,
    steps: list[str],
    ignore: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tests.monkey

    monkeypatch.setattr(tests.monkey, "IGNORED", set(filter(None, ignore.split(","))))
    try:
        await monkey(app_library, tmp_path / "state.json", 0, 0, 10**9, replay=steps)
    except MonkeyFailure as failure:
        pytest.fail(f"{failure}\nsteps: {steps!r}", pytrace=False)
