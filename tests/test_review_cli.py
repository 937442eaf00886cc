"""``reader review --json``, ``reader review grade``, ``reader stats``, and the Anki export."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import Repository
from tests.conftest import parsed

PASSAGES = [f"Passage {i} is one worth reading again." for i in range(12)]


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    repo = Repository.open(folder)
    article = repo.add_articles([(parsed("Daily <Title>", *PASSAGES), None)])[0].article
    for i, passage in enumerate(PASSAGES):
        repo.add_quote_text(article.id, passage, note=f"note {i}" if i == 0 else "")
    other = repo.add_articles([(parsed("Gone", "Kept from a deleted article."), None)])[0]
    repo.add_quote_text(other.article.id, "Kept from a deleted article.")
    repo.delete_article(other.article.id)
    repo.close()
    return folder


def run(capsys: pytest.CaptureFixture[str], library: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--library", str(library), *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_review_json_is_todays_set_at_most_daily(
    lib: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, _ = run(capsys, lib, "review", "--json")
    found = json.loads(out)
    assert status == 0 and len(found) == 10  # the default daily
    assert set(found[0]) == {"id", "text", "note", "article_id", "article_title", "source", "due"}
    assert found[0]["text"] == PASSAGES[0] and found[0]["note"] == "note 0"
    assert found[0]["article_title"] == "Daily <Title>"
    assert [q["due"] for q in found] == sorted(q["due"] for q in found)
    config = tmp_path / "config.toml"
    config.write_text("[review]\ndaily = 3\n")
    _, out, _ = run(capsys, lib, "--config", str(config), "review", "--json")
    assert len(json.loads(out)) == 3


def test_grade_takes_a_quote_out_of_todays_set(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, lib, "review", "--json")
    first = json.loads(out)[0]["id"]
    status, out, _ = run(capsys, lib, "review", "grade", str(first), "good")
    assert status == 0 and out.startswith(f"Quote {first}: good; due again ")
    status, out, _ = run(capsys, lib, "review", "--json")
    ids = [q["id"] for q in json.loads(out)]
    assert first not in ids and len(ids) == 9  # ten a day, one of them done
    status, out, _ = run(capsys, lib, "review", "grade", str(ids[0]), "again", "--json")
    assert json.loads(out)["grade"] == "again"
    status, out, _ = run(capsys, lib, "review", "--json")
    assert json.loads(out)[-1]["id"] == ids[0]  # due again today, after the others
    status, out, _ = run(capsys, lib, "stats", "--json")
    stats = json.loads(out)
    assert stats["reviews_today"] == 2 and stats["streak_days"] == 1
    assert stats["quotes"] == 13 and stats["articles"] == 1 and stats["due_quotes"] == 12


def test_grade_errors_are_one_line(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, lib, "review", "grade", "999", "good")
    assert status == 1 and err == "reader: no quote with id 999\n"
    with pytest.raises(SystemExit) as exit_info:
        main(["--library", str(lib), "review", "grade", "1", "perfect"])
    assert exit_info.value.code == 2


def test_review_tag_narrows(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repository.open(lib)
    repo.set_quote_tags(5, ["turkey"])
    repo.close()
    _, out, _ = run(capsys, lib, "review", "--json", "--tag", "turkey")
    assert [q["id"] for q in json.loads(out)] == [5]


def test_deleted_articles_quotes_still_come_up(
    lib: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[review]\ndaily = 50\n")
    _, out, _ = run(capsys, lib, "--config", str(config), "review", "--json")
    kept = [q for q in json.loads(out) if q["article_title"] == "Gone"]
    assert len(kept) == 1 and kept[0]["source"] is None


def test_stats_text(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, lib, "stats")
    assert status == 0 and "Quotes due" in out and "Most quoted" in out


def test_review_without_arguments_opens_the_app_on_the_review_screen(
    lib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    def fake_run_app(library: object, **options: object) -> int:
        seen.update(options)
        return 0

    monkeypatch.setattr("reader.tui.app.run_app", fake_run_app)
    assert main(["--library", str(lib), "review"]) == 0
    assert seen["start_screen"] == "review"


# -- Anki --------------------------------------------------------------------------------


def _notes(deck: Path) -> list[tuple[str, list[str], str]]:
    """(guid, fields, tags) of every note in an .apkg, read back from its SQLite database."""
    with zipfile.ZipFile(deck) as archive:
        names = archive.namelist()
        assert "collection.anki2" in names
        data = archive.read("collection.anki2")
    db_path = deck.with_suffix(".anki2")
    db_path.write_bytes(data)
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
    return [(guid, flds.split("\x1f"), tags.strip()) for guid, flds, tags in rows]


def test_anki_export_one_note_per_quote_with_stable_ids(
    lib: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    deck = tmp_path / "quotes.apkg"
    status, _, err = run(capsys, lib, "export", "quotes", "--format", "anki", "-o", str(deck))
    assert status == 0 and "Exported 13 quotes" in err
    notes = _notes(deck)
    assert len(notes) == 13
    fields = {f[0]: f for _, f, _ in notes}
    assert fields[PASSAGES[0]] == [PASSAGES[0], "note 0", "Daily &lt;Title&gt;", ""]
    assert fields["Kept from a deleted article."][2] == "Gone"
    # Exported again (after a note changed): the same guids, so Anki updates the notes.
    repo = Repository.open(lib)
    repo.set_quote_note(1, "changed")
    repo.set_quote_tags(1, ["slow reading"])
    repo.close()
    again = tmp_path / "again.apkg"
    run(capsys, lib, "export", "quotes", "--format", "anki", "-o", str(again))
    second = _notes(again)
    assert sorted(g for g, _, _ in second) == sorted(g for g, _, _ in notes)
    changed = next(n for n in second if n[1][0] == PASSAGES[0])
    assert changed[1][1] == "changed" and changed[2] == "slow-reading"


def test_anki_export_needs_a_file(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, lib, "export", "quotes", "--format", "anki")
    assert status == 1 and out == "" and "-o FILE.apkg" in err and err.count("\n") == 1
