"""Interaction budgets under load, measured side by side in one run (the machine is noisy).

* list-cursor latency: from a `j` reaching the app to the frame that shows the side column
  describing the new article (the list waits 50 ms for the cursor to rest before it says
  so), p50 and p90, with the library alone and while another process imports 400 articles
  into it in batches (as many moves as alone); budget: the p90 during the import within
  1.2x of the p90 alone. The app is started as `reader` starts it (see as_launched);
* UI-thread waits on the inter-process lock during all of that, and while opening an
  article, saving a quote, and visiting the all-quotes and search screens (budget: 0);
* the palette's "Open article": time on the UI thread per keystroke at the library's size
  (budget: ≤ 5 ms); the ranking itself runs on a worker thread, its longest is shown too.

    python bench/bench_interaction.py [--articles 10000] [--moves 60] [--reuse DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_library import build, write_sources  # noqa: E402
from textual import events  # noqa: E402

from reader.library import Repository  # noqa: E402
from reader.library.lock import FileLock  # noqa: E402

IMPORT_BATCH = 400
#: Seconds between one move's frame and the next `j` (a reader stepping down the list).
MOVE_GAP = 0.05
#: Import batches made ready; the run uses them until it has its moves under load.
MAX_BATCHES = 8


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@contextmanager
def counting_ui_lock_waits() -> Iterator[list[int]]:
    """Count every hold of the library lock taken on the main (UI) thread."""
    counts = [0]
    hold = FileLock.hold

    def counted(self: FileLock, exclusive: bool = True):  # type: ignore[no-untyped-def]
        if threading.current_thread() is threading.main_thread():
            counts[0] += 1
        return hold(self, exclusive)

    FileLock.hold = counted  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        FileLock.hold = hold  # type: ignore[method-assign]


def import_batches(folder: Path, batches: int) -> list[Path]:
    """Folders of IMPORT_BATCH new, distinct articles for the other process to import."""
    made = []
    for batch in range(batches):
        stamp = time.time_ns()  # new content at every run, so the import really writes
        where = folder / f"batch-{batch}-{stamp}"
        where.mkdir(parents=True)
        for i in range(IMPORT_BATCH):
            words = " ".join(f"field{(i * 13 + j + batch) % 991}" for j in range(600))
            text = f"Imported story {batch}-{i}\n\n{words}.\n\nBatch {stamp}, item {i}.\n"
            (where / f"{i:04d}.txt").write_text(text, "utf-8")
        made.append(where)
    return made


class Frames:
    """Counts the frames the app composes (headless: composed in full, not written out)."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.count = 0
        display = app._display

        def counted(screen, renderable):  # type: ignore[no-untyped-def]
            if renderable is not None:
                self.count += 1
            display(screen, renderable)

        app._display = counted


def as_launched() -> None:
    """Start the app as `reader` does (reader.cli._run_app): the cyclic garbage collector
    paused for start-up, so the app freezes what start-up made once its library is read."""
    gc.disable()


async def waited(started: float, what: Callable[[], str]) -> None:
    """A moment's wait in a measurement, which gives up loudly rather than hang."""
    if time.perf_counter() - started > 5:
        raise RuntimeError(f"still waiting after 5 s for {what()}")
    await asyncio.sleep(0.001)


