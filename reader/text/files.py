"""Finding article files on disk and reading one into a ParsedArticle."""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import model
from .decode import decode_bytes
from .html import decode_html, parse_html
from .language import detect_language
from .markdown import parse_markdown
from .model import ImportRefused, ParsedArticle
from .plain import parse_plain

Parser = Callable[[str], ParsedArticle]
Decoder = Callable[[bytes, str], str]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in a folder that no importer reads (an image, a PDF): noted, not refused."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file or directory",
    errno.ELOOP: "symbolic link loop",
    errno.EISDIR: "is a directory",
    errno.ENOTDIR: "not a directory",
}


def _reason(exc: OSError, path: Path | None = None) -> str:
    """A short lower-case reason for an OS error, without the path."""
    if exc.errno == errno.ENOENT and path is not None and path.is_symlink():
        return "broken symbolic link"
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return (exc.strerror or type(exc).__name__).lower()


# Parsers by lower-case file suffix; the Markdown and HTML importers plug in here.
# Anything else, whatever its suffix, is read as plain text.
_PARSERS: dict[str, Parser] = {
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
    ".xhtml": parse_html,
}
# Web pages declare their charset inside the bytes, so they are decoded by their own rules.
_DECODERS: dict[str, Decoder] = dict.fromkeys((".html", ".htm", ".xhtml"), decode_html)
# Suffixes a folder walk imports; other files in folders are skipped with a note.
_TEXT_SUFFIXES = frozenset({"", ".txt", ".text"})


def parser_for(path: Path) -> Parser:
    """The parser for a file, chosen by its suffix (plain text unless registered)."""
    return _PARSERS.get(path.suffix.lower(), parse_plain)


def _size_limit_text(limit: int) -> str:
    """The limit in the largest unit that shows it exactly enough."""
    mib = 1024 * 1024
    if limit >= mib:
        return f"{limit / mib:g} MB"
    return f"{limit / 1024:g} KB" if limit >= 1024 else f"{limit} bytes"


def read_article_file(path: Path) -> ParsedArticle:
    """Read, decode and parse one file, or raise ImportRefused saying why not."""
    limit = model.MAX_FILE_BYTES  # read at call time so tests can lower it
    too_big = f"larger than the {_size_limit_text(limit)} limit"
    try:
        # O_NONBLOCK so that a FIFO given by mistake is refused, not waited on.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ImportRefused(path, _reason(exc, path)) from None
    try:
        with open(fd, "rb", closefd=True) as file:
            info = os.fstat(file.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise ImportRefused(path, "is a directory")
            if not stat.S_ISREG(info.st_mode):
                raise ImportRefused(path, "not a regular file")
            if info.st_size > limit:
                raise ImportRefused(path, too_big)
            data = file.read(limit + 1)  # the file may have grown since fstat
    except OSError as exc:
        raise ImportRefused(path, _reason(exc)) from None
    if len(data) > limit:
        raise ImportRefused(path, too_big)
    if not data:
        raise ImportRefused(path, "empty file")
    if data.startswith(b"PK\x03\x04") or path.suffix.lower() == ".zip":
        # Exports in zips (Omnivore, Pocket) are recognised before files are read as articles.
        raise ImportRefused(path, "a zip archive that holds no export reader recognises")
    text = _DECODERS.get(path.suffix.lower(), decode_bytes)(data, str(path))
    if not text.strip():
        raise ImportRefused(path, "contains only whitespace")
    article = parser_for(path)(text)
    if not article.body:
        raise ImportRefused(path, "contains no text")
    return dataclasses.replace(article, language=detect_language(article.body))


def iter_import_files(
    paths: Iterable[str | os.PathLike[str]],
) -> Iterator[Path | ImportRefused | Skipped]:
    """Every file to import under the given files and folders, or why one cannot be."""
    # Files named explicitly are always tried (as plain text if nothing else); in
    # folders, unknown suffixes are Skipped: a photo next to the notes is no failure.
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        try:
            info = path.stat()
        except OSError as exc:
            yield ImportRefused(path, _reason(exc, path))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, info, seen_files, seen_dirs)
        elif stat.S_ISREG(info.st_mode):
            if _first_time(info, seen_files):
                yield path
        else:
            yield ImportRefused(path, "not a regular file")


def _first_time(info: os.stat_result, seen: set[tuple[int, int]]) -> bool:
    """Record a file or folder's identity; False if it was already recorded."""
    key = (info.st_dev, info.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def _importable(path: Path) -> bool:
    """Whether a file found in a folder has a suffix some importer reads."""
    suffix = path.suffix.lower()
    return suffix in _TEXT_SUFFIXES or suffix in _PARSERS


def _walk(
    root: Path,
    root_info: os.stat_result,
    seen_files: set[tuple[int, int]],
    seen_dirs: set[tuple[int, int]],
) -> Iterator[Path | ImportRefused | Skipped]:
    """Files under a folder, depth first in name order, following links, each once."""
    if not _first_time(root_info, seen_dirs):
        return
    # An explicit stack, not recursion: deep trees must not hit the recursion limit.
    # Each frame holds the folder's identity, to tell a link back to an ancestor.
    stack: list[tuple[tuple[int, int], Iterator[Path]]] = []
    ancestors: set[tuple[int, int]] = set()

    def enter(folder: Path, info: os.stat_result) -> ImportRefused | None:
        try:
            with os.scandir(folder) as entries:
                names = sorted(e.name for e in entries if not e.name.startswith("."))
        except OSError as exc:
            return ImportRefused(folder, _reason(exc))
        key = (info.st_dev, info.st_ino)
        stack.append((key, iter([folder / name for name in names])))
        ancestors.add(key)
        return None

    refused = enter(root, root_info)
    if refused is not None:
        yield refused
    while stack:
        key, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            ancestors.discard(key)
            continue
        try:
            info = child.stat()
        except OSError as exc:
            yield ImportRefused(child, _reason(exc, child))
            continue
        if stat.S_ISDIR(info.st_mode):
            if (info.st_dev, info.st_ino) in ancestors:
                yield ImportRefused(child, "symbolic link loop")
            elif _first_time(info, seen_dirs):
                refused = enter(child, info)
                if refused is not None:
                    yield refused
        elif stat.S_ISREG(info.st_mode) and _first_time(info, seen_files):
            yield (
                child if _importable(child) else Skipped(child, f"unknown file type {child.suffix}")
            )
        # Sockets, FIFOs and devices inside folders are not articles: skip them quietly.
