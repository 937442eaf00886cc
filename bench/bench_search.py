"""Search budgets, measured side by side in one run (this machine is shared and noisy).

* the first build of the index over a 10,000-article library (``--count``; BBC stories,
  with 100 Turkish ones from ../shared/corpus/tr-1150haber when present), and its size
  against the text it indexes (budget: no larger);
* in-process query latency over ~30 varied queries once the index is ready (budget: median
  ≤ 50 ms; TinyDB's own ``Query().search`` scan takes 0.34-0.39 s here);
* a whole ``reader search`` process against a whole ``reader list --json`` process on the
  same library, alternated run by run (budget: at most 1.5x).

    python bench/bench_search.py [--count 10000] [--runs 9] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_library import build, ms, process_cost, write_sources  # noqa: E402

from reader.library import Repository  # noqa: E402
from reader.library.search import INDEX_FILE  # noqa: E402

TURKISH = ROOT.parent / "shared" / "corpus" / "tr-1150haber"
QUERIES = [
    "government",
    "film",
    "the",
    "music award",
    "economy growth",
    "chelsea",
    "microsoft software",
    "blair brown election",
    '"prime minister"',
    '"world cup"',
    '"interest rates"',
    '"chief executive" profits',
    "econom*",
    "champion*",
    "tele*",
    "b*",
    "election -blair",
    "film -oscar",
    'music -"record company"',
    "istanbul",
    "turkiye",
    "ISTANBUL ekonomi",
    "cavusoglu",
    "bakanligi",
    "sirket*",
    "zzzunknownword",
    'a"b( NEAR',
    "tag:none",
    "mobile phone games",
    "england rugby -wales",
]


def make_sources(folder: Path, count: int) -> str:
    """``count`` article files: BBC stories plus up to 100 Turkish ones."""
    turkish = sorted(TURKISH.glob("*/*.txt"))[:100] if TURKISH.is_dir() else []
    write_sources(folder, count - len(turkish))
    for n, path in enumerate(turkish):
        shutil.copy(path, folder / f"tr-{n:03d}.txt")
    return f"{count - len(turkish)} bbc + {len(turkish)} tr-1150haber"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", "--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reader-bench-search-"))
    mix = make_sources(work / "src", args.articles)
    print(f"library: {args.articles} articles ({mix}); work folder {work}")
    library = work / "lib"
    repo, elapsed = build(library, args.articles, work / "src")
    texts = sum(p.stat().st_size for p in (library / "texts").iterdir())
    print(f"import: {elapsed:.1f} s, {texts / 1e6:.1f} MB of text")

    t = time.perf_counter()
    repo.search("warm-up")
    built = time.perf_counter() - t
    size = (library / INDEX_FILE).stat().st_size
    print(f"first index build: {built:.1f} s, {INDEX_FILE} {size / 1e6:.1f} MB")
    print(f"  index : text {size / texts:.2f}x   (budget <= 1.00x: no larger than the text)")

    # A fresh process's first search: nothing changed, so sync only compares.
    repo.close()
    repo = Repository.open(library)
    t = time.perf_counter()
    repo.search("government")
    print(f"first search in a new process (sync check included): {ms(time.perf_counter() - t)}")

    per_query: dict[str, float] = {}
    hits: dict[str, int] = {}
    for query in QUERIES:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            found = repo.search(query, limit=50)
            times.append(time.perf_counter() - t)
        per_query[query] = statistics.median(times)
        hits[query] = len(found)
    print(f"\nin-process query latency (limit 50, median of {args.repeat} each)")
    for query, seconds in sorted(per_query.items(), key=lambda kv: -kv[1]):
        print(f"  {ms(seconds)}  {hits[query]:>3} hits  {query}")
    values = list(per_query.values())
    print(
        f"  median {ms(statistics.median(values))}  mean {ms(statistics.mean(values))}"
        f"  max {ms(max(values))}   (budget: median <= 50 ms)"
    )
    repo.close()

    costs: dict[str, list[float]] = {"search": [], "list": []}
    for run in range(args.runs):
        query = QUERIES[run % len(QUERIES)]
        costs["search"].append(process_cost(library, ["search", query]))
        costs["list"].append(process_cost(library, ["list", "--json"]))
    print("\nwhole processes (alternated run by run)")
    print(f"  reader search QUERY : median {ms(statistics.median(costs['search']))}")
    print(f"  reader list --json  : median {ms(statistics.median(costs['list']))}")
    ratio = statistics.median(costs["search"]) / statistics.median(costs["list"])
    print(f"  ratio {ratio:.2f}x   (budget <= 1.5x)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
