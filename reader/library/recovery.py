"""Rebuild a library from every generation it left on disk: the plan behind ``doctor --repair``.

A compaction folds ``library.journal`` into a new ``library.json`` and keeps the generation it
replaced as ``library.json.bak`` plus ``library.journal.bak``. So a snapshot of generation
``g`` plus the journal whose header names ``g`` is generation ``g + 1``. The rebuild starts
from the newest snapshot that can be read and replays, generation after generation, every
journal that continues it; lines that are not changes are skipped. A journal that continues
nothing here (a newer or unknown generation) still holds changes a person made: it is
replayed on top. Documents that cannot be read as an article or a quote are set aside.
Nothing here writes; ``doctor.repair`` carries the plan out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from reader.library.errors import LibraryError
from reader.library.migrations import SCHEMA_VERSION, VERSION_KEY, new_library
from reader.library.models import Article, Quote
from reader.library.storage import (
    BACKUP_SUFFIX,
    GENERATION_KEY,
    JOURNAL_FILE,
    LIBRARY_FILE,
    Change,
    Tables,
    apply_changes,
    change_of,
    journal_header,
)

ARTICLES, QUOTES, META = "articles", "quotes", "meta"
COUNTERS = {"next_article_id": ARTICLES, "next_quote_id": QUOTES}
_HASH = re.compile(r"[0-9a-f]{64}")


class Unreadable(LibraryError):
    """A library file exists but cannot be read: permissions, not damage."""


@dataclass
class SnapshotFile:
    """One ``library.json`` generation as found on disk."""

    path: Path
    raw: bytes | None  # None: there is no such file
    tables: Tables | None = None  # None: missing or not a library
    generation: int = 0
    trouble: str | None = None  # why it cannot be used
    #: Parts that are not documents: (table, id, value, why) — set aside by a repair.
    dropped: list[tuple[str, str, Any, str]] = field(default_factory=list)


@dataclass
class JournalFile:
    """One journal as found on disk."""

    path: Path
    raw: bytes
    generation: int | None  # from its header line; None when it has none
    changes: list[Change] = field(default_factory=list)
    #: (line number, byte offset) of complete lines that are not changes.
    bad: list[tuple[int, int]] = field(default_factory=list)
    torn: bool = False  # its last line is incomplete: an append cut short, never acknowledged


@dataclass
class Damaged:
    """A document set aside: where it was and why it cannot be read."""

    table: str
    doc_id: str
    document: Any
    reason: str

    @property
    def label(self) -> str:
        """``article 5`` or ``quotes 7`` -- how reports name it."""
        kind = {ARTICLES: "article", QUOTES: "quote"}.get(self.table, f"{self.table} entry")
        return f"{kind} {self.doc_id}"


@dataclass
class Plan:
    """What the files hold and the library rebuilt from them."""

    folder: Path
    snapshots: list[SnapshotFile]
    journals: list[JournalFile]
    base: SnapshotFile | None = None
    applied: list[JournalFile] = field(default_factory=list)
    stale: list[JournalFile] = field(default_factory=list)
    foreign: list[JournalFile] = field(default_factory=list)
    damaged: list[Damaged] = field(default_factory=list)
    tables: Tables = field(default_factory=dict)
    generation: int = 0  # the rebuilt snapshot's generation
    too_new: str | None = None  # set when any file was written by a newer reader

    @property
    def main(self) -> SnapshotFile:
        """``library.json`` itself."""
        return self.snapshots[0]


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Unreadable(
            f"{path} cannot be read ({exc.strerror}): fix its permissions or owner (after a "
            "run with sudo, say); nothing is damaged and nothing was changed"
        ) from None


def scan_snapshot(path: Path) -> SnapshotFile:
    """Read a snapshot leniently: documents that are not objects are dropped, not fatal."""
    raw = _read(path)
    found = SnapshotFile(path, raw)
    if raw is None:
        found.trouble = "is missing"
        return found
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        found.trouble = f"is not valid JSON ({exc})"
        return found
    if not isinstance(data, dict):
        found.trouble = "is JSON but not a reader library"
        return found
    tables: Tables = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            found.dropped.append((name, "", table, "the table is not an object"))
            continue
        tables[name] = {}
        for doc_id, doc in table.items():
            if isinstance(doc, dict):
                tables[name][doc_id] = doc
            else:
                found.dropped.append((name, doc_id, doc, "not a JSON object"))
    meta = tables.get(META, {}).get("1", {})
    if _version(meta) is None and ARTICLES not in tables and QUOTES not in tables:
        found.trouble = "is JSON but not a reader library"
        return found
    found.tables = tables
    generation = meta.get(GENERATION_KEY, 0)
    found.generation = generation if _is_int(generation) else 0
    return found


def scan_journal(path: Path) -> JournalFile | None:
    """Read a journal leniently: every line that is not a change is noted and skipped."""
    raw = _read(path)
    if raw is None:
        return None
    pieces = raw.split(b"\n")
    lines = pieces[:-1]
    found = JournalFile(path, raw, None, torn=pieces[-1] != b"")
    offset = 0
    for number, line in enumerate(lines, 1):
        at, offset = offset, offset + len(line) + 1
        try:
            entry = orjson.loads(line)
        except orjson.JSONDecodeError:
            if number == len(lines):
                found.torn = True  # as the app reads it: a last line cut short
            else:
                found.bad.append((number, at))
            continue
        if number == 1 and journal_header(entry) is not None:
            found.generation = journal_header(entry)
            continue
        change = change_of(entry)
        if change is None:
            found.bad.append((number, at))
        else:
            found.changes.append(change)
    return found


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _version(meta: Any) -> int | None:
    version = meta.get(VERSION_KEY) if isinstance(meta, dict) else None
    return version if isinstance(version, int) and _is_int(version) and version >= 0 else None


def document_trouble(table: str, doc_id: str, doc: Any) -> str | None:
    """Why a stored article or quote cannot be used, or None when it can."""
    if table not in (ARTICLES, QUOTES):
        return None
    try:
        number = int(doc_id)
    except ValueError:
        return f"its id {doc_id!r} is not a number"
    if not isinstance(doc, dict):
        return "it is not a JSON object"
    if table == ARTICLES:
        if not isinstance(doc.get("title"), str):
            return "its title is missing or not text"
        if not isinstance(doc.get("hash"), str) or not _HASH.fullmatch(doc["hash"]):
            return "its text hash is missing or malformed"
        build: Any = Article.from_doc
    else:
        if not _is_int(doc.get("article_id")) or not isinstance(doc.get("text"), str):
            return "its article id or text is missing"
        if not (_is_int(doc.get("start")) and _is_int(doc.get("end"))):
            return "its offsets are missing or not numbers"
        build = Quote.from_doc
    try:
        build(number, doc)
    except Exception as exc:  # whatever a hand-edited document makes the model raise
        return f"it cannot be read ({type(exc).__name__}: {str(exc)[:60]})"
    return None


def plan(folder: Path) -> Plan:
    """Read every generation in ``folder`` and rebuild the library from them (writes nothing)."""
    snapshots = [scan_snapshot(folder / LIBRARY_FILE)]
    snapshots.append(scan_snapshot(folder / (LIBRARY_FILE + BACKUP_SUFFIX)))
    journals = [
        j
        for name in (JOURNAL_FILE + BACKUP_SUFFIX, JOURNAL_FILE)
        if (j := scan_journal(folder / name)) is not None
    ]
    result = Plan(folder, snapshots, journals)
    usable = [s for s in snapshots if s.tables is not None]
    if usable:  # the newest generation; library.json itself when the backup is as new
        result.base = max(usable, key=lambda s: (s.generation, s is snapshots[0]))
        tables, generation = result.base.tables or {}, result.base.generation
    else:
        tables = {}
        generation = min((j.generation for j in journals if j.generation is not None), default=0)
    metas: list[Any] = [(s.tables or {}).get(META, {}).get("1") for s in usable]
    while step := [j for j in journals if j.generation == generation and j not in result.applied]:
        for journal in step:  # the backup first: a journal continues what its backup holds
            tables = apply_changes(tables, journal.changes)
            result.applied.append(journal)
        generation += 1
    for journal in journals:
        if journal in result.applied:
            continue
        header = journal.generation
        if result.base and header is not None and header < result.base.generation:
            result.stale.append(journal)  # its changes are in the snapshot already
            continue
        result.foreign.append(journal)
    for journal in sorted(result.foreign, key=lambda j: (j.generation is None, j.generation or 0)):
        tables = apply_changes(tables, journal.changes)
    for journal in journals:
        metas.extend(c.document for c in journal.changes if c.table == META and c.document)
    newer = [v for m in metas if (v := _version(m)) is not None and v > SCHEMA_VERSION]
    if newer:
        result.too_new = (
            f"{folder} holds a library written by a newer reader (schema {max(newer)}, this "
            f"one knows {SCHEMA_VERSION}); upgrade reader -- nothing was changed"
        )
    known = [
        *(j.generation for j in journals if j.generation is not None),
        *(s.generation for s in snapshots),
    ]
    result.generation = max(known, default=0) + 1
    result.tables, result.damaged = _clean(tables, metas, result.generation)
    for snapshot in snapshots:
        if snapshot is result.base:
            result.damaged[:0] = [Damaged(*d) for d in snapshot.dropped]
    return result


def _clean(tables: Tables, metas: list[Any], generation: int) -> tuple[Tables, list[Damaged]]:
    """Set aside what cannot be read; mend the meta document; counters never go back."""
    damaged: list[Damaged] = []
    clean: Tables = {}
    for name, table in tables.items():
        clean[name] = {}
        for doc_id, doc in table.items():
            trouble = document_trouble(name, doc_id, doc)
            if trouble:
                damaged.append(Damaged(name, doc_id, doc, trouble))
            else:
                clean[name][doc_id] = doc
    meta_table = clean.setdefault(META, {})
    meta = meta_table.get("1")
    if _version(meta) is None:
        if meta is not None:
            damaged.append(Damaged(META, "1", meta, "it has no schema version"))
        good = [m for m in metas if _version(m) is not None]
        meta = good[-1] if good else new_library()[META]["1"]
    meta = dict(meta or {})
    for counter, table_name in COUNTERS.items():
        seen = [m.get(counter) for m in [meta, *metas] if isinstance(m, dict)]
        ids = [int(i) + 1 for i in clean.get(table_name, {})]
        if table_name == ARTICLES:  # quotes of deleted articles keep their article ids
            ids.extend(q["article_id"] + 1 for q in clean.get(QUOTES, {}).values())
        meta[counter] = max([*(s for s in seen if isinstance(s, int) and _is_int(s)), *ids, 1])
    meta[GENERATION_KEY] = generation
    meta_table["1"] = meta
    clean.setdefault(ARTICLES, {})
    clean.setdefault(QUOTES, {})
    return clean, damaged
