"""Crash-safe TinyDB storage: an atomically replaced snapshot plus an append-only journal.

TinyDB's own ``JSONStorage`` truncates and rewrites its file in place, so a crash can leave
half a file, and two processes overwrite each other's changes. Here:

* ``library.json`` is the snapshot, in TinyDB's format (``{table: {id: document}}``). It is
  only ever replaced whole: temp file in the same folder, fsync, ``os.replace``, fsync of the
  folder. The generation it replaces is kept as ``library.json.bak``.
* ``library.journal`` holds document-level changes made since that snapshot, one JSON line
  each, fsynced before a change is acknowledged. A change costs one small append instead of
  a rewrite of every article's metadata (10 ms at 10,000 articles, measured in ``bench/``).
  The journal's first line names the snapshot generation it belongs to. A journal of an
  older generation is a leftover of a compaction that crashed half-way (its changes are in
  the snapshot) and is ignored; one of a newer or unknown generation belongs to some other
  snapshot (a library.json restored from a backup, a sync conflict): the library is refused
  and that journal is never truncated, so ``reader doctor --repair`` can replay it.
* A folder with a journal, backups or texts but no ``library.json`` is a damaged library,
  not a new one: it is refused too, so that nothing starts afresh on top of it.
* Every write is a read-modify-write of the freshest files under an exclusive inter-process
  lock; reads take the lock shared, so they never see a half-made compaction.

When the journal grows past half the snapshot's size it is folded into a new snapshot; the
amortised cost of a change therefore stays proportional to the change, not to the library.
Past 1 MiB it is folded too, since every process replays it (see MAX_JOURNAL_BYTES).

Each snapshot is written with ``library.layout`` (see ``reader.library.layout``): where each
table and article lies in it. Reads that allow it (``partial``, ``document``,
``newest_articles``, ``transaction(only=...)``) then parse only those parts; ``read()`` and
everything else parse the whole file, as before. A missing or wrong layout only means that.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson

# The changes module holds the data model of the files; its names are this module's too.
from reader.library.changes import GENERATION_KEY as GENERATION_KEY
from reader.library.changes import Change as Change
from reader.library.changes import Document as Document
from reader.library.changes import Tables as Tables
from reader.library.changes import apply_changes as apply_changes
from reader.library.changes import change_of as change_of
from reader.library.changes import journal_header as journal_header
from reader.library.changes import parse_snapshot as parse_snapshot
from reader.library.changes import snapshot_generation as snapshot_generation

# The contract and its memory version live in contract.py; these are their names here too.
from reader.library.contract import LibraryStorage as LibraryStorage
from reader.library.contract import MemoryStorage as MemoryStorage
from reader.library.errors import LibraryCorrupt, LibraryError, LibraryReadOnly
from reader.library.journal import JournalFile
from reader.library.journal import file_signature as _signature
from reader.library.keep import BACKUP_SUFFIX as BACKUP_SUFFIX
from reader.library.keep import TEXTS_FOLDER, keep_copy, remove_library_temps
from reader.library.keep import atomic_write as atomic_write
from reader.library.keep import fsync_dir as _fsync_dir
from reader.library.keep import keep_backup as _keep_backup
from reader.library.keep import link_aside as _link_aside
from reader.library.layout import (
    BY_PARTS,
    BadLayout,
    LazySnapshot,
    dump_snapshot,
    read_layout,
    remove_layout,
    write_layout,
)
from reader.library.lazy import LazyTables, PartReads
from reader.library.lock import FileLock

LIBRARY_FILE = "library.json"
JOURNAL_FILE = "library.journal"
LOCK_FILE = ".library.lock"
#: Below this size the journal is never folded: small libraries would compact too often.
MIN_JOURNAL_BYTES = 64 * 1024
#: Above this size the journal is folded whatever the snapshot's size: every process replays
#: it (20,000 lines, 7 MB, cost 90-130 ms, more than reading a 50,000-article library in
#: parts), while folding 12 MB costs ~0.3 s once per ~1 MiB of changes.
MAX_JOURNAL_BYTES = 1024 * 1024


class DiskStorage(PartReads, JournalFile, LibraryStorage):
    """The library on disk; see the module docstring for the file layout and guarantees.

    The reads in parts are ``PartReads``' (lazy.py), the journal's replay and appends are
    ``JournalFile``'s (journal.py); the snapshot's reading and every write stay here, beside
    the settings above that tests replace."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LIBRARY_FILE
        self.journal_path = self.folder / JOURNAL_FILE
        self.lock = FileLock(self.folder / LOCK_FILE)
        self._data: Tables | None = None
        #: Instead of ``_data``: the snapshot read through its layout (see layout.py).
        self._lazy: LazyTables | None = None
        #: The snapshot parsed whole, before the journal, while its layout may be missing:
        #: the next write under the lock records one (see _restore_layout).
        self._parsed: Tables | None = None
        #: The snapshot signature whose layout is known to be there (or was tried).
        self._layout_sig: tuple[int, int, int, int] | None = None
        self._generation = 0
        self._snapshot_sig: tuple[int, int, int, int] | None = None
        self._snapshot_size = 0
        self._journal_sig: tuple[int, int, int, int] | None = None
        self._journal_end = 0  # bytes of the journal applied so far (always at a line end)
        self._stale_journal_sig: tuple[int, int, int, int] | None = None
        self._stale_generation: int | None = None

    # -- reading -------------------------------------------------------------------------

    def read(self) -> Tables | None:
        with self.lock.hold(exclusive=self.lock.held_exclusive):
            self._refresh()
        return self._data

    def changed(self) -> bool:
        try:
            snap: tuple[int, int, int, int] | None = _signature(os.stat(self.path))
        except FileNotFoundError:
            snap = None
        try:
            journal: tuple[int, int, int, int] | None = _signature(os.stat(self.journal_path))
        except FileNotFoundError:
            journal = None
        return snap != self._snapshot_sig or journal not in (
            self._journal_sig,
            self._stale_journal_sig,
        )

    def _snapshot_moved(self) -> bool:
        try:
            return _signature(os.stat(self.path)) != self._snapshot_sig
        except OSError:
            return True

    def _refresh(self, retry: bool = False, full: bool = True) -> None:
        """Bring the data up to date with the files; ``full=False`` allows reading lazily."""
        try:
            fh = open(self.path, "rb")  # noqa: SIM115 - closed below; absence is a normal state
        except FileNotFoundError:
            self._data, self._snapshot_sig, self._journal_sig = None, None, None
            self._lazy = self._parsed = None
            self._generation = self._journal_end = self._snapshot_size = 0
            signs = self.library_signs()
            if signs:
                raise LibraryCorrupt(
                    f"{self.path} is missing, but {self.folder} holds a library "
                    f"({', '.join(signs)}); nothing was changed -- "
                    "'reader doctor --repair' rebuilds it"
                ) from None
            return
        with fh:
            st = os.fstat(fh.fileno())
            if _signature(st) != self._snapshot_sig:
                lazy = None if full else self._lazy_of(fh.fileno(), _signature(st))
                if lazy is None:
                    fh.seek(0)  # the layout's check may have read it
                    self._data, self._lazy = self._parse_snapshot(fh.read()), None
                    self._parsed = self._data
                else:
                    self._data, self._lazy, self._parsed = None, lazy, None
                    self._generation = lazy.snapshot.layout.generation
                    self._layout_sig = _signature(st)
                self._snapshot_sig, self._snapshot_size = _signature(st), st.st_size
                self.loads += 1
                self._journal_sig, self._journal_end = None, 0
                self._stale_journal_sig = self._stale_generation = None
        self._replay_journal(retry, full)
        if full:
            self._materialize()

    def _lazy_of(self, fd: int, signature: tuple[int, int, int, int]) -> LazyTables | None:
        """The snapshot open as ``fd``, to be read through its layout if it has a valid one."""
        layout = read_layout(self.folder, signature)
        if layout is None:
            return None
        try:
            source = os.dup(fd) if BY_PARTS else _read_all(fd)
        except OSError:
            return None  # out of file descriptors, say: the whole file then
        snapshot = LazySnapshot(source, signature[2], layout)
        lazy = LazyTables(snapshot)
        try:
            meta = lazy.table("meta")
        except (BadLayout, OSError):
            meta = None
        if meta is None or snapshot_generation({"meta": meta}) != layout.generation:
            snapshot.close()
            return None
        return lazy

    def library_signs(self) -> list[str]:
        """What in the folder shows that a library lives there, besides library.json."""
        names = (JOURNAL_FILE, LIBRARY_FILE + BACKUP_SUFFIX, JOURNAL_FILE + BACKUP_SUFFIX)
        signs = [name for name in names if (self.folder / name).exists()]
        with contextlib.suppress(OSError):
            if any((self.folder / TEXTS_FOLDER).glob("*.txt")):
                signs.append(f"{TEXTS_FOLDER}/")
        return signs

    def _parse_snapshot(self, raw: bytes) -> Tables:
        data = parse_snapshot(raw, self.path)
        self._generation = snapshot_generation(data)
        return data

    @contextmanager
    def transaction(self, only: Iterable[str] | None = None) -> Iterator[Tables | None]:
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(self.lock.hold(exclusive=True))
            except LibraryReadOnly:
                # Read-only media: reading still works; a write inside says why it cannot.
                stack.enter_context(self.lock.hold(exclusive=False))
            if only is None:
                self._refresh()
                yield self._data
            else:
                self._refresh(full=False)
                yield self._partial(only)

    def write(self, data: Tables) -> None:
        """Replace the whole library with ``data`` as a new snapshot generation.

        Call it inside ``transaction()`` with data derived from what that yielded, or another
        process's changes made in between are overwritten.
        """
        with self.lock.hold(exclusive=True), self._forget_on_error():
            self._refresh()
            remove_library_temps(self.folder)  # of earlier writes that were killed
            generation = self._generation + 1
            meta = data.get("meta", {}).get("1", {})
            data = {
                **data,
                "meta": {**data.get("meta", {}), "1": {**meta, GENERATION_KEY: generation}},
            }
            raw, layout = dump_snapshot(data, generation)
            header = orjson.dumps({"generation": generation}) + b"\n"
            tmp_journal = self.journal_path.with_name(f".{JOURNAL_FILE}.{os.getpid()}.tmp")
            with open(tmp_journal, "wb") as fh:
                fh.write(header)
                fh.flush()
                os.fsync(fh.fileno())
            # The old snapshot becomes library.json.bak only after library.json is the new
            # file: the two names never share one file, which damage to library.json made
            # in place (a truncation) would then reach through both.
            backup = None
            try:
                backup = _link_aside(self.path)
                atomic_write(self.path, raw)
            except BaseException:
                with contextlib.suppress(OSError):
                    tmp_journal.unlink()
                with contextlib.suppress(OSError):
                    if backup is not None and self._snapshot_moved():
                        # Failed after the new snapshot was in place: finish the rotation.
                        os.replace(backup, self.path.with_name(LIBRARY_FILE + BACKUP_SUFFIX))
                    elif backup is not None:
                        backup.unlink()
                raise
            # From here the new snapshot is durable; the old journal is stale whatever happens.
            if backup is not None:
                os.replace(backup, self.path.with_name(LIBRARY_FILE + BACKUP_SUFFIX))
            if self._journal_end:
                _keep_backup(self.journal_path)
            elif backup is not None:  # nothing was journaled in this generation: it is empty
                old_header = orjson.dumps({"generation": self._generation}) + b"\n"
                atomic_write(self.journal_path.with_name(JOURNAL_FILE + BACKUP_SUFFIX), old_header)
            os.replace(tmp_journal, self.journal_path)
            _fsync_dir(self.folder)
            self._data, self._lazy, self._parsed = data, None, None
            self._generation = generation
            self._snapshot_sig = self._layout_sig = _signature(os.stat(self.path))
            if layout is None:
                remove_layout(self.folder)
            else:
                write_layout(self.folder, layout, self._snapshot_sig)
            self._snapshot_size = len(raw)
            self._journal_sig = _signature(os.stat(self.journal_path))
            self._journal_end = len(header)

    def apply(self, changes: list[Change]) -> None:
        with self.lock.hold(exclusive=True), self._forget_on_error():
            self._refresh(full=False)
            if self._data is None and self._lazy is None:
                self.write(apply_changes({}, changes))
                return
            lines = b"".join(orjson.dumps([c.table, c.doc_id, c.document]) + b"\n" for c in changes)
            self._append(lines)
            if self._layout_sig != self._snapshot_sig:
                self._restore_layout()
            if self._lazy is not None:
                self._lazy.apply(changes)
            else:
                assert self._data is not None
                self._data = apply_changes(self._data, changes)
            fold_at = min(self._snapshot_size // 2, MAX_JOURNAL_BYTES)
            if self._journal_end > max(MIN_JOURNAL_BYTES, fold_at):
                # Fold the journal only once the changes are in it: library.json.bak plus
                # library.journal.bak then always add up to the new library.json, so that
                # 'reader doctor --repair' can rebuild a damaged one exactly.
                with contextlib.suppress(OSError, LibraryCorrupt):  # the changes are durable
                    self._materialize()  # LibraryCorrupt: the next full read says why
                    assert self._data is not None
                    self.write(self._data)

    def _restore_layout(self) -> None:
        """Record the layout of a snapshot that has none (written by an older reader, or by
        ``doctor --repair``), once: every later process then reads it in parts."""
        self._layout_sig = self._snapshot_sig
        parsed, self._parsed = self._parsed, None
        if parsed is None or self._snapshot_sig is None:
            return
        if read_layout(self.folder, self._snapshot_sig) is not None:
            return  # another process recorded it
        with contextlib.suppress(OSError, LibraryError):
            raw, layout = dump_snapshot(parsed, self._generation)
            # Only a file byte for byte as this reader writes it has offsets known here.
            if layout is not None and len(raw) == self._snapshot_size and raw == self._raw():
                write_layout(self.folder, layout, self._snapshot_sig)

    @contextmanager
    def _forget_on_error(self) -> Iterator[None]:
        """If a write fails (say, a full disk), drop the cache: it may hold unwritten changes."""
        try:
            yield
        except BaseException:
            self._snapshot_sig = None
            self._lazy = self._parsed = None
            raise

    def _start_journal(self, lines: bytes) -> None:
        """A new journal file for this generation; whatever journal was there is kept first."""
        data = orjson.dumps({"generation": self._generation}) + b"\n" + lines
        with contextlib.suppress(FileNotFoundError):
            if os.stat(self.journal_path).st_size:
                if self._stale_generation == self._generation - 1:
                    # Left by a compaction that crashed before it rotated the files: its
                    # changes are all in library.json, which becomes the backup generation
                    # (a copy: damage done to library.json in place must not reach it).
                    atomic_write(self.path.with_name(LIBRARY_FILE + BACKUP_SUFFIX), self._raw())
                    empty = orjson.dumps({"generation": self._generation}) + b"\n"
                    atomic_write(self.journal_path.with_name(JOURNAL_FILE + BACKUP_SUFFIX), empty)
                else:
                    keep_copy(self.journal_path, "old")
        atomic_write(self.journal_path, data)
        self._journal_end = len(data)
        self._journal_sig = _signature(os.stat(self.journal_path))

    def _raw(self) -> bytes:
        """The bytes of the snapshot as read, checked to be that very file."""
        with open(self.path, "rb") as fh:
            if _signature(os.fstat(fh.fileno())) != self._snapshot_sig:
                raise LibraryCorrupt(f"{self.path} changed under the lock; nothing was changed")
            return fh.read()


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 24):
        chunks.append(chunk)
    return b"".join(chunks)
