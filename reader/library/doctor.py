"""Check a library from the ground up, and restore the last good generation when asked."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from reader.library.errors import LibraryError
from reader.library.migrations import SCHEMA_VERSION, check_version, schema_version
from reader.library.repository import Repository
from reader.library.storage import BACKUP_SUFFIX, JOURNAL_FILE, LIBRARY_FILE, atomic_write


@dataclass
class Report:
    """What a check found: problems make the library unsound; notes are informational."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def check(folder: Path) -> Report:
    """Check the library in ``folder`` without changing anything."""
    report = Report()
    path = folder / LIBRARY_FILE
    if not path.exists():
        report.problems.append(f"{path} does not exist")
        return report
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        report.problems.append(f"{path} is not valid JSON ({exc})")
        return report
    except OSError as exc:
        report.problems.append(f"{path} cannot be read: {exc.strerror}")
        return report
    if not isinstance(data, dict):
        report.problems.append(f"{path} is JSON but not a reader library")
        return report
    try:
        version = schema_version(data, path)
        check_version(version, path)
    except LibraryError as exc:
        report.problems.append(str(exc))
        return report
    if version < SCHEMA_VERSION:
        report.notes.append(f"schema {version} will be migrated to {SCHEMA_VERSION} when opened")
        return report
    try:
        repo = Repository.open(folder)
        repo.storage.read()
    except LibraryError as exc:
        report.problems.append(str(exc))
        return report
    articles = {a.id: a for a in repo.articles()}
    bodies: dict[int, str] = {}
    for article in articles.values():
        trouble = repo.texts.verify(article.hash)
        if trouble:
            report.problems.append(
                f"article {article.id} ({article.title[:40]}): text {article.hash[:12]} {trouble}"
            )
        else:
            bodies[article.id] = repo.body(article)
    for quote in repo.quotes():
        label = f"quote {quote.id} (article {quote.article_id})"
        if quote.article_id not in articles:
            continue  # a quote kept after its article was deleted: nothing to check it against
        body = bodies.get(quote.article_id)
        if body is None:
            continue  # already reported: the text is missing
        if not 0 <= quote.start < quote.end <= len(body):
            report.problems.append(
                f"{label}: offsets {quote.start}-{quote.end} outside its article"
            )
        elif body[quote.start : quote.end] != quote.text:
            report.problems.append(f"{label}: text does not match its article at its offsets")
    referenced = {a.hash for a in articles.values()}
    texts = repo.texts.folder
    if texts.is_dir():
        orphans = [p for p in texts.glob("*.txt") if p.stem not in referenced]
        if orphans:
            report.notes.append(f"{len(orphans)} text file(s) belong to no article (harmless)")
    report.notes.append(f"{len(articles)} articles, {len(repo.quotes())} quotes")
    return report


def repair(folder: Path) -> list[str]:
    """Mend what can be mended and say what was done; never deletes anything.

    A damaged journal is cut back to its last good entry; a library.json that cannot be
    read is replaced by the previous good generation. Broken files are kept as ``*.broken``.
    """
    path = folder / LIBRARY_FILE
    done: list[str] = []
    if _readable_library(path):
        done.extend(_repair_journal(folder / JOURNAL_FILE))
    else:
        done.append(_restore_backup(folder))
    return done


def _readable_library(path: Path) -> bool:
    try:
        data = orjson.loads(path.read_bytes())
        check_version(schema_version(data, path), path)
    except (OSError, orjson.JSONDecodeError, LibraryError):
        return False
    return True


def _repair_journal(journal: Path) -> list[str]:
    try:
        raw = journal.read_bytes()
    except FileNotFoundError:
        return []
    good = 0
    for line in raw.split(b"\n")[:-1]:
        try:
            orjson.loads(line)
        except orjson.JSONDecodeError:
            break
        good += len(line) + 1
    if good == len(raw):
        return []
    broken = journal.with_name(journal.name + ".broken")
    broken.write_bytes(raw)
    atomic_write(journal, raw[:good])
    return [
        f"cut {journal} back to its last good entry ({len(raw) - good} bytes after it "
        f"kept in {broken.name})"
    ]


def _restore_backup(folder: Path) -> str:
    path = folder / LIBRARY_FILE
    backup = folder / (LIBRARY_FILE + BACKUP_SUFFIX)
    if not _readable_library(backup):
        raise LibraryError(f"{path} is broken and there is no usable backup ({backup})")
    if path.exists():
        os.replace(path, path.with_name(path.name + ".broken"))
    journal = folder / JOURNAL_FILE
    if journal.exists():
        os.replace(journal, journal.with_name(journal.name + ".broken"))
    journal_backup = folder / (JOURNAL_FILE + BACKUP_SUFFIX)
    if journal_backup.exists():
        shutil.copy2(journal_backup, journal)
    shutil.copy2(backup, path)
    return f"restored {path} from {backup.name}; the broken file is kept as {path.name}.broken"
