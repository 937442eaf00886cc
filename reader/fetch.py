"""Fetching web pages the person asks for (``reader add URL…``) and storing them as articles.

httpx is imported inside the functions: the other commands must not pay for it at start-up.
Nothing here runs a page's scripts or fetches what a page refers to; only the given URLs
(and the redirects they answer with) are requested.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import socket
import ssl
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reader import __version__
from reader.console import safe
from reader.http_decode import DecodeError, decoder
from reader.library.errors import BatchStopped
from reader.text.model import ImportRefused, ParsedArticle

if TYPE_CHECKING:
    import httpx

    from reader.library import Article, Repository

USER_AGENT = f"reader/{__version__} (+https://example.org/reader; terminal read-it-later)"
# Prefer HTML; plain text is imported too; anything else is asked for only so that a server
# with nothing better answers rather than failing with 406.
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = HTML_TYPES | {"text/plain"}
# A server that trickles bytes resets the read timeout with every chunk; the whole fetch
# gets this many times the timeout so that such a page cannot hang the command.
TOTAL_TIME_FACTOR = 4
# Only what _decoder can decode within a bound; httpx would also offer br and zstd when
# their packages happen to be installed.
ACCEPT_ENCODING = "gzip, deflate"


class FetchError(Exception):
    """A URL that could not be added; str() is one line: ``<url>: <reason>``."""

    url: str
    reason: str

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")

    def __reduce__(self) -> tuple[type[FetchError], tuple[str, str]]:
        # As ImportRefused: pickle with both arguments, not the joined message.
        return (type(self), (self.url, self.reason))


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched page: where it ended up, what it says it is, and its bytes."""

    final_url: str
    content_type: str  # media type only, lower case: "text/html"
    charset: str | None  # as given in the Content-Type header
    body: bytes
    #: The HTTP status: 200, or one the caller asked to have back (304, 410, 429…).
    status: int = 200
    #: ETag, Last-Modified and Retry-After as the server sent them (lower-case names).
    headers: Mapping[str, str] = field(default_factory=dict)
    #: The new address when every redirect on the way was permanent (301, 308), else None.
    moved_to: str | None = None


#: Response headers a conditional request needs next time (and Retry-After).
KEPT_HEADERS = ("etag", "last-modified", "retry-after")


def fetch(
    url: str,
    *,
    timeout: float = 15.0,
    max_bytes: int = 10 * 1024 * 1024,
    max_redirects: int = 5,
    deadline: float | None = None,
    headers: Mapping[str, str] | None = None,
    types: frozenset[str] | None = TEXT_TYPES,
    statuses: frozenset[int] = frozenset(),
) -> Fetched:
    """GET a web page over http(s) within the limits, or raise FetchError saying why not.

    ``timeout`` bounds each wait on the network; ``deadline`` (default: TOTAL_TIME_FACTOR
    times ``timeout``) bounds the whole fetch, redirects, headers and body included.
    ``headers`` are added to the request (``If-None-Match``, ``Accept``…); ``types`` are the
    media types accepted (None: any); a status in ``statuses`` (304, 410…) comes back as a
    Fetched with that status and no body instead of an error.
    """
    import anyio

    _check_url(url, url)
    total = TOTAL_TIME_FACTOR * timeout if deadline is None else deadline
    asked = _Asked(dict(headers or {}), types, statuses)
    # The async client under a cancel scope: a timer that cancels whatever is waiting, the
    # DNS lookup, a header dripped one byte at a time, a redirect, a body. Checking the clock
    # between chunks could not stop a server that never finishes its headers.
    return anyio.run(_fetch_within, url, timeout, max_bytes, max_redirects, total, asked)


@dataclass(frozen=True, slots=True)
class _Asked:
    """What the caller adds to a plain fetch: request headers, media types, statuses kept."""

    headers: dict[str, str]
    types: frozenset[str] | None
    statuses: frozenset[int]


