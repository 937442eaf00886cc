"""The data in a library's files: tables of documents, changes to them, and how the
snapshot and the journal record them (the parsing both the app and ``doctor`` use)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from reader.library.errors import LibraryCorrupt

Document = dict[str, Any]
Tables = dict[str, dict[str, Document]]

GENERATION_KEY = "_generation"


@dataclass(frozen=True, slots=True)
class Change:
    """Put ``document`` at ``table``/``doc_id``, or delete it when ``document`` is None."""

    table: str
    doc_id: int
    document: Document | None


def apply_changes(tables: Tables, changes: Iterable[Change]) -> Tables:
    """New tables with the changes applied; ``tables`` itself is left as it was.

    Copy-on-write (only the tables touched are copied, shallowly) lets another thread go on
    iterating the data it read while a change is applied: the app reads on its UI thread
    and writes from a worker.
    """
    result = dict(tables)
    copied: set[str] = set()
    for change in changes:
        if change.table not in copied:
            result[change.table] = dict(result.get(change.table, {}))
            copied.add(change.table)
        table = result[change.table]
        if change.document is None:
            table.pop(str(change.doc_id), None)
        else:
            table[str(change.doc_id)] = change.document
    return result


def _generation_of(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def snapshot_generation(data: Tables) -> int:
    """The generation a snapshot records in its meta document (0 before generations)."""
    meta = data.get("meta", {}).get("1", {})
    return _generation_of(meta.get(GENERATION_KEY, 0)) or 0


def parse_snapshot(raw: bytes, path: Path) -> Tables:
    """The tables of a ``library.json``; LibraryCorrupt when it is not one."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise LibraryCorrupt(
            f"{path} is not valid JSON ({exc}); it was left untouched -- "
            "'reader doctor --repair' rebuilds it from the previous version and the journals"
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(t, dict) and all(isinstance(d, dict) for d in t.values()) for t in data.values()
    ):
        raise LibraryCorrupt(f"{path} is JSON but not a reader library; left untouched")
    return data


def journal_header(entry: Any) -> int | None:
    """The generation a journal's first line names, or None if the line is no header."""
    return _generation_of(entry.get("generation")) if isinstance(entry, dict) else None


def change_of(entry: Any) -> Change | None:
    """The change a parsed journal line holds, or None if it is not a well-formed change."""
    if not (isinstance(entry, list) and len(entry) == 3):
        return None
    table, doc_id, document = entry
    if not isinstance(table, str) or _generation_of(doc_id) is None:
        return None
    if document is not None and not isinstance(document, dict):
        return None
    return Change(table, doc_id, document)
