"""Check a library from the ground up, and rebuild it from every generation it left when asked.

``check`` reads the library the way the app does (the same storage code, the journal's
changes applied before the schema is judged), then looks at every document, text and quote.
``repair`` holds the exclusive library lock throughout and never deletes or overwrites a file
it found without keeping it: each one it replaces is kept as ``NAME.kept-N`` or
``NAME.broken-N`` first. Every step is an atomic replace, in an order that lets a repair
killed at any point be run again to the same result (see ``_rebuild``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import orjson

from reader.library import recovery
from reader.library.errors import LibraryCorrupt, LibraryError, LibraryTooNew
from reader.library.keep import keep_bytes, kept_copies, remove_stale_temps, temp_files
from reader.library.layout import remove_layout
from reader.library.migrations import SCHEMA_VERSION, check_version, schema_version
from reader.library.recovery import ARTICLES, QUOTES, Plan, Unreadable, document_trouble
from reader.library.storage import (
    BACKUP_SUFFIX,
    JOURNAL_FILE,
    LIBRARY_FILE,
    DiskStorage,
    Tables,
    atomic_write,
)
from reader.library.texts import TextStore


@dataclass
class Report:
    """What a check found: problems make the library unsound; notes are informational."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: What to do about the problems, when ``--repair`` is not the answer.
    advice: str | None = None

    @property
    def sound(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def check(folder: Path) -> Report:
    """Check the library in ``folder`` without changing anything."""
    report = Report()
    path = folder / LIBRARY_FILE
    if not folder.is_dir():
        report.problems.append(f"{folder} is not a library folder (there is no such folder)")
        report.advice = "there is no library here to repair"
        return report
    storage = DiskStorage(folder)
    try:
        data = storage.read()
    except LibraryCorrupt as exc:
        report.problems.append(str(exc))
        _diagnose(folder, report)
        return report
    except OSError as exc:
        report.problems.append(_unreadable(exc))
        report.advice = "fix the permissions above; 'reader doctor --repair' changes nothing here"
        return report
    if data is None:
        report.problems.append(f"{path} does not exist")
        report.advice = "there is no library here to repair"
        return report
    try:
        version = schema_version(data, path)
        check_version(version, path)
    except LibraryTooNew as exc:
        report.problems.append(str(exc))
        report.advice = "upgrade reader; 'reader doctor --repair' never downgrades a library"
        return report
    except LibraryError as exc:
        report.problems.append(str(exc))
        _diagnose(folder, report)
        return report
    if version < SCHEMA_VERSION:
        report.notes.append(f"schema {version} will be migrated to {SCHEMA_VERSION} when opened")
        return report
    _check_generations(folder, storage, report)
    _check_documents(folder, data, report)
    _note_files(folder, report)
    return report


def _unreadable(exc: OSError) -> str:
    return (
        f"{exc.filename} cannot be read ({exc.strerror}): fix its permissions or owner (after "
        "a run with sudo, say); nothing is damaged"
    )


def _diagnose(folder: Path, report: Report) -> None:
    """The app cannot read the library: say what each file holds and what repair would do."""
    try:
        found = recovery.plan(folder)
    except Unreadable as exc:
        report.problems.append(str(exc))
        report.advice = "fix the permissions above; 'reader doctor --repair' changes nothing here"
        return
    if found.too_new:
        report.problems.append(found.too_new)
        report.advice = "upgrade reader; 'reader doctor --repair' never downgrades a library"
        return
    for snapshot in found.snapshots:
        if snapshot.raw is not None and snapshot.trouble:
            report.problems.append(f"{snapshot.path} {snapshot.trouble}")
    for journal in found.journals:
        lines = [f"{journal.path} line {n} (byte {at}) is not a change" for n, at in journal.bad]
        report.problems.extend(lines)
    report.problems.extend([f"{d.label}: damaged ({d.reason})" for d in found.damaged])
    if found.base is None and not found.applied and not found.foreign:
        report.advice = "nothing readable is left to rebuild the library from"
        return
    articles, quotes = len(found.tables[ARTICLES]), len(found.tables[QUOTES])
    report.notes.append(
        f"'reader doctor --repair' would rebuild it from {_sources(found)}: "
        f"{articles} articles, {quotes} quotes"
    )


def _sources(found: Plan) -> str:
    parts = []
    if found.base is not None:
        parts.append(f"{found.base.path.name} (generation {found.base.generation})")
    for journal in [*found.applied, *found.foreign]:
        if not journal.changes:
            continue
        parts.append(f"{journal.path.name} ({len(journal.changes)} changes)")
    return " + ".join(parts) or "the journals (no changes)"


def _check_generations(folder: Path, storage: DiskStorage, report: Report) -> None:
    """The app reads the library; do the other files agree with it?"""
    try:
        found = recovery.plan(folder)
    except Unreadable as exc:
        report.notes.append(str(exc))
        return
    if found.base is not None and found.base is not found.main:
        report.problems.append(
            f"{found.base.path} is of a newer generation ({found.base.generation}) than "
            f"{storage.path} ({found.main.generation}): was library.json restored from an "
            "older copy? 'reader doctor --repair' rebuilds the newer state and keeps this one"
        )
    for journal in found.stale:
        if journal.path == storage.journal_path:
            report.notes.append(
                f"{journal.path.name} is left over from an interrupted compaction; its changes "
                "are in library.json, and it is set aside at the next write"
            )
    backup = found.snapshots[1]
    if backup.raw is not None and backup.trouble:
        report.notes.append(
            f"{backup.path.name} {backup.trouble}: the previous generation cannot help a repair "
            "until the next compaction replaces it"
        )
    for journal in found.journals:
        if journal.bad and journal.path != storage.journal_path:
            report.notes.append(f"{journal.path.name} has {len(journal.bad)} damaged line(s)")
        if journal.torn:
            report.notes.append(
                f"{journal.path.name} ends in an incomplete line (a write cut short, never "
                "acknowledged); it is dropped at the next write"
            )


def _check_documents(folder: Path, data: Tables, report: Report) -> None:
    texts = TextStore(folder / "texts")
    damaged: list[str] = []
    articles: dict[int, str] = {}  # id -> text hash, for the documents that can be read
    for doc_id, doc in data.get(ARTICLES, {}).items():
        trouble = document_trouble(ARTICLES, doc_id, doc)
        if trouble:
            damaged.append(f"article {doc_id}: damaged ({trouble})")
        else:
            articles[int(doc_id)] = doc["hash"]
    quotes = []
    for doc_id, doc in data.get(QUOTES, {}).items():
        trouble = document_trouble(QUOTES, doc_id, doc)
        if trouble:
            damaged.append(f"quote {doc_id}: damaged ({trouble})")
        else:
            quotes.append((int(doc_id), doc))
    report.problems.extend(damaged)
    bodies: dict[int, str] = {}
    text_trouble: list[str] = []
    for article_id, digest in articles.items():
        title = str(data[ARTICLES][str(article_id)]["title"])[:40]
        trouble = texts.verify(digest)
        if trouble is None:
            try:
                bodies[article_id] = texts.get(digest)
            except (OSError, UnicodeDecodeError):
                trouble = "cannot be decoded as UTF-8"
        if trouble:
            text_trouble.append(f"article {article_id} ({title}): text {digest[:12]} {trouble}")
    report.problems.extend(text_trouble)
    drifted: list[str] = []
    for quote_id, doc in quotes:
        body = bodies.get(doc["article_id"])
        if body is None:
            continue  # the article was deleted (the quote outlives it) or its text is reported
        label = f"quote {quote_id} (article {doc['article_id']})"
        start, end = doc["start"], doc["end"]
        if not 0 <= start < end <= len(body):
            drifted.append(f"{label}: offsets {start}-{end} outside its article")
        elif body[start:end] != doc["text"]:
            drifted.append(f"{label}: text does not match its article at its offsets")
    report.problems.extend(drifted)
    referenced = set(articles.values())
    if texts.folder.is_dir():
        orphans = [p for p in texts.folder.glob("*.txt") if p.stem not in referenced]
        if orphans:
            report.notes.append(
                f"{len(orphans)} text file(s) in texts/ belong to no article: left by an "
                "interrupted deletion, or the texts of articles the library lost; they are kept"
            )
    report.notes.append(f"{len(articles)} articles, {len(quotes)} quotes")


def _note_files(folder: Path, report: Report) -> None:
    temps = temp_files(folder)
    if temps:
        stale = sum(1 for _, alive in temps if not alive)
        report.notes.append(
            f"{len(temps)} temporary file(s) ({stale} of writers no longer running), e.g. "
            f"{temps[0][0].name}; 'reader doctor --repair' removes the stale ones"
        )
    kept = [
        path.name
        for name in (LIBRARY_FILE, JOURNAL_FILE)
        for name in (name, name + BACKUP_SUFFIX)
        for label in ("broken", "kept", "damaged")
        for path in kept_copies(folder / name, label)
    ]
    if kept:
        report.notes.append(f"{len(kept)} file(s) kept by earlier repairs, e.g. {kept[0]}")


# -- repair --------------------------------------------------------------------------------


def repair(folder: Path) -> list[str]:
    """Mend what can be mended and say what was done; nothing found is deleted or overwritten.

    LibraryError (one line) when repairing would lose or downgrade something: a file that
    cannot be read, a library written by a newer reader.
    """
    storage = DiskStorage(folder)
    if not folder.is_dir() or (not storage.path.exists() and not storage.library_signs()):
        return []
    with storage.lock.hold(exclusive=True):
        done = _repair_locked(folder, storage)
        removed = remove_stale_temps(folder)
    if removed:
        done.append(f"removed {len(removed)} temporary file(s) left by interrupted writes")
    return done


def _repair_locked(folder: Path, storage: DiskStorage) -> list[str]:
    readable = True
    try:
        data = storage.read()
        if data is not None:
            check_version(schema_version(data, storage.path), storage.path)
    except LibraryTooNew as exc:
        raise LibraryTooNew(f"{exc}; 'reader doctor --repair' never downgrades it") from None
    except LibraryCorrupt:
        readable = False
    except OSError as exc:
        raise Unreadable(f"{_unreadable(exc)}; nothing was changed") from None
    found = recovery.plan(folder)
    if found.too_new:
        raise LibraryTooNew(found.too_new)
    if readable and not found.damaged and not found.foreign and found.base is found.main:
        return []
    if found.base is None and not found.applied and not found.foreign:
        raise LibraryCorrupt(
            f"{storage.path} {found.main.trouble}, and there is no readable backup or journal "
            "to rebuild it from; it was left untouched"
        )
    return _rebuild(found)


def _rebuild(found: Plan) -> list[str]:
    """Write the rebuilt library; each step atomic, each file replaced kept first.

    Order matters for a repair killed half-way: library.json first (from then on it is the
    newest generation, every old journal is stale and the app reads the rebuilt library),
    then the backup pair, then the journal. Run again, the repair starts from the new
    library.json and finishes the rest; files already kept are recognised, not kept twice.
    """
    folder = found.folder
    raw = orjson.dumps(found.tables)
    header = orjson.dumps({"generation": found.generation}) + b"\n"
    kept: list[Path] = []
    for snapshot in found.snapshots:
        if snapshot.raw is not None and snapshot.raw != raw:
            label = "broken" if snapshot.tables is None else "kept"
            kept.append(keep_bytes(snapshot.path, label, snapshot.raw))
    for journal in found.journals:
        if journal.raw != header:
            label = "broken" if journal.bad else "kept"
            kept.append(keep_bytes(journal.path, label, journal.raw))
    side: Path | None = None
    if found.damaged:
        documents = [
            {"table": d.table, "id": d.doc_id, "document": d.document, "reason": d.reason}
            for d in found.damaged
        ]
        side = keep_bytes(folder / LIBRARY_FILE, "damaged", orjson.dumps(documents))
    library = folder / LIBRARY_FILE
    # Derived data about the old library.json (it would be refused by its signature anyway);
    # the next write records the rebuilt one's.
    remove_layout(folder)
    atomic_write(library, raw)
    # A copy, not a hard link: damage done to library.json in place must not reach it.
    atomic_write(folder / (LIBRARY_FILE + BACKUP_SUFFIX), raw)
    atomic_write(folder / (JOURNAL_FILE + BACKUP_SUFFIX), header)
    atomic_write(folder / JOURNAL_FILE, header)
    return _told(found, kept, side)


def _no_write_since(found: Plan, generation: int) -> bool:
    """Whether nothing can have been written on ``generation``: the live journal is of an
    older one. The first write on a generation starts its journal, replacing the live one,
    so an older live journal means a rebuild (a repair, a compaction) stopped just before
    it started one, and no change since is missing."""
    live = next((j for j in found.journals if j.path.name == JOURNAL_FILE), None)
    return live is not None and live.generation is not None and live.generation < generation


def _told(found: Plan, kept: list[Path], side: Path | None) -> list[str]:
    """What the rebuild did, one line each, as it happened."""
    articles, quotes = len(found.tables[ARTICLES]), len(found.tables[QUOTES])
    lines = [
        f"restored {found.folder / LIBRARY_FILE}, rebuilt from {_sources(found)}: "
        f"{articles} articles, {quotes} quotes"
    ]
    main, base = found.main, found.base
    if base is None:
        # Generation 1 is the empty library a new folder starts with: a journal that goes
        # back to it holds everything.
        first = min((j.generation or 0 for j in found.applied), default=0)
        if first > 1 or not found.applied:
            lines.append(
                "no readable library.json or backup was left: what was only in them is lost "
                "(their texts stay in texts/)"
            )
    elif base is not main and main.tables is not None:
        lines.append(
            f"{main.path.name} (generation {main.generation}) was older than {base.path.name} "
            f"(generation {base.generation}): the newer state was rebuilt"
        )
    elif (
        base is not main
        and not _no_write_since(found, base.generation)
        and not any(j.generation == base.generation for j in found.applied)
    ):
        lines.append(
            f"no journal of generation {base.generation} was found: changes made between "
            f"{base.path.name} and the damaged {main.path.name} may be missing"
        )
    for journal in found.journals:
        if journal.bad:
            where = ", ".join(f"line {n} (byte {at})" for n, at in journal.bad[:5])
            lines.append(
                f"{journal.path.name}: skipped {len(journal.bad)} line(s) that are not changes "
                f"({where}{', …' if len(journal.bad) > 5 else ''})"
            )
    for journal in found.foreign:
        which = "no generation" if journal.generation is None else journal.generation
        lines.append(
            f"{journal.path.name} belonged to another library.json ({which}): its "
            f"{len(journal.changes)} changes were replayed on top"
        )
    lines.extend([f"{d.label}: set aside ({d.reason})" for d in found.damaged])
    if side is not None:
        lines.append(f"the documents set aside are kept in {side.name}")
    if kept:
        lines.append(f"kept the files as they were: {', '.join(p.name for p in kept)}")
    return lines
