"""Many fetches at once, politely: a bounded number in flight, and only a few per host.

Used by bulk work that fetches many pages (feed updates, Pocket and Instapaper imports).
Each piece of work runs in a thread of its own (``reader.fetch.fetch`` is synchronous and
bounds its own time); results come back in the order they finish, so a caller can store
and report each one as it arrives and keep everything done so far when stopped.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Generic, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")
R = TypeVar("R")

#: Requests in flight at once, in all.
WORKERS = 8
#: Requests in flight at once to any one host.
PER_HOST = 2


def host_of(url: str) -> str:
    """The host part of a URL, lower case ("" when there is none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


class Outcome(Generic[T, R]):
    """One item's result, or the exception its work raised."""

    __slots__ = ("error", "item", "value")

    def __init__(self, item: T, value: R | None, error: BaseException | None) -> None:
        self.item = item
        self.value = value
        self.error = error


def run_each(
    items: Iterable[T],
    work: Callable[[T], R],
    host: Callable[[T], str],
    *,
    workers: int = WORKERS,
    per_host: int = PER_HOST,
    stop: threading.Event | None = None,
) -> Iterator[Outcome[T, R]]:
    """Run ``work`` on every item, at most ``workers`` at once and ``per_host`` per host.

    Yields each outcome as it finishes. Setting ``stop`` (or closing the iterator, as a
    KeyboardInterrupt in the caller does) starts nothing more; work already running is
    left to finish within its own time bound, in the background.
    """
    waiting: dict[str, deque[T]] = {}
    for item in items:
        waiting.setdefault(host(item), deque()).append(item)
    busy: dict[str, int] = {}
    running: dict[Future[R], tuple[T, str]] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="reader-fetch")

    def start_more() -> None:
        # Round robin over the hosts with room, so one big host does not starve the rest.
        while len(running) < workers and not (stop and stop.is_set()):
            started = False
            for name in list(waiting):
                if len(running) >= workers:
                    break
                if busy.get(name, 0) >= per_host:
                    continue
                queue = waiting[name]
                item = queue.popleft()
                if not queue:
                    del waiting[name]
                busy[name] = busy.get(name, 0) + 1
                running[pool.submit(work, item)] = (item, name)
                started = True
            if not started:
                return

    try:
        start_more()
        while running:
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in done:
                item, name = running.pop(future)
                busy[name] -= 1
                error = future.exception()
                value = None if error is not None else future.result()
                yield Outcome(item, value, error)
            start_more()
            if stop is not None and stop.is_set():
                return
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
