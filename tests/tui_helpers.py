"""Pilot helpers shared by the app-level TUI tests."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from textual.pilot import Pilot

from reader.tui.app import ReaderApp


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
    pilot: Pilot[None], condition: Callable[[], bool], tries: int = 100, what: str = ""
) -> None:
    """Pause until ``condition()`` holds; fail, naming what was awaited, if it never does.

    Generous (about 5 s plus the app's own pauses): background work on a loaded machine
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
