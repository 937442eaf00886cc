"""The command line, run as a person or a script would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from reader.cli import main
from tests.conftest import SEED

REPO_ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], library: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--library", str(library), *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "seed.txt"
    path.parent.mkdir()
    if SEED.exists():
        path.write_bytes(SEED.read_bytes())
    else:  # the shipped copy of the seed
        path.write_bytes((REPO_ROOT / "sample_articles/turkish-delegation-idlib.txt").read_bytes())
    return path


def test_import_list_show_quote_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_file: Path
) -> None:
    lib = tmp_path / "lib"
    status, out, _ = run(capsys, lib, "import", str(seed_file))
    assert status == 0 and "Imported 1, already present 0, refused 0." in out

    status, out, _ = run(capsys, lib, "list", "--json")
    [row] = orjson.loads(out)
    assert row["title"] == "Turkish delegation due in Russia to talk Idlib, Syria"
    assert row["source"] == "AA" and row["language"] == "en"
    assert row["quotes"] == 0 and row["progress"] == 0
    assert {"id", "words", "reading_minutes", "added"} <= set(row)

    status, out, _ = run(capsys, lib, "show", str(row["id"]), "--json")
    shown = orjson.loads(out)
    assert shown["credit"] == "AA Photo" and shown["file"] == "seed.txt"
    assert len(shown["hash"]) == 64 and "AA Photo" not in shown["text"]

    passage = "We will do what is needed"
    status, out, _ = run(capsys, lib, "quote", "add", str(row["id"]), passage, "--note", "resolve")
    assert status == 0 and "Saved quote" in out
    status, out, _ = run(capsys, lib, "quotes", str(row["id"]), "--json")
    [quote] = orjson.loads(out)
    assert quote["text"] == passage and quote["note"] == "resolve"
    assert shown["text"][quote["start"] : quote["end"]] == passage
    assert {"id", "article_id", "created"} <= set(quote)

    status, out, _ = run(capsys, lib, "quote", "add", str(row["id"]), passage)
    assert status == 0 and "Already kept" in out
    status, out, _ = run(capsys, lib, "list")
    assert "Turkish delegation" in out and "1q" in out


def test_importing_again_reports_already_present(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_file: Path
) -> None:
    lib = tmp_path / "lib"
    run(capsys, lib, "import", str(seed_file))
    status, out, _ = run(capsys, lib, "import", str(seed_file), "--json")
    summary = orjson.loads(out)
    assert status == 0
    assert summary["imported"] == [] and len(summary["already_present"]) == 1


def test_bad_files_are_refused_one_line_each_and_the_rest_goes_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_file: Path
) -> None:
    batch = seed_file.parent
    (batch / "empty.txt").write_bytes(b"")
    (batch / "blank.txt").write_bytes(b"  \n\t\n")
    (batch / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (batch / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")  # not an article
    (batch / "loop").symlink_to(batch)
    (batch / "good.txt").write_text("A second article\n\nWith a paragraph of text.\n")
    status, out, err = run(capsys, tmp_path / "lib", "import", str(batch), str(tmp_path / "nope"))
    assert status == 1
    lines = err.strip().splitlines()
    refused = [line for line in lines if line.startswith("reader: refused")]
    assert len(refused) == 5, lines
    for name in ("empty.txt", "blank.txt", "binary.txt", "loop", "nope"):
        assert sum(name in line for line in refused) == 1, name
    skipped = [line for line in lines if line.startswith("reader: skipped")]
    assert len(skipped) == 1 and "photo.png" in skipped[0]
    assert "Traceback" not in err
    assert "Imported 2" in out and "refused 5, skipped 1." in out


def test_passage_not_in_article_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_file: Path
) -> None:
    run(capsys, tmp_path / "lib", "import", str(seed_file))
    status, _, err = run(capsys, tmp_path / "lib", "quote", "add", "1", "words never written")
    assert status == 1
    assert err == "reader: the passage does not occur in article 1\n"
    status, _, err = run(capsys, tmp_path / "lib", "show", "42")
    assert status == 1 and err == "reader: no article with id 42\n"


def test_corrupt_library_one_line_never_overwritten_and_repair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_file: Path
) -> None:
    lib = tmp_path / "lib"
    run(capsys, lib, "import", str(seed_file))
    run(capsys, lib, "quote", "add", "1", "We will do what is needed")
    # Fold the journal into a snapshot twice, so a previous generation (.bak) exists.
    from reader.library import Repository

    repo = Repository.open(lib)
    for _ in range(2):
        repo.storage.write(repo.storage.read() or {})
    repo.close()
    (lib / "library.json").write_bytes(b'{"articles": {"1": ')
    for args in (["list"], ["quotes"], ["import", str(seed_file)], ["show", "1"]):
        status, out, err = run(capsys, lib, *args)
        assert status == 1, args
        assert err.count("\n") == 1 and "library.json" in err and "not valid JSON" in err
    assert (lib / "library.json").read_bytes() == b'{"articles": {"1": '

    status, out, _ = run(capsys, lib, "doctor")
    assert status == 1 and "not valid JSON" in out
    status, out, _ = run(capsys, lib, "doctor", "--repair")
    assert status == 0 and "restored" in out and "sound" in out
    status, out, _ = run(capsys, lib, "quotes", "--json")
    assert [q["text"] for q in orjson.loads(out)] == ["We will do what is needed"]


def test_doctor_finds_a_damaged_text_and_a_drifted_quote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_file: Path
) -> None:
    lib = tmp_path / "lib"
    run(capsys, lib, "import", str(seed_file))
    run(capsys, lib, "quote", "add", "1", "We will do what is needed")
    assert run(capsys, lib, "doctor")[0] == 0
    [text_file] = (lib / "texts").iterdir()
    text_file.write_text(text_file.read_text("utf-8").replace("needed", "NEEDED"), "utf-8")
    status, out, _ = run(capsys, lib, "doctor")
    assert status == 1 and "does not match its hash" in out
    text_file.unlink()
    status, out, _ = run(capsys, lib, "doctor")
    assert status == 1 and "missing" in out


def test_unknown_quote_article_is_an_error_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, tmp_path / "lib", "quotes", "7", "--json")
    assert status == 1 and out == "" and "no article with id 7" in err


def test_first_run_of_the_default_library_imports_the_samples_once(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "READER_LIBRARY"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    cmd = [sys.executable, "-m", "reader", "list", "--json"]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    samples = orjson.loads(first.stdout)
    shipped = list((REPO_ROOT / "sample_articles").iterdir())
    assert len(samples) == len(shipped) >= 6
    assert "created a new library" in first.stderr
    lib = tmp_path / "data" / "reader"
    # The person empties the library: it must stay empty, not be refilled.
    for article in samples:
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"from reader.library import Repository; "
                f"Repository.open({str(lib)!r}).delete_article({article['id']})",
            ],
            check=True,
            cwd=REPO_ROOT,
        )
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert orjson.loads(again.stdout) == [] and again.stderr == ""


def test_errors_never_show_a_traceback_and_debug_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "lib").write_text("a file, not a folder")
    status, _, err = run(capsys, tmp_path / "lib", "list")
    assert status == 1 and err.count("\n") == 1 and "Traceback" not in err


def test_show_json_lists_the_quotations_and_their_speaker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_file: Path
) -> None:
    run(capsys, tmp_path / "lib", "import", str(seed_file))
    status, out, _ = run(capsys, tmp_path / "lib", "show", "1", "--json")
    shown = orjson.loads(out)
    found = shown["detected_quotes"]
    assert status == 0 and len(found) >= 4
    assert all(shown["text"][q["start"] : q["end"]] == q["text"] for q in found)
    assert any(q["text"].startswith("We continue to work with Russia") for q in found)
    assert {q["speaker"] for q in found} == {"Mevlüt Çavuşoğlu"}


def test_quotes_tag_filter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_file: Path
) -> None:
    from reader.library import Repository

    lib = tmp_path / "lib"
    run(capsys, lib, "import", str(seed_file))
    run(capsys, lib, "quote", "add", "1", "We will do what is needed")
    run(capsys, lib, "quote", "add", "1", "There are Turkish troops in Idlib")
    repo = Repository.open(lib)
    repo.set_quote_tags(repo.quotes()[0].id, ["resolve"])
    status, out, _ = run(capsys, lib, "quotes", "--tag", "resolve", "--json")
    assert status == 0
    assert [q["tags"] for q in orjson.loads(out)] == [["resolve"]]


def test_quotes_that_open_with_their_own_mark_are_not_wrapped_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "baker.txt"
    article.write_text(
        "The baker\n\n“We have lived here forty years,” said the baker on Monday.\n", "utf-8"
    )
    lib = tmp_path / "lib"
    run(capsys, lib, "import", str(article))
    run(capsys, lib, "quote", "add", "1", "“We have lived here forty years,” said the baker")
    run(capsys, lib, "quote", "add", "1", "said the baker on Monday")
    status, out, _ = run(capsys, lib, "quotes")
    assert status == 0
    assert "[1] “We have lived here forty years,” said the baker\n" in out
    assert "[2] “said the baker on Monday”" in out


@pytest.mark.parametrize(
    ("argv", "app"),
    [
        ([], True),
        (["--library", "/x", "--debug"], True),
        (["--config", "c.toml"], True),
        (["list"], False),
        (["--library", "/x", "list", "--json"], False),
        (["--help"], False),
        (["--library"], False),  # missing its value: the full parser says so
        (["--bogus"], False),
    ],
)
def test_only_bare_options_open_the_app_without_the_full_parser(argv: list[str], app: bool) -> None:
    from reader.cli import _app_arguments

    args = _app_arguments(argv)
    assert (args is not None) == app
    if args is not None:
        assert args.command is None


def test_help_still_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert all(command in out for command in ("import", "list", "quotes", "search", "export"))


def test_a_missing_option_value_is_one_usage_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--library"])
    assert exit_.value.code == 2
    assert "--library: expected one argument" in capsys.readouterr().err


def test_delete_keeps_quotes_unless_asked_and_names_unknown_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_file: Path
) -> None:
    lib = tmp_path / "lib"
    other = seed_file.with_name("other.txt")
    other.write_text("A second article\n\nIt has one sentence worth keeping here.\n", "utf-8")
    third = seed_file.with_name("third.txt")
    third.write_text("A third article\n\nSomething else entirely is said here.\n", "utf-8")
    run(capsys, lib, "import", str(seed_file), str(other), str(third))
    _, out, _ = run(capsys, lib, "list", "--json")
    ids = {row["title"]: row["id"] for row in orjson.loads(out)}
    seed_id, other_id = (
        ids["Turkish delegation due in Russia to talk Idlib, Syria"],
        ids["A second article"],
    )
    run(capsys, lib, "quote", "add", str(seed_id), "We will do what is needed")
    run(capsys, lib, "quote", "add", str(other_id), "worth keeping")

    # An unknown id is one line; the others are still deleted; exit status 1.
    status, out, err = run(capsys, lib, "delete", str(seed_id), "999")
    assert status == 1
    assert err.strip() == "reader: no article with id 999"
    assert f"Deleted article {seed_id}" in out and "(1 quotes kept)" in out
    _, out, _ = run(capsys, lib, "list", "--json")
    assert seed_id not in {row["id"] for row in orjson.loads(out)}
    _, out, _ = run(capsys, lib, "quotes", "--json")
    assert sorted(q["text"] for q in orjson.loads(out)) == [
        "We will do what is needed",
        "worth keeping",
    ]
    # Listed under its title, not under an article id that names no article now.
    _, out, _ = run(capsys, lib, "quotes")
    assert "# Turkish delegation due in Russia to talk Idlib, Syria (kept without its" in out
    assert f"# A second article (article {other_id})" in out

    status, out, err = run(capsys, lib, "delete", str(other_id), "--with-quotes", "--json")
    assert status == 0 and err == ""
    assert orjson.loads(out) == {
        "deleted": [
            {"id": other_id, "title": "A second article", "quotes_deleted": 1, "quotes_kept": 0}
        ],
        "not_found": [],
    }
    _, out, _ = run(capsys, lib, "quotes", "--json")
    assert [q["text"] for q in orjson.loads(out)] == ["We will do what is needed"]
    _, out, _ = run(capsys, lib, "list", "--json")
    assert [row["title"] for row in orjson.loads(out)] == ["A third article"]


def test_list_lines_up_wide_titles_by_display_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rich.cells import cell_len

    folder = tmp_path / "in"
    folder.mkdir()
    body = "\n\nThe story goes on for a while, with enough words to make a paragraph of it.\n"
    titles = {
        # Cut: wider than the column.
        "ja.txt": "東京の桜が満開に、週末は花見客でにぎわう見込み" * 4,
        "zh.txt": "北京举行新闻发布会",  # padded: narrower, two cells a character
        "en.txt": "Markets rally as rates hold",
        "accent.txt": "Cafe\u0301 society returns",  # a combining accent takes no cell
    }
    for name, title in titles.items():
        (folder / name).write_text(title + body, encoding="utf-8")
    lib = tmp_path / "lib"
    run(capsys, lib, "import", str(folder))
    status, out, _ = run(capsys, lib, "list")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 4
    # Every column after the title starts in the same cell on every line.
    ends = {cell_len(line[: line.index("m ") + 1]) for line in lines}
    assert len(ends) == 1, out
    assert len({cell_len(line) for line in lines}) == 1, out
    japanese = next(line for line in lines if "東京" in line)
    assert "…" in japanese and "北京举行新闻发布会" in out
