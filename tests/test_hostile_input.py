"""Damaged and hostile input never ends in a traceback: every case made here by the test."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from reader import importing
from reader.cli import main
from reader.export import EXPORT_FILE
from reader.export.library import export_library
from reader.library import Repository
from reader.library.errors import DamagedDocument
from reader.library.storage import Change

STORY = "A cafe story\n\nThe body of an article about a small cafe in the old town, with words.\n"
PASSAGE = "a small cafe in the old town"
# Terminal controls that orjson and json.dumps leave raw: a C1 CSI, NEL, an RLO, an LRI.
HOSTILE = "\x9b2J \x85 \u202e \u2066"


def run(capsys: pytest.CaptureFixture[str], library: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--library", str(library), *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def lib(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A library on disk with one article (id 1) and one quote (id 1)."""
    source = tmp_path / "story.txt"
    source.write_text(STORY)
    library = tmp_path / "lib"
    assert run(capsys, library, "import", str(source))[0] == 0
    assert run(capsys, library, "quote", "add", "1", PASSAGE)[0] == 0
    return library


def put(library: Path, table: str, doc_id: int, document: Any) -> None:
    """Write a document as a hand edit would leave it, past every check."""
    repo = Repository.open(library)
    try:
        repo.storage.apply([Change(table, doc_id, document)])
    finally:
        repo.close()


def stored(library: Path, table: str, doc_id: int) -> dict[str, Any]:
    repo = Repository.open(library)
    try:
        data = repo.storage.read() or {}
        return dict(data[table][str(doc_id)])
    finally:
        repo.close()


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("reader: ") and "Traceback" not in err
    return err


# -- damaged library documents --------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("progress", "NaN", "progress must be a number from 0 to 1, not 'NaN'"),
        ("added", "yesterday", "added must be a time, not 'yesterday'"),
        ("position", 1e30, "position must be a whole number, not 1e+30"),
        ("title", 12345, "title must be text, not 12345"),
        ("tags", "solo", "tags must be a list of text, not 'solo'"),
    ],
)
def test_a_damaged_article_is_named_by_list_search_export_and_show(
    lib: Path, capsys: pytest.CaptureFixture[str], field: str, value: Any, said: str
) -> None:
    put(lib, "articles", 1, stored(lib, "articles", 1) | {field: value})
    line = f"reader: article 1 in the library is damaged ({said}); run 'reader doctor'\n"
    for command in (["show", "1"], ["search", "cafe"]):
        status, _, err = run(capsys, lib, *command)
        assert (status, one_line(err)) == (1, line), command
    status, _, err = run(capsys, lib, "export", "library", "-o", str(lib.parent / "out"))
    assert (status, err) == (1, line)


