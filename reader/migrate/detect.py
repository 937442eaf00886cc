"""Recognise other tools' exports by what they hold: file names, a CSV header, a JSON shape."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from reader.migrate.bundle import Bundle, FileBundle, FolderBundle, ZipBundle
from reader.migrate.model import ExportError

#: Bytes read to recognise a CSV header or a JSON shape (a wallabag entry may hold a long
#: article before the keys that tell it).
_SNIFF = 512 * 1024
_OMNIVORE_METADATA = re.compile(r"(^|/)metadata_[^/]*\.json$")
_POCKET = {"title", "url", "time_added", "tags", "status"}
_INSTAPAPER = {"url", "title", "selection", "folder", "timestamp"}
_READWISE = {"highlight", "book title"}
#: reader's own export (reader export quotes --format csv), Readwise's import columns.
_READWISE_IMPORT = {"highlight", "title", "url"}

NAMES = {
    "omnivore": "Omnivore",
    "pocket": "Pocket",
    "instapaper": "Instapaper",
    "wallabag": "wallabag",
    "readwise": "Readwise",
}


@dataclass
class Found:
    """An export recognised in the paths given: its kind, where it is, its files."""

    kind: str
    path: Path
    bundle: Bundle
    #: The members that make it up (metadata files, CSV parts, the JSON file).
    members: list[str] = field(default_factory=list)
    #: What the ordinary import must leave alone: the folder, zip or file.
    covers: Path | None = None

    def describe(self) -> str:
        """One line: "a Pocket export in PATH (2 files)"."""
        parts = f" ({len(self.members)} files)" if len(self.members) > 1 else ""
        name = NAMES[self.kind]
        article = "an" if name[0] in "AEIOUaeiou" else "a"
        return f"{article} {name} export in {self.path}{parts}"


def csv_kind(head: bytes) -> str | None:
    """Which tool wrote a CSV, from its header row (None if none of ours)."""
    text = head.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0]
    try:
        row = next(csv.reader(io.StringIO(first)))
    except (StopIteration, csv.Error):
        return None
    columns = {c.strip().lower() for c in row}
    if columns >= _POCKET:
        return "pocket"
    if columns >= _INSTAPAPER:
        return "instapaper"
    if columns >= _READWISE or columns >= _READWISE_IMPORT:
        return "readwise"
    return None


def json_kind(name: str, head: bytes) -> str | None:
    """Which tool wrote a JSON file, from its name and the keys near its start."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"["):
        return None
    if _OMNIVORE_METADATA.search(name) and b'"slug"' in text:
        return "omnivore"
    if b'"is_archived"' in text and (b'"content"' in text or b'"annotations"' in text):
        return "wallabag"
    return None


def _head(bundle: Bundle, name: str) -> bytes:
    if isinstance(bundle, ZipBundle):
        try:
            with bundle.zip.open(name) as member:
                return member.read(_SNIFF)
        except (OSError, KeyError, zipfile.BadZipFile, RuntimeError):
            return b""
    path = bundle.path / name if not isinstance(bundle, FileBundle) else bundle.path
    try:
        with open(path, "rb") as handle:
            return handle.read(_SNIFF)
    except OSError:
        return b""


def _classify(bundle: Bundle, names: Iterable[str]) -> list[Found]:
    """The exports among ``names`` of one bundle, grouped (CSV parts of a kind together)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for name in names:
        lower = name.lower()
        kind = None
        if lower.endswith(".csv"):
            kind = csv_kind(_head(bundle, name))
        elif lower.endswith(".json"):
            kind = json_kind(name, _head(bundle, name))
        if kind is None:
            continue
        # CSV parts and Omnivore metadata files of one folder are one export; a wallabag
        # file is one on its own.
        key = (kind, str(PurePosixPath(name).parent) if kind != "wallabag" else name)
        groups.setdefault(key, []).append(name)
    return [
        Found(kind, bundle.path, bundle, sorted(members))
        for (kind, _), members in sorted(groups.items())
    ]


def find_exports(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Found], list[str]]:
    """The exports among ``paths`` (zips, folders, files), and one line per unreadable one."""
    found: list[Found] = []
    problems: list[str] = []
    for given in paths:
        path = Path(os.path.expanduser(os.fspath(given)))
        try:
            if path.is_dir():
                found += _in_folder(path)
            elif path.is_file():
                found += _in_file(path)
        except ExportError as error:
            problems.append(str(error))
        except OSError:
            continue  # the ordinary import names the path and its problem
    return found, problems


def _in_file(path: Path) -> list[Found]:
    lower = path.name.lower()
    if lower.endswith(".zip"):
        try:
            bundle: Bundle = ZipBundle(path)
        except ExportError:
            return []  # not an export: the ordinary import names it and its problem
        exports = _classify(bundle, bundle.names())
        for export in exports:
            export.covers = path
        if not exports:
            bundle.close()
        return exports
    if lower.endswith((".csv", ".json")):
        if json_kind(path.name, _head(FileBundle(path), path.name)) == "omnivore":
            # One metadata file given: the export is its folder (content/, highlights/).
            return _in_folder(path.parent, only=path.name)
        bundle = FileBundle(path)
        exports = _classify(bundle, [path.name])
        for export in exports:
            export.covers = path
        return exports
    return []


def _in_folder(folder: Path, only: str | None = None) -> list[Found]:
    bundle = FolderBundle(folder)
    names = [n for n in bundle.names() if n.lower().endswith((".csv", ".json", ".zip"))]
    found = []
    for name in names:
        if name.lower().endswith(".zip"):
            found += _in_file(folder / name)
    plain = [only] if only is not None else [n for n in names if not n.lower().endswith(".zip")]
    for export in _classify(bundle, plain):
        if export.kind == "omnivore":
            # Its folder is the export (content/ and highlights/ beside the metadata).
            root = PurePosixPath(export.members[0]).parent
            export.path = export.covers = folder / root
            export.bundle = FolderBundle(export.path)
            export.members = [PurePosixPath(m).relative_to(root).as_posix() for m in export.members]
        elif len(export.members) == 1:
            export.path = folder / export.members[0]
        found.append(export)
    return found


def covered(path: Path, exports: Iterable[Found]) -> bool:
    """Whether the ordinary import must leave ``path`` to one of ``exports``."""
    for export in exports:
        if export.covers is not None and (path == export.covers or export.covers in path.parents):
            return True
        if (
            export.covers is None
            and isinstance(export.bundle, FolderBundle)
            and any(path == export.bundle.path / m for m in export.members)
        ):
            return True
    return False
