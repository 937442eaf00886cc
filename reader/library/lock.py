"""An inter-process lock on a file beside the library, shared for reads, exclusive for writes."""

from __future__ import annotations

import errno
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.library.errors import LibraryReadOnly

#: Errors that mean "not allowed to create or write this file here", not "something broke".
_READ_ONLY = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int, exclusive: bool) -> None:
        # msvcrt has no shared locks: every lock is exclusive there.
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int, exclusive: bool) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class FileLock:
    """A re-entrant lock on ``path`` between processes and between this process's threads.

    flock locks are released by the kernel when a process dies, so a killed writer never
    leaves the library locked. Where the lock file cannot be created (a library on read-only
    media, a folder without write permission) a shared hold goes ahead without it: nothing
    can write the library there. An exclusive hold then raises LibraryReadOnly.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._depth = 0
        self._exclusive = False
        self._unlocked_reason: str | None = None  # set while a shared hold runs without a lock
        self._threads = threading.RLock()

    @contextmanager
    def hold(self, exclusive: bool = True) -> Iterator[None]:
        """Hold the lock for the block; nested holds in the same thread reuse the outer one."""
        with self._threads, self._hold(exclusive):
            yield

    @contextmanager
    def _hold(self, exclusive: bool) -> Iterator[None]:
        if self._depth:
            if exclusive and not self._exclusive:
                if self._unlocked_reason is not None:
                    raise LibraryReadOnly(self._unlocked_reason)
                raise RuntimeError("cannot upgrade a shared library lock to an exclusive one")
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        fd = self._open(exclusive)
        if fd is None:
            self._depth, self._exclusive = 1, False
            try:
                yield
            finally:
                self._depth, self._unlocked_reason = 0, None
            return
        try:
            _lock(fd, exclusive)
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._depth, self._exclusive = fd, 1, exclusive
        try:
            yield
        finally:
            self._depth = 0
            self._fd = None
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    def _open(self, exclusive: bool) -> int | None:
        """The lock file, opened; None when it cannot exist here and a shared hold was asked."""
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno not in _READ_ONLY:
                raise
            reason = (
                f"the library in {self.path.parent} cannot be changed here ({exc.strerror}); "
                "nothing was changed"
            )
        try:
            # flock needs no write access: an existing lock file (say, one owned by root after
            # a run with sudo, or on read-only media) still serves, in both modes.
            return os.open(self.path, os.O_RDONLY)
        except OSError as exc:
            if exc.errno not in _READ_ONLY and exc.errno != errno.ENOENT:
                raise
        if exclusive:
            raise LibraryReadOnly(reason)
        self._unlocked_reason = reason
        return None

    @property
    def held_exclusive(self) -> bool:
        """Whether this thread holds the lock for writing right now."""
        with self._threads:  # re-entrant: true only if this very thread holds it
            return self._depth > 0 and self._exclusive