async def cursor_latencies(app, screen, frames: Frames, moves: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from each `j` reaching the app until a frame shows the side column describing
    the article under the cursor.

    The key goes in as a terminal's would; Pilot's press() is not used, because it then
    waits until the whole process has been idle for 20 ms, which counts any work of any
    thread (a poll, a save) as latency whether or not the screen waited for it.
    """
    latencies = []
    for _ in range(moves):
        before = screen.articles.highlighted
        started = time.perf_counter()
        app._driver.send_message(events.Key("j", "j"))
        while True:
            now = screen.articles.highlighted
            if now is not None and now is not before and screen._described == now.id:
                break
            await waited(started, lambda: f"the side column (on {screen._described})")
        shown = frames.count
        while frames.count == shown:
            await waited(started, lambda: "a frame after the side column changed")
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(MOVE_GAP)
    return latencies


async def session(library: Path, work: Path, moves: int) -> dict[str, float]:
    from reader.tui.app import ReaderApp
    from reader.tui.commands import ArticleCommands
    from reader.tui.screens.main import MainScreen

    figures: dict[str, float] = {}
    as_launched()
    app = ReaderApp(Repository.open(library))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        frames = Frames(app)
        with counting_ui_lock_waits() as waits:
            alone = await cursor_latencies(app, screen, frames, moves)
            # Made before the moves, so that writing them does not load this process; used
            # until as many moves are measured under the import as alone (at least 3).
            batches = import_batches(work, MAX_BATCHES)
            env = dict(os.environ, READER_LIBRARY=str(library))
            loaded: list[float] = []
            for number, batch in enumerate(batches):
                if number >= 3 and len(loaded) >= moves:
                    break
                other = subprocess.Popen(
                    [sys.executable, "-m", "reader", "import", str(batch)],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                while other.poll() is None:
                    loaded.extend(await cursor_latencies(app, screen, frames, 5))
                other.wait()
            await pilot.press("enter")
            await pilot.pause(0.3)
            await pilot.press("v", "b")
            app.saver.flush()
            await pilot.pause()
            for key in ("Q", "escape", "S", "escape"):
                await pilot.press(key)
                await pilot.pause(0.2)
            figures["ui_lock_waits"] = waits[0]
        figures["alone_p50_ms"] = percentile(alone, 0.5) * 1000
        figures["alone_p90_ms"] = percentile(alone, 0.9) * 1000
        figures["import_p50_ms"] = percentile(loaded, 0.5) * 1000
        figures["import_p90_ms"] = percentile(loaded, 0.9) * 1000
        figures["import_moves"] = len(loaded)

        provider = ArticleCommands(screen)
        # The ranking runs on a worker thread; the UI thread's share of a keystroke is the
        # rest (reading the titles on the first key, making the hits).
        ranking: list[float] = []
        rank = ArticleCommands._rank

        def timed_rank(*args):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return rank(*args)
            finally:
                ranking.append(time.perf_counter() - started)

        ArticleCommands._rank = staticmethod(timed_rank)  # type: ignore[method-assign,assignment]
        keystrokes: list[float] = []
        walls: list[float] = []
        query = "story 1 (2)"
        for _ in range(3):
            # As a fresh palette: the titles are read on its first key.
            provider._titles = provider._previous = None
            for end in range(1, len(query) + 1):
                ranking.clear()
                started = time.perf_counter()
                async for _hit in provider.search(query[:end]):
                    pass
                wall = time.perf_counter() - started
                walls.append(wall)
                keystrokes.append(wall - sum(ranking))
        ArticleCommands._rank = rank  # type: ignore[method-assign]
        first = keystrokes[0 :: len(query)]
        rest = [t for i, t in enumerate(keystrokes) if i % len(query)]
        figures["palette_first_key_ms"] = statistics.median(first) * 1000
        figures["palette_key_ms"] = statistics.median(rest) * 1000
        figures["palette_key_max_ms"] = max(rest) * 1000
        figures["palette_wall_max_ms"] = max(walls) * 1000
    app.saver.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--moves", type=int, default=60)
    parser.add_argument("--reuse", type=Path, help="a work folder left by an earlier run")
    args = parser.parse_args()
    work = args.reuse or Path(tempfile.mkdtemp(prefix="reader-bench-"))
    library = work / "library"
    if not (library / "library.json").exists():
        sources = work / "sources"
        if not sources.exists():
            write_sources(sources, args.articles)
        build(library, args.articles, sources)[0].close()
    figures = asyncio.run(session(library, work, args.moves))
    ratio = figures["import_p90_ms"] / figures["alone_p90_ms"]
    print(f"library: {work} ({args.articles:,} articles at the start)")
    print(
        f"list cursor to side column, alone:        p50 {figures['alone_p50_ms']:6.1f} ms"
        f"   p90 {figures['alone_p90_ms']:6.1f} ms"
    )
    print(
        f"  while another process imports {IMPORT_BATCH}s:  p50 {figures['import_p50_ms']:6.1f} ms"
        f"   p90 {figures['import_p90_ms']:6.1f} ms   ({figures['import_moves']:.0f} moves)"
    )
    print(f"  p90 ratio (budget 1.2x):                 {ratio:.2f}x")
    print(f"UI-thread waits on the library lock:       {figures['ui_lock_waits']:.0f} (budget 0)")
    print(
        f"palette 'Open article', UI thread per keystroke: median "
        f"{figures['palette_key_ms']:.2f} ms   max {figures['palette_key_max_ms']:.2f} ms"
        f"   (budget 5 ms); first key, which reads the titles: "
        f"{figures['palette_first_key_ms']:.2f} ms; ranking on its thread, longest "
        f"{figures['palette_wall_max_ms']:.1f} ms"
    )


if __name__ == "__main__":
    main()
