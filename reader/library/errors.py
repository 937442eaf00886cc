"""Errors the library raises; each message is one line a person can act on."""

from __future__ import annotations


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
