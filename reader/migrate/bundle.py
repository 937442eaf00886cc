"""An export's files, whether in a zip, in a folder, or one file on its own."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path, PurePosixPath

from reader.migrate.model import ExportError
from reader.text.model import MAX_FILE_BYTES

#: Largest member read from an export (a metadata file of 50,000 entries is ~30 MB).
MAX_MEMBER_BYTES = 8 * MAX_FILE_BYTES


class Bundle:
    """Named files (POSIX relative paths) that can be read as bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def names(self) -> list[str]:
        """Every file's name, relative, with "/" between folders."""
        raise NotImplementedError

    def read(self, name: str) -> bytes:
        """One file's bytes; ExportError if it is missing, too large or unreadable."""
        raise NotImplementedError

    def has(self, name: str) -> bool:
        """Whether the bundle holds this file."""
        return name in self._names_set()

    def _names_set(self) -> set[str]:
        cached: set[str] | None = getattr(self, "_set", None)
        if cached is None:
            cached = set(self.names())
            self._set = cached
        return cached

    def close(self) -> None:
        """Release the file (zips)."""


class FolderBundle(Bundle):
    """A folder, walked recursively (hidden files and folders left out)."""

    def names(self) -> list[str]:
        found: list[str] = []
        for folder, dirs, files in os.walk(self.path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            rel = Path(folder).relative_to(self.path)
            for name in sorted(files):
                if not name.startswith("."):
                    found.append((rel / name).as_posix() if rel.parts else name)
        return found

    def read(self, name: str) -> bytes:
        path = self.path / name
        try:
            if path.stat().st_size > MAX_MEMBER_BYTES:
                raise ExportError(f"{path}: too large to read")
            return path.read_bytes()
        except OSError as exc:
            raise ExportError(f"{path}: {(exc.strerror or str(exc)).lower()}") from None


class FileBundle(Bundle):
    """One file given on its own (a CSV or JSON export); its folder is where it lives."""

    def names(self) -> list[str]:
        return [self.path.name]

    def read(self, name: str) -> bytes:
        return FolderBundle(self.path.parent).read(name)


class ZipBundle(Bundle):
    """A zip archive; members are read with their declared size checked first."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        try:
            self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise ExportError(f"{path}: not a readable zip ({exc})") from None

    def names(self) -> list[str]:
        return [
            info.filename
            for info in self.zip.infolist()
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and not PurePosixPath(info.filename).name.startswith(".")
        ]

    def read(self, name: str) -> bytes:
        try:
            info = self.zip.getinfo(name)
            if info.file_size > MAX_MEMBER_BYTES:
                raise ExportError(f"{self.path}: {name} is too large to read")
            with self.zip.open(info) as member:
                # Never more than declared: a lying header cannot make it a zip bomb.
                return member.read(info.file_size + 1)[: info.file_size]
        except KeyError:
            raise ExportError(f"{self.path}: no {name} in the zip") from None
        except (OSError, zipfile.BadZipFile, EOFError, RuntimeError) as exc:
            raise ExportError(f"{self.path}: {name} cannot be read ({exc})") from None

    def close(self) -> None:
        self.zip.close()


def open_bundle(path: Path) -> Bundle:
    """The bundle for a zip, a folder or a file."""
    if path.is_dir():
        return FolderBundle(path)
    if zipfile.is_zipfile(path):
        return ZipBundle(path)
    return FileBundle(path)
