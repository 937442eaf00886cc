"""Pilot helpers shared by the app-level TUI tests."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from reader.tui.app import ReaderApp


async def settle(app: ReaderApp, pilot: Pilot[None]) -> None:
    """Let the saver write and its callbacks reach the UI."""
    app.saver.flush()
    await pilot.pause()
    await pilot.pause()


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], tries: int = 60) -> None:
    """Pause until ``condition()`` holds (background work on a loaded machine takes a while)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
