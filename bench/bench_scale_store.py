"""Storage budgets at 50,000 articles (issue #13, "Scale"): a small write must not parse the
whole library.

* a whole ``reader quote add`` process on a 50,000-article library against the same process
  on a one-article library, alternated run by run (budget: at most 2x);
* launch to the first title on screen, with and without a fresh start view
  (``start-view.json``), against a bare Textual app showing one line (budget: 1.25x both).

The 50,000-article library is built once (BBC copies with unique headlines, imported as
``reader import`` does) and cached in /tmp, keyed by the count; ``--rebuild`` makes it again.
Both libraries get a search index (a `quote add` updates it) and, if an older reader built
them, a folded journal (so that a layout is there, as after any import by this one). Quotes
added by earlier runs stay, which is how a real library grows. ``--profile`` prints where
one ``quote add`` spends its time.

``--journal`` also measures a copy whose journal is just under the size that folds it (1 MiB:
every process replays it, the worst case).

    python bench/bench_scale_store.py [--articles 50000] [--runs 9] [--journal] [--profile]

reader's modules are compiled to bytecode first (see bench_tui.py for why).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_library import process_cost, write_sources  # noqa: E402
from bench_tui import BARE_APP, time_to_text  # noqa: E402

from reader.importing import import_paths  # noqa: E402
from reader.library import Repository  # noqa: E402
from reader.library.head import START_VIEW_FILE, write_start_view  # noqa: E402
from reader.library.layout import read_layout  # noqa: E402
from reader.library.search import INDEX_FILE  # noqa: E402
from reader.library.storage import MAX_JOURNAL_BYTES, Change, DiskStorage  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "reader-bench-scale-store"


def finish(folder: Path) -> None:
    """Give a cached library what a library in use has: a search index and a layout."""
    repo = Repository.open(folder)
    if not (folder / INDEX_FILE).exists():
        started = time.perf_counter()
        repo.search("the")
        print(f"search index of {folder.name} built in {time.perf_counter() - started:.1f} s")
    storage = repo.storage
    assert isinstance(storage, DiskStorage)
    storage.read()
    if storage._snapshot_sig is None or read_layout(folder, storage._snapshot_sig) is None:
        # Built by an older reader: fold its journal, as the next compaction would.
        with storage.transaction() as data:
            storage.write(data or {})
    write_start_view(repo)
    repo.close()


def library_of(count: int, rebuild: bool = False) -> Path:
    """A library of ``count`` articles, built once and kept under /tmp."""
    folder = CACHE / f"lib-{count}"
    done = CACHE / f"lib-{count}.done"
    if done.exists() and not rebuild:
        finish(folder)
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    src = CACHE / f"src-{count}"
    shutil.rmtree(src, ignore_errors=True)
    write_sources(src, count)
    started = time.perf_counter()
    repo = Repository.open(folder)
    summary = import_paths(repo, [src])
    assert len(summary.imported) == count, (len(summary.imported), summary.refused[:3])
    write_start_view(repo)
    repo.close()
    elapsed = time.perf_counter() - started
    print(f"built {count} articles in {elapsed:.1f} s ({count / elapsed:.0f} articles/s)")
    shutil.rmtree(src, ignore_errors=True)
    finish(folder)
    done.touch()
    return folder


def journaled_copy(large: Path) -> Path:
    """A copy of ``large`` whose journal is just under the size that folds it (the worst
    case: every process replays it), its texts linked rather than copied."""
    folder = large.with_name(large.name + "-journal")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name in ("library.json", "library.journal", "library.layout", INDEX_FILE):
        shutil.copy2(large / name, folder / name)
    os.symlink(large / "texts", folder / "texts")
    repo = Repository.open(folder)
    storage = repo.storage
    assert isinstance(storage, DiskStorage)
    journal = folder / "library.journal"
    with storage.transaction() as data:
        docs = list((data or {}).get("articles", {}).items())
        changes, size = [], journal.stat().st_size
        for key, doc in docs:
            line = orjson.dumps(["articles", int(key), {**doc, "read": True}])
            if size + len(line) + 1 > MAX_JOURNAL_BYTES - 4096:
                break
            changes.append(Change("articles", int(key), {**doc, "read": True}))
            size += len(line) + 1
        storage.apply(changes)
    repo.close()
    return folder


def passage_argv(library: Path, run: int) -> list[str]:
    """``quote add`` arguments for a passage of the newest article, new at each run."""
    repo = Repository.open(library)
    article = repo.newest(1)[0][0]
    body = repo.body(article)
    repo.close()
    start = (run * 37 + int(time.time())) % max(len(body) - 50, 1)
    return ["quote", "add", str(article.id), body[start : start + 30]]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def bench_quote_add(libraries: dict[str, Path], runs: int) -> None:
    costs: dict[str, list[float]] = {label: [] for label in libraries}
    argvs = {lib: [passage_argv(lib, run) for run in range(runs)] for lib in libraries.values()}
    for run in range(runs):
        for label, lib in libraries.items():
            costs[label].append(process_cost(lib, argvs[lib][run]))
    print("\n`reader quote add` as a whole process (alternated run by run)")
    for label, c in costs.items():
        print(f"  {label:<28} median {ms(statistics.median(c))}  min {ms(min(c))}")
    one = statistics.median(costs["1 article"])
    for label, c in costs.items():
        if label != "1 article":
            ratio = statistics.median(c) / one
            print(f"  ratio {label}:1 article  {ratio:.2f}x   (budget <= 2x)")


def bench_launch(library: Path, runs: int) -> None:
    repo = Repository.open(library)
    newest = repo.newest(1)[0][0]
    write_start_view(repo)
    repo.close()
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
    env["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="reader-bench-state-")
    env.pop("READER_LIBRARY", None)
    app_cmd = [sys.executable, "-m", "reader", "--library", str(library)]
    bare_cmd = [sys.executable, "-c", BARE_APP]
    needle = newest.title[:16].encode()
    start_view = library / START_VIEW_FILE
    times: dict[str, list[float]] = {"bare": [], "fresh": [], "changed": []}
    for _ in range(runs):
        times["bare"].append(time_to_text(bare_cmd, b"bare app ready", env)[0])
        times["fresh"].append(time_to_text(app_cmd, needle, env)[0])  # quitting wrote it
        start_view.unlink(missing_ok=True)  # as after a change by another process
        times["changed"].append(time_to_text(app_cmd, needle, env)[0])
    print("\nlaunch to first title on screen (pty 120x40), alternated run by run")
    labels = {"bare": "bare Textual app", "fresh": "fresh start view", "changed": "no start view"}
    for key, values in times.items():
        print(f"  {labels[key]:<18} median {ms(statistics.median(values))}  min {ms(min(values))}")
    bare = statistics.median(times["bare"])
    for key in ("fresh", "changed"):
        ratio = statistics.median(times[key]) / bare
        print(f"  ratio {labels[key]}:bare {ratio:.2f}x   (budget <= 1.25x)")


def profile_quote_add(library: Path) -> None:
    out = Path(tempfile.mkdtemp(prefix="reader-bench-prof-")) / "quote.prof"
    env = dict(os.environ, READER_LIBRARY=str(library))
    argv = passage_argv(library, 999)
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "reader", *argv],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    import pstats

    print("\nprofile of one `reader quote add` at scale (cumulative, top 25)")
    pstats.Stats(str(out)).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--skip-launch", action="store_true")
    parser.add_argument(
        "--journal", action="store_true", help="also with a journal about to be folded"
    )
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "reader", quiet=1)
    small = library_of(1, args.rebuild)
    large = library_of(args.articles, args.rebuild)
    size = (large / "library.json").stat().st_size / 1e6
    print(f"libraries: {small} and {large} (library.json {size:.1f} MB)")
    if args.profile:
        profile_quote_add(large)
    libraries = {"1 article": small, f"{args.articles} articles": large}
    if args.journal:
        libraries[f"{args.articles}, journal ~1 MiB"] = journaled_copy(large)
    bench_quote_add(libraries, args.runs)
    if not args.skip_launch:
        bench_launch(large, args.runs)


if __name__ == "__main__":
    main()
