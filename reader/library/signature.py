"""What tells that any process wrote a library: its files' identity, size and times."""

from __future__ import annotations

import os
from pathlib import Path

#: The files every write changes.
LIBRARY_FILES = ("library.json", "library.journal")

Signature = list[list[int] | None]


def _stat(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    # ctime too: a chmod changes nothing else, and must not let the app start before it
    # finds out that it cannot read the library.
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def library_signature(folder: Path) -> Signature:
    """What changes whenever any process writes the library in ``folder`` (its files'
    device, inode, size, mtime and ctime): equal signatures mean an unchanged library."""
    return [_stat(folder / name) for name in LIBRARY_FILES]
