"""Scale budgets (issue #13) on a 50,000-article library with 20,000 quotes.

Prints every figure with its budget; never fails. The library is built once per size and
kept under /tmp (``reader-scale-<count>``): delete that folder to measure the import again.

* plain-text import through ``reader import FOLDER`` in its own process (budget ≥ 500
  articles/s), with its peak memory;
* ``search.sqlite3`` against the text it indexes, after a first build (budget: no larger);
* in-process search latency over varied queries (budget: median ≤ 50 ms);
* the all-quotes screen with 20,000 quotes: from the key ``Q`` to the first quote drawn, in a
  headless app (budget ≤ 0.5 s);
* peak memory of the app with the library open, searched and the quotes screen shown, in
  its own process (budget ≤ 300 MB).

    python bench/bench_scale.py [--count 50000] [--quotes 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_library import write_sources  # noqa: E402
from bench_search import QUERIES  # noqa: E402

from reader.library import Quote, Repository  # noqa: E402
from reader.library.search import INDEX_FILE  # noqa: E402


def ms(seconds: float) -> str:
    """Milliseconds, right-aligned."""
    return f"{seconds * 1000:7.1f} ms"


def verdict(ok: bool) -> str:
    """What a figure means against its budget."""
    return "ok" if ok else "OVER BUDGET"


def run_import(src: Path, library: Path) -> tuple[float, int]:
    """``reader import src`` in its own process: (seconds, peak RSS in KiB)."""
    argv = [sys.executable, "-m", "reader", "--library", str(library), "import", str(src)]
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        error = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"reader import failed: {error}")
    return elapsed, usage.ru_maxrss


def add_quotes(repo: Repository, count: int) -> None:
    """``count`` quotes spread over the library, in one write."""
    articles = repo.articles()
    created = datetime(2025, 1, 1, tzinfo=UTC)
    quotes = []
    for n in range(count):
        article = articles[(n * 7919) % len(articles)]
        body = repo.body(article)
        start = (n * 31) % max(len(body) - 80, 1)
        end = min(start + 60, len(body))
        quotes.append(
            Quote(
                0,
                article.id,
                article.title,
                body[start:end],
                start,
                end,
                body[max(start - 20, 0) : start],
                body[end : end + 20],
                created + timedelta(minutes=n),
                note=f"note {n}" if n % 5 == 0 else "",
            )
        )
    repo.add_restored_quotes(quotes)


def prepare(count: int, quote_count: int) -> tuple[Path, dict[str, str]]:
    """The cached library for ``count`` articles (built now if missing) and import figures."""
    work = Path(f"/tmp/reader-scale-{count}")
    library, src, figures_file = work / "lib", work / "src", work / "import.txt"
    if not figures_file.exists():
        shutil.rmtree(work, ignore_errors=True)
        write_sources(src, count)
        elapsed, rss = run_import(src, library)
        figures_file.write_text(f"{elapsed}\n{rss}\n")
        shutil.rmtree(src, ignore_errors=True)
    elapsed_s, rss_s = figures_file.read_text().split()
    repo = Repository.open(library)
    have = len(repo.quotes())
    if have < quote_count:
        add_quotes(repo, quote_count - have)
    repo.close()
    return library, {"import_seconds": elapsed_s, "import_rss": rss_s}


def index_figures(library: Path, rebuild: bool) -> None:
    """Size of the index against the text, and the time a first build takes."""
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            (library / f"{INDEX_FILE}{suffix}").unlink(missing_ok=True)
    repo = Repository.open(library)
    started = time.perf_counter()
    repo.search("warm-up")
    built = time.perf_counter() - started
    repo.close()
    texts = sum(p.stat().st_size for p in (library / "texts").iterdir())
    size = sum(p.stat().st_size for p in library.iterdir() if p.name.startswith(INDEX_FILE))
    print(f"index build (or check): {built:.1f} s")
    print(
        f"{INDEX_FILE}: {size / 1e6:.1f} MB for {texts / 1e6:.1f} MB of text "
        f"({size / texts:.2f}x)   (budget <= 1.00x) {verdict(size <= texts)}"
    )


def search_figures(library: Path, repeat: int) -> None:
    """Median in-process latency of the bench_search queries."""
    repo = Repository.open(library)
    repo.search("government")
    per_query = {}
    for query in QUERIES:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            repo.search(query, limit=50)
            times.append(time.perf_counter() - started)
        per_query[query] = statistics.median(times)
    repo.close()
    slowest = sorted(per_query.items(), key=lambda kv: -kv[1])[:5]
    print("search, slowest queries: " + ", ".join(f"{q!r} {s * 1000:.0f} ms" for q, s in slowest))
    median = statistics.median(per_query.values())
    print(f"search median {ms(median)}   (budget <= 50 ms) {verdict(median <= 0.05)}")


async def quotes_screen_time(library: Path) -> float:
    """Seconds from the key Q to the first line of a quote drawn, in a headless app."""
    from reader.tui.app import ReaderApp
    from reader.tui.screens.quotes import LibraryQuotes, QuotesScreen

    drawn: list[float] = []
    original = LibraryQuotes.render_line

    def render_line(self: LibraryQuotes, y: int) -> object:
        strip = original(self, y)
        if not drawn and self.option_count and strip.cell_length and strip.text.strip():
            drawn.append(time.perf_counter())
        return strip

    LibraryQuotes.render_line = render_line  # type: ignore[method-assign,assignment]
    try:
        state = Path(tempfile.mkdtemp(prefix="reader-scale-state-")) / "state.json"
        repo = Repository.open(library)
        app = ReaderApp(repo, None, state)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.5)
            started = time.perf_counter()
            await pilot.press("Q")
            while not drawn and time.perf_counter() - started < 30:
                await pilot.pause(0.001)
            assert isinstance(app.screen, QuotesScreen)
        app.saver.close()
        repo.close()
    finally:
        LibraryQuotes.render_line = original  # type: ignore[method-assign]
    return drawn[0] - started if drawn else float("inf")


# The app is started from this small process, which writes its peak RSS to a file: a child's
# ru_maxrss counts the memory of the process it was forked from until its exec, and this
# benchmark's own process holds the whole library by then (it measured ~290 MB for 185).
TRAMPOLINE = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
"""


