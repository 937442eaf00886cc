"""Article bodies as immutable files named by the SHA-256 of their content."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from pathlib import Path

from reader.library.storage import atomic_write


def content_hash(body: str) -> str:
    """The SHA-256 of a body's UTF-8 bytes, as hex: its name in the text store."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class TextStore:
    """``texts/<sha256>.txt``: written once, atomically, never changed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, digest: str) -> Path:
        """Where the body with this hash lives."""
        return self.folder / f"{digest}.txt"

    def put(self, body: str) -> str:
        """Store a body (if not stored yet) and return its hash."""
        digest = content_hash(body)
        path = self.path(digest)
        if not path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(path, body.encode("utf-8"))
        return digest

    def get(self, digest: str) -> str:
        """The body with this hash; OSError if it is missing or damaged (not UTF-8)."""
        path = self.path(digest)
        data = path.read_bytes()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            # As an OSError, so that every reader of bodies reports it as it reports a
            # missing file (one line, pointing to doctor) and no raw bytes reach a terminal.
            raise OSError(errno.EILSEQ, "it is damaged (not valid UTF-8)", str(path)) from None

    def verify(self, digest: str) -> str | None:
        """None when the body is present and matches its hash, else what is wrong."""
        try:
            data = self.path(digest).read_bytes()
        except FileNotFoundError:
            return "missing"
        except OSError as exc:
            return f"unreadable ({exc.strerror})"
        if hashlib.sha256(data).hexdigest() != digest:
            return "content does not match its hash"
        return None

    def remove(self, digest: str) -> None:
        """Delete a body no article refers to any more."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(digest))
