"""App budgets, measured side by side in one run (this machine is shared and noisy).

* launch to the first title on screen with 10,000 articles, in a pseudo-terminal (120x40),
  against a bare Textual app showing one line, alternated run by run (budget: 1.25x). The
  usual start paints the start view (``start-view.json``, left by the last app or import);
  a start after another process changed the library reads it all first, and is shown too;
* opening a 50,000-word article: its first screen after the key (budget ≤ 150 ms), and
  rendering a page of scrolling (budget ≤ 16 ms);
* a quote save: time on the UI thread (budget ≤ 16 ms) and until it is on disk (≤ 1 s);
* peak memory of the app with 10,000 articles and the long article open (budget ≤ 250 MB).

    python bench/bench_tui.py [--articles 10000] [--runs 15]

reader's modules are compiled to bytecode first, as pip does when it installs a wheel: this
machine sets PYTHONDONTWRITEBYTECODE=1, and compiling them at every launch costs ~50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_library import build, write_sources  # noqa: E402
from textual.strip import Strip  # noqa: E402

from reader.library import Repository  # noqa: E402
from reader.library.head import START_VIEW_FILE  # noqa: E402
from reader.text import parse_plain  # noqa: E402

LONG_SAMPLE = ROOT / "sample_articles" / "the-long-winter-of-the-lighthouse-keepers.txt"
BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("bare app ready")
Bare().run()
"""


def add_long_article(repo: Repository) -> int:
    """A 50,000-word article, added last so it is the newest (top of the list)."""
    text = LONG_SAMPLE.read_text("utf-8")
    _, _, rest = text.partition("\n")
    body = "\n\n".join([rest] * 3)
    parsed = parse_plain(f"The long winter, three times over\n\n{body}")
    [result] = repo.add_articles([(parsed, "long.txt")])
    return result.article.id


