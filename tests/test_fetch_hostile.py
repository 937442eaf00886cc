"""reader add against hostile servers on 127.0.0.1: compression bombs, odd redirects, drips."""

from __future__ import annotations

import errno
import functools
import gzip
import socket
import threading
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from reader.fetch import FetchError, add_urls, fetch
from reader.http_decode import PIECE, decoder
from reader.library import Repository
from tests.local_server import QuietHandler, no_proxies, serving

PAGE = (
    b"<!DOCTYPE html><html><head><title>A Plain Page</title></head><body><article>"
    b"<h1>A Plain Page</h1>"
    + b"<p>Words enough to make an article out of this page, sentence after sentence.</p>" * 8
    + b"</article></body></html>"
)


def gzip_zeros(size: int) -> bytes:
    """gzip of ``size`` zero bytes, made in pieces (never ``size`` bytes in memory)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


@functools.cache
def bomb() -> bytes:
    """200 MB of zeros, gzipped twice: a few hundred bytes on the wire."""
    return gzip.compress(gzip_zeros(200 << 20), 9)


class Handler(QuietHandler):
    """The hostile routes."""

    def do_GET(self) -> None:
        route = self.path
        if route == "/bomb":
            self._send(bomb(), "gzip, gzip")
        elif route == "/layered":
            self._send(zlib.compress(gzip.compress(PAGE)), "gzip, deflate")
        elif route == "/raw-deflate":
            packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            self._send(packer.compress(PAGE) + packer.flush(), "deflate")
        elif route == "/brotli":
            self._send(b"\x0b\x02\x80hello\x03", "br")
        elif route == "/article":
            self._send(PAGE, "")
        elif route.startswith("/to/"):
            target = {
                "js": "javascript:alert(1)",
                "data": "data:text/html,<p>hi</p>",
                "broken": "http://[::1",
            }.get(route[4:], "mailto:someone@example.org")
            self.redirect(target)
        else:
            self.send_error(404)

    def _send(self, body: bytes, encoding: str) -> None:
        headers = {"Content-Encoding": encoding} if encoding else None
        self.answer(200, "text/html; charset=utf-8", body, headers)


@pytest.fixture
def base(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The address of a hostile server on 127.0.0.1."""
    no_proxies(monkeypatch)
    with serving(Handler) as httpd:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Repository]:
    repo = Repository.in_memory(tmp_path / "texts")
    yield repo
    repo.close()


def test_a_double_gzip_bomb_stops_at_the_limit_without_growing(base: str) -> None:
    assert len(bomb()) < 16 * 1024  # the bomb is small on the wire ...
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as caught:
            fetch(f"{base}/bomb")  # ... and the default limit is 10 MB
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.reason == "larger than the 10 MB limit"
    # Decoding all 200 MB (as httpx's own decoders do, chunk by chunk) would peak far higher.
    assert peak < 40 << 20


def test_layered_and_raw_deflate_encodings_are_decoded(base: str) -> None:
    assert fetch(f"{base}/layered").body == PAGE
    assert fetch(f"{base}/raw-deflate").body == PAGE


def test_an_encoding_reader_cannot_bound_is_refused(base: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(f"{base}/brotli")
    reason = "the page cannot be decoded: compressed as 'br', which reader does not read"
    assert caught.value.reason == reason


def test_the_decoder_hands_out_bounded_pieces() -> None:
    layers = decoder(["gzip", "gzip"])
    first = next(iter(layers.feed(bomb())))
    assert 0 < len(first) <= PIECE


@pytest.mark.parametrize("scheme", ["js", "data", "mailto"])
def test_a_redirect_to_another_scheme_is_one_refused_url(
    base: str, library: Repository, scheme: str
) -> None:
    urls = [f"{base}/to/{scheme}", f"{base}/article"]
    summary = add_urls(library, urls)
    assert [e.url for e in summary.failed] == urls[:1]
    assert "only http and https are fetched" in summary.failed[0].reason
    assert [a.title for _, a in summary.added] == ["A Plain Page"]


def test_a_redirect_to_a_malformed_address_is_one_refused_url(
    base: str, library: Repository
) -> None:
    summary = add_urls(library, [f"{base}/to/broken", f"{base}/article"])
    assert [e.reason for e in summary.failed] == ["redirected to an invalid URL"]
    assert len(summary.added) == 1


def test_cli_add_with_a_javascript_redirect_refuses_it_and_adds_the_rest(
    base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--library", str(tmp_path / "lib"), "add", f"{base}/to/js", f"{base}/article"])
    out, err = capsys.readouterr()
    assert status == 1
    assert err == (
        f"reader: failed {base}/to/js: redirected to a javascript: URL; "
        "only http and https are fetched\n"
    )
    assert out == "Added 1, already present 0, failed 1.\n"


@pytest.fixture
def drip() -> Iterator[str]:
    """A server that answers every connection with headers dripped a byte at a time, forever."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def dribble(conn: socket.socket) -> None:
        with conn:
            line = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000
            for byte in line:
                if stop.wait(0.02):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return  # the client gave up: what the deadline is for

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=dribble, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    stop.set()
    thread.join(5)
    listener.close()


def test_one_deadline_stops_a_server_that_drips_its_headers(
    drip: str, base: str, library: Repository
) -> None:
    # Each byte comes well within the 5 s read timeout: only the whole-fetch deadline can end it.
    result: list[object] = []
    worker = threading.Thread(
        target=lambda: result.append(
            add_urls(library, [drip, f"{base}/article"], timeout=5, deadline=0.5)
        ),
        daemon=True,
    )
    worker.start()
    worker.join(60)  # a guard against hanging the test run, not a timing assertion
    assert not worker.is_alive(), "the fetch did not end"
    (summary,) = result
    assert [(e.url, e.reason) for e in summary.failed] == [  # type: ignore[attr-defined]
        (drip, "timed out after 0.5 s (the whole fetch)")
    ]
    assert [a.title for _, a in summary.added] == ["A Plain Page"]  # type: ignore[attr-defined]


def test_a_disk_that_fills_mid_add_says_how_many_went_in(
    base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Repository.add_articles
    calls: list[int] = []

    def filling(self: Repository, *args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", "library.journal")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Repository, "add_articles", filling)
    urls = [f"{base}/article", f"{base}/layered", f"{base}/raw-deflate"]
    status = main(["--library", str(tmp_path / "lib"), "add", *urls])
    out, err = capsys.readouterr()
    assert (status, out) == (1, "")
    assert err == (
        "reader: reader add stopped: No space left on device (library.journal); "
        "1 page went in before it, the rest did not\n"
    )


def test_the_deadline_also_ends_a_host_name_lookup_that_hangs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    released = threading.Event()

    def hanging(*args: object, **kwargs: object) -> object:
        released.wait(120)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    result: list[str] = []

    def attempt() -> None:
        try:
            fetch("http://reader-test.invalid/", timeout=5, deadline=0.5)
        except FetchError as error:
            result.append(error.reason)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(60)  # the lookup is still hanging: only the deadline can have ended the fetch
    try:
        assert not worker.is_alive(), "the fetch waited for the lookup"
        assert result == ["timed out after 0.5 s (the whole fetch)"]
    finally:
        released.set()
