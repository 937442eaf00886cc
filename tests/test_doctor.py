"""doctor and doctor --repair on damage the tests make themselves: nothing acknowledged is lost."""

from __future__ import annotations

import builtins
import errno
import fcntl
import io
import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from reader.cli import main
from reader.library import LibraryCorrupt, LibraryError, LibraryTooNew, Repository, doctor
from reader.library import storage as storage_module
from reader.library.recovery import Unreadable
from tests.conftest import parsed

State = tuple[dict[int, Any], dict[int, Any]]


def build(folder: Path, monkeypatch: pytest.MonkeyPatch, count: int = 40) -> State:
    """A library written through the repository, compacted several times, with a journal."""
    monkeypatch.setattr(storage_module, "MIN_JOURNAL_BYTES", 1500)
    repo = Repository.open(folder)
    for i in range(count):
        [result] = repo.add_articles([(parsed(f"T{i}", f"Body {i} of the article."), f"{i}.txt")])
        if i % 2 == 0:
            repo.add_quote_text(result.article.id, f"Body {i}")
        if i % 5 == 0:
            repo.set_position(result.article.id, i, 0.5)
    repo.close()
    assert (folder / "library.json.bak").exists() and (folder / "library.journal.bak").exists()
    assert (folder / "library.journal").read_bytes().count(b"\n") > 1  # changes since
    return state(folder)


def state(folder: Path) -> State:
    repo = Repository.open(folder)
    try:
        return (
            {a.id: a.to_doc() for a in repo.articles()},
            {q.id: q.to_doc() for q in repo.quotes()},
        )
    finally:
        repo.close()


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but the lock file, by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".library.lock"
    }


