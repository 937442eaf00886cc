"""Undoing a response's Content-Encoding layers with the decoded size bounded as it grows.

httpx decodes each received chunk whole: one 6.8 KB chunk of ``gzip, gzip`` became
gigabytes before a size limit could see it. Here every layer hands on at most PIECE bytes at
a time, lazily, so the reader of the last layer can stop at its limit with little in memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from typing import Protocol

#: Most bytes a layer produces per step.
PIECE = 64 * 1024
#: More layers than any real server sends; each costs a decompressor's memory.
MAX_LAYERS = 4


class DecodeError(ValueError):
    """A body that cannot be decoded; str() is the reason, for the caller to name the URL."""


class Layer(Protocol):
    """One Content-Encoding undone: bytes in, bounded pieces out."""

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces of ``data``, each at most PIECE bytes."""
        ...


class _Inflate:
    """gzip (possibly several members) or deflate (zlib-wrapped or, as some servers send, raw)."""

    def __init__(self, name: str) -> None:
        self.name = name
        # 16 + MAX_WBITS: a gzip header; MAX_WBITS: a zlib header (HTTP's "deflate").
        self.wbits = 16 + zlib.MAX_WBITS if name == "gzip" else zlib.MAX_WBITS
        self.inflater = zlib.decompressobj(self.wbits)
        self.started = False
        self.done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Inflate ``data`` PIECE bytes at a time."""
        while data and not self.done:
            try:
                out = self.inflater.decompress(data, PIECE)
            except zlib.error:
                if self.started or self.name != "deflate" or self.wbits < 0:
                    raise DecodeError(f"its {self.name} data is damaged") from None
                # No zlib header: a raw deflate stream, as browsers also accept.
                self.wbits = -zlib.MAX_WBITS
                self.inflater = zlib.decompressobj(self.wbits)
                continue
            self.started = True
            data = self.inflater.unconsumed_tail
            if self.inflater.eof:
                rest = self.inflater.unused_data
                if self.name == "gzip" and rest.lstrip(b"\0"):
                    # Another gzip member follows (concatenated gzip files are one stream).
                    self.inflater = zlib.decompressobj(self.wbits)
                    data = rest
                else:
                    self.done = True  # whatever follows the end of a deflate stream is junk
            if out:
                yield out


class _Chain:
    """The layers in decoding order; each one's output is fed to the next, piece by piece."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        self.layers = layers

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The fully decoded pieces of ``data``."""
        return self._through(0, data)

    def _through(self, level: int, data: bytes) -> Iterator[bytes]:
        if level == len(self.layers):
            yield data
            return
        for piece in self.layers[level].feed(data):
            yield from self._through(level + 1, piece)


def decoder(encodings: Sequence[str]) -> Layer:
    """A decoder for a Content-Encoding list as sent ("gzip, gzip"), or DecodeError if unknown."""
    names = [e.strip().lower() for e in encodings]
    names = [n for n in names if n and n != "identity"]
    if len(names) > MAX_LAYERS:
        raise DecodeError(f"compressed {len(names)} times over")
    layers: list[Layer] = []
    # The header lists encodings in the order they were applied: undo the last one first.
    for name in reversed(names):
        if name in ("gzip", "x-gzip"):
            layers.append(_Inflate("gzip"))
        elif name == "deflate":
            layers.append(_Inflate("deflate"))
        else:
            raise DecodeError(f"compressed as {name!r}, which reader does not read")
    return _Chain(layers)
