"""Article bodies as immutable files named by the SHA-256 of their content."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable
from pathlib import Path

from reader.library.keep import fsync_dir
from reader.library.storage import atomic_write

#: Bodies written at once by ``put_many``: the disk merges flushes that arrive together.
_WRITERS = 8


def content_hash(body: str) -> str:
    """The SHA-256 of a body's UTF-8 bytes, as hex: its name in the text store."""
    return _sha256(body.encode("utf-8"))


def _sha256(data: bytes) -> str:
    # Imported when first needed: hashlib loads OpenSSL (about 1.5 ms), and opening the
    # library before the app's first screen hashes nothing.
    import hashlib

    return hashlib.sha256(data).hexdigest()


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

    def put_many(self, bodies: Iterable[str]) -> list[str]:
        """Store bodies as ``put`` does, durably when it returns, and return their hashes.

        Each new body is written and flushed to a temporary file in a few threads at once,
        then renamed into place, and the folder synced once for all: an import of thousands
        spent most of its time waiting for one flush after another.
        """
        encoded = [body.encode("utf-8") for body in bodies]
        digests = [_sha256(data) for data in encoded]
        new = {d: data for d, data in zip(digests, encoded, strict=True)}
        new = {d: data for d, data in new.items() if not self.path(d).exists()}
        if not new:
            return digests
        from concurrent.futures import ThreadPoolExecutor

        self.folder.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(min(_WRITERS, len(new))) as pool:
            list(pool.map(self._write_new, new.items()))
        fsync_dir(self.folder)
        return digests

    def _write_new(self, item: tuple[str, bytes]) -> None:
        digest, data = item
        atomic_write(self.path(digest), data, sync_folder=False)  # put_many syncs it once

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
        if _sha256(data) != digest:
            return "content does not match its hash"
        return None

    def remove(self, digest: str) -> None:
        """Delete a body no article refers to any more."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(digest))