def cli(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--library", str(folder), *args])
    out, err = capsys.readouterr()
    return status, out, err


# -- 1. a damaged library.json is rebuilt from the backup and both journals -----------------


@pytest.mark.parametrize("cut", [0, 1, 0.5, -1])
def test_truncated_library_is_rebuilt_to_the_last_acknowledged_state(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cut: float,
) -> None:
    before = build(tmp_path, monkeypatch)
    raw = (tmp_path / "library.json").read_bytes()
    at = {0: 0, 1: 1, 0.5: len(raw) // 2, -1: len(raw) - 1}[cut]
    (tmp_path / "library.json").write_bytes(raw[:at])
    with pytest.raises(LibraryCorrupt):
        Repository.open(tmp_path)
    status, out, err = cli(capsys, tmp_path, "doctor")
    assert status == 1 and "would rebuild it from library.json.bak" in out
    status, out, err = cli(capsys, tmp_path, "doctor", "--repair")
    assert status == 0, out + err
    assert "library.journal.bak" in out and "library.journal (" in out
    assert f"{len(before[0])} articles, {len(before[1])} quotes" in out
    assert "belong to no article" not in out  # nothing was lost, so no texts are orphaned
    assert state(tmp_path) == before
    assert (tmp_path / "library.json.broken-1").read_bytes() == raw[:at]


def test_a_second_repair_keeps_the_first_ones_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = build(tmp_path, monkeypatch)
    (tmp_path / "library.json").write_bytes(b"{broken one")
    doctor.repair(tmp_path)
    assert doctor.repair(tmp_path) == []  # sound now: nothing to do
    repo = Repository.open(tmp_path)
    repo.add_quote_text(1, "Body 0 of")
    repo.close()
    after = state(tmp_path)
    (tmp_path / "library.json").write_bytes(b"{broken two")
    doctor.repair(tmp_path)
    assert state(tmp_path) == after and after[0] == before[0]
    assert (tmp_path / "library.json.broken-1").read_bytes() == b"{broken one"
    assert (tmp_path / "library.json.broken-2").read_bytes() == b"{broken two"


def test_a_library_never_compacted_is_rebuilt_from_its_journal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repository.open(tmp_path)
    [result] = repo.add_articles([(parsed("Only", "Its body."), None)])
    repo.add_quote_text(result.article.id, "Its body")
    repo.close()
    before = state(tmp_path)
    (tmp_path / "library.json").write_bytes(b"")
    status, out, _ = cli(capsys, tmp_path, "doctor", "--repair")
    assert status == 0 and "lost" not in out
    assert state(tmp_path) == before


# -- 2. a file that cannot be read is not damage ---------------------------------------------


def test_an_unreadable_library_is_reported_and_repair_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    build(tmp_path, monkeypatch)
    kept = files(tmp_path)
    target = str(tmp_path / "library.json")
    real_open = builtins.open

    def refusing_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == target:
            raise PermissionError(errno.EACCES, "Permission denied", target)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    monkeypatch.setattr(io, "open", refusing_open)  # what Path.read_bytes opens with
    status, out, err = cli(capsys, tmp_path, "doctor")
    assert status == 1 and "Permission denied" in out and "permissions" in out
    assert "--repair' changes nothing" in err
    status, out, err = cli(capsys, tmp_path, "doctor", "--repair")
    assert status == 1 and err.count("\n") == 1 and "permissions" in err
    with pytest.raises(Unreadable):
        doctor.repair(tmp_path)
    monkeypatch.setattr(builtins, "open", real_open)
    monkeypatch.setattr(io, "open", real_open)
    assert files(tmp_path) == kept


# -- 3. a newer reader's library is never downgraded ------------------------------------------


def test_a_newer_schema_in_the_journal_is_seen_by_doctor_and_never_repaired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    build(tmp_path, monkeypatch)
    data = Repository.open(tmp_path).storage.read() or {}
    meta = {**data["meta"]["1"], "schema_version": 99}
    with open(tmp_path / "library.journal", "ab") as fh:
        fh.write(orjson.dumps(["meta", 1, meta]) + b"\n")
    kept = files(tmp_path)
    with pytest.raises(LibraryTooNew):
        Repository.open(tmp_path)
    status, out, err = cli(capsys, tmp_path, "doctor")
    assert status == 1 and "newer reader" in out and "never downgrades" in err
    status, out, err = cli(capsys, tmp_path, "doctor", "--repair")
    assert status == 1 and "newer reader" in err and "never downgrades" in err
    assert files(tmp_path) == kept


def test_a_damaged_library_of_a_newer_reader_is_not_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path, monkeypatch)
    backup = orjson.loads((tmp_path / "library.json.bak").read_bytes())
    backup["meta"]["1"]["schema_version"] = 99
    (tmp_path / "library.json.bak").write_bytes(orjson.dumps(backup))
    (tmp_path / "library.json").write_bytes(b"{")
    kept = files(tmp_path)
    with pytest.raises(LibraryTooNew):
        doctor.repair(tmp_path)
    assert files(tmp_path) == kept


# -- 4. a journal of another generation is refused, kept and replayed ------------------------


def test_a_library_json_restored_from_a_backup_does_not_lose_the_newer_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = build(tmp_path, monkeypatch)
    (tmp_path / "library.json").write_bytes((tmp_path / "library.json.bak").read_bytes())
    journal = (tmp_path / "library.journal").read_bytes()
    with pytest.raises(LibraryCorrupt, match="reader doctor"):
        Repository.open(tmp_path)
    for args in (["list"], ["quote", "add", "1", "Body"]):
        status, _, err = cli(capsys, tmp_path, *args)
        assert status == 1 and err.count("\n") == 1 and "reader doctor" in err
    assert (tmp_path / "library.journal").read_bytes() == journal  # never truncated
    status, out, _ = cli(capsys, tmp_path, "doctor")
    assert status == 1 and "belongs to another library.json" in out
    status, out, err = cli(capsys, tmp_path, "doctor", "--repair")
    assert status == 0, out + err
    assert state(tmp_path) == before


def test_a_journal_without_a_generation_is_kept_and_replayed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = build(tmp_path, monkeypatch)
    lines = (tmp_path / "library.journal").read_bytes().split(b"\n")
    foreign = b"\n".join([b'{"from": "a sync conflict"}', *lines[1:]])
    (tmp_path / "library.journal").write_bytes(foreign)
    with pytest.raises(LibraryCorrupt, match="no generation"):
        Repository.open(tmp_path)
    status, out, _ = cli(capsys, tmp_path, "doctor", "--repair")
    assert status == 0 and "replayed on top" in out
    assert state(tmp_path) == before
    assert (tmp_path / "library.journal.broken-1").read_bytes() == foreign


def test_the_next_write_finishes_a_compaction_that_crashed_half_way(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path)
    [result] = repo.add_articles([(parsed("Title", "Some body text."), None)])
    repo.set_position(result.article.id, 5, 0.1)
    stale = (tmp_path / "library.journal").read_bytes()
    repo.storage.write(repo.storage.read() or {})
    (tmp_path / "library.journal").write_bytes(stale)  # as if it crashed before rotating
    (tmp_path / "library.json.bak").unlink()
    snapshot = (tmp_path / "library.json").read_bytes()
    fresh = Repository.open(tmp_path)
    fresh.set_position(result.article.id, 7, 0.2)
    # The backup pair is the snapshot as it stood (the stale journal's changes are in it).
    assert (tmp_path / "library.json.bak").read_bytes() == snapshot
    assert not (tmp_path / "library.json.bak").samefile(tmp_path / "library.json")
    (tmp_path / "library.json").write_bytes(b"")
    doctor.repair(tmp_path)
    assert Repository.open(tmp_path).article(result.article.id).position == 7


# -- 5. a missing library.json beside a library's files is damage, not a new library ---------


def test_a_missing_library_json_is_refused_by_every_command_and_rebuilt_by_repair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = build(tmp_path, monkeypatch)
    (tmp_path / "library.json").unlink()
    kept = files(tmp_path)
    for args in (["list"], ["quotes"], ["show", "1"], ["search", "body"]):
        status, out, err = cli(capsys, tmp_path, *args)
        assert status == 1 and out == "" and err.count("\n") == 1, args
        assert "missing" in err and "reader doctor --repair" in err
    assert files(tmp_path) == kept  # nothing written, the journal not rotated
    status, out, err = cli(capsys, tmp_path, "doctor", "--repair")
    assert status == 0, out + err
    assert state(tmp_path) == before


def test_an_empty_folder_is_still_a_new_library(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()  # an empty texts folder is no sign of a library
    assert Repository.open(tmp_path).articles() == []
    assert (tmp_path / "library.json").exists()


# -- 7. repair holds the lock and can be killed at any step ----------------------------------


def test_repair_holds_the_exclusive_lock_while_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path, monkeypatch)
    (tmp_path / "library.json").write_bytes(b"{")
    real = doctor.atomic_write
    attempts: list[bool] = []

    def checking_write(path: Path, data: bytes) -> None:
        fd = os.open(tmp_path / ".library.lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            attempts.append(True)  # another process could have read mid-repair
        except BlockingIOError:
            attempts.append(False)
        finally:
            os.close(fd)
        real(path, data)

    monkeypatch.setattr(doctor, "atomic_write", checking_write)
    doctor.repair(tmp_path)
    assert attempts and not any(attempts)


class Killed(BaseException):
    """A stand-in for the process dying at this point."""


def test_a_repair_killed_at_any_step_is_finished_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = build(tmp_path, monkeypatch)
    (tmp_path / "library.json").write_bytes(b'{"articles": {')
    damaged = files(tmp_path)
    steps = {name: getattr(doctor, name) for name in ("atomic_write", "keep_bytes")}
    kill_at = 0
    while True:
        kill_at += 1
        for name, path in damaged.items():  # the same damage every round
            (tmp_path / name).write_bytes(path)
        for extra in set(files(tmp_path)) - set(damaged):
            (tmp_path / extra).unlink()
        calls = [0]

        def dying(real: Any, calls: list[int] = calls, kill_at: int = kill_at) -> Any:
            def step(*args: Any) -> Any:
                calls[0] += 1
                if calls[0] == kill_at:
                    raise Killed
                return real(*args)

            return step

        for name, real in steps.items():
            monkeypatch.setattr(doctor, name, dying(real))
        try:
            doctor.repair(tmp_path)
            finished = True
        except Killed:
            finished = False
        for name, real in steps.items():
            monkeypatch.setattr(doctor, name, real)
        doctor.repair(tmp_path)  # run again, whole
        assert state(tmp_path) == before, f"killed at step {kill_at}"
        assert doctor.check(tmp_path).sound
        if finished:
            break
    assert kill_at > 5  # every step was interrupted once


# -- 8. one bad line in the middle of the journal ---------------------------------------------


def test_a_bad_line_in_the_journal_is_skipped_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = build(tmp_path, monkeypatch)
    lines = (tmp_path / "library.journal").read_bytes().split(b"\n")
    lines.insert(2, b"\x00\x00 garbage from a bad disk")
    damaged = b"\n".join(lines)
    (tmp_path / "library.journal").write_bytes(damaged)
    with pytest.raises(LibraryCorrupt, match="damaged at byte"):
        Repository.open(tmp_path)
    status, out, _ = cli(capsys, tmp_path, "doctor")
    assert status == 1 and "library.journal line 3" in out
    status, out, _ = cli(capsys, tmp_path, "doctor", "--repair")
    assert status == 0 and "skipped 1 line(s)" in out
    assert state(tmp_path) == before
    assert (tmp_path / "library.journal.broken-1").read_bytes() == damaged


# -- 9. hand-edited and future documents ------------------------------------------------------


def test_damaged_documents_are_reported_and_set_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    articles, quotes = build(tmp_path, monkeypatch)
    hand_edited = [
        b"[1,2,3]",
        b'["articles", 900, {"title": "no hash"}]',
        b'["articles", 901, {"title": "escape", "hash": "../../etc/passwd"}]',
        b'["quotes", 902, {"article_id": "one", "text": 5}]',
        b'["quotes", 903, {"article_id": 1, "text": "T", "start": 0, "end": 1, "created": 7}]',
    ]
    with open(tmp_path / "library.journal", "ab") as fh:
        fh.write(b"\n".join(hand_edited) + b"\n")
    status, out, _ = cli(capsys, tmp_path, "doctor")
    assert status == 1
    assert "library.journal line" in out  # the [1,2,3] line
    for label in ("article 900", "article 901", "quote 902"):
        assert f"{label}: damaged" in out
    status, out, err = cli(capsys, tmp_path, "doctor", "--repair")
    assert status == 0, out + err
    assert "article 900: set aside" in out and "library.json.damaged-1" in out
    side = orjson.loads((tmp_path / "library.json.damaged-1").read_bytes())
    assert {(d["table"], d["id"]) for d in side} >= {("articles", "900"), ("quotes", "902")}
    now_articles, now_quotes = state(tmp_path)
    assert now_articles == articles
    assert {k: v for k, v in now_quotes.items() if k in quotes} == quotes


def test_a_damaged_document_in_a_readable_library_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles, _ = build(tmp_path, monkeypatch)
    with open(tmp_path / "library.journal", "ab") as fh:
        fh.write(b'["articles", 3, {"title": "lost its hash"}]\n')
    report = doctor.check(tmp_path)  # the app's storage reads this fine: doctor must not crash
    assert any(p.startswith("article 3: damaged") for p in report.problems)
    doctor.repair(tmp_path)
    assert doctor.check(tmp_path).sound
    assert set(state(tmp_path)[0]) == set(articles) - {3}


def test_a_snapshot_with_a_document_that_is_not_an_object_is_mended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles, quotes = build(tmp_path, monkeypatch)
    repo = Repository.open(tmp_path)
    repo.storage.write(repo.storage.read() or {})  # everything into library.json
    repo.close()
    data = orjson.loads((tmp_path / "library.json").read_bytes())
    data["articles"]["77"] = [1, 2, 3]
    (tmp_path / "library.json").write_bytes(orjson.dumps(data))
    with pytest.raises(LibraryCorrupt):
        Repository.open(tmp_path)
    assert not doctor.check(tmp_path).sound
    doctor.repair(tmp_path)
    assert state(tmp_path) == (articles, quotes)


# -- 10. temporary files of killed writers -------------------------------------------------------

DEAD_PID = 4_194_305  # above Linux's largest pid_max: no process has it


def test_temporary_files_are_mentioned_and_cleaned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path, monkeypatch)
    left = [
        tmp_path / f".library.json.{DEAD_PID}.tmp",
        tmp_path / "texts" / f".{'0' * 64}.txt.{DEAD_PID}.tmp",
    ]
    for path in left:
        path.write_bytes(b"half a file")
    report = doctor.check(tmp_path)
    assert report.sound and any("2 temporary file(s)" in n for n in report.notes)
    repo = Repository.open(tmp_path)
    repo.storage.write(repo.storage.read() or {})  # a compaction cleans the library's own
    assert not left[0].exists() and left[1].exists()
    assert any("temporary" in line for line in doctor.repair(tmp_path))
    assert not left[1].exists()


# -- 11. a read-only library can still be read ----------------------------------------------------


def test_a_library_whose_lock_cannot_be_created_is_still_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    build(tmp_path, monkeypatch)
    (tmp_path / ".library.lock").unlink()
    lock = str(tmp_path / ".library.lock")
    real_open = os.open

    def read_only_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path) == lock:
            raise OSError(errno.EROFS, "Read-only file system", lock)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only_open)
    status, out, _ = cli(capsys, tmp_path, "list", "--json")
    assert status == 0 and len(orjson.loads(out)) == 40
    assert cli(capsys, tmp_path, "show", "1")[0] == 0
    status, out, _ = cli(capsys, tmp_path, "search", "Body")
    assert status == 0 and "T" in out
    status, out, _ = cli(capsys, tmp_path, "export", "quotes")
    assert status == 0 and "> Body 0" in out
    status, _, err = cli(capsys, tmp_path, "quote", "add", "1", "of the article")
    assert status == 1 and "cannot be changed here" in err and err.count("\n") == 1
    with pytest.raises(LibraryError, match="cannot be changed"):
        doctor.repair(tmp_path)


