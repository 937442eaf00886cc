"""Importing other tools' exports at scale, measured (figures printed, no budgets asserted).

* a synthetic Omnivore zip of N articles (content HTML, two highlights each: one exact, one
  with straight quotes and a doubled space where the page has curly quotes), imported with
  ``reader.migrate`` into an empty library: total time, articles per second, seconds per
  1,000, peak memory, anchoring counts; then the same export again (nothing to add);
* a Pocket CSV of M URLs served by a server on 127.0.0.1 that this script starts: fetch and
  store time, pages per second; then the same CSV again (nothing fetched).

    python bench/bench_migrate.py [--omnivore 50000] [--pocket 3000]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import sys
import tempfile
import time
import zipfile
from http.server import BaseHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.library import Repository  # noqa: E402
from reader.migrate import find_exports, run_export  # noqa: E402
from tests.local_server import serving  # noqa: E402

WORDS = [
    "river",
    "bridge",
    "water",
    "village",
    "baker",
    "church",
    "morning",
    "engineers",
    "county",
    "pumps",
    "sandbags",
    "children",
    "school",
    "bread",
    "families",
    "hill",
    "night",
    "flood",
    "arch",
    "forty",
    "years",
    "noon",
    "steps",
]


def paragraph(n: int, k: int) -> str:
    words = [WORDS[(n * 7 + k * 3 + i * 5) % len(WORDS)] for i in range(40)]
    return f"Story {n} part {k}: " + " ".join(words) + "."


def omnivore_zip(path: Path, count: int) -> None:
    metadata = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n in range(count):
            slug = f"story-{n}"
            metadata.append(
                {
                    "id": str(n), "slug": slug, "title": f"Story number {n}",
                    "description": "", "author": "Bench", "url": f"https://example.org/{slug}",
                    "state": "Archived" if n % 3 == 0 else "Succeeded",
                    "readingProgress": n % 100, "labels": [{"name": "bench"}],
                    "savedAt": "2024-03-01T10:00:00.000Z", "updatedAt": None,
                    "publishedAt": None,
                }
            )  # fmt: skip
            quote = f"\u201cWe\u2019ve  said it {n} times,\u201d the baker said"
            paragraphs = [paragraph(n, 0), quote + " to everyone.", paragraph(n, 1)]
            html = "".join(f"<p>{p}</p>" for p in paragraphs)
            archive.writestr(
                f"content/{slug}.html",
                f"<html><head><title>Story number {n}</title></head><body><article>"
                f"<h1>Story number {n}</h1>{html}</article></body></html>",
            )
            archive.writestr(
                f"highlights/{slug}.md",
                f'> {paragraph(n, 0)[:60]}\n\n> "We\'ve said it {n} times," the baker said\n'
                "#bench\nA note.\n",
            )
        archive.writestr("metadata_0_to_all.json", json.dumps(metadata))


class Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        n = self.path.rsplit("/", 1)[-1]
        body = (
            f"<html><head><title>Page {n}</title></head><body><article><h1>Page {n}</h1>"
            f"<p>{paragraph(int(n) if n.isdigit() else 0, 0)}</p>"
            f"<p>{paragraph(int(n) if n.isdigit() else 0, 1)}</p></article></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_import(repo: Repository, path: Path, **options: object) -> tuple[float, object]:
    (found,) = find_exports([path])[0]
    start = time.perf_counter()
    summary = run_export(repo, found, **options)  # type: ignore[arg-type]
    return time.perf_counter() - start, summary


def bench_omnivore(folder: Path, count: int) -> None:
    path = folder / "omnivore.zip"
    start = time.perf_counter()
    omnivore_zip(path, count)
    print(f"Omnivore zip of {count} articles written in {time.perf_counter() - start:.1f} s")
    repo = Repository.open(folder / "lib-omnivore")
    marks: list[tuple[int, float]] = []
    step = max(1000, count // 10)

    def mark(done: int, total: int) -> None:
        if done % step == 0:
            marks.append((done, time.perf_counter()))

    begun = time.perf_counter()
    seconds, summary = timed_import(repo, path, on_progress=mark)
    s = summary
    last = (0, begun)
    rates = []
    for done, at in marks:
        rates.append(f"{done // 1000}k: {1000 * (at - last[1]) / (done - last[0]):.2f}")
        last = (done, at)
    print("  seconds per 1,000 as the library grows: " + ", ".join(rates))
    print(
        f"  import: {seconds:.1f} s, {count / seconds:.0f} articles/s, "
        f"{1000 * seconds / count:.2f} s per 1,000; peak {peak_mb():.0f} MB"
    )
    print(f"  imported {len(s.imported)}; {s.anchoring()}")  # type: ignore[attr-defined]
    seconds, again = timed_import(repo, path)
    print(
        f"  again: {seconds:.1f} s, imported {len(again.imported)}, "  # type: ignore[attr-defined]
        f"quotes added {again.quotes_added}"  # type: ignore[attr-defined]
    )
    repo.close()


def bench_pocket(folder: Path, count: int) -> None:
    with serving(Pages) as httpd:
        _bench_pocket(folder, count, *httpd.server_address[:2])


def _bench_pocket(folder: Path, count: int, host: object, port: int) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "url", "time_added", "cursor", "tags", "status"])
    for n in range(count):
        # Spread over 50 host names (all 127.0.0.x on loopback) so the per-host limit matters.
        writer.writerow(
            [f"P{n}", f"http://{host}:{port}/{n % 50}/{n}", "1700000000", "", "a|b", "unread"]
        )
    path = folder / "part_000000.csv"
    path.write_text(out.getvalue())
    repo = Repository.open(folder / "lib-pocket")
    try:
        seconds, summary = timed_import(repo, path, per_host=8)
        print(
            f"Pocket CSV of {count} URLs on 127.0.0.1: {seconds:.1f} s, "
            f"{count / seconds:.0f} pages/s, {1000 * seconds / count:.1f} s per 1,000; "
            f"imported {len(summary.imported)}, failed {len(summary.failed)}"  # type: ignore[attr-defined]
        )
        seconds, again = timed_import(repo, path)
        print(
            f"  again: {seconds:.2f} s, {again.known} already in the library, "  # type: ignore[attr-defined]
            f"imported {len(again.imported)}"  # type: ignore[attr-defined]
        )
    finally:
        repo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--omnivore", type=int, default=50_000)
    parser.add_argument("--pocket", type=int, default=3_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.omnivore:
            bench_omnivore(Path(tmp), args.omnivore)
        if args.pocket:
            bench_pocket(Path(tmp), args.pocket)


if __name__ == "__main__":
    main()
