"""The search index's storage: contentless FTS tables, deletes, tombstones, older files."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from reader.library import Repository, search_tables
from reader.library import search as search_module
from reader.library.search import INDEX_FILE, SearchHit
from tests.conftest import parsed


def ids(hits: list[SearchHit]) -> list[int]:
    return [h.article_id for h in hits if h.kind == "article"]


def index_db(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(folder / INDEX_FILE)


def count(folder: Path, sql: str) -> int:
    db = index_db(folder)
    try:
        return int(db.execute(sql).fetchone()[0])
    finally:
        db.close()


@pytest.fixture
def lib(tmp_path: Path) -> Repository:
    repo = Repository.open(tmp_path / "lib")
    repo.add_articles(
        [
            (parsed("Otters of the river", "The otter swims at dawn near the weir."), "a.txt"),
            (parsed("Herons", "A heron waits by the weir for fish."), "b.txt"),
            (parsed("Kingfishers", "The kingfisher dives; an otter watches."), "c.txt"),
        ]
    )
    return repo


def test_the_index_keeps_no_copy_of_the_text(tmp_path: Path, lib: Repository) -> None:
    assert lib.search("otter")
    db = index_db(tmp_path / "lib")
    names = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    # A content table would hold every folded body a second time.
    assert "articles" in names and "quotes" in names
    assert not {"articles_content", "quotes_content"} & names


def test_a_deleted_article_is_never_found_and_leaves_a_tombstone(
    tmp_path: Path, lib: Repository
) -> None:
    otters = next(a for a in lib.articles() if a.title.startswith("Otters"))
    assert len(lib.search("otter")) == 2
    lib.delete_article(otters.id)  # its body file goes with it: the FTS row stays, dead
    assert [lib.article(i).title for i in ids(lib.search("otter"))] == ["Kingfishers"]
    assert lib.search('"swims at dawn"') == []
    assert count(tmp_path / "lib", "SELECT count(*) FROM dead") == 1


def test_a_restored_article_takes_its_id_back_without_its_tombstone(
    tmp_path: Path, lib: Repository
) -> None:
    otters = next(a for a in lib.articles() if a.title.startswith("Otters"))
    body = lib.body(otters)
    assert lib.search("swims")
    lib.delete_article(otters.id)
    lib.restore_article(otters, body)
    [hit] = lib.search("swims")
    assert hit.article_id == otters.id
    assert hit.snippet[hit.highlights[0][0] : hit.highlights[0][1]] == "swims"
    lib.delete_article(otters.id)
    assert lib.search("swims") == []


def test_a_renamed_article_is_deleted_exactly(tmp_path: Path, lib: Repository) -> None:
    herons = next(a for a in lib.articles() if a.title == "Herons")
    assert ids(lib.search("herons")) == [herons.id]
    lib.replace_articles([dataclasses.replace(herons, title="Grey birds")])
    assert ids(lib.search("grey birds")) == [herons.id]
    assert ids(lib.search("heron")) == [herons.id]  # still in the body
    db = index_db(tmp_path / "lib")
    assert (
        db.execute("SELECT rowid FROM articles WHERE articles MATCH 'title : herons'").fetchall()
        == []
    )
    db.close()
    # Its body was still there to tell FTS5 what to remove: no tombstone.
    assert count(tmp_path / "lib", "SELECT count(*) FROM dead") == 0


def test_quote_deletes_are_exact(tmp_path: Path, lib: Repository) -> None:
    herons = next(a for a in lib.articles() if a.title == "Herons")
    quote, _ = lib.add_quote_text(herons.id, "heron waits", note="patience")
    assert [h.quote_id for h in lib.search("patience")] == [quote.id]
    lib.set_quote_note(quote.id, "stillness")
    assert lib.search("patience") == []
    assert [h.quote_id for h in lib.search("stillness")] == [quote.id]
    lib.delete_quote(quote.id)
    assert lib.search("stillness") == []
    assert count(tmp_path / "lib", "SELECT count(*) FROM dead") == 0


def test_many_tombstones_rebuild_the_index(
    tmp_path: Path, lib: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "BULK", 1)
    assert lib.search("weir")
    results = lib.add_articles(
        [(parsed(f"Weir {n}", f"Water over the weir, day {n}."), None) for n in range(4)]
    )
    for result in results:
        lib.delete_article(result.article.id)
    assert count(tmp_path / "lib", "SELECT count(*) FROM dead") == 4
    hits = lib.search("weir")  # the sync starts the index again
    assert sorted(lib.article(i).title for i in ids(hits)) == ["Herons", "Otters of the river"]
    assert count(tmp_path / "lib", "SELECT count(*) FROM dead") == 0


# The tables of schema version 2, which kept every folded body in the index.
OLD_SCHEMA = (
    "CREATE VIRTUAL TABLE articles USING fts5(title, body, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE quotes USING fts5(text, note, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    """CREATE TABLE docs (
        kind TEXT NOT NULL, id INTEGER NOT NULL, digest TEXT NOT NULL, title TEXT NOT NULL,
        source TEXT, article_id INTEGER, start INTEGER, stop INTEGER, text TEXT, note TEXT,
        PRIMARY KEY (kind, id)
    ) WITHOUT ROWID""",
    "PRAGMA user_version = 2",
)


def test_an_index_of_the_old_format_is_rebuilt_and_shrinks(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    repo = Repository.open(folder)
    [result] = repo.add_articles([(parsed("Otters", "The otter swims at dawn."), None)])
    repo.close()
    db = sqlite3.connect(folder / INDEX_FILE, isolation_level=None)
    for statement in OLD_SCHEMA:
        db.execute(statement)
    # An old index of the same library as it was (with a big stale body), up to date by
    # its own digests: only the version tells it apart.
    article = result.article
    db.execute(
        "INSERT INTO articles (rowid, title, body) VALUES (?, ?, ?)",
        (article.id, "otters", "the otter swims at dawn " + "filler words " * 200_000),
    )
    db.execute(
        "INSERT INTO docs (kind, id, digest, title, source) VALUES ('article', ?, ?, ?, NULL)",
        (article.id, article.hash, article.title),
    )
    db.close()
    old_size = (folder / INDEX_FILE).stat().st_size
    again = Repository.open(folder)
    [hit] = again.search("swims")
    assert hit.article_id == article.id and hit.snippet == "Otters The otter swims at dawn."
    assert again.search("filler") == []
    again.close()
    assert count(folder, "PRAGMA user_version") == search_tables.SCHEMA_VERSION
    assert (folder / INDEX_FILE).stat().st_size < old_size / 4


def test_a_body_that_does_not_match_its_hash_is_not_indexed(
    tmp_path: Path, lib: Repository
) -> None:
    herons = next(a for a in lib.articles() if a.title == "Herons")
    lib.texts.path(herons.hash).write_text("Herons\n\nA pelican instead.", encoding="utf-8")
    lib.close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / "lib" / f"{INDEX_FILE}{suffix}").unlink(missing_ok=True)
    repo = Repository.open(tmp_path / "lib")
    # Indexed as unreadable (its title only): a later delete could not give FTS5 back what
    # it indexed, and the next sync tries again.
    assert repo.search("pelican") == []
    assert ids(repo.search("herons")) == [herons.id]
    repo.delete_article(herons.id)
    assert repo.search("herons") == []


def test_an_unchanged_library_is_not_compared_document_by_document(
    tmp_path: Path, lib: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lib.search("otter")
    lib.close()
    compared: list[int] = []
    differences = search_module.SearchIndex._differences

    def counted(db: sqlite3.Connection, wanted: dict[search_module.Key, tuple[str, str]]):  # type: ignore[no-untyped-def]
        compared.append(len(wanted))
        return differences(db, wanted)

    monkeypatch.setattr(search_module.SearchIndex, "_differences", staticmethod(counted))
    again = Repository.open(tmp_path / "lib")
    assert len(again.search("otter")) == 2
    assert compared == []  # the signature matched
    other = Repository.open(tmp_path / "lib")
    other.add_articles([(parsed("Otter update", "Another otter."), None)])  # kept in the index
    other.close()
    assert len(again.search("otter")) == 3
    assert compared  # an incremental change forgets the signature: compared in full
    compared.clear()
    again.close()
    third = Repository.open(tmp_path / "lib")
    assert len(third.search("otter")) == 3
    assert compared == []


def test_an_unreadable_body_is_tried_again_at_each_sync(tmp_path: Path, lib: Repository) -> None:
    herons = next(a for a in lib.articles() if a.title == "Herons")
    path = lib.texts.path(herons.hash)
    saved = path.read_bytes()
    path.unlink()
    lib.close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / "lib" / f"{INDEX_FILE}{suffix}").unlink(missing_ok=True)
    repo = Repository.open(tmp_path / "lib")
    assert repo.search("fish") == []
    repo.close()
    path.write_bytes(saved)  # as doctor --repair would put it back
    repo = Repository.open(tmp_path / "lib")
    assert ids(repo.search("fish")) == [herons.id]


def test_the_signature_does_not_depend_on_the_tables_order() -> None:
    one = {"hash": "h1", "title": "One"}
    two = {"hash": "h2", "title": "Two"}
    quote = {"text": "t", "note": "", "article_title": "One"}
    signature = search_tables.signature_of
    assert signature({"1": one, "2": two}, {"7": quote}) == signature(
        {"2": two, "1": one}, {"7": quote}
    )
    assert signature({"1": one, "2": two}, {}) != signature({"1": two, "2": one}, {})
