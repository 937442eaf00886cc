"""Print how often the chosen title matches Readability's over the readability corpus."""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "readability"


def normalise(title: str) -> str:
    """A title compared as Readability's: whitespace collapsed, NFC, case kept."""
    return unicodedata.normalize("NFC", " ".join(title.split()))


def title_of(source: bytes) -> str:
    """The title reader chooses for a page (the same chooser parse_html uses)."""
    from reader.text.html import page_title

    return page_title(source)


def main(corpus: Path = CORPUS) -> int:
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 1
    exact = folded = total = 0
    misses: list[tuple[str, str, str]] = []
    started = time.perf_counter()
    for page in sorted(p for p in corpus.iterdir() if (p / "expected-metadata.json").is_file()):
        expected = json.loads((page / "expected-metadata.json").read_text("utf-8")).get("title")
        if not expected:
            continue
        total += 1
        want, got = normalise(expected), normalise(title_of((page / "source.html").read_bytes()))
        exact += got == want
        folded += got.casefold() == want.casefold()
        if got != want:
            misses.append((page.name, want, got))
    elapsed = time.perf_counter() - started
    for name, want, got in misses:
        print(f"{name}\n  expected {want!r}\n  got      {got!r}")
    print(f"exact {exact}/{total} = {exact / total:.1%}")
    print(f"case-insensitive {folded}/{total} = {folded / total:.1%}")
    print(f"{elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
