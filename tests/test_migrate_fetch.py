"""Pocket and Instapaper exports: every link fetched from a server on 127.0.0.1, resumably."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import Repository
from reader.migrate import find_exports, run_export
from reader.migrate.model import MigrateSummary
from tests.local_server import QuietHandler, no_proxies, serving
from tests.migrate_exports import (
    INSTAPAPER_HEADER,
    PARAGRAPH_1,
    PARAGRAPH_3,
    POCKET_HEADER,
    article_html,
    csv_bytes,
    write_zip,
)


class Handler(QuietHandler):
    def do_GET(self) -> None:
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        if self.path.startswith("/page/"):
            number = self.path.rsplit("/", 1)[1]
            page = article_html(
                f"Page number {number}", f"Story {number}. {PARAGRAPH_1}", PARAGRAPH_3
            )
            self.answer(200, "text/html; charset=utf-8", page.encode())
        elif self.path == "/image.png":
            self.answer(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
        else:
            self.answer(404, "text/html", b"<h1>gone</h1>")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ThreadingHTTPServer]:
    no_proxies(monkeypatch)
    with serving(Handler) as httpd:
        httpd.paths = []  # type: ignore[attr-defined]
        yield httpd


def url(server: ThreadingHTTPServer, path: str) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}{path}"


def pocket_rows(server: ThreadingHTTPServer, count: int) -> list[list[str]]:
    rows = [
        [f"Saved {n}", url(server, f"/page/{n}"), str(1700000000 + n), "", "news|later",
         "archive" if n % 2 else "unread"]
        for n in range(count)
    ]  # fmt: skip
    rows.append(["Gone", url(server, "/gone"), "1700000000", "", "", "unread"])
    rows.append(["A picture", url(server, "/image.png"), "1700000000", "", "", "unread"])
    return rows


def _run(repo: Repository, path: Path, **options: object) -> MigrateSummary:
    (found,) = find_exports([path])[0]
    return run_export(repo, found, **options)  # type: ignore[arg-type]


def test_pocket_zip_fetches_each_link_and_lists_the_dead(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    files = {
        "part_000000.csv": csv_bytes(POCKET_HEADER, pocket_rows(server, 3)[:2]),
        "part_000001.csv": csv_bytes(POCKET_HEADER, pocket_rows(server, 3)[2:]),
    }
    path = write_zip(tmp_path / "pocket.zip", files)
    repo = Repository.open(tmp_path / "lib")
    summary = _run(repo, path)
    assert summary.kind == "Pocket"
    assert len(summary.imported) == 3
    failed = dict(summary.failed)
    assert set(failed) == {url(server, "/gone"), url(server, "/image.png")}
    assert "404" in failed[url(server, "/gone")]
    by_title = {a.title: a for a in repo.articles()}
    first = by_title["Page number 1"]
    assert first.read and set(first.tags) == {"news", "later"}
    assert first.added.timestamp() == 1700000001
    assert not by_title["Page number 0"].read
    assert first.file == url(server, "/page/1")


def test_second_run_fetches_only_what_is_missing(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    path = tmp_path / "part_000000.csv"
    path.write_bytes(csv_bytes(POCKET_HEADER, pocket_rows(server, 6)))
    repo = Repository.open(tmp_path / "lib")
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 2:
            stop.set()

    first = _run(repo, path, on_progress=progress, stop=stop, workers=1)
    assert first.stopped
    kept = len(repo.articles())
    assert 1 <= kept < 6  # what was fetched before the stop is stored
    server.paths.clear()  # type: ignore[attr-defined]
    second = _run(repo, path)
    assert len(repo.articles()) == 6
    assert second.known == kept
    fetched = [p for p in server.paths if p.startswith("/page/")]  # type: ignore[attr-defined]
    assert len(fetched) == 6 - kept
    server.paths.clear()  # type: ignore[attr-defined]
    third = _run(repo, path)
    assert third.imported == [] and third.known == 6
    # Only the dead links are tried again.
    assert sorted(server.paths) == ["/gone", "/image.png"]  # type: ignore[attr-defined]


def test_instapaper_folders_and_selection(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    path = tmp_path / "instapaper-export.csv"
    rows = [
        [url(server, "/page/1"), "One", "the old bridge stood in water", "Archive", "1700000000"],
        [url(server, "/page/2"), "Two", "", "Starred", "1700000100"],
        [url(server, "/page/3"), "Three", "", "Recipes", "1700000200"],
        [url(server, "/page/4"), "Four", "", "Unread", "1700000300"],
    ]
    path.write_bytes(csv_bytes(INSTAPAPER_HEADER, rows))
    repo = Repository.open(tmp_path / "lib")
    summary = _run(repo, path)
    assert summary.kind == "Instapaper" and len(summary.imported) == 4
    by_title = {a.title: a for a in repo.articles()}
    one = by_title["Page number 1"]
    assert one.read
    assert [q.text for q in repo.quotes(one.id)] == ["the old bridge stood in water"]
    assert by_title["Page number 2"].tags == ("starred",)
    assert by_title["Page number 3"].tags == ("Recipes",)
    assert by_title["Page number 4"].tags == () and not by_title["Page number 4"].read


def test_cli_pocket_lists_failures_and_json(
    server: ThreadingHTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "part_000000.csv"
    path.write_bytes(csv_bytes(POCKET_HEADER, pocket_rows(server, 2)))
    lib = ["--library", str(tmp_path / "lib")]
    assert main([*lib, "import", str(path)]) == 0
    out, err = capsys.readouterr()
    assert f"reader: recognised a Pocket export in {path}\n" in err
    assert "Pocket: imported 2, already present 0, failed 2." in out
    assert f"reader: failed {url(server, '/gone')}: HTTP 404 Not Found\n" in err
    assert f"reader: failed {url(server, '/image.png')}: " in err
    assert main([*lib, "import", str(path), "--json"]) == 0
    (export,) = json.loads(capsys.readouterr().out)["exports"]
    assert export["already_in_library"] == 2 and export["imported"] == []
    assert {f["url"] for f in export["failed"]} == {url(server, "/gone"), url(server, "/image.png")}


def test_ctrl_c_keeps_what_was_fetched_and_says_so(
    server: ThreadingHTTPServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import reader.migrate.bulk as bulk

    real = bulk.run_each

    def interrupted(*args: object, **kwargs: object) -> Iterator[object]:
        for count, outcome in enumerate(real(*args, **kwargs), start=1):  # type: ignore[arg-type]
            yield outcome
            if count == 3:
                raise KeyboardInterrupt

    monkeypatch.setattr(bulk, "run_each", interrupted)
    path = tmp_path / "part_000000.csv"
    path.write_bytes(csv_bytes(POCKET_HEADER, pocket_rows(server, 8)[:8]))
    lib = ["--library", str(tmp_path / "lib")]
    assert main([*lib, "import", str(path)]) == 130
    out, err = capsys.readouterr()
    assert "Pocket: imported 3, already present 0" in out
    assert "stopped: what was imported is kept" in err
    monkeypatch.setattr(bulk, "run_each", real)
    assert main([*lib, "import", str(path)]) == 0
    out, _ = capsys.readouterr()
    assert "Pocket: imported 5, already present 0, 3 already in the library" in out