def test_a_library_on_a_read_only_mount_can_be_listed_shown_searched_and_exported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex
    import shutil
    import subprocess
    import sys

    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1)")
    build(tmp_path / "lib", monkeypatch)
    (tmp_path / "lib" / ".library.lock").unlink()  # as on media the library was copied to
    (tmp_path / "ro").mkdir()
    reader = f"{shlex.quote(sys.executable)} -m reader --library {tmp_path / 'ro'}"
    # A private mount namespace: the read-only mount vanishes with the shell.
    script = f"""
        mount --bind {tmp_path / "lib"} {tmp_path / "ro"} || exit 77
        mount -o remount,bind,ro {tmp_path / "ro"} || exit 77
        {reader} list --json > {tmp_path / "list.json"} || exit 1
        {reader} show 1 > /dev/null || exit 2
        {reader} search Body > {tmp_path / "search.txt"} || exit 3
        {reader} export quotes > {tmp_path / "quotes.md"} || exit 4
        {reader} quote add 1 "of the article" 2> {tmp_path / "refused.txt"} && exit 5
        exit 0
    """
    repo_root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
        cwd=repo_root,
        capture_output=True,
        text=True,
    )
    if done.returncode == 77 or "Operation not permitted" in done.stderr:
        pytest.skip("cannot mount here (needs root)")
    assert done.returncode == 0, done.stderr
    assert len(orjson.loads((tmp_path / "list.json").read_bytes())) == 40
    assert "Body" in (tmp_path / "search.txt").read_text()
    assert "> Body 0" in (tmp_path / "quotes.md").read_text()
    refused = (tmp_path / "refused.txt").read_text()
    assert refused.count("\n") == 1 and "Read-only file system" in refused