def test_list_names_a_damaged_article_and_shows_the_rest(
    lib: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Another story\n\nThe body of another story, about a harbour town.\n")
    assert run(capsys, lib, "import", str(other))[0] == 0
    put(lib, "articles", 1, stored(lib, "articles", 1) | {"progress": "NaN"})
    put(lib, "quotes", 1, stored(lib, "quotes", 1) | {"start": "x"})  # and a damaged quote
    line = (
        "reader: article 1 in the library is damaged "
        "(progress must be a number from 0 to 1, not 'NaN'); run 'reader doctor'\n"
    )
    status, out, err = run(capsys, lib, "list", "--json")
    assert (status, err) == (1, line)
    assert [row["title"] for row in json.loads(out)] == ["Another story"]
    status, out, err = run(capsys, lib, "list")
    assert (status, err) == (1, line)
    assert "Another story" in out and "cafe" not in out


def test_a_document_that_is_not_one_and_a_hashless_one_are_named(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A journal line whose document is no object is no change: refused in one line that
    # points to the repair (which sets the line aside), the library left as it was.
    put(lib, "articles", 1, [1, 2, 3])
    status, _, err = run(capsys, lib, "show", "1")
    assert status == 1
    assert "is not a change" in one_line(err) and "reader doctor --repair" in err
    assert run(capsys, lib, "doctor", "--repair")[0] == 0
    put(lib, "articles", 1, {"title": "No hash"})
    assert "(no hash)" in run(capsys, lib, "list")[2]


def test_a_damaged_quote_is_named(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put(lib, "quotes", 1, stored(lib, "quotes", 1) | {"start": -4})
    status, _, err = run(capsys, lib, "quotes", "--json")
    assert status == 1
    assert "quote 1 in the library is damaged (start must be a whole number, not -4)" in err


def test_from_doc_raises_a_library_error_not_a_key_error() -> None:
    from reader.library.models import Article

    with pytest.raises(DamagedDocument, match=r"article 7 .*\(no title\)"):
        Article.from_doc(7, {"hash": "x"})


# -- damaged text files ---------------------------------------------------------------------


def test_a_text_file_with_an_invalid_byte_is_damaged_never_printed(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = stored(lib, "articles", 1)["hash"]
    text = lib / "texts" / f"{digest}.txt"
    text.write_bytes(text.read_bytes().replace(b"cafe", b"caf\xe9\x1b[2J", 1))
    for command in (["show", "1"], ["show", "1", "--json"], ["export", "article", "1"]):
        status, out, err = run(capsys, lib, *command)
        assert status == 1 and out == ""
        assert one_line(err).startswith("reader: the text of article 1 (")
        said = "cannot be read: it is damaged (not valid UTF-8); run 'reader doctor'\n"
        assert err.endswith(said)
        assert "\x1b" not in err and "\ufffd" not in err


# -- file names that are not UTF-8 ----------------------------------------------------------


def test_a_file_name_that_is_not_utf8_goes_in_under_a_safe_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("A good story\n\nThe body of a story about a library.\n")
    bad = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(bad, "w") as fh:
        fh.write(STORY)
    status, out, err = run(capsys, tmp_path / "lib", "import", str(folder))
    assert (status, out, err) == (0, "Imported 2, already present 0, refused 0.\n", "")
    status, out, _ = run(capsys, tmp_path / "lib", "list", "--json")
    rows = json.loads(out)
    files = {run_show(capsys, tmp_path / "lib", row["id"])["file"] for row in rows}
    assert files == {"good.txt", "caf\\xe9.txt"}
    status, out, _ = run(capsys, tmp_path / "lib", "import", str(folder), "--json")
    shown = [entry["file"] for entry in json.loads(out)["already_present"]]
    assert str(folder / "caf\\xe9.txt") in shown


def run_show(capsys: pytest.CaptureFixture[str], library: Path, article_id: int) -> Any:
    status, out, _ = run(capsys, library, "show", str(article_id), "--json")
    assert status == 0
    return json.loads(out)


# -- JSON output and cleaning on the way in -------------------------------------------------


def test_json_output_escapes_c1_and_bidi_controls(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A hand-edited note: the CLI would have cleaned it.
    put(lib, "quotes", 1, stored(lib, "quotes", 1) | {"note": HOSTILE})
    for command in (["quotes", "--json"], ["export", "quotes", "--format", "json"]):
        status, out, _ = run(capsys, lib, *command)
        assert status == 0
        assert not any(0x7F <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x2069 for c in out)
        assert "\\u009b2J \\u0085 \\u202e \\u2066" in out
        [value] = json.loads(out)
        # Escaped, not lost: the value read back is the note as stored.
        assert HOSTILE in json.dumps(value, ensure_ascii=False)


def test_a_note_is_cleaned_on_the_way_in(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = "keep\x1b]52;c;aGk=\x07 this\u202e"
    status, out, _ = run(capsys, lib, "quote", "add", "1", "The body", "--note", note, "--json")
    assert status == 0
    assert json.loads(out)["note"] == "keep this"


# -- restoring a damaged export -------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "field", "value", "said"),
    [
        ("articles", "progress", "NaN", "progress must be a number from 0 to 1, not 'NaN'"),
        ("articles", "added", "yesterday", "added must be a time, not 'yesterday'"),
        ("articles", "position", 1e30, "position must be a whole number, not 1e+30"),
        ("articles", "title", 12345, "title must be text, not 12345"),
        ("quotes", "created", "soon", "created must be a time, not 'soon'"),
    ],
)
def test_a_damaged_export_is_refused_whole_and_nothing_is_written(
    lib: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    entry: str,
    field: str,
    value: Any,
    said: str,
) -> None:
    out = tmp_path / "out"
    repo = Repository.open(lib)
    try:
        repo.add_articles([])  # nothing: the export below has the one article and quote
        export_library(repo, out)
    finally:
        repo.close()
    document = json.loads((out / EXPORT_FILE).read_text())
    document[entry][0][field] = value
    (out / EXPORT_FILE).write_text(json.dumps(document))
    fresh = tmp_path / "fresh"
    status, stdout, err = run(capsys, fresh, "import", str(out))
    assert status == 1
    kind = entry[:-1]
    assert one_line(err) == (
        f"reader: refused {out / EXPORT_FILE}: {kind} entry 1 (id 1): {said}; "
        "nothing was restored\n"
    )
    assert stdout == "Imported 0, already present 0, refused 1.\n"
    status, listed, _ = run(capsys, fresh, "list", "--json")
    assert (status, json.loads(listed)) == (0, [])


def test_restored_fields_are_cleaned(
    lib: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    repo = Repository.open(lib)
    try:
        export_library(repo, out)
    finally:
        repo.close()
    document = json.loads((out / EXPORT_FILE).read_text())
    document["articles"][0]["title"] = "Cafe\x1b[2J \u202estory"
    document["articles"][0]["tags"] = ["t\x85ag"]
    document["quotes"][0]["note"] = "no\x9bte"
    (out / EXPORT_FILE).write_text(json.dumps(document))
    assert run(capsys, tmp_path / "fresh", "import", str(out))[0] == 0
    status, listed, _ = run(capsys, tmp_path / "fresh", "list", "--json")
    [row] = json.loads(listed)
    assert (row["title"], row["tags"]) == ("Cafe story", ["tag"])
    status, quotes, _ = run(capsys, tmp_path / "fresh", "quotes", "--json")
    assert status == 0 and json.loads(quotes)[0]["note"] == "note"


# -- disks that fail ------------------------------------------------------------------------


def test_an_fsync_failure_in_quote_add_says_it_may_have_been_saved(
    lib: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing)
    status, _, err = run(capsys, lib, "quote", "add", "1", "The body")
    assert status == 1
    assert "may have been saved" in one_line(err)
    assert "intact" not in err


def test_a_disk_that_fills_mid_import_says_how_many_went_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(5):
        (folder / f"{n}.txt").write_text(f"Story {n}\n\nThe body of story number {n} here.\n")
    monkeypatch.setattr(importing, "BATCH", 2)
    real = Repository.add_articles
    calls = []

    def filling(self: Repository, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", "library.journal")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Repository, "add_articles", filling)
    status, out, err = run(capsys, tmp_path / "lib", "import", str(folder))
    assert status == 1 and out == ""
    assert one_line(err) == (
        "reader: the import stopped: No space left on device (library.journal); "
        "2 articles went in before it, the rest did not\n"
    )
    monkeypatch.setattr(Repository, "add_articles", real)
    status, listed, _ = run(capsys, tmp_path / "lib", "list", "--json")
    assert len(json.loads(listed)) == 2


def test_a_restored_body_with_terminal_controls_is_read_from_its_markdown(
    lib: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.library.texts import content_hash

    out = tmp_path / "out"
    repo = Repository.open(lib)
    try:
        export_library(repo, out)
    finally:
        repo.close()
    document = json.loads((out / EXPORT_FILE).read_text())
    record = document["articles"][0]
    record["body"] = record["body"].replace("cafe", "cafe\x1b]52;c;aGk=\x07", 1)
    record["hash"] = content_hash(record["body"])  # a hash that matches: hand-made, not reader's
    (out / EXPORT_FILE).write_text(json.dumps(document))
    assert run(capsys, tmp_path / "fresh", "import", str(out))[0] == 0
    shown = run_show(capsys, tmp_path / "fresh", 1)
    assert "\x1b" not in shown["text"] and PASSAGE in shown["text"]
    assert run(capsys, tmp_path / "fresh", "quotes", "--json")[0] == 0


def test_import_goes_on_beside_a_damaged_document(
    lib: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    put(lib, "articles", 1, stored(lib, "articles", 1) | {"added": "yesterday"})
    other = tmp_path / "other.txt"
    other.write_text("Another story\n\nThe body of another story, about a harbour town.\n")
    status, out, err = run(capsys, lib, "import", str(other))
    assert (status, out, err) == (0, "Imported 1, already present 0, refused 0.\n", "")
    put(lib, "articles", 1, {"title": "Without a hash"})
    other.write_text("A third story\n\nThe body of a third story, about a mountain pass.\n")
    assert run(capsys, lib, "import", str(other))[:2] == (
        0,
        "Imported 1, already present 0, refused 0.\n",
    )
