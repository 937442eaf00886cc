"""The library: models, crash-safe TinyDB storage, the repository, migrations (no Textual here).

The names below load their modules on first use: the app paints its first screen from the
start view (``reader.library.head``) before it needs TinyDB and the repository.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader._lazy import lazy_attributes

if TYPE_CHECKING:
    from .errors import LibraryCorrupt, LibraryError, LibraryTooNew, NotFound, PassageNotFound
    from .models import Article, Block, ImportResult, Quote
    from .repository import Repository

_MODULE_OF = {
    "Article": "models",
    "Block": "models",
    "ImportResult": "models",
    "LibraryCorrupt": "errors",
    "LibraryError": "errors",
    "LibraryTooNew": "errors",
    "NotFound": "errors",
    "PassageNotFound": "errors",
    "Quote": "models",
    "Repository": "repository",
}

__all__ = [
    "Article",
    "Block",
    "ImportResult",
    "LibraryCorrupt",
    "LibraryError",
    "LibraryTooNew",
    "NotFound",
    "PassageNotFound",
    "Quote",
    "Repository",
]


__getattr__ = lazy_attributes(__name__, _MODULE_OF)
