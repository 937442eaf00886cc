"""The library: models, crash-safe TinyDB storage, the repository, migrations (no Textual here)."""

from reader.library.errors import (
    LibraryCorrupt,
    LibraryError,
    LibraryTooNew,
    NotFound,
    PassageNotFound,
)
from reader.library.models import Article, Block, ImportResult, Quote
from reader.library.repository import Repository

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
