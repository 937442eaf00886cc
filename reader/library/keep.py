"""Files written safely: atomic replacement, backups, copies kept aside and never overwritten,
and the temporary files a killed writer leaves behind.

A kept file is named after what it keeps, a label and a number: ``library.json.broken-1``,
``library.json.broken-2``, … It is written to a temporary file first and then hard-linked
to the first free name: ``link`` never replaces an existing file, so a second repair can
never destroy what the first one kept, and a crash never leaves half a kept file.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

TEXTS_FOLDER = "texts"
BACKUP_SUFFIX = ".bak"
#: Temporary files are ``.<name>.<pid>.tmp`` (see ``storage.atomic_write``).
_TEMP = re.compile(r"^\..+\.(\d+)\.tmp$")


def fsync_dir(folder: Path) -> None:
    """Make the folder's entries (a rename, a new file) durable; a no-op where impossible."""
    with contextlib.suppress(OSError):  # some filesystems cannot fsync a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes, sync_folder: bool = True) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file.

    ``sync_folder=False`` leaves the folder's fsync to the caller, which writes many files
    and syncs their folder once (``TextStore.put_many``).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if sync_folder:
        fsync_dir(path.parent)


def keep_backup(path: Path) -> None:
    """Keep the current generation of ``path`` as ``path.bak`` (a hard link: no copy)."""
    tmp = link_aside(path)
    if tmp is not None:
        os.replace(tmp, path.with_name(path.name + BACKUP_SUFFIX))


def link_aside(path: Path) -> Path | None:
    """A temporary second name for the current ``path`` (None if there is none), to become
    its backup once ``path`` itself has been replaced."""
    if not path.exists():
        return None
    tmp = path.with_name(f".{path.name}{BACKUP_SUFFIX}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.link(path, tmp)
    except OSError:  # no hard links here (some network or FAT filesystems): copy instead
        tmp.write_bytes(path.read_bytes())
    return tmp


def kept_copies(base: Path, label: str) -> list[Path]:
    """The numbered copies ``base.label-N`` that exist, in number order."""
    prefix = f"{base.name}.{label}-"
    found: list[tuple[int, Path]] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(base.parent):
            number = entry.name.removeprefix(prefix)
            if entry.name.startswith(prefix) and number.isdigit():
                found.append((int(number), Path(entry.path)))
    return [path for _, path in sorted(found)]


def keep_bytes(base: Path, label: str, data: bytes) -> Path:
    """Keep ``data`` as the first free ``base.label-N``; an identical copy already kept is reused.

    Reusing an identical copy makes a repair that was interrupted and run again keep each
    file once rather than once per attempt.
    """
    existing = kept_copies(base, label)
    for path in existing:
        with contextlib.suppress(OSError):
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return path
    number = len(existing) + 1
    tmp = base.with_name(f".{base.name}.{label}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        while True:
            target = base.with_name(f"{base.name}.{label}-{number}")
            try:
                os.link(tmp, target)  # fails if the name is taken: nothing is ever replaced
                break
            except FileExistsError:
                number += 1
            except OSError:  # no hard links on this filesystem: create exclusively instead
                if _write_exclusive(target, data):
                    break
                number += 1
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    fsync_dir(base.parent)
    return target


def _write_exclusive(target: Path, data: bytes) -> bool:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def keep_copy(path: Path, label: str) -> Path:
    """Keep the current bytes of ``path`` as a numbered copy beside it."""
    return keep_bytes(path, label, path.read_bytes())


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but belongs to someone else
        return True
    return True


def temp_files(folder: Path) -> list[tuple[Path, bool]]:
    """Temporary files in the library folder and its texts, each with whether its writer lives."""
    found: list[tuple[Path, bool]] = []
    for where in (folder, folder / TEXTS_FOLDER):
        with contextlib.suppress(OSError):
            for entry in os.scandir(where):
                match = _TEMP.match(entry.name)
                if match and entry.is_file(follow_symlinks=False):
                    found.append((Path(entry.path), _alive(int(match.group(1)))))
    return sorted(found)


def remove_library_temps(folder: Path) -> None:
    """Remove the temporary files of interrupted library writes.

    Call it only under the exclusive library lock: every writer of these files holds it,
    so none of them is being written right now, whoever made it.
    """
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(".library.") and _TEMP.match(entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Under the exclusive lock: remove library temp files, and others whose writer is gone."""
    removed: list[Path] = []
    for path, alive in temp_files(folder):
        if alive and not path.name.startswith(".library."):
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed
