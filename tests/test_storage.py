"""The on-disk library: atomic snapshots, the journal, corruption, versions, other processes."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from reader.library import LibraryCorrupt, LibraryTooNew, Repository, migrations
from reader.library import storage as storage_module
from reader.library.storage import Change, DiskStorage
from tests.conftest import parsed


def lib_with_article(folder: Path) -> tuple[Repository, int]:
    repo = Repository.open(folder)
    [result] = repo.add_articles([(parsed("Title", "Some body text to quote from."), "a.txt")])
    return repo, result.article.id


def test_bodies_never_go_inside_library_json(tmp_path: Path) -> None:
    repo, _ = lib_with_article(tmp_path)
    repo.storage.write(repo.storage.read() or {})  # fold the journal into the snapshot
    raw = (tmp_path / "library.json").read_bytes()
    data = orjson.loads(raw)
    assert set(data) == {"articles", "quotes", "meta"}
    assert b"Some body text" not in raw
    assert data["meta"]["1"]["schema_version"] == migrations.SCHEMA_VERSION


def test_a_change_is_one_journal_line_not_a_rewrite(tmp_path: Path) -> None:
    repo, article_id = lib_with_article(tmp_path)
    snapshot_before = os.stat(tmp_path / "library.json")
    journal_before = (tmp_path / "library.journal").stat().st_size
    repo.add_quote_text(article_id, "body text")
    assert os.stat(tmp_path / "library.json").st_ino == snapshot_before.st_ino
    assert (tmp_path / "library.journal").stat().st_size > journal_before
    assert Repository.open(tmp_path).quotes()[0].text == "body text"


def test_journal_is_folded_into_a_new_snapshot_when_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_module, "MIN_JOURNAL_BYTES", 2000)
    repo, article_id = lib_with_article(tmp_path)
    for i in range(40):
        repo.set_position(article_id, i, i / 100)
    journal = (tmp_path / "library.journal").read_bytes()
    assert len(journal) <= 2000
    assert (tmp_path / "library.json.bak").exists()
    assert Repository.open(tmp_path).article(article_id).position == 39


def test_a_second_process_sees_changes_and_nothing_is_lost(tmp_path: Path) -> None:
    one, article_id = lib_with_article(tmp_path)
    two = Repository.open(tmp_path)
    assert not two.changed()
    one.add_quote_text(article_id, "Some body")
    assert two.changed()
    two.add_quote_text(article_id, "to quote")  # allocates after reading one's quote
    assert not two.changed()
    assert sorted(q.text for q in one.quotes()) == ["Some body", "to quote"]
    assert len({q.id for q in one.quotes()}) == 2


def test_torn_last_journal_line_is_ignored_then_overwritten(tmp_path: Path) -> None:
    repo, article_id = lib_with_article(tmp_path)
    repo.add_quote_text(article_id, "Some body")
    with open(tmp_path / "library.journal", "ab") as fh:
        fh.write(b'["quotes",7,{"article_id":1,"te')  # a writer killed mid-append
    fresh = Repository.open(tmp_path)
    assert [q.text for q in fresh.quotes()] == ["Some body"]
    fresh.add_quote_text(article_id, "to quote")
    assert sorted(q.text for q in Repository.open(tmp_path).quotes()) == ["Some body", "to quote"]


def test_stale_journal_after_a_crash_mid_compaction_is_ignored(tmp_path: Path) -> None:
    repo, article_id = lib_with_article(tmp_path)
    repo.set_position(article_id, 5, 0.1)
    stale = (tmp_path / "library.journal").read_bytes()
    repo.storage.write(repo.storage.read() or {})
    repo.set_position(article_id, 9, 0.2)
    repo.storage.write(repo.storage.read() or {})  # snapshot now has position 9
    (tmp_path / "library.journal").write_bytes(stale)  # as if the crash left the old journal
    fresh = Repository.open(tmp_path)
    assert fresh.article(article_id).position == 9
    fresh.set_position(article_id, 11, 0.3)  # appends must start a journal of this generation
    assert Repository.open(tmp_path).article(article_id).position == 11


@pytest.mark.parametrize(
    "content", [b"{not json", b"", b"[1, 2, 3]", b'{"articles": []}', b'{"articles": {}}']
)
def test_a_broken_library_is_refused_and_never_overwritten(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "library.json").write_bytes(content)
    with pytest.raises(LibraryCorrupt) as info:
        Repository.open(tmp_path)
    assert str(tmp_path / "library.json") in str(info.value)
    assert "\n" not in str(info.value)
    assert (tmp_path / "library.json").read_bytes() == content


def test_a_damaged_journal_line_in_the_middle_is_reported(tmp_path: Path) -> None:
    repo, article_id = lib_with_article(tmp_path)
    repo.set_position(article_id, 1, 0.1)
    repo.set_position(article_id, 2, 0.1)
    raw = (tmp_path / "library.journal").read_bytes().split(b"\n")
    raw[1] = b"garbage"
    (tmp_path / "library.journal").write_bytes(b"\n".join(raw))
    with pytest.raises(LibraryCorrupt, match=r"library\.journal"):
        Repository.open(tmp_path)


def test_a_newer_library_is_refused_untouched(tmp_path: Path) -> None:
    data = migrations.new_library()
    data["meta"]["1"]["schema_version"] = migrations.SCHEMA_VERSION + 1
    raw = orjson.dumps(data)
    (tmp_path / "library.json").write_bytes(raw)
    with pytest.raises(LibraryTooNew, match="newer reader"):
        Repository.open(tmp_path)
    assert (tmp_path / "library.json").read_bytes() == raw


def test_migration_backs_up_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = migrations.new_library()
    old["articles"]["1"] = {"title": "Old", "hash": "0" * 64}
    raw = orjson.dumps(old)
    (tmp_path / "library.json").write_bytes(raw)

    def add_words(data: migrations.Tables) -> None:
        for doc in data["articles"].values():
            doc["words"] = 42

    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(migrations, "MIGRATIONS", {1: add_words})
    repo = Repository.open(tmp_path)
    assert repo.article(1).words == 42
    assert (tmp_path / "library.json.v1.bak").read_bytes() == raw
    stored = orjson.loads((tmp_path / "library.json").read_bytes())
    assert stored["meta"]["1"]["schema_version"] == 2


def test_apply_on_an_empty_folder_creates_a_snapshot(tmp_path: Path) -> None:
    storage = DiskStorage(tmp_path)
    storage.apply([Change("things", 1, {"a": 1})])
    assert orjson.loads((tmp_path / "library.json").read_bytes())["things"]["1"] == {"a": 1}


def test_a_failed_write_leaves_the_old_file_and_a_correct_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, article_id = lib_with_article(tmp_path)
    before = (tmp_path / "library.json").read_bytes()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage_module, "atomic_write", disk_full)
    data = repo.storage.read() or {}
    data["articles"]["1"]["title"] = "Changed in memory only"
    with pytest.raises(OSError, match="No space"):
        repo.storage.write(data)
    monkeypatch.undo()
    assert (tmp_path / "library.json").read_bytes() == before
    assert repo.article(article_id).title == "Title"  # the cache was dropped and reloaded


def test_reading_on_one_thread_while_another_writes(tmp_path: Path) -> None:
    import threading

    repo, article_id = lib_with_article(tmp_path)
    repo.add_articles([(parsed(f"T{i}", f"Body {i}."), None) for i in range(300)])
    errors: list[BaseException] = []
    done = threading.Event()

    def write() -> None:
        try:
            for i in range(150):
                repo.set_position(article_id, i, 0.1)
                repo.add_quote(article_id, 0, 1 + i % 20)
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    writer = threading.Thread(target=write)
    writer.start()
    reads = 0
    while not done.is_set():
        assert len(repo.articles()) == 301  # iterates while the other thread applies changes
        repo.quotes()
        reads += 1
    writer.join()
    assert not errors and reads > 0
    assert Repository.open(tmp_path).article(article_id).position == 149


def test_refresh_reports_only_other_processes_changes(tmp_path: Path) -> None:
    mine, article_id = lib_with_article(tmp_path)
    other = Repository.open(tmp_path)
    mine.refresh()
    mine.set_position(article_id, 3, 0.1)  # my own write: nothing new to show
    assert not mine.refresh()
    other.add_quote_text(article_id, "Some body")
    mine.set_position(article_id, 4, 0.1)  # my write reads the other's change in first
    assert mine.refresh()
    assert not mine.refresh()
    assert [q.text for q in mine.quotes()] == ["Some body"]


def test_a_journal_of_a_newer_generation_is_refused_and_never_truncated(
    tmp_path: Path,
) -> None:
    repo, article_id = lib_with_article(tmp_path)
    repo.storage.write(repo.storage.read() or {})
    older = (tmp_path / "library.json").read_bytes()
    repo.set_position(article_id, 3, 0.1)
    repo.storage.write(repo.storage.read() or {})
    repo.set_position(article_id, 4, 0.1)
    journal = (tmp_path / "library.journal").read_bytes()
    (tmp_path / "library.json").write_bytes(older)  # restored from an older copy
    storage = DiskStorage(tmp_path)
    with pytest.raises(LibraryCorrupt, match=r"belongs to another library\.json"):
        storage.read()
    with pytest.raises(LibraryCorrupt):
        storage.apply([Change("articles", article_id, {"title": "x"})])
    assert (tmp_path / "library.journal").read_bytes() == journal


@pytest.mark.parametrize(
    "line", [b"[1, 2, 3]", b'["articles", "1", {}]', b'["articles", 1, 5]', b'{"a": 1}']
)
def test_a_journal_entry_that_is_not_a_change_is_refused(tmp_path: Path, line: bytes) -> None:
    lib_with_article(tmp_path)
    with open(tmp_path / "library.journal", "ab") as fh:
        fh.write(line + b"\n" + b'["quotes", 5, null]\n')
    with pytest.raises(LibraryCorrupt, match="not a change at byte"):
        Repository.open(tmp_path)


def test_the_backup_pair_always_adds_up_to_the_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_module, "MIN_JOURNAL_BYTES", 500)
    repo, article_id = lib_with_article(tmp_path)
    for i in range(30):
        repo.set_position(article_id, i, 0.1)
        snapshot = orjson.loads((tmp_path / "library.json").read_bytes())
        backup = tmp_path / "library.json.bak"
        if not backup.exists():
            continue
        data = orjson.loads(backup.read_bytes())
        lines = (tmp_path / "library.journal.bak").read_bytes().splitlines()
        header = orjson.loads(lines[0])
        assert header["generation"] == data["meta"]["1"]["_generation"]
        changes = [Change(*orjson.loads(line)) for line in lines[1:]]
        folded = storage_module.apply_changes(data, changes)
        for table in ("articles", "quotes"):
            assert folded.get(table) == snapshot.get(table)
    assert Repository.open(tmp_path).article(article_id).position == 29


def test_a_compaction_that_fails_does_not_fail_a_durable_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_module, "MIN_JOURNAL_BYTES", 10)
    repo, article_id = lib_with_article(tmp_path)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage_module, "atomic_write", disk_full)
    repo.set_position(article_id, 9, 0.5)  # appended, then the compaction fails: no error
    monkeypatch.undo()
    assert Repository.open(tmp_path).article(article_id).position == 9


def test_an_append_that_fails_half_way_is_taken_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, article_id = lib_with_article(tmp_path)
    before = (tmp_path / "library.journal").read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        if len(data) > 20:
            return real_write(fd, bytes(data)[: len(data) // 2])  # the first part lands
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(OSError, match="No space"):
        repo.add_quote_text(article_id, "body text")
    monkeypatch.undo()
    assert (tmp_path / "library.journal").read_bytes() == before  # nothing half-written stays
    assert Repository.open(tmp_path).quotes() == []


def test_a_second_migration_backup_never_overwrites_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = b'{"meta": {"1": {"schema_version": 1}}}'
    (tmp_path / "library.json").write_bytes(first)
    assert migrations.backup_before_migration(tmp_path / "library.json", 1).name == (
        "library.json.v1.bak"
    )
    (tmp_path / "library.json").write_bytes(first + b" ")
    again = migrations.backup_before_migration(tmp_path / "library.json", 1)
    assert (tmp_path / "library.json.v1.bak").read_bytes() == first
    assert again.read_bytes() == first + b" " and again != tmp_path / "library.json.v1.bak"
