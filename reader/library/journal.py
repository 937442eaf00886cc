"""The journal side of the disk storage: replaying library.journal into the cached data, and
appending changes to it (the file format is described in ``reader.library.storage``).

A mixin of ``DiskStorage``, whose state it shares: the journal's reading and appending are
one cohesive part of it; the snapshot's reading and the whole-file writes (a new journal file
among them) stay in storage.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from reader.library.changes import Change, Tables, apply_changes, change_of, journal_header
from reader.library.errors import LibraryCorrupt, LibraryError
from reader.library.lazy import LazyTables

#: What tells a file apart from its next version: device, inode, size and mtime.
FileSignature = tuple[int, int, int, int]


def file_signature(st: os.stat_result) -> FileSignature:
    """The signature of a file from its stat."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class ForeignJournal(Exception):
    """The journal belongs to another snapshot than the one read."""


class JournalFile:
    """library.journal as ``DiskStorage`` reads and appends it (see the module docstring)."""

    path: Path
    journal_path: Path
    loads: int
    _data: Tables | None
    _lazy: LazyTables | None
    _generation: int
    _snapshot_sig: FileSignature | None
    _journal_sig: FileSignature | None
    _journal_end: int  # bytes of the journal applied so far (always at a line end)
    _stale_journal_sig: FileSignature | None
    _stale_generation: int | None

    if TYPE_CHECKING:
        # DiskStorage's (storage.py).
        def _refresh(self, retry: bool = False, full: bool = True) -> None: ...
        def _snapshot_moved(self) -> bool: ...
        def _start_journal(self, lines: bytes) -> None: ...

    def _replay_journal(self, retry: bool = False, full: bool = True) -> None:
        assert self._data is not None or self._lazy is not None
        try:
            fh = open(self.journal_path, "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            self._journal_sig, self._journal_end = None, 0
            return
        with fh:
            st = os.fstat(fh.fileno())
            sig = file_signature(st)
            if sig in (self._journal_sig, self._stale_journal_sig):
                return
            if self._journal_end and (
                self._journal_sig is None
                or sig[:2] != self._journal_sig[:2]
                or st.st_size < self._journal_end
            ):
                # The journal was replaced under an unchanged snapshot: start over cleanly.
                self._snapshot_sig = None
                self._refresh(retry, full)
                return
            fh.seek(self._journal_end)
            chunk = fh.read()
        try:
            changes, consumed = self._parse_journal(chunk)
        except ForeignJournal as exc:
            if self._snapshot_moved() and not retry:
                # Read without a lock (read-only media) while a compaction replaced the
                # snapshot between our two reads: read both again.
                self._snapshot_sig = None
                self._refresh(retry=True, full=full)
                return
            raise LibraryCorrupt(str(exc)) from None
        if consumed < 0:
            # A journal of an older generation, left by a compaction that crashed after
            # replacing the snapshot: its changes are already in the snapshot.
            self._stale_journal_sig, self._journal_sig, self._journal_end = sig, None, 0
            return
        if changes:
            if self._lazy is not None:
                self._lazy.apply(changes)
            else:
                assert self._data is not None
                self._data = apply_changes(self._data, changes)
            self.loads += 1
        self._journal_end += consumed
        self._journal_sig = sig

    def _parse_journal(self, chunk: bytes) -> tuple[list[Change], int]:
        """Parse the whole lines of ``chunk``, read from ``self._journal_end``.

        Returns the changes and the bytes consumed, or -1 bytes for a stale journal. A torn
        last line (an append cut short, never acknowledged) is not consumed. A journal of a
        newer or unknown generation raises ForeignJournal.
        """
        changes: list[Change] = []
        consumed = 0
        lines = chunk.split(b"\n")[:-1]  # what follows the last newline is torn or empty
        for index, line in enumerate(lines):
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError:
                if index == len(lines) - 1:
                    break  # cut mid-way through its last line; never acknowledged
                raise LibraryCorrupt(
                    f"{self.journal_path} is damaged at byte {self._journal_end + consumed}; "
                    "nothing was changed; run 'reader doctor --repair'"
                ) from None
            at = self._journal_end + consumed
            consumed += len(line) + 1
            if self._journal_end == 0 and index == 0:
                generation = journal_header(entry)
                if generation is not None and generation < self._generation:
                    self._stale_generation = generation
                    return [], -1
                if generation != self._generation:
                    raise ForeignJournal(self._foreign_message(generation))
                continue
            change = change_of(entry)
            if change is None:
                raise LibraryCorrupt(
                    f"{self.journal_path} holds an entry that is not a change at byte {at}; "
                    "nothing was changed; run 'reader doctor --repair'"
                )
            changes.append(change)
        return changes, consumed

    def _foreign_message(self, generation: int | None) -> str:
        which = "no generation" if generation is None else f"generation {generation}"
        return (
            f"{self.journal_path} belongs to another library.json ({which}; {self.path.name} "
            f"is generation {self._generation}: restored from a backup, or a sync conflict?); "
            "nothing was changed -- run 'reader doctor'"
        )

    # -- writing -------------------------------------------------------------------------

    def _append(self, lines: bytes) -> None:
        if self._journal_end == 0:  # no journal for this generation yet: start one
            self._start_journal(lines)
            return
        fd = os.open(self.journal_path, os.O_WRONLY)
        try:
            # Drop a torn tail left by a writer that died mid-append; it was never acknowledged.
            os.ftruncate(fd, self._journal_end)
            os.lseek(fd, self._journal_end, os.SEEK_SET)
            try:
                view = memoryview(lines)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            except OSError as exc:
                self._undo_append(fd, exc)
                raise
            sig = file_signature(os.fstat(fd))
        finally:
            os.close(fd)
        self._journal_end += len(lines)
        self._journal_sig = sig

    def _undo_append(self, fd: int, error: OSError) -> None:
        """Take back an append that failed (a full disk, an I/O error) and was not acknowledged.

        Half a batch must never be read back: its first lines could be whole changes without
        the id counters that come last. If even that fails, say the change may be there.
        """
        try:
            os.ftruncate(fd, self._journal_end)
            os.fsync(fd)
        except OSError:
            raise LibraryError(
                f"writing to {self.journal_path} failed ({error.strerror}); the change may "
                "have been saved in part -- run 'reader doctor'"
            ) from None
