"""Other tools' exports in: Omnivore and wallabag (offline), Readwise highlights, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import Repository
from reader.migrate import find_exports, run_export
from tests.migrate_exports import (
    PARAGRAPH_1,
    READWISE_HEADER,
    csv_bytes,
    omnivore_files,
    wallabag_json,
    write_folder,
    write_zip,
)


@pytest.fixture
def library(tmp_path: Path) -> Repository:
    return Repository.open(tmp_path / "lib")


def _import(repo: Repository, path: Path) -> list:  # type: ignore[type-arg]
    found, problems = find_exports([path])
    assert problems == []
    return [run_export(repo, f) for f in found]


@pytest.mark.parametrize("packed", ["zip", "folder", "zip-in-subfolder"])
def test_omnivore_export_brings_articles_state_and_highlights(
    library: Repository, tmp_path: Path, packed: str
) -> None:
    files = omnivore_files()
    if packed == "zip":
        path = write_zip(tmp_path / "omnivore.zip", files)
    elif packed == "folder":
        path = write_folder(tmp_path / "Omnivore", files)
    else:
        path = write_zip(tmp_path / "omnivore.zip", files, prefix="export/")
    (summary,) = _import(library, path)
    assert summary.kind == "Omnivore"
    assert len(summary.imported) == 2
    articles = {a.title: a for a in library.articles()}
    flood = articles["The flood"]
    assert flood.read and flood.progress == 1.0
    assert flood.tags == ("weather", "villages")
    assert flood.author == "Ada Byline"
    assert flood.url == "https://example.org/the-flood"
    assert flood.published == "2024-02-28"
    assert flood.added.isoformat() == "2024-03-01T10:00:00+00:00"
    pumps = articles["The pumps"]
    assert not pumps.read and pumps.progress == pytest.approx(0.4)
    body = library.body(flood)
    quotes = library.quotes(flood.id)
    assert [q.text for q in quotes] == [
        "The river had risen through the night",
        "\u201cWe\u2019ve lived here forty years,\u201d said the baker",
    ]
    for quote in quotes:
        assert body[quote.start : quote.end] == quote.text
    assert quotes[1].note == "What the baker said."
    assert quotes[1].tags == ("quotes", "people")
    assert (summary.exact, summary.normalised, summary.unanchored) == (1, 1, 1)
    # The lost one is kept, with its text, under the article's title.
    lost = [q for q in library.quotes() if q.article_id != flood.id and q.article_id != pumps.id]
    assert [(q.text, q.article_title) for q in lost] == [
        ("A sentence the article never had in it at all, anywhere.", "The flood")
    ]


def test_importing_the_same_export_twice_adds_nothing(library: Repository, tmp_path: Path) -> None:
    path = write_zip(tmp_path / "omnivore.zip", omnivore_files())
    progress: list[tuple[int, int]] = []
    (found,) = find_exports([path])[0]
    run_export(library, found, on_progress=lambda done, total: progress.append((done, total)))
    assert progress == [(1, 2), (2, 2)]  # the count and the total, for the bar's time left
    before = (len(library.articles()), len(library.quotes()))
    (again,) = _import(library, path)
    assert (len(library.articles()), len(library.quotes())) == before
    assert again.imported == [] and len(again.present) == 2 and again.quotes_added == 0


def test_a_second_import_parses_no_article_again_but_adds_new_highlights(
    library: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.migrate.common as common

    files = omnivore_files()
    _import(library, write_zip(tmp_path / "first.zip", files))
    parsed: list[object] = []
    real = common.article_from_html
    monkeypatch.setattr(
        common,
        "article_from_html",
        lambda *a: parsed.append(a) or real(*a),  # type: ignore[func-returns-value]
    )
    files["highlights/the-pumps.md"] = b"> Engineers from the county arrived\n"
    (again,) = _import(library, write_zip(tmp_path / "later.zip", files))
    assert parsed == []
    assert again.quotes_added == 1 and len(again.present) == 2
    pumps = next(a for a in library.articles() if a.title == "The pumps")
    assert [q.text for q in library.quotes(pumps.id)] == ["Engineers from the county arrived"]


def test_wallabag_entry_and_annotations(library: Repository, tmp_path: Path) -> None:
    path = tmp_path / "wallabag-export.json"
    path.write_bytes(wallabag_json())
    (summary,) = _import(library, path)
    assert summary.kind == "wallabag"
    (article,) = library.articles()
    assert article.read
    assert set(article.tags) == {"county", "starred"}
    assert article.language == "en"
    quotes = library.quotes(article.id)
    assert [(q.text, q.note) for q in quotes] == [
        ("the children of the school carried bread", "kindness"),
        ("by morning the old bridge stood in water up to its second arch.", ""),
    ]
    assert summary.unanchored == 1
    assert [q.note for q in library.quotes() if q.article_id != article.id] == ["lost"]


def test_readwise_attaches_by_url_then_title_and_keeps_the_rest(
    library: Repository, tmp_path: Path
) -> None:
    _import(library, write_zip(tmp_path / "omnivore.zip", omnivore_files()))
    # reader's own Readwise-format export: by URL (the title differs on purpose).
    own = tmp_path / "mine.csv"
    own.write_bytes(
        csv_bytes(
            ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date"],
            [["by morning the old bridge", "Renamed", "", "https://example.org/the-flood",
              "by url", "60", "2024-04-01T00:00:00+00:00"]],
        )
    )  # fmt: skip
    readwise = tmp_path / "readwise.csv"
    readwise.write_bytes(
        csv_bytes(
            READWISE_HEADER,
            [
                ["Engineers from the county arrived", "The pumps", "", "", "by title", "yellow",
                 "county", "", "", "2024-04-02 10:00:00", "floods, Local news"],
                ["A book we do not have", "Some Book", "An Author", "B00", "", "", "", "", "",
                 "2024-04-03 10:00:00", ""],
            ],
        )
    )  # fmt: skip
    (by_url,) = _import(library, own)
    (by_title,) = _import(library, readwise)
    assert by_url.kind == by_title.kind == "Readwise"
    articles = {a.title: a for a in library.articles()}
    flood = library.quotes(articles["The flood"].id)
    assert "by url" in [q.note for q in flood]
    pumps = library.quotes(articles["The pumps"].id)
    assert [(q.text, q.note, q.tags) for q in pumps] == [
        ("Engineers from the county arrived", "by title", ("county",))
    ]
    # The row's "Document tags" are the article's now, beside those it had.
    assert {"floods", "Local-news"} <= set(articles["The pumps"].tags)
    kept = [q for q in library.quotes() if q.article_title == "Some Book"]
    assert [q.text for q in kept] == ["A book we do not have"]
    assert by_title.unanchored == 1
    # Twice: nothing more.
    count = len(library.quotes())
    tags = library.article(articles["The pumps"].id).tags
    _import(library, readwise)
    _import(library, own)
    assert len(library.quotes()) == count
    assert library.article(articles["The pumps"].id).tags == tags


def test_cli_says_what_it_recognised_and_imports_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mixed"
    write_folder(folder / "Omnivore", omnivore_files())
    (folder / "note.txt").write_text("A plain note\n\nWith one paragraph of text in it.\n")
    lib = ["--library", str(tmp_path / "lib")]
    assert main([*lib, "import", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert f"reader: recognised an Omnivore export in {folder / 'Omnivore'}\n" in err
    assert "Omnivore: imported 2, already present 0, failed 0." in out
    assert "1 anchored exactly, 1 after normalising, 0 by close match, 1 kept unanchored" in out
    assert "Imported 1, already present 0, refused 0." in out  # the note, and no .html twice
    assert main([*lib, "import", str(folder), "--json"]) == 0
    value = json.loads(capsys.readouterr().out)
    (export,) = value["exports"]
    assert export["kind"] == "Omnivore" and export["imported"] == []
    assert len(export["already_present"]) == 2 and export["quotes_added"] == 0


def test_hostile_export_text_is_cleaned(library: Repository, tmp_path: Path) -> None:
    files = omnivore_files()
    meta = json.loads(files["metadata_0_to_1.json"])
    meta[0]["title"] = "Evil \x1b]52;c;aGk=\x07title [@click=app.quit]x[/]"
    meta[0]["labels"] = [{"name": "bad\x1b[2Jtag"}]
    files["metadata_0_to_1.json"] = json.dumps(meta).encode()
    files["content/the-flood.html"] = (
        "<html><body><article><p>Clean \x1b[2J text <script>alert(1)</script>"
        f"{PARAGRAPH_1}</p><p>[bold]markup[/bold] stays text</p></article></body></html>"
    ).encode()
    files["highlights/the-flood.md"] = b"> stays text\n\nnote \x1b[31mred\n"
    (summary,) = _import(library, write_zip(tmp_path / "o.zip", files))
    for article in library.articles():
        body = library.body(article)
        assert "\x1b" not in article.title + body + "".join(article.tags)
        assert "alert(1)" not in body
    assert any("[@click=app.quit]" in a.title for a in library.articles())  # kept as text
    assert all("\x1b" not in q.text + q.note for q in library.quotes())
    assert summary.exact >= 1


def test_a_broken_zip_or_a_stranger_csv_is_left_to_the_ordinary_import(tmp_path: Path) -> None:
    folder = tmp_path / "stuff"
    folder.mkdir()
    (folder / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    (folder / "numbers.csv").write_text("a,b,c\n1,2,3\n")
    (folder / "data.json").write_text('{"x": 1}')
    assert find_exports([folder]) == ([], [])
    assert find_exports([folder / "broken.zip"]) == ([], [])


def test_omnivore_highlights_markdown_shapes() -> None:
    from reader.migrate.omnivore import parse_highlights

    text = (
        "> First paragraph of a long highlight\n"
        "and its second paragraph [⤴️](https://omnivore.app/me/s#1)\n"
        "#one #two\n"
        "A note\n"
        "on two lines\n"
        "\n"
        "> Short one [⤴️](https://omnivore.app/me/s#2)\n"
        "> Right after [⤴️](https://omnivore.app/me/s#3)\n"
    )
    found = parse_highlights(text)
    assert [(h.text, h.note, h.tags) for h in found] == [
        ("First paragraph of a long highlight\nand its second paragraph", "A note\non two lines",
         ("one", "two")),
        ("Short one", "", ()),
        ("Right after", "", ()),
    ]  # fmt: skip
    # Without links: "> " lines make one quote; what follows is labels and note.
    plain = parse_highlights("> line one\n> line two\nnote\n\n> next\n")
    assert [(h.text, h.note) for h in plain] == [("line one\nline two", "note"), ("next", "")]


def test_an_unreadable_export_is_one_line_and_the_rest_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = omnivore_files()
    files["metadata_0_to_1.json"] = b'[{"slug": "the-flood", "title": "x"'  # cut short
    broken = write_zip(tmp_path / "broken.zip", files)
    good = tmp_path / "wallabag.json"
    good.write_bytes(wallabag_json())
    lib = ["--library", str(tmp_path / "lib")]
    assert main([*lib, "import", str(broken), str(good), "--json"]) == 1
    value = json.loads(capsys.readouterr().out)
    (error,) = value["export_errors"]
    assert error.startswith(f"{broken}: metadata_0_to_1.json: not valid JSON")
    assert [e["kind"] for e in value["exports"]] == ["wallabag"]
    assert len(value["exports"][0]["imported"]) == 1


def test_a_readwise_highlight_kept_without_its_article_comes_home_with_it(
    library: Repository, tmp_path: Path
) -> None:
    from reader.importing import import_paths

    readwise = tmp_path / "readwise.csv"
    row = ["the water never came past", "Some Book", "", "", "", "", "", "", "", "", ""]
    readwise.write_bytes(csv_bytes(READWISE_HEADER, [row]))
    _import(library, readwise)
    (kept,) = library.quotes()
    assert kept.article_title == "Some Book" and kept.end == 0
    page = tmp_path / "some-book.txt"
    page.write_text("Some Book\n\nAnd the water never came past the church that year.\n")
    summary = import_paths(library, [page])
    assert summary.reattached == 1
    (home,) = library.quotes()
    article = summary.imported[0][1]
    assert home.article_id == article.id
    assert library.body(article)[home.start : home.end] == "the water never came past"


def test_a_zip_that_is_no_export_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    article = tmp_path / "note.txt"
    article.write_text("A note\n\nIt still comes in beside the refused archive.\n")
    status = main(["--library", str(tmp_path / "lib"), "import", str(broken), str(article)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"refused {broken}: a zip archive that holds no export reader recognises" in err
    assert [a.title for a in Repository.open(tmp_path / "lib").articles()] == ["A note"]
