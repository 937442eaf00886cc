"""The layout sidecar: reads through it equal a full parse; a wrong one means the full parse."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.library import Repository
from reader.library import storage as storage_module
from reader.library.changes import parse_snapshot
from reader.library.layout import LAYOUT_FILE, dump_snapshot, encode_layout, read_layout
from reader.library.models import added_of
from reader.library.storage import DiskStorage
from tests.conftest import parsed


def build(folder: Path, count: int = 12) -> Repository:
    """A library whose last snapshot has a layout, with a few changes journaled since."""
    repo = Repository.open(folder)
    for i in range(count):
        [result] = repo.add_articles([(parsed(f"T{i}", f"Body {i} of the article."), f"{i}.txt")])
        if i % 3 == 0:
            repo.add_quote_text(result.article.id, f"Body {i}")
    with repo.storage.transaction() as data:
        repo.storage.write(data or {})  # a snapshot of everything, with its layout
    repo.set_read(2, True)
    repo.add_quote_text(4, "of the")
    assert (folder / LAYOUT_FILE).exists()
    return repo


def whole(folder: Path) -> dict[str, Any]:
    """The library as the full parse reads it (the layout is never looked at)."""
    storage = DiskStorage(folder)
    data = storage.read() or {}
    assert storage._lazy is None
    return data


def reads(folder: Path) -> dict[str, Any]:
    """What the hot paths read in a new process: one article, the newest, quotes by article."""
    repo = Repository.open(folder)
    try:
        present = sorted(repo.article_ids())  # first: from the layout, no document parsed
        ids = range(0, 16)
        articles = {}
        for i in ids:
            doc = repo.storage.document("articles", i)
            articles[i] = doc
        newest, total = repo.newest(5)
        return {
            "articles": articles,
            "newest": [a.id for a in newest],
            "total": total,
            "counts": dict(repo.quote_counts()),
            "quotes": [q.id for q in repo.quotes()],
            "meta": repo.documents("meta"),
            "ids": present,
        }
    finally:
        repo.close()


def expected(folder: Path) -> dict[str, Any]:
    data = whole(folder)
    articles = data.get("articles", {})
    # The list's order: newest first.
    order = sorted(articles.items(), key=lambda i: (added_of(i[1]), int(i[0])), reverse=True)
    counts: dict[int, int] = {}
    for q in data.get("quotes", {}).values():
        counts[q["article_id"]] = counts.get(q["article_id"], 0) + 1
    return {
        "articles": {i: articles.get(str(i)) for i in range(0, 16)},
        "newest": [int(i) for i, _ in order[:5]],
        "total": len(articles),
        "counts": counts,
        "quotes": sorted(
            (int(i) for i in data.get("quotes", {})),
            key=lambda i: (
                data["quotes"][str(i)]["article_id"],
                data["quotes"][str(i)]["start"],
                data["quotes"][str(i)]["end"],
                i,
            ),
        ),
        "meta": data.get("meta", {}),
        "ids": sorted(int(i) for i in articles),
    }


def test_a_snapshot_is_byte_for_byte_what_orjson_writes() -> None:
    data = {
        "meta": {"1": {"schema": 3, "_generation": 4}},
        "articles": {"1": {"title": 'é \u2028 "q" \\', "x": [1, 2]}, "10": {}, "2": {"a": None}},
        "quotes": {},
        'fé"eds': {"7": {"t": "x"}},
    }
    raw, layout = dump_snapshot(data, 4)
    assert raw == orjson.dumps(data)
    assert layout is not None
    ids, starts, ends = layout.arrays()
    assert list(ids) == [1, 10, 2]
    assert [raw[s:e] for s, e in zip(starts, ends, strict=True)] == [
        orjson.dumps(d) for d in data["articles"].values()
    ]
    assert layout.newest[0] in (1, 10, 2)


def test_article_ids_that_are_not_plain_numbers_get_no_layout() -> None:
    data = {"articles": {"01": {"title": "a"}}, "meta": {}}
    raw, layout = dump_snapshot(data, 1)
    assert raw == orjson.dumps(data) and layout is None


def test_a_small_write_reads_no_article_but_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path / "lib").close()
    calls: list[int] = []
    real = storage_module.parse_snapshot

    def counted(raw: bytes, path: Path) -> Any:
        calls.append(len(raw))
        return real(raw, path)

    monkeypatch.setattr(storage_module, "parse_snapshot", counted)
    repo = Repository.open(tmp_path / "lib")
    quote, new = repo.add_quote_text(8, "Body 7")
    newest, total = repo.newest(3)
    assert new and quote.article_title == "T7"
    assert total == 12 and [a.title for a in newest] == ["T11", "T10", "T9"]
    assert repo.quote_counts()[8] == 1
    assert calls == []  # the whole snapshot was never parsed
    assert len(repo.articles()) == 12  # a read of everything parses it, once
    assert len(calls) == 1
    repo.close()
    assert reads(tmp_path / "lib") == expected(tmp_path / "lib")


def _layout_of(folder: Path) -> tuple[bytes, Any]:
    storage = DiskStorage(folder)
    storage.read()
    assert storage._snapshot_sig is not None
    return (folder / LAYOUT_FILE).read_bytes(), storage._snapshot_sig


def test_a_stale_layout_means_the_full_parse(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    build(folder).close()
    old = (folder / LAYOUT_FILE).read_bytes()
    repo = Repository.open(folder)
    repo.add_articles([(parsed("Later", "A later body."), "later.txt")])
    with repo.storage.transaction() as data:
        repo.storage.write(data or {})
    repo.close()
    (folder / LAYOUT_FILE).write_bytes(old)  # another generation's
    storage = DiskStorage(folder)
    assert storage.document("articles", 13) is not None
    assert storage._lazy is None  # not used
    assert reads(folder) == expected(folder)


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "crc"])
def test_a_torn_layout_means_the_full_parse(tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "lib"
    build(folder).close()
    raw = (folder / LAYOUT_FILE).read_bytes()
    broken = {
        "truncated": raw[: len(raw) - 5],
        "empty": b"",
        "garbage": b"\x00" * len(raw),
        "crc": raw[:-1] + bytes([raw[-1] ^ 1]),
    }[damage]
    (folder / LAYOUT_FILE).write_bytes(broken)
    storage = DiskStorage(folder)
    assert storage.document("articles", 3) == whole(folder)["articles"]["3"]
    # A damaged array is found when first used (the newest are read from the header).
    assert storage.document("articles", 99) is None
    assert storage._lazy is None
    assert reads(folder) == expected(folder)


@pytest.mark.parametrize("shift", [-1, 1, 7, -40])
def test_a_layout_pointing_at_wrong_bytes_means_the_full_parse(tmp_path: Path, shift: int) -> None:
    folder = tmp_path / "lib"
    build(folder).close()
    raw = (folder / "library.json").read_bytes()
    _, sig = _layout_of(folder)
    layout = read_layout(folder, sig)
    assert layout is not None
    for values in layout.arrays()[1:]:
        for n, value in enumerate(values):
            values[n] = value + shift
    (folder / LAYOUT_FILE).write_bytes(encode_layout(layout, sig))
    storage = DiskStorage(folder)
    doc = storage.document("articles", 5)
    assert doc == parse_snapshot(raw, folder)["articles"]["5"]
    assert storage._lazy is None  # the slice was refused and the whole file parsed
    assert reads(folder) == expected(folder)


@pytest.mark.parametrize("by_parts", [True, False])
def test_swapped_table_ranges_mean_the_full_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by_parts: bool
) -> None:
    monkeypatch.setattr(storage_module, "BY_PARTS", by_parts)
    folder = tmp_path / "lib"
    build(folder).close()
    _, sig = _layout_of(folder)
    layout = read_layout(folder, sig)
    assert layout is not None
    layout.tables["quotes"], layout.tables["meta"] = layout.tables["meta"], layout.tables["quotes"]
    (folder / LAYOUT_FILE).write_bytes(encode_layout(layout, sig))
    assert reads(folder) == expected(folder)


def test_swapped_article_ranges_mean_the_full_parse(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    build(folder).close()
    _, sig = _layout_of(folder)
    layout = read_layout(folder, sig)
    assert layout is not None
    a, b = layout.position(5), layout.position(6)
    assert a is not None and b is not None
    for values in layout.arrays()[1:]:
        values[a], values[b] = values[b], values[a]
    (folder / LAYOUT_FILE).write_bytes(encode_layout(layout, sig))
    storage = DiskStorage(folder)
    doc = storage.document("articles", 5)
    assert doc is not None and doc["title"] == "T4"
    assert reads(folder) == expected(folder)


def test_a_library_replaced_by_its_backup_is_not_read_through_the_layout(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    repo = build(folder)
    shutil.copy(folder / "library.json", tmp_path / "saved.json")
    repo.add_articles([(parsed("Newer", "A newer body."), "newer.txt")])
    with repo.storage.transaction() as data:
        repo.storage.write(data or {})
    repo.close()
    # Same size and mtime cannot be forged easily; a different file with the layout left.
    os.replace(tmp_path / "saved.json", folder / "library.json")
    (folder / "library.journal").write_bytes(
        (folder / "library.journal.bak").read_bytes()
    )  # a journal of that generation
    assert reads(folder) == expected(folder)


def test_doctor_is_content_with_a_layout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "lib"
    build(folder).close()
    assert main(["--library", str(folder), "doctor"]) == 0
    out = capsys.readouterr()
    assert "layout" not in out.out + out.err
    assert main(["--library", str(folder), "doctor", "--repair"]) == 0
    assert reads(folder) == expected(folder)


# -- two writers on one folder, compared with a full parse after every step --------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 1), st.integers(0, 3)),
        st.tuples(st.just("quote"), st.integers(0, 1), st.integers(0, 20)),
        st.tuples(st.just("read"), st.integers(0, 1), st.integers(0, 20)),
        st.tuples(st.just("delete"), st.integers(0, 1), st.integers(0, 20)),
        st.tuples(st.just("compact"), st.integers(0, 1), st.just(0)),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
def test_two_writers_always_read_what_a_full_parse_reads(steps: list[tuple[str, int, int]]) -> None:
    import tempfile

    saved_min, saved_newest = storage_module.MIN_JOURNAL_BYTES, None
    storage_module.MIN_JOURNAL_BYTES = 800  # fold the journal every few writes
    from reader.library import layout as layout_module

    saved_newest = layout_module.NEWEST
    layout_module.NEWEST = 7  # few newest recorded: changes exhaust them
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "lib"
            first = build(folder, count=8)
            repos = [first, Repository.open(folder)]
            made = 100
            for kind, who, pick in steps:
                repo = repos[who]
                ids = sorted(int(i) for i in whole(folder).get("articles", {}))
                target = ids[pick % len(ids)] if ids else None
                if kind == "add":
                    for _ in range(pick + 1):
                        made += 1
                        repo.add_articles([(parsed(f"N{made}", f"New body {made}."), None)])
                elif kind == "quote" and target is not None:
                    repo.add_quote(target, pick % 5, pick % 5 + 3)
                elif kind == "read" and target is not None:
                    repo.set_read(target, bool(pick % 2))
                elif kind == "delete" and target is not None:
                    repo.delete_article(target, delete_quotes=bool(pick % 2))
                elif kind == "compact":
                    with repo.storage.transaction() as data:
                        repo.storage.write(data or {})
                assert reads(folder) == expected(folder)
                # The writers' own lazy reads too, not only a new process's.
                for other in repos:
                    newest, total = other.newest(3)
                    assert total == expected(folder)["total"]
                    assert [a.id for a in newest] == expected(folder)["newest"][:3]
            for repo in repos:
                repo.close()
    finally:
        storage_module.MIN_JOURNAL_BYTES = saved_min
        layout_module.NEWEST = saved_newest


def test_the_first_write_records_a_missing_layout(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    build(folder).close()
    (folder / LAYOUT_FILE).unlink()  # as a library written by an older reader
    repo = Repository.open(folder)
    assert not (folder / LAYOUT_FILE).exists()  # reading alone writes nothing
    repo.add_quote_text(8, "Body 7")
    repo.close()
    assert (folder / LAYOUT_FILE).exists()
    storage = DiskStorage(folder)
    assert storage.document("articles", 3) is not None and storage._lazy is not None
    assert reads(folder) == expected(folder)


def test_a_library_json_written_by_another_tool_gets_no_layout(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    build(folder).close()
    (folder / LAYOUT_FILE).unlink()
    data = orjson.loads((folder / "library.json").read_bytes())
    (folder / "library.json").write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    repo = Repository.open(folder)
    repo.add_quote_text(8, "Body 7")
    repo.close()
    assert not (folder / LAYOUT_FILE).exists()  # its offsets would not be this file's
    assert reads(folder) == expected(folder)


def _no_whole_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(raw: bytes, path: Path) -> Any:
        raise AssertionError("the whole library.json was parsed")

    monkeypatch.setattr(storage_module, "parse_snapshot", refuse)


def test_quote_add_and_show_parse_no_whole_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "lib"
    build(folder).close()
    (folder / "start-view.json").write_text("{}")  # a quote add then refreshes it too
    _no_whole_parse(monkeypatch)
    assert main(["--library", str(folder), "quote", "add", "8", "Body 7", "--json"]) == 0
    assert orjson.loads(capsys.readouterr().out)["new"] is True
    assert main(["--library", str(folder), "show", "8", "--json"]) == 0
    assert "Body 7" in capsys.readouterr().out
    monkeypatch.undo()
    assert reads(folder) == expected(folder)


def test_the_first_screen_without_a_start_view_parses_no_whole_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.library.head import start_view_of

    folder = tmp_path / "lib"
    build(folder).close()
    _no_whole_parse(monkeypatch)
    repo = Repository.open(folder)
    view = start_view_of(repo)
    assert [a.title for a in view.articles][:3] == ["T11", "T10", "T9"]
    assert view.total == 12 and view.quote_counts[4] == 2  # one from build, one journaled
    repo.close()


def test_a_big_journal_is_folded_whatever_the_snapshot_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "lib"
    build(folder, count=40).close()
    monkeypatch.setattr(storage_module, "MIN_JOURNAL_BYTES", 10)
    monkeypatch.setattr(storage_module, "MAX_JOURNAL_BYTES", 600)
    repo = Repository.open(folder)
    snapshot = (folder / "library.json").stat().st_size
    journal = (folder / "library.journal").stat().st_size
    for start in range(0, 8, 2):
        repo.add_quote(3, start, start + 2)
    repo.close()
    grown = (folder / "library.journal").stat().st_size
    assert journal + 1500 < snapshot // 2  # not folded for the snapshot's size
    assert grown < journal + 1000  # but for the cap
    assert (folder / LAYOUT_FILE).exists()
    assert reads(folder) == expected(folder)


def test_reading_whole_where_files_cannot_stay_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_module, "BY_PARTS", False)
    folder = tmp_path / "lib"
    build(folder).close()
    storage = DiskStorage(folder)
    assert storage.document("articles", 3) == whole(folder)["articles"]["3"]
    assert storage._lazy is not None  # read whole, parsed in parts
    assert reads(folder) == expected(folder)
    _, sig = _layout_of(folder)
    layout = read_layout(folder, sig)
    assert layout is not None
    a, b = layout.position(5), layout.position(6)
    assert a is not None and b is not None
    for values in layout.arrays()[1:]:
        values[a], values[b] = values[b], values[a]
    (folder / LAYOUT_FILE).write_bytes(encode_layout(layout, sig))
    assert reads(folder) == expected(folder)


def test_a_compaction_killed_anywhere_leaves_reads_equal_to_the_full_parse(
    tmp_path: Path,
) -> None:
    from tests.test_recovery_property import Killed, dying_at

    for call in range(1, 40):
        folder = tmp_path / f"lib{call}"
        build(folder).close()
        repo = Repository.open(folder)
        repo.add_articles([(parsed("Late", "A late body."), "late.txt")])
        try:
            with dying_at(call), repo.storage.transaction() as data:
                repo.storage.write(data or {})
        except Killed:
            pass
        else:
            assert (folder / LAYOUT_FILE).exists()
            break
        finally:
            repo.close()
        assert reads(folder) == expected(folder)
        assert Repository.open(folder).article(13).title == "Late"
    else:
        raise AssertionError("the compaction never ended")


def test_writing_a_snapshot_holds_about_its_own_size_in_memory() -> None:
    # orjson hands back each small document in a bytes object of about 4 KiB: a snapshot
    # written from a list of them held 205 MB at 50,000 articles (the app's peak on its first
    # write to a library without a layout).
    import tracemalloc

    doc = {"title": "A title", "hash": "0" * 64, "words": 300, "added": "2024-01-01T00:00:00"}
    data: dict[str, Any] = {
        "articles": {str(i): {**doc, "title": f"Title {i}"} for i in range(1, 5001)},
        "quotes": {},
        "meta": {"1": {"schema_version": 1}},
    }
    tracemalloc.start()
    try:
        raw, _ = dump_snapshot(data, 1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert raw == orjson.dumps(data)
    assert peak < 4 * len(raw) + 1_000_000, (peak, len(raw))
