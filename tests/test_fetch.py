"""reader add: fetching pages from a local HTTP server on 127.0.0.1 (never the internet)."""

# Turkish letters in the test page are deliberate.
# ruff: noqa: RUF001

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from reader.cli import main
from reader.fetch import USER_AGENT, FetchError, add_urls, fetch
from reader.fetch import _network_reason as network_reason
from reader.library import Repository
from tests.local_server import QuietHandler

TITLE = "The Quiet Art of Reading Slowly"
PARAGRAPHS = [
    "Reading slowly is a habit that most of us lost somewhere between the inbox and the "
    "feed, and it is worth asking what went with it when it went.",
    "A slow reader notices the turn of a sentence, the word chosen over its neighbour, and "
    "the pause a writer leaves before the thing that matters most in the whole piece.",
    "None of this needs special tools. It needs a quiet hour, a text worth the hour, and the "
    "willingness to read a paragraph twice when the first reading did not take.",
    "The reward is not speed but memory: what was read slowly stays, and comes back when it "
    "is needed, often years later and in a very different room.",
]
CANONICAL = "https://example.org/essays/quiet-art"


def article_page(canonical: str = CANONICAL) -> bytes:
    """An article page with title, byline, canonical link and paragraphs."""
    paragraphs = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{TITLE}</title>
