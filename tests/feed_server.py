"""A feed server on 127.0.0.1 for the feed tests and bench: routes of canned answers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

#: (status, headers, body)
Answer = tuple[int, dict[str, str], bytes]
Route = Callable[["Handler"], Answer]

PARAGRAPH = (
    "The harbour master said on Tuesday that the new breakwater would be finished before the "
    "winter storms, and that the fishing fleet could keep its moorings through the work."
)


class FeedServer(ThreadingHTTPServer):
    """Routes by path; every request is recorded as (path, headers)."""

    daemon_threads = True
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]
    stop: threading.Event
    #: Requests being answered now, and the most there were at once.
    in_flight: int = 0
    most_in_flight: int = 0
    counting: threading.Lock

    def url(self, path: str) -> str:
        """The address of ``path`` on this server."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def hits(self, path: str) -> list[dict[str, str]]:
        """The headers of each request for ``path``."""
        return [headers for p, headers in self.requests if p == path]


class Handler(BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        server = self.server
        server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = server.routes.get(self.path)
        with server.counting:
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        try:
            status, headers, body = route(self) if route else (404, {}, b"not here")
        finally:
            with server.counting:
                server.in_flight -= 1
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (a timeout test)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    """A running server on a free port of 127.0.0.1."""
    httpd = FeedServer(("127.0.0.1", 0), Handler)
    httpd.routes = {}
    httpd.requests = []
    httpd.stop = threading.Event()
    httpd.counting = threading.Lock()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def static(body: bytes, content_type: str, status: int = 200, **headers: str) -> Route:
    """Always the same answer."""
    return lambda handler: (status, {"Content-Type": content_type, **headers}, body)


def conditional(body: bytes, content_type: str, etag: str, modified: str) -> Route:
    """The body with an ETag and Last-Modified; 304 when the request carries them."""

    def answer(handler: Handler) -> Answer:
        if handler.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"Content-Type": content_type, "ETag": etag, "Last-Modified": modified}, body

    return answer


def lingering(route: Route, seconds: float) -> Route:
    """``route``, answered after ``seconds``: requests that overlap are seen to."""

    def answer(handler: Handler) -> Answer:
        time.sleep(seconds)
        return route(handler)

    return answer


def slow(seconds: float) -> Route:
    """Answers only after ``seconds`` (or when the server stops)."""

    def answer(handler: Handler) -> Answer:
        handler.server.stop.wait(seconds)
        return 200, {"Content-Type": "application/rss+xml"}, rss("Slow", [])

    return answer


def page(title: str, paragraphs: int = 4, extra: str = "") -> bytes:
    """An article page."""
    text = "".join(f"<p>{PARAGRAPH} ({title}, part {n})</p>" for n in range(paragraphs))
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title>{extra}</head><body><article><h1>{escape(title)}</h1>{text}</article>"
        "</body></html>"
    ).encode()


def rfc822(day: int) -> str:
    """A date in November 2026 as RSS writes dates."""
    return format_datetime(datetime(2026, 11, day, 9, 30, tzinfo=UTC))


def rss(title: str, items: list[dict[str, str]], link: str = "https://harbour.example/") -> bytes:
    """An RSS 2.0 feed; each item: title, link, guid, date (day), content (HTML, optional)."""
    parts = []
    for item in items:
        content = item.get("content")
        extra = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
        guid = f"<guid isPermaLink='false'>{escape(item['guid'])}</guid>" if "guid" in item else ""
        parts.append(
            f"<item><title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>"
            f"{guid}<pubDate>{rfc822(int(item.get('day', '1')))}</pubDate>"
            f"<description>{escape(item.get('summary', 'A short teaser.'))}</description>"
            f"{extra}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<description>News</description>{''.join(parts)}</channel></rss>"
    ).encode()


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll until ``condition()`` holds (never a timing assert: a bound on waiting)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()