def peak_memory(library: Path, env: dict[str, str], steps: list[tuple[bytes, float]]) -> int:
    """Peak RSS (KiB) of the app in a 120x40 pseudo-terminal, sent each step's keys then
    given its seconds; the last step should quit it."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    peak_file = Path(tempfile.mkdtemp(prefix="reader-bench-peak-")) / "peak"
    argv = [sys.executable, "-c", TRAMPOLINE, str(peak_file)]
    argv += [sys.executable, "-m", "reader", "--library", str(library)]
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT)
    os.close(slave)

    def pump(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    return

    for keys, wait in steps:
        if keys:
            os.write(master, keys)
        pump(wait)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    os.close(master)
    return int(peak_file.read_text()) if peak_file.exists() else 0


def app_peak_memory(library: Path) -> int:
    """Peak RSS (KiB) of the app in a pseudo-terminal: opened, an article, a search, quotes."""
    compileall.compile_dir(ROOT / "reader", quiet=1)
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
    env["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="reader-scale-state-")
    env.pop("READER_LIBRARY", None)
    steps = [(b"", 5.0), (b"\r", 3.0), (b"S", 2.0), (b"government\r", 6.0), (b"\x1b", 1.0)]
    steps += [(b"Q", 4.0), (b"\x1b", 1.0), (b"\x11", 3.0)]
    return peak_memory(library, env, steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--quotes", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep-index", action="store_true", help="do not rebuild the index")
    args = parser.parse_args()
    library, figures = prepare(args.count, args.quotes)
    print(f"library: {library} ({args.count} articles, {args.quotes} quotes)")
    seconds = float(figures["import_seconds"])
    rate = args.count / seconds
    print(
        f"import: {seconds:.1f} s, {rate:.0f} articles/s   (budget >= 500/s)"
        f" {verdict(rate >= 500)}; peak memory {int(figures['import_rss']) / 1024:.0f} MB"
    )
    index_figures(library, rebuild=not args.keep_index)
    search_figures(library, args.repeat)
    times = [asyncio.run(quotes_screen_time(library)) for _ in range(args.repeat)]
    median = statistics.median(times)
    print(
        f"all-quotes screen, key Q to the first quote drawn: median {ms(median)}"
        f" (runs: {', '.join(f'{t * 1000:.0f}' for t in times)})   (budget <= 500 ms)"
        f" {verdict(median <= 0.5)}"
    )
    rss = app_peak_memory(library)
    print(
        f"app peak memory (open, article, search, all quotes): {rss / 1024:.0f} MB"
        f"   (budget <= 300 MB) {verdict(rss <= 300 * 1024)}"
    )


if __name__ == "__main__":
    main()
