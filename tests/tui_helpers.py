"""Pilot helpers shared by the app-level TUI tests."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

from reader.library import Repository
from reader.tui.app import ReaderApp

T = TypeVar("T")


async def settle(app: ReaderApp, pilot: Pilot[None]) -> None:
    """Let the saver write and its callbacks reach the UI."""
    app.saver.flush()
    await pilot.pause()
    await pilot.pause()


def _describe(condition: Callable[[], bool]) -> str:
    """The condition's source line, so a failure says what was awaited."""
    try:
        return inspect.getsource(condition).strip()
    except (OSError, TypeError):
        return repr(condition)


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], bool], tries: int = 200, what: str = ""
) -> None:
    """Pause until ``condition()`` holds; fail, naming what was awaited, if it never does.

    Generous (about 10 s plus the app's own pauses): background work on a loaded machine
    takes a while, but a condition that never comes true must fail the test, not let it
    go on as if it had.
    """
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    if condition():
        return
    raise AssertionError(f"timed out waiting for: {what or _describe(condition)}")


# -- bursts and bounds -----------------------------------------------------------------------

#: Seconds any one step may take before the app counts as frozen: generous for a loaded CI
#: machine, but a freeze fails the test instead of hanging it.
BOUND = 10.0


def key_event(char: str) -> events.Key:
    """The Key event a terminal driver makes for one typed character."""
    key = char if char.isalnum() else _character_to_key(char)
    return events.Key(key, char)


def named_key_event(key: str) -> events.Key:
    """The Key event for a key name ("j", "ctrl+z", "escape"), made as ``pilot.press`` makes it."""
    import unicodedata

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(
            _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
        )
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def post_burst(app: App[None], text: str) -> None:
    """Queue every key of ``text`` before the app handles any, as a paste, an input method
    or a slow SSH link delivers them (``pilot.press`` waits for the app after each key)."""
    for char in text:
        app.post_message(key_event(char))


def post_paste(app: App[None], text: str) -> None:
    """Queue a bracketed paste, as the terminal driver does."""
    app.post_message(events.Paste(text))


async def calm(pilot: Pilot[None], pauses: int = 4) -> None:
    """Let queued work run; a pause that never ends (a freeze) fails within BOUND."""
    for _ in range(pauses):
        await bounded(pilot.pause(), "the app to handle its queued messages")


async def bounded(step: Awaitable[T], what: str) -> T:
    """Await ``step``, failing (not hanging) if the app does not get there within BOUND."""
    try:
        return await asyncio.wait_for(step, BOUND)
    except TimeoutError:
        raise AssertionError(f"the app froze: no answer within {BOUND:.0f} s to {what}") from None


async def press(pilot: Pilot[None], *keys: str) -> None:
    """``pilot.press``, bounded: a frozen app fails the test."""
    await bounded(pilot.press(*keys), f"the keys {keys}")


# -- a library for whole-app tests -------------------------------------------------------------

#: Made-up articles added to the samples: twenty in all, titles in several scripts.
EXTRA_TITLES = [
    "Gardening notes for a windy balcony",
    "Kadıköy ferries at dawn",  # noqa: RUF001 (Turkish dotless i, on purpose)
    "Çavuşoğlu meets Lavrov again",
    "A short history of the semicolon",
    "Rain, tea and the 7:40 train",
    "夜の図書館で読む本",
    "Why bridges hum in the wind",
    "Repair cafés keep old radios talking",
    "The quiet economics of used bookshops",
    "Notes from a night bus across Anatolia",
    "How to read a tide table",
    "Small rooms, big windows",
]


def build_library(folder: Path) -> Path:
    """The sample articles plus EXTRA_TITLES, with a few quotes (some with notes and tags)."""
    from reader.importing import import_paths
    from reader.locations import sample_articles_dir
    from tests.conftest import parsed

    repo = Repository.open(folder)
    import_paths(repo, [sample_articles_dir()])
    repo.add_articles(
        [
            (
                parsed(
                    title,
                    f"First paragraph of {title}. It says one thing. Then another thing.",
                    f"Second paragraph about {title.split()[-1]}. More words here, and more.",
                ),
                f"extra-{i}.txt",
            )
            for i, title in enumerate(EXTRA_TITLES)
        ]
    )
    for n, article in enumerate(repo.articles()):
        body = repo.body(article)
        # Quotes on most articles: one to three sentences-worth of text each.
        for k in range(n % 4):
            start = min(len(body) - 2, 10 + 37 * k)
            end = min(len(body), start + 25)
            note = f"note {n}.{k}" if k % 2 else ""
            quote, _ = repo.add_quote(article.id, start, end, note)
            if k == 2:
                repo.set_quote_tags(quote.id, ["kept"])
    repo.close()
    return folder
