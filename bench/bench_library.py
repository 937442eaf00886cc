"""Library budgets: import rate, and the cost of one quote save at 100 and 10,000 articles.

Prints figures; never fails. Measured side by side in one run, since this machine is shared:

* in-process quote save: median and mean (the mean includes the journal compactions that a
  stream of saves triggers) at each size, and the ratio 10,000 : 100 (budget: 2x, < 50 ms);
* a whole ``reader quote add`` process on the 10,000-article library against the same process
  on a one-article library, alternated run by run (budget: at most 2x).

Articles come from ../shared/corpus/bbc with varied headlines (and a varied last line, so
every body is distinct), or are generated when the corpus is absent.

    python bench/bench_library.py [--large 10000] [--small 100] [--saves 200] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.importing import import_paths  # noqa: E402
from reader.library import Repository  # noqa: E402

BBC = ROOT.parent / "shared" / "corpus" / "bbc"


def write_sources(folder: Path, count: int) -> None:
    """``count`` distinct article files in the native format."""
    folder.mkdir(parents=True)
    stories = sorted(BBC.glob("*/*.txt")) if BBC.is_dir() else []
    for i in range(count):
        if stories:
            raw = stories[i % len(stories)].read_bytes()
            head, _, rest = raw.partition(b"\n")
            text = head + f" ({i // len(stories) + 1})".encode() + b"\n" + rest
            text += f"\nFiled as story {i}.\n".encode()
        else:
            words = " ".join(f"word{(i * 7 + j) % 997}" for j in range(400))
            text = f"Generated headline {i}\n\n{words}.\n\nFiled as story {i}.\n".encode()
        (folder / f"{i:05d}.txt").write_bytes(text)


def build(folder: Path, count: int, sources: Path) -> tuple[Repository, float]:
    repo = Repository.open(folder)
    started = time.perf_counter()
    summary = import_paths(repo, [sources])
    elapsed = time.perf_counter() - started
    assert len(summary.imported) == count, (len(summary.imported), summary.refused[:3])
    return repo, elapsed


def quote_spots(repo: Repository, saves: int) -> list[tuple[int, int, int]]:
    """Distinct (article, start, end) passages to save, spread over the library."""
    articles = repo.articles()
    spots = []
    for n in range(saves):
        article = articles[(n * 7919) % len(articles)]
        body_len = len(repo.body(article))
        start = (n * 31) % max(body_len - 60, 1)
        spots.append((article.id, start, start + 40))
    return spots


def time_saves(repo: Repository, spots: list[tuple[int, int, int]]) -> list[float]:
    times = []
    for article_id, start, end in spots:
        t = time.perf_counter()
        repo.add_quote(article_id, start, end)
        times.append(time.perf_counter() - t)
    return times


def process_cost(library: Path, argv: list[str]) -> float:
    """Seconds for one whole ``reader ARGV…`` process on ``library``."""
    env = dict(os.environ, READER_LIBRARY=str(library))
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reader", *argv],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    print(f"corpus: {'bbc' if BBC.is_dir() else 'generated'}; work folder {work}")

    repos = {}
    for size in (args.small, args.large):
        write_sources(work / f"src-{size}", size)
        repo, elapsed = build(work / f"lib-{size}", size, work / f"src-{size}")
        repos[size] = repo
        kb = (
            sum(
                (work / f"lib-{size}" / name).stat().st_size
                for name in ("library.json", "library.journal")
            )
            / 1024
        )
        print(
            f"import {size:>6} articles: {elapsed:6.2f} s  {size / elapsed:7.0f} articles/s"
            f"  library.json + journal {kb:,.0f} KiB"
        )

    # Interleave the two sizes in small rounds so machine noise hits both alike.
    spots = {size: quote_spots(repo, args.saves) for size, repo in repos.items()}
    times: dict[int, list[float]] = {size: [] for size in repos}
    for lo in range(0, args.saves, 10):
        for size, repo in repos.items():
            times[size] += time_saves(repo, spots[size][lo : lo + 10])
    print("\nquote save, in process (UI-thread equivalent: lock, journal append, fsync)")
    for size, t in times.items():
        print(
            f"  {size:>6} articles: median {ms(statistics.median(t))}"
            f"  mean {ms(statistics.mean(t))}  max {ms(max(t))}"
        )
    small, large = (statistics.median(times[s]) for s in (args.small, args.large))
    small_mean, large_mean = (statistics.mean(times[s]) for s in (args.small, args.large))
    print(
        f"  ratio {args.large}:{args.small}  median {large / small:.2f}x  "
        f"mean {large_mean / small_mean:.2f}x   (budget <= 2x, and < 50 ms)"
    )

    one = Repository.open(work / "lib-1")
    import_paths(one, [next((work / f"src-{args.small}").iterdir())])
    big_article = repos[args.large].articles()[0]
    one_article = one.articles()[0]
    body_one = one.body(one_article)
    body_big = repos[args.large].body(big_article)
    costs: dict[str, list[float]] = {"1": [], str(args.large): []}
    for run in range(args.runs):
        for label, library, article, body in (
            ("1", work / "lib-1", one_article, body_one),
            (str(args.large), work / f"lib-{args.large}", big_article, body_big),
        ):
            start = (run * 13) % max(len(body) - 50, 1)
            argv = ["quote", "add", str(article.id), body[start : start + 30]]
            costs[label].append(process_cost(library, argv))
    print("\n`reader quote add` as a whole process (alternated run by run)")
    for label, c in costs.items():
        print(f"  library of {label:>6}: median {ms(statistics.median(c))}  min {ms(min(c))}")
    ratio = statistics.median(costs[str(args.large)]) / statistics.median(costs["1"])
    print(f"  ratio {args.large}:1  {ratio:.2f}x   (budget <= 2x)")


if __name__ == "__main__":
    main()
