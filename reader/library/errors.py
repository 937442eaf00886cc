"""Errors the library raises; each message is one line a person can act on."""

from __future__ import annotations

from typing import Any


class LibraryError(Exception):
    """Something is wrong with the library; str() is one clear line."""


class LibraryCorrupt(LibraryError):
    """library.json (or its journal) cannot be read as a library; it is left untouched."""


class LibraryTooNew(LibraryError):
    """The library was written by a newer version of reader; it is refused, never overwritten."""


class LibraryReadOnly(LibraryError):
    """The library can be read but not written here (read-only media, no write permission)."""


class NotFound(LibraryError):
    """No article or quote has the given id."""


class PassageNotFound(LibraryError):
    """A quote's passage does not occur in its article's stored text."""


class DamagedDocument(LibraryError):
    """A stored article or quote that cannot be used as one (hand-edited, badly restored)."""


class BatchStopped(OSError):
    """The disk failed part-way through a batch (full, say): says how much went in before it.

    ``summary`` holds what was done; subclasses name the batch and count what went in.
    """

    #: What stopped ("the import"), and what it stores ("article").
    batch = "the batch"
    item = "item"

    def __init__(self, error: OSError, summary: Any, went_in: int) -> None:
        super().__init__(error.errno, error.strerror or str(error), error.filename)
        self.summary = summary
        self.went_in = went_in

    def __str__(self) -> str:
        where = f" ({self.filename})" if self.filename else ""
        plural = "" if self.went_in == 1 else "s"
        return (
            f"{self.batch} stopped: {self.strerror}{where}; {self.went_in} {self.item}{plural} "
            "went in before it, the rest did not"
        )