def time_to_text(argv: list[str], needle: bytes, env: dict[str, str]) -> tuple[float, int]:
    """Seconds from spawn until ``needle`` is on the pseudo-terminal, and peak RSS in KiB."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT)
    os.close(slave)
    seen = b""
    elapsed = float("nan")
    deadline = started + 30
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
            if needle in seen:
                elapsed = time.perf_counter() - started
                break
    os.write(master, b"\x11")  # ctrl+q
    rss = 0
    try:
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            select.select([master], [], [], 0.05)
            with contextlib.suppress(OSError):
                os.read(master, 65536)
            pid, _, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                rss = usage.ru_maxrss
                break
        else:
            proc.kill()
            rss = os.wait4(proc.pid, 0)[2].ru_maxrss
    finally:
        os.close(master)
    return elapsed, rss


def peak_memory_with_long_article(library: Path, env: dict[str, str]) -> int:
    """Open the app, open the newest (long) article, quit; peak RSS in KiB."""
    from bench_scale import peak_memory  # this process holds a library: see TRAMPOLINE there

    # Open the newest article (the long one), page through some of it, quit.
    steps = [(b"", 4.0), (b"\r", 3.0), (b" " * 20, 2.0), (b"\x11", 2.0)]
    return peak_memory(library, env, steps)


async def in_process(library: Path, long_id: int) -> dict[str, float]:
    """Open the long article, render a page, save a quote — inside a headless app."""
    from reader.tui.app import ReaderApp
    from reader.tui.messages import ArticleChosen, QuoteRequested
    from reader.tui.screens.main import MainScreen

    repo = Repository.open(library)
    app = ReaderApp(repo)
    figures: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        from reader.tui.widgets.text_view import TextView

        view = screen.text.view
        painted: list[float] = []
        render_line = TextView.render_line

        def timed_render_line(self: TextView, y: int) -> Strip:
            if self.article_id is not None and not painted:
                painted.append(time.perf_counter())
            return render_line(self, y)

        TextView.render_line = timed_render_line  # type: ignore[method-assign]
        opens, settled = [], []
        for _ in range(5):
            view.clear()
            await pilot.pause(0.3)
            painted.clear()
            started = time.perf_counter()
            screen.open_article(ArticleChosen(long_id))
            await pilot.pause()  # every message handled: the found quotations listed too
            settled.append(time.perf_counter() - started)
            opens.append(painted[0] - started)
        TextView.render_line = render_line  # type: ignore[method-assign]
        figures["open_ms"] = statistics.median(opens) * 1000
        figures["settled_ms"] = statistics.median(settled) * 1000
        pages = []
        for _ in range(10):
            view.scroll_page_down(animate=False)
            await pilot.pause()
            # Time the page as drawn the first time: drop the strips cached by the paint.
            view._lines.clear()
            started = time.perf_counter()
            for y in range(view.size.height):
                view.render_line(y)
            pages.append(time.perf_counter() - started)
        figures["page_ms"] = statistics.median(pages) * 1000
        body = repo.body(repo.article(long_id))
        saves, disk = [], []
        checker = Repository.open(library)
        taken = {q.start for q in checker.quotes(long_id)}  # an earlier run's (--reuse)
        starts = [s for s in range(5000, len(body) - 100, 700) if s not in taken][:10]
        for start in starts:
            started = time.perf_counter()
            screen.save_quote(QuoteRequested(long_id, start, start + 80))
            saves.append(time.perf_counter() - started)
            while not any(q.start == start for q in checker.quotes(long_id)):
                await asyncio.sleep(0.001)
            disk.append(time.perf_counter() - started)
        assert body
        figures["save_ui_ms"] = statistics.median(saves) * 1000
        figures["save_disk_ms"] = max(disk) * 1000
    app.saver.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--launch-only", action="store_true", help="measure the launch only")
    parser.add_argument("--reuse", type=Path, help="a work folder left by an earlier run")
    args = parser.parse_args()
    if args.reuse:
        work = args.reuse
        repo = Repository.open(work / "lib")
        long_id = repo.articles()[0].id
    else:
        work = Path(tempfile.mkdtemp(prefix="reader-bench-tui-"))
        write_sources(work / "src", args.articles - 1)
        repo, _ = build(work / "lib", args.articles - 1, work / "src")
        long_id = add_long_article(repo)
    newest = repo.articles()[0]
    repo.close()
    print(f"library: {args.articles} articles in {work / 'lib'}; newest: {newest.title!r}")

    compileall.compile_dir(ROOT / "reader", quiet=1)
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
    # The app's remembered state (theme, the article to resume) kept apart from the person's:
    # launches start on the list, as on a first run.
    env["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="reader-bench-state-")
    env.pop("READER_LIBRARY", None)
    app_cmd = [sys.executable, "-m", "reader", "--library", str(work / "lib")]
    bare_cmd = [sys.executable, "-c", BARE_APP]
    needle = newest.title[:16].encode()
    start_view = work / "lib" / START_VIEW_FILE
    times: dict[str, list[float]] = {"bare": [], "reader": [], "changed": []}
    for _ in range(args.runs):
        times["bare"].append(time_to_text(bare_cmd, b"bare app ready", env)[0])
        times["reader"].append(time_to_text(app_cmd, needle, env)[0])  # quitting wrote it
        start_view.unlink()  # as after a change by another process
        times["changed"].append(time_to_text(app_cmd, needle, env)[0])
    print("\nlaunch to first text on screen (pty 120x40), alternated run by run")
    labels = {"bare": "bare Textual app", "reader": "reader", "changed": "reader, library changed"}
    for key, values in times.items():
        print(
            f"  {labels[key]:<24} median {statistics.median(values) * 1000:6.1f} ms"
            f"  min {min(values) * 1000:6.1f} ms"
        )
    bare = statistics.median(times["bare"])
    ratio = statistics.median(times["reader"]) / bare
    print(f"  ratio reader:bare {ratio:.2f}x   (budget <= 1.25x)")
    changed = statistics.median(times["changed"]) / bare
    print(f"  ratio reader, library changed since its last start:bare {changed:.2f}x")
    if args.launch_only:
        return

    figures = asyncio.run(in_process(work / "lib", long_id))
    print("\n50,000-word article, in process (120x40)")
    print(f"  open to first screen  median {figures['open_ms']:7.1f} ms   (budget <= 150 ms)")
    print(f"  open until all settled median {figures['settled_ms']:6.1f} ms   (quotations listed)")
    print(f"  render a page         median {figures['page_ms']:7.2f} ms   (budget <= 16 ms)")
    print("\nquote save with 10,000 articles")
    print(f"  on the UI thread      median {figures['save_ui_ms']:7.3f} ms   (budget <= 16 ms)")
    print(f"  until on disk         max    {figures['save_disk_ms']:7.1f} ms   (budget <= 1 s)")

    rss = peak_memory_with_long_article(work / "lib", env)
    print(f"\npeak memory, 10,000 articles + the long article open: {rss / 1024:.0f} MB")
    print("  (budget <= 250 MB)")


if __name__ == "__main__":
    main()
