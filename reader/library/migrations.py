"""Schema versions: check a library's version, migrate older ones after backing them up."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from reader.library.errors import LibraryCorrupt, LibraryTooNew
from reader.library.keep import keep_bytes
from reader.library.storage import Tables

SCHEMA_VERSION = 1
VERSION_KEY = "schema_version"

Migration = Callable[[Tables], None]

#: ``MIGRATIONS[n]`` turns a version-n library into version n + 1, in place.
MIGRATIONS: dict[int, Migration] = {}


def new_library() -> Tables:
    """The tables of an empty library at the current version."""
    return {
        "articles": {},
        "quotes": {},
        "meta": {"1": {VERSION_KEY: SCHEMA_VERSION, "next_article_id": 1, "next_quote_id": 1}},
    }


def schema_version(data: Tables, where: Path | str) -> int:
    """The library's schema version; LibraryCorrupt when the data is not a reader library."""
    version = data.get("meta", {}).get("1", {}).get(VERSION_KEY)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise LibraryCorrupt(f"{where} is not a reader library (no schema version); left untouched")
    return version


def check_version(version: int, where: Path | str) -> None:
    """Refuse a library written by a newer reader."""
    if version > SCHEMA_VERSION:
        raise LibraryTooNew(
            f"{where} was written by a newer reader (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade reader to open it — the library was not changed"
        )


def backup_before_migration(path: Path, version: int) -> Path:
    """Copy the library file aside before it is migrated; returns the copy's path.

    The copy is ``library.json.vN.bak``; a copy kept by an earlier attempt is never
    overwritten (a different one goes to ``library.json.vN.bak.copy-1``, …).
    """
    backup = path.with_name(f"{path.name}.v{version}.bak")
    data = path.read_bytes()
    if backup.exists():
        if backup.read_bytes() == data:
            return backup
        return keep_bytes(backup, "copy", data)
    kept = keep_bytes(backup, "new", data)
    try:
        os.link(kept, backup)  # never replaces: an existing name makes this fail
    except OSError:
        return kept
    kept.unlink()
    return backup


def migrate(data: Tables, version: int) -> Tables:
    """Bring ``data`` from ``version`` up to SCHEMA_VERSION."""
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise LibraryCorrupt(f"no migration from schema {version}; the library was not changed")
        step(data)
        version += 1
        data["meta"]["1"][VERSION_KEY] = version
    return data
