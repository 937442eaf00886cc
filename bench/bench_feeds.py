"""Feed budgets, against a feed server on 127.0.0.1 in a process of its own:

* 50 feeds of 20 items: the first update imports 1,000 new items with full text (each item's
  page fetched and extracted); budget: under 60 s;
* the next update, every feed answering 304 Not Modified; budget: under 0.5 s in all;
* list-cursor latency in the app (as bench_interaction.py measures it: key to the frame that
  shows the side column) alone and while `R` updates 50 more feeds of 20 new items.

    python bench/bench_feeds.py [--feeds 50] [--items 20] [--moves 40] [--no-app]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_interaction import Frames, as_launched, cursor_latencies, percentile  # noqa: E402

from reader.feeds.store import all_feeds, subscribe  # noqa: E402
from reader.feeds.update import update_feeds  # noqa: E402
from reader.library import Repository  # noqa: E402


def serve(port_out: multiprocessing.Queue, feeds: int, items: int) -> None:  # type: ignore[type-arg]
    """The server process: feeds /g{G}/feed/{F}.xml (ETag, 304) and item pages."""
    from tests.feed_server import conditional, feed_server, page, rss, static

    with feed_server() as server:
        for generation in (1, 2):
            for f in range(feeds):
                entries = []
                for i in range(items):
                    path = f"/g{generation}/item/{f}/{i}"
                    title = f"Story {generation}-{f}-{i}"
                    server.routes[path] = static(page(title, 6), "text/html")
                    entries.append({"title": title, "link": server.url(path), "guid": path})
                body = rss(f"Gazette {generation}-{f}", entries)
                etag, modified = f'"{generation}-{f}"', "Mon, 30 Nov 2026 00:00:00 GMT"
                server.routes[f"/g{generation}/feed/{f}.xml"] = conditional(
                    body, "application/rss+xml", etag, modified
                )
        port_out.put(server.server_address[1])
        server.stop.wait()  # until the process is terminated


async def app_session(library: Path, moves: int) -> dict[str, float]:
    from reader.tui.app import ReaderApp
    from reader.tui.screens.main import MainScreen

    as_launched()
    app = ReaderApp(Repository.open(library))
    figures: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        frames = Frames(app)
        alone = await cursor_latencies(app, screen, frames, moves)
        before = len(screen.articles.all_articles)
        started = time.perf_counter()
        await pilot.press("R")
        await pilot.pause(0.2)
        loaded: list[float] = []
        while app.feed_updates.running:
            loaded.extend(await cursor_latencies(app, screen, frames, 5))
        figures["update_in_app_s"] = time.perf_counter() - started
        await pilot.pause(0.5)
        figures["arrived"] = len(screen.articles.all_articles) - before
        figures["alone_p50_ms"] = percentile(alone, 0.5) * 1000
        figures["alone_p90_ms"] = percentile(alone, 0.9) * 1000
        if loaded:
            figures["update_p50_ms"] = percentile(loaded, 0.5) * 1000
            figures["update_p90_ms"] = percentile(loaded, 0.9) * 1000
        figures["update_moves"] = len(loaded)
    app.saver.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--no-app", action="store_true", help="skip the cursor-latency part")
    args = parser.parse_args()

    ports: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    server = multiprocessing.Process(target=serve, args=(ports, args.feeds, args.items))
    server.start()
    try:
        port = ports.get(timeout=60)
        base = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory() as folder:
            library = Path(folder) / "lib"
            repo = Repository.open(library)
            for f in range(args.feeds):
                subscribe(repo, f"{base}/g1/feed/{f}.xml", f"feed {f}")
            started = time.perf_counter()
            reports = update_feeds(repo, all_feeds(repo))
            first = time.perf_counter() - started
            new = sum(r.new for r in reports)
            failed = sum(1 for r in reports if r.error)
            print(
                f"first update: {args.feeds} feeds, {new} new items with full text, "
                f"{failed} failed: {first:.2f} s (budget < 60 s: "
                f"{'ok' if first < 60 else 'OVER'})"
            )
            runs = []
            for _ in range(5):
                started = time.perf_counter()
                again = update_feeds(repo, all_feeds(repo))
                runs.append(time.perf_counter() - started)
                assert all(r.note == "not modified" for r in again), again
            median = statistics.median(runs)
            print(
                f"all-304 update of {args.feeds} feeds: median {median * 1000:.0f} ms, "
                f"best {min(runs) * 1000:.0f} ms of 5 (budget < 500 ms: "
                f"{'ok' if median < 0.5 else 'OVER'})"
            )
            if not args.no_app:
                for f in range(args.feeds):
                    subscribe(repo, f"{base}/g2/feed/{f}.xml", f"feed 2-{f}")
                repo.close()
                figures = asyncio.run(app_session(library, args.moves))
                print(
                    f"cursor latency alone: p50 {figures['alone_p50_ms']:.1f} ms, "
                    f"p90 {figures['alone_p90_ms']:.1f} ms"
                )
                if figures["update_moves"]:
                    ratio = figures["update_p90_ms"] / figures["alone_p90_ms"]
                    print(
                        f"cursor latency while R updates {args.feeds} feeds "
                        f"({figures['arrived']:.0f} new articles, "
                        f"{figures['update_in_app_s']:.1f} s): p50 "
                        f"{figures['update_p50_ms']:.1f} ms, p90 {figures['update_p90_ms']:.1f} ms "
                        f"over {figures['update_moves']:.0f} moves ({ratio:.2f}x the p90 alone)"
                    )
            else:
                repo.close()
    finally:
        server.terminate()
        server.join(5)


if __name__ == "__main__":
    main()