<meta property="og:title" content="{TITLE}">
<meta name="author" content="Ada Lovelace">
<link rel="canonical" href="{canonical}">
</head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>{TITLE}</h1><p class="byline">By Ada Lovelace</p>
{paragraphs}
</article>
<footer>Copyright the essay site</footer>
</body></html>""".encode()


TURKISH_TITLE = "Çağdaş şiirde ışık ve gölge"
TURKISH_PARAGRAPHS = [
    "İstanbul'un eski sokaklarında yürürken şairin gözü her köşede başka bir ışık görür; "
    "bu ışık bazen bir çeşmenin taşında, bazen bir pencerenin camında parıldar.",
    "Gölge ise şiirin sessiz yoldaşıdır: söylenmeyen sözlerin, yarım kalmış düşüncelerin ve "
    "uzun kış gecelerinde okunan kitapların ağırlığını taşır.",
    "Çağdaş şairler bu iki öğeyi birlikte düşünür; ışığı gölgesiz, gölgeyi ışıksız anlatmanın "
    "eksik kalacağını bilirler ve dizelerini buna göre örerler.",
]


def turkish_page() -> bytes:
    """A Turkish page in ISO-8859-9 whose <meta> wrongly says Windows-1252; the header is right.

    Sniffing alone would read it right; the wrong <meta> shows that the header is what counts.
    """
    paragraphs = "\n".join(f"<p>{p}</p>" for p in TURKISH_PARAGRAPHS)
    html = (
        "<!DOCTYPE html><html lang='tr'><head><meta charset='windows-1252'>"
        f"<title>{TURKISH_TITLE}</title></head>"
        f"<body><article><h1>{TURKISH_TITLE}</h1>{paragraphs}</article></body></html>"
    )
    return html.encode("iso-8859-9")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PLAIN = (
    b"Notes on reading\n\nA plain text page served as text/plain is read as a plain file: "
    b"its first line is the title and the rest are paragraphs of ordinary prose.\n"
)
PLAIN_TURKISH = (
    "Okuma üzerine notlar\n\nDüz metin olarak sunulan bir sayfa, diskteki bir metin dosyası "
    "gibi okunur: ilk satırı başlık, geri kalanı sıradan paragraflardır. Şehirde ışıklar "
    "yandığında herkes evine döndü ve gece sessizce geçti.\n\nİkinci paragraf da öyle.\n"
)


class Handler(QuietHandler):
    """Routes for each case; the server object carries the shared state."""

    server: LocalServer

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers)))
        route = self.path.split("?")[0]
        if route == "/article":
            self.answer(200, "text/html; charset=utf-8", article_page())
        elif route == "/relative-canonical":
            self.answer(200, "text/html", article_page(canonical="/essays/quiet-art"))
        elif route == "/redirect":
            self.redirect("/article")
        elif route == "/loop":
            self.redirect("/loop")
        elif route == "/to-file":
            self.redirect("file:///etc/passwd")
        elif route == "/slow":
            self.server.stop.wait(5)  # released at teardown so the thread ends promptly
            self.answer(200, "text/html", article_page())
        elif route == "/image.png":
            self.answer(200, "image/png", PNG)
        elif route == "/big":
            # No Content-Length: the limit must be enforced while streaming.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body>" + b"<p>filler text</p>" * 5000)
        elif route == "/big-declared":
            self.answer(200, "text/html", b"<html>" + b" " * 50_000 + b"</html>")
        elif route == "/turkish":
            self.answer(200, "text/html; charset=iso-8859-9", turkish_page())
        elif route == "/notes.txt":
            self.answer(200, "text/plain; charset=utf-8", PLAIN)
        elif route == "/notlar.txt":
            self.answer(200, "text/plain", PLAIN_TURKISH.encode("cp1254"))  # no charset given
        elif route == "/empty":
            self.answer(200, "text/html", b"<html><body></body></html>")
        else:
            self.answer(404, "text/html", b"<html><body>Not here</body></html>")


class LocalServer(ThreadingHTTPServer):
    """A threading HTTP server that records requests and can release slow handlers."""

    requests: list[tuple[str, dict[str, str]]]
    stop: threading.Event


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A server on 127.0.0.1 and a free port, shut down after the test."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        # A proxy from the environment must not see (or swallow) requests to localhost.
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    httpd = LocalServer(("127.0.0.1", 0), Handler)
    httpd.requests = []
    httpd.stop = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.stop.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def url_of(server: LocalServer, path: str) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}{path}"


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Repository]:
    repo = Repository.in_memory(tmp_path / "texts")
    yield repo
    repo.close()


def reason_of(url: str, **limits: float) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, **limits)  # type: ignore[arg-type]
    error = caught.value
    assert str(error) == f"{url}: {error.reason}"
    assert "\n" not in str(error)
    return error.reason


# -- fetch ---------------------------------------------------------------------------------


def test_fetch_sends_a_clear_user_agent_and_prefers_html(server: LocalServer) -> None:
    fetched = fetch(url_of(server, "/article"))
    assert fetched.content_type == "text/html"
    assert fetched.charset == "utf-8"
    assert fetched.body == article_page()
    headers = {k.lower(): v for k, v in server.requests[-1][1].items()}
    assert headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("reader/0.") and "+https://" in USER_AGENT
    assert headers["accept"].startswith("text/html")


def test_404_is_a_clear_error(server: LocalServer) -> None:
    assert reason_of(url_of(server, "/missing")) == "HTTP 404 Not Found"


def test_slow_page_times_out(server: LocalServer) -> None:
    assert reason_of(url_of(server, "/slow"), timeout=0.5) == "timed out after 0.5 s"


def test_image_is_not_a_web_page(server: LocalServer) -> None:
    assert reason_of(url_of(server, "/image.png")) == "not a web page or plain text (image/png)"


def test_redirect_is_followed_and_final_url_kept(server: LocalServer) -> None:
    fetched = fetch(url_of(server, "/redirect"))
    assert fetched.final_url == url_of(server, "/article")
    assert fetched.body == article_page()


def test_redirect_loop_is_refused(server: LocalServer) -> None:
    reason = reason_of(url_of(server, "/loop"), max_redirects=3)
    assert reason == "too many redirects (more than 3)"
    assert [path for path, _ in server.requests] == ["/loop"] * 4


def test_redirect_to_another_scheme_is_refused(server: LocalServer) -> None:
    reason = reason_of(url_of(server, "/to-file"))
    assert reason == "redirected to a file: URL; only http and https are fetched"


def test_oversized_body_is_refused_while_streaming(server: LocalServer) -> None:
    assert reason_of(url_of(server, "/big"), max_bytes=1000) == "larger than the 1000 bytes limit"


def test_oversized_body_is_refused_from_its_length(server: LocalServer) -> None:
    reason = reason_of(url_of(server, "/big-declared"), max_bytes=20 * 1024)
    assert reason == "larger than the 20 KB limit"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/article", "ftp: URL; only http and https are fetched"),
        ("file:///etc/passwd", "file: URL; only http and https are fetched"),
        ("javascript:alert(1)", "javascript: URL; only http and https are fetched"),
        ("http:///no-host", "the URL has no host"),
        ("example.org/article", "not a web address; did you mean https://example.org/article?"),
    ],
)
def test_other_schemes_are_refused_without_a_request(
    url: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a request was made")

    monkeypatch.setattr(httpx.AsyncClient, "send", no_network)
    assert reason_of(url) == reason


def test_connection_refused_is_one_short_line() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port now that the socket is closed.
    assert reason_of(f"http://127.0.0.1:{port}/") == "connection refused"


def test_network_reasons_come_from_the_os_error() -> None:
    dns = httpx.ConnectError("[Errno -2] Name or service not known")
    dns.__cause__ = socket.gaierror(-2, "Name or service not known")
    assert network_reason(dns) == "could not find the host (DNS lookup failed)"
    tls = httpx.ConnectError("certificate verify failed")
    tls.__context__ = ssl.SSLError("handshake")
    assert network_reason(tls) == "TLS handshake failed"


# -- add_urls ------------------------------------------------------------------------------


def test_article_is_added_with_title_and_canonical_url(
    server: LocalServer, library: Repository
) -> None:
    url = url_of(server, "/article")
    summary = add_urls(library, [url])
    assert not summary.failed and not summary.present
    ((given, article),) = summary.added
    assert given == url
    assert article.title == TITLE
    assert article.url == CANONICAL
    assert article.file == url
    assert article.language == "en"
    body = library.body(article)
    assert all(p in body for p in PARAGRAPHS)
    assert "Copyright the essay site" not in body


def test_redirected_article_keeps_the_final_url_when_canonical_is_not_absolute(
    server: LocalServer, library: Repository
) -> None:
    summary = add_urls(library, [url_of(server, "/relative-canonical")])
    ((_, article),) = summary.added
    assert article.url is not None and article.url.startswith(("http://", "https://"))


def test_header_charset_decodes_turkish(server: LocalServer, library: Repository) -> None:
    summary = add_urls(library, [url_of(server, "/turkish")])
    assert not summary.failed
    ((_, article),) = summary.added
    assert article.title == TURKISH_TITLE
    assert TURKISH_PARAGRAPHS[0] in library.body(article)
    assert article.language == "tr"
    assert article.url == url_of(server, "/turkish")


def test_plain_text_page_is_imported_as_plain_text(
    server: LocalServer, library: Repository
) -> None:
    summary = add_urls(library, [url_of(server, "/notes.txt")])
    ((_, article),) = summary.added
    assert article.title == "Notes on reading"
    assert article.url == url_of(server, "/notes.txt")


def test_same_url_twice_is_already_present(server: LocalServer, library: Repository) -> None:
    url = url_of(server, "/article")
    first = add_urls(library, [url])
    second = add_urls(library, [url, url_of(server, "/redirect")])
    assert not second.added and not second.failed
    assert [a.id for _, a in second.present] == [first.added[0][1].id] * 2
    assert len(library.articles()) == 1


def test_failures_are_reported_and_the_rest_goes_on(
    server: LocalServer, library: Repository
) -> None:
    urls = [url_of(server, p) for p in ("/missing", "/image.png", "/empty", "/article")]
    seen: list[FetchError] = []
    summary = add_urls(library, urls, seen.append)
    assert [e.url for e in summary.failed] == urls[:3] == [e.url for e in seen]
    assert [e.reason for e in summary.failed] == [
        "HTTP 404 Not Found",
        "not a web page or plain text (image/png)",
        "no article text found on the page",
    ]
    assert [a.title for _, a in summary.added] == [TITLE]


# -- reader add ----------------------------------------------------------------------------


def test_cli_add_json(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, missing = url_of(server, "/article"), url_of(server, "/missing")
    status = main(["--library", str(tmp_path / "lib"), "add", url, missing, "--json"])
    out, err = capsys.readouterr()
    assert status == 1
    value = json.loads(out)
    assert [(a["url"], a["title"]) for a in value["added"]] == [(url, TITLE)]
    assert isinstance(value["added"][0]["id"], int)
    assert value["already_present"] == []
    assert value["failed"] == [{"url": missing, "reason": "HTTP 404 Not Found"}]
    assert err == f"reader: failed {missing}: HTTP 404 Not Found\n"


def test_cli_add_summary_and_twice(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = url_of(server, "/article")
    library = ["--library", str(tmp_path / "lib")]
    assert main([*library, "add", url]) == 0
    assert capsys.readouterr().out == "Added 1, already present 0, failed 0.\n"
    assert main([*library, "add", url]) == 0
    assert capsys.readouterr().out == "Added 0, already present 1, failed 0.\n"


def test_cli_add_reads_a_plain_text_page_as_plain_text(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # README: a text/plain page is read like a plain-text file, and keeps its URL.
    library = ["--library", str(tmp_path / "lib")]
    url = url_of(server, "/notlar.txt")
    assert main([*library, "add", url, "--json"]) == 0
    [added] = json.loads(capsys.readouterr().out)["added"]
    assert added["url"] == url and added["title"] == "Okuma üzerine notlar"
    assert main([*library, "show", str(added["id"]), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["url"] == url and shown["language"] == "tr"
    # Windows-1254 without a charset in the header is detected, and blank lines part paragraphs.
    paragraphs = shown["text"].split("\n\n")
    assert paragraphs[0] == "Okuma üzerine notlar"
    assert paragraphs[1].startswith("Düz metin olarak sunulan")
    assert "Şehirde ışıklar" in paragraphs[1]
    assert paragraphs[2] == "İkinci paragraf da öyle."


def test_cli_add_refuses_what_is_neither_html_nor_plain_text(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = url_of(server, "/image.png")
    assert main(["--library", str(tmp_path / "lib"), "add", url]) == 1
    out, err = capsys.readouterr()
    assert err == f"reader: failed {url}: not a web page or plain text (image/png)\n"
    assert out == "Added 0, already present 0, failed 1.\n"


def test_importing_the_module_loads_neither_textual_nor_httpx() -> None:
    code = "import sys, reader.fetch; print('textual' in sys.modules, 'httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("label", ["iso-8859-1", "latin1", "ISO8859-1", "us-ascii"])
def test_latin_1_labels_are_read_as_windows_1252_as_browsers_do(label: str) -> None:
    from reader.fetch import Fetched, _decode_with

    page = Fetched("http://x/", "text/html", label, b"<p>\x93Quoted\x94 \x96 caf\xe9</p>")
    assert _decode_with(page) == "<p>\u201cQuoted\u201d \u2013 caf\u00e9</p>"
