"""Kill writers mid-stream and run two at once: every acknowledged write must survive."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

from reader.library import Repository
from reader.library.doctor import check

REPO_ROOT = Path(__file__).resolve().parents[1]

# The child adds articles one write at a time and prints "ack <title>" only after the write
# returned, i.e. after the journal (or snapshot) was fsynced. A tiny journal limit makes it
# compact often, so kills also land in the middle of compactions.
WRITER = """
import sys
from reader.library import Repository, storage
from tests.conftest import parsed
storage.MIN_JOURNAL_BYTES = int(sys.argv[3])
repo = Repository.open(sys.argv[1])
prefix = sys.argv[2]
for i in range(100000):
    title = f"{prefix}-{i}"
    [r] = repo.add_articles([(parsed(title, f"Body of {title}. " * 20), title)])
    repo.set_position(r.article.id, i, 0.5)
    print("ack", title, flush=True)
"""


def start_writer(folder: Path, prefix: str, journal_limit: int = 4096) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), prefix, str(journal_limit)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def read_acks(writer: subprocess.Popen[str], count: int) -> list[str]:
    """The next ``count`` acknowledged titles (fewer only if the writer ended)."""
    assert writer.stdout is not None
    acked = []
    while len(acked) < count:
        line = writer.stdout.readline()
        if not line:
            break
        if line.startswith("ack"):
            acked.append(line.split()[1])
    return acked


def test_sigkill_in_a_stream_of_writes_loses_nothing_acknowledged(tmp_path: Path) -> None:
    rng = random.Random(7)
    acked: set[str] = set()
    for round_no in range(12):
        writer = start_writer(tmp_path, f"r{round_no}")
        # Kill after a set number of acknowledged writes (not after a time, which a loaded
        # machine stretches): the writer is mid-stream, usually mid-write, when it dies.
        wanted = rng.randint(3, 12)
        got = read_acks(writer, wanted)
        assert len(got) == wanted, f"round {round_no}: the writer stopped after {got}"
        acked.update(got)
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate()
        acked.update(line.split()[1] for line in rest.splitlines() if line.startswith("ack"))
        repo = Repository.open(tmp_path)  # must open: no corruption
        titles = {a.title for a in repo.articles()}
        missing = acked - titles
        assert not missing, f"round {round_no}: acknowledged but lost: {sorted(missing)[:5]}"
        repo.close()
    report = check(tmp_path)
    assert report.sound, report.problems


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    Repository.open(tmp_path).close()
    writers = [start_writer(tmp_path, name, journal_limit=8192) for name in ("left", "right")]
    acked: set[str] = set()
    # Both are writing at once once each has acknowledged a few writes (counted, not timed).
    for writer in writers:
        got = read_acks(writer, 20)
        assert len(got) == 20, f"a writer stopped after {got}"
        acked.update(got)
    for writer in writers:
        writer.send_signal(signal.SIGTERM)
    for writer in writers:
        out, _ = writer.communicate()
        acked.update(line.split()[1] for line in out.splitlines() if line.startswith("ack"))
    repo = Repository.open(tmp_path)
    articles = repo.articles()
    titles = {a.title for a in articles}
    assert {t.split("-")[0] for t in acked} == {"left", "right"}  # both really wrote
    assert acked <= titles
    assert len({a.id for a in articles}) == len(articles)
    assert all(a.position == int(a.title.split("-")[1]) for a in articles if a.title in acked)