class _DaemonExecutor(ThreadPoolExecutor):
    """Runs each call in a daemon thread of its own and never waits for one at shutdown.

    The event loop looks host names up in its default executor, and waits for that executor
    when it closes: a DNS lookup that hangs would have held the fetch past its deadline.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Start ``fn(*args, **kwargs)`` in a new daemon thread."""
        future: Future[Any] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # handed to whoever awaits the future
                future.set_exception(exc)

        threading.Thread(target=run, name="reader-fetch-lookup", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Leave running lookups behind: they hold nothing the fetch still needs."""


async def _fetch_within(
    url: str, timeout: float, max_bytes: int, max_redirects: int, total: float, asked: _Asked
) -> Fetched:
    import asyncio

    import anyio
    import httpx

    asyncio.get_running_loop().set_default_executor(_DaemonExecutor(max_workers=1))

    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
    headers.update(asked.headers)
    try:
        with anyio.fail_after(total):
            async with httpx.AsyncClient(
                verify=_tls_context(),
                headers=headers,
                timeout=httpx.Timeout(timeout),
                follow_redirects=False,
                event_hooks={"response": [_stop_at_redirects]},
            ) as client:
                response, moved_to = await _follow(client, url, max_redirects)
                try:
                    fetched = await _read(response, url, max_bytes, asked)
                    return dataclasses.replace(fetched, moved_to=moved_to) if moved_to else fetched
                finally:
                    await response.aclose()
    except TimeoutError:
        raise FetchError(url, f"timed out after {total:g} s (the whole fetch)") from None
    except httpx.TimeoutException:
        raise FetchError(url, f"timed out after {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(url, _network_reason(exc)) from None


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS context, made once: loading the CA certificates took 30 ms of each
    fetch (most of a feed's 304). A context is safe to share between connections."""
    import httpx

    return httpx.create_ssl_context()


def _check_url(url: str, original: str) -> None:
    """Refuse anything but an absolute http(s) URL with a host, before any request."""
    import httpx

    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(original, f"invalid URL ({exc})") from None
    scheme = parsed.scheme.lower()
    if not scheme:
        raise FetchError(original, f"not a web address; did you mean https://{url}?")
    if scheme not in ("http", "https"):
        where = f"redirected to a {scheme}: URL" if url != original else f"{scheme}: URL"
        raise FetchError(original, f"{where}; only http and https are fetched")
    if not parsed.host:
        raise FetchError(original, "the URL has no host")


_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class _Redirect(Exception):
    """Raised by the response hook: a redirect, taken out of httpx's hands with its target."""

    def __init__(self, base: httpx.URL, location: str, status: int) -> None:
        super().__init__(location)
        self.base = base
        self.location = location
        self.status = status


async def _stop_at_redirects(response: httpx.Response) -> None:
    """Hand every redirect back to _follow before httpx builds its next request.

    httpx builds that request even when not following it, and a Location such as
    "javascript:alert(1)" made it raise InvalidURL, which stopped the whole batch.
    """
    location = response.headers.get("location")
    if response.status_code in _REDIRECTS and location is not None:
        # httpx closes the response on the way out
        raise _Redirect(response.url, location, response.status_code)


async def _follow(
    client: httpx.AsyncClient, url: str, max_redirects: int
) -> tuple[httpx.Response, str | None]:
    """GET the URL and follow its redirects by hand, checking each new address first; also
    the final address if every redirect was permanent (301, 308)."""
    import httpx

    current = url
    hops = 0
    permanent = True
    while True:
        try:
            response = await client.send(client.build_request("GET", current), stream=True)
            return response, (current if hops and permanent else None)
        except _Redirect as redirect:
            hops += 1
            permanent = permanent and redirect.status in (301, 308)
            if hops > max_redirects:
                raise FetchError(url, f"too many redirects (more than {max_redirects})") from None
            try:
                current = str(redirect.base.join(redirect.location))
            except (httpx.InvalidURL, ValueError, TypeError):
                raise FetchError(url, "redirected to an invalid URL") from None
        _check_url(current, url)


async def _read(response: httpx.Response, url: str, max_bytes: int, asked: _Asked) -> Fetched:
    """Check the status and type, then read and decode the body up to the size limit."""
    from reader.text.files import _size_limit_text

    kept = {name: value for name in KEPT_HEADERS if (value := response.headers.get(name))}
    if response.status_code in asked.statuses:
        return Fetched(str(response.url), "", None, b"", response.status_code, kept)
    if response.status_code >= 300:
        # The standard phrase first: the server's own is free text from a stranger.
        phrase = _status_phrase(response.status_code) or response.reason_phrase
        raise FetchError(url, " ".join(f"HTTP {response.status_code} {phrase}".split()))
    media_type, charset = _parse_content_type(response.headers.get("content-type", ""))
    if media_type and asked.types is not None and media_type not in asked.types:
        raise FetchError(url, f"not a web page or plain text ({media_type})")
    too_big = f"larger than the {_size_limit_text(max_bytes)} limit"
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError(url, too_big)  # say so before downloading any of it
    chunks: list[bytes] = []
    size = 0
    try:
        layers = decoder(response.headers.get_list("content-encoding", split_commas=True))
        # Raw bytes, decoded here a bounded piece at a time: httpx decodes each chunk whole,
        # so a few KB of "gzip, gzip" grew to gigabytes before any limit could look at it.
        async for raw in response.aiter_raw():
            for piece in layers.feed(raw):
                size += len(piece)
                if size > max_bytes:
                    raise FetchError(url, too_big)
                chunks.append(piece)
    except DecodeError as exc:
        raise FetchError(url, f"the page cannot be decoded: {exc}") from None
    body = b"".join(chunks)
    if not media_type and asked.types is not None:
        # No Content-Type at all: accept what looks like HTML, as a browser would.
        if b"<html" not in body[:1024].lower() and b"<!doctype html" not in body[:1024].lower():
            raise FetchError(url, "not a web page (no Content-Type)")
        media_type = "text/html"
    return Fetched(str(response.url), media_type, charset, body, response.status_code, kept)


def _status_phrase(code: int) -> str:
    import httpx

    return httpx.codes.get_reason_phrase(code)


def _parse_content_type(value: str) -> tuple[str, str | None]:
    """The lower-case media type and the charset parameter (or None) of a header value."""
    media_type, *params = value.split(";")
    charset = None
    for param in params:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").strip() or None
    return media_type.strip().lower(), charset


def _network_reason(exc: BaseException) -> str:
    """A short reason for a failed connection: the underlying OS error, not httpx's chain."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return "could not find the host (DNS lookup failed)"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate not trusted ({cause.verify_message})"
        if isinstance(cause, ssl.SSLError):
            return "TLS handshake failed"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "network unreachable"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror.lower()
        cause = cause.__cause__ or cause.__context__
    text = " ".join(str(exc).split())
    if "name or service not known" in text.lower() or "getaddrinfo" in text.lower():
        return "could not find the host (DNS lookup failed)"
    if "connection refused" in text.lower():
        return "connection refused"
    return f"network error: {text}" if text else f"network error ({type(exc).__name__})"


# -- turning a page into an article --------------------------------------------------------


def parse_fetched(fetched: Fetched, url: str) -> ParsedArticle:
    """The article in a fetched page, with its URL and language; FetchError if there is none."""
    try:
        if fetched.content_type == "text/plain":
            from reader.text import decode_bytes, parse_plain

            article = parse_plain(_decode_with(fetched) or decode_bytes(fetched.body, url))
        else:
            article = _parse_html(fetched)
    except ImportRefused as refusal:
        raise FetchError(url, refusal.reason) from None
    except (ValueError, TypeError, LookupError, RecursionError) as exc:
        # A hostile or broken page must not stop the other URLs of the batch.
        raise FetchError(url, f"could not read the page ({type(exc).__name__})") from None
    if not article.body.strip():
        raise FetchError(url, "no article text found on the page")
    if article.language is None:
        from reader.text import detect_language

        article = dataclasses.replace(article, language=detect_language(article.body))
    return dataclasses.replace(article, url=_kept_url(article.url, fetched.final_url))


def _parse_html(fetched: Fetched) -> ParsedArticle:
    """parse_html on the page, decoded by the header's charset when the header gives one."""
    from reader.text.html import parse_html

    # The header outranks a <meta> charset (HTML spec), so decode here when it names one;
    # otherwise hand over the bytes for parse_html to sniff.
    text = _decode_with(fetched)
    return parse_html(fetched.body if text is None else text, url=fetched.final_url)


def _decode_with(fetched: Fetched) -> str | None:
    """The body decoded by the header charset, or None when it has none, a BOM, or lies."""
    from reader.text.decode import bom_codec, codec_for_label

    if fetched.charset is None or bom_codec(fetched.body) is not None:
        return None  # a byte-order mark outranks the header (WHATWG), let the sniffer see it
    # Labels read as browsers read them: "iso-8859-1" pages hold Windows-1252 curly quotes.
    codec = codec_for_label(fetched.charset)
    try:
        return None if codec is None else fetched.body.decode(codec)
    except UnicodeDecodeError:
        return None


def _kept_url(canonical: str | None, final_url: str) -> str:
    """The page's canonical URL when it is an absolute http(s) one, else where we ended up."""
    if canonical and canonical.lower().startswith(("http://", "https://")):
        return canonical
    return final_url


# -- reader add ----------------------------------------------------------------------------


@dataclass
class AddSummary:
    """What ``reader add`` did, URL by URL (each URL as the person gave it)."""

    added: list[tuple[str, Article]] = field(default_factory=list)
    present: list[tuple[str, Article]] = field(default_factory=list)
    failed: list[FetchError] = field(default_factory=list)


class AddStopped(BatchStopped):
    """Storing a page failed (a full disk, say); ``summary`` holds what went in before it."""

    batch, item = "reader add", "page"
    summary: AddSummary


def add_urls(
    repo: Repository,
    urls: Iterable[str],
    on_failed: Callable[[FetchError], None] | None = None,
    *,
    timeout: float = 15.0,
    max_bytes: int = 10 * 1024 * 1024,
    max_redirects: int = 5,
    deadline: float | None = None,
) -> AddSummary:
    """Fetch, parse and store each URL in turn; a failure is reported and the rest go on."""
    summary = AddSummary()
    for url in urls:
        try:
            fetched = fetch(
                url,
                timeout=timeout,
                max_bytes=max_bytes,
                max_redirects=max_redirects,
                deadline=deadline,
            )
            article = parse_fetched(fetched, url)
        except FetchError as error:
            summary.failed.append(error)
            if on_failed:
                on_failed(error)
            continue
        # Stored one at a time: a fetch takes far longer than a write, and an interrupted
        # batch keeps what it has fetched.
        try:
            (result,) = repo.add_articles([(article, fetched.final_url)])
        except OSError as exc:  # a full disk, say: the pages stored so far are kept
            raise AddStopped(exc, summary, len(summary.added)) from exc
        (summary.added if result.created else summary.present).append((url, result.article))
    return summary


def run_add(repo: Repository, urls: list[str], as_json: bool) -> int:
    """``reader add``: one stderr line per failed URL, then a summary; 1 if any failed."""

    def failed(error: FetchError) -> None:
        print(f"reader: failed {safe(error)}", file=sys.stderr)

    try:
        summary = add_urls(repo, urls, failed)
    except AddStopped as stopped:
        print(f"reader: {safe(stopped)}", file=sys.stderr)
        return 1
    if as_json:
        from reader.console import json_text

        def entry(url: str, article: Article) -> dict[str, Any]:
            return {"url": url, "id": article.id, "title": article.title}

        value = {
            "added": [entry(u, a) for u, a in summary.added],
            "already_present": [entry(u, a) for u, a in summary.present],
            "failed": [{"url": e.url, "reason": e.reason} for e in summary.failed],
        }
        sys.stdout.write(json_text(value))
    else:
        print(
            f"Added {len(summary.added)}, already present {len(summary.present)}, "
            f"failed {len(summary.failed)}."
        )
    return 1 if summary.failed else 0
