"""Library writes, one after another, on a thread of their own: never on the UI thread."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Hashable
from typing import Any

Job = Callable[[], Any]
Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


class Saver:
    """A single writer thread; jobs run in order, a newer job with the same key replaces a
    pending one (reading positions: only the latest matters)."""

    def __init__(self, deliver: Callable[[Callable[[], None]], None], failed: Failed) -> None:
        #: Runs a callback on the UI thread (``App.call_from_thread``).
        self._deliver = deliver
        self._failed = failed
        self._queue: queue.Queue[Hashable | None] = queue.Queue()
        self._pending: dict[Hashable, tuple[Job, Done | None]] = {}
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._counter = 0
        self._thread = threading.Thread(target=self._run, name="reader-saver", daemon=True)
        self._thread.start()

    def submit(self, job: Job, done: Done | None = None, key: Hashable | None = None) -> None:
        """Queue ``job``; ``done(result)`` is then called on the UI thread."""
        with self._lock:
            if key is None:
                self._counter += 1
                key = ("job", self._counter)
            fresh = key not in self._pending
            self._pending[key] = (job, done)
            self._idle.clear()
        if fresh:
            self._queue.put(key)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued job has run; True if they all did in time."""
        return self._idle.wait(timeout)

    def close(self, timeout: float = 10.0) -> bool:
        """Run what is queued, then stop the thread."""
        self._queue.put(None)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while True:
            key = self._queue.get()
            if key is None:
                return
            with self._lock:
                job, done = self._pending.pop(key)
            try:
                result = job()
            except Exception as exc:  # reported to the person, never lost silently
                self._deliver(lambda exc=exc: self._failed(exc))  # type: ignore[misc]
            else:
                if done is not None:
                    self._deliver(lambda result=result, done=done: done(result))  # type: ignore[misc]
            with self._lock:
                if not self._pending:
                    self._idle.set()
