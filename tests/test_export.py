"""Quotes, articles and whole libraries out, and an exported library back in."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reader.cli import main
from reader.export import EXPORT_FILE
from reader.export.article import article_markdown, escape
from reader.export.library import export_library
from reader.export.names import MAX_BYTES, MAX_CHARS, UniqueNames, safe_stem
from reader.export.quotes import READWISE_COLUMNS, quotes_csv, quotes_json, quotes_markdown
from reader.importing import import_paths
from reader.library import Article, Quote, Repository
from reader.text.markdown import parse_markdown
from reader.text.model import ParsedArticle
from tests.conftest import parsed

SAMPLES = Path(__file__).resolve().parents[1] / "sample_articles"
TRICKY = 'He said, "no" —\nthen left'


def tricky_article() -> ParsedArticle:
    """An article whose text has Markdown characters, commas, quotes and a line break."""
    article = parsed(
        "Odd *title*, [with] `marks`",
        "First, a paragraph with = and == signs, <tags> & &amp; and a_b_c.",
        f"{TRICKY} at once.",
        "# not a heading\n- not a list\n1984. A year",
    )
    return replace(article, author="Ann Author", url="https://example.org/odd", source="Ex")


def body_of(repo: Repository, article_id: int) -> str:
    return repo.body(repo.article(article_id))


@pytest.fixture
def library(tmp_path: Path) -> Repository:
    """Samples plus a tricky article, with quotes, notes, tags, reading state, a deletion."""
    repo = Repository.open(tmp_path / "lib")
    import_paths(repo, [SAMPLES])
    [tricky] = repo.add_articles([(tricky_article(), "odd.txt")])
    odd = tricky.article.id
    quote, _ = repo.add_quote_text(odd, TRICKY, note='a note, with "quotes"')
    repo.set_quote_tags(quote.id, ["keep", "csv test"])
    repo.add_quote_text(odd, "First, a paragraph", note="")
    repo.add_quote_text(odd, "a paragraph with =")  # overlaps the one before
    by_title = {a.title: a for a in repo.articles()}
    notes = by_title["Notes on Slow Reading"]
    repo.add_quote_text(notes.id, "simply the decision to stop treating finishing as the point")
    repo.set_position(notes.id, 120, 0.4)
    repo.set_article_tags(notes.id, ["reading", "slow"])
    keeper = by_title["The Long Winter of the Lighthouse Keepers"]
    repo.set_position(keeper.id, 99999, 1.0)
    doomed = by_title["Markets hold steady as investors await central bank rate decision"]
    start = body_of(repo, doomed.id).index("rate")
    repo.add_quote(doomed.id, start, start + 20, note="kept after deletion")
    repo.delete_article(doomed.id)
    return repo


def articles_map(repo: Repository) -> dict[int, Article]:
    return {a.id: a for a in repo.articles()}


def odd_article(repo: Repository) -> Article:
    return next(a for a in repo.articles() if a.title.startswith("Odd"))


# -- quotes ---------------------------------------------------------------------------


def test_markdown_quotes_by_article_with_metadata_block_quotes_and_notes(
    library: Repository,
) -> None:
    text = quotes_markdown(library.quotes(), articles_map(library))
    odd = text[text.index("# Odd") :].split("\n# ")[0]
    lines = odd.split("\n")
    assert lines[0] == r"# Odd \*title\*, \[with\] \`marks\`"
    assert lines[2] == "Ex · Ann Author · <https://example.org/odd>"
    assert '> He said, "no" —\n> then left\n\na note, with "quotes"' in odd
    assert odd.count("\n---\n") == 2  # three quotes
    # The deleted article's quote is still there, under the title it was saved with.
    assert "# Markets hold steady" in text and "*Article deleted from the library.*" in text
    assert "kept after deletion" in text


def test_csv_has_readwise_columns_and_quotes_awkward_text(library: Repository) -> None:
    quotes = library.quotes(odd_article(library).id)
    text = quotes_csv(quotes, articles_map(library))
    assert text.splitlines()[0] == "Highlight,Title,Author,URL,Note,Location,Date"
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == READWISE_COLUMNS and len(rows) == 4
    row = next(r for r in rows if r[0] == TRICKY)
    tricky = next(q for q in quotes if q.text == TRICKY)
    assert row == [
        TRICKY,
        "Odd *title*, [with] `marks`",
        "Ann Author",
        "https://example.org/odd",
        'a note, with "quotes"',
        str(tricky.start),
        tricky.created.isoformat(),
    ]
    assert '"He said, ""no"" —\nthen left"' in text


def test_json_annotations_have_both_selectors_that_point_into_the_body(
    library: Repository,
) -> None:
    quotes = library.quotes()
    items = json.loads(quotes_json(quotes, articles_map(library)))
    assert len(items) == len(quotes)
    articles = articles_map(library)
    for quote, item in zip(quotes, items, strict=True):
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["type"] == "Annotation" and item["id"] == f"urn:reader:quote:{quote.id}"
        assert item["created"] == quote.created.isoformat()
        text_sel, pos_sel = item["target"]["selector"]
        assert text_sel == {
            "type": "TextQuoteSelector",
            "exact": quote.text,
            "prefix": quote.prefix,
            "suffix": quote.suffix,
        }
        assert pos_sel == {"type": "TextPositionSelector", "start": quote.start, "end": quote.end}
        if quote.article_id in articles:
            body = body_of(library, quote.article_id)
            assert body[pos_sel["start"] : pos_sel["end"]] == text_sel["exact"]
    tricky = next(i for i in items if i["target"]["selector"][0]["exact"] == TRICKY)
    assert tricky["target"]["source"] == "https://example.org/odd"
    assert tricky["body"] == [
        {"type": "TextualBody", "value": 'a note, with "quotes"', "purpose": "commenting"},
        {"type": "TextualBody", "value": "keep", "purpose": "tagging"},
        {"type": "TextualBody", "value": "csv-test", "purpose": "tagging"},
    ]
    bare = next(i for i in items if i["target"]["selector"][0]["exact"] == "First, a paragraph")
    assert "body" not in bare
    notes = next(i for i in items if "finishing" in i["target"]["selector"][0]["exact"])
    assert notes["target"]["source"] == "https://example.org/notes-on-slow-reading"


# -- one article ----------------------------------------------------------------------


def test_article_markdown_front_matter_structure_and_marks(library: Repository) -> None:
    article = odd_article(library)
    body = library.body(article)
    text = article_markdown(article, body, library.quotes(article.id))
    front, rest = text.split("---\n")[1], text.split("---\n", 2)[2]
    assert 'title: "Odd *title*, [with] `marks`"' in front
    assert 'author: "Ann Author"' in front and 'url: "https://example.org/odd"' in front
    assert f'added: "{article.added.isoformat()}"' in front and 'language: "en"' in front
    assert rest.startswith("\n# Odd \\*title\\*, \\[with\\] \\`marks\\`\n")
    # Overlapping quotes merge into one mark; a mark never crosses a line break.
    assert "===First, a paragraph with \\===" not in rest
    assert "==First, a paragraph with \\===" in rest
    assert '==He said, "no" —==\n==then left== at once.' in rest
    assert "\\# not a heading\n\\- not a list\n1984\\. A year" in rest


def test_article_markdown_reads_back_as_the_same_body(library: Repository) -> None:
    for article in library.articles():
        body = library.body(article)
        back = parse_markdown(article_markdown(article, body, marks=False))
        if article.title.startswith("Odd"):
            # A line break inside a paragraph reads back as a space: hence the exact
            # bodies in reader-export.json.
            body = "\n\n".join(p.replace("\n", " ") for p in body.split("\n\n"))
        assert back.body == body, article.title
        assert back.tags == article.tags and back.author == article.author


def test_escape_round_trips_markdown_characters() -> None:
    text = r"a*b_c `d` [e](f) <g> ~~h~~ ==i== \j &amp; k"
    assert parse_markdown(escape(text)).body == text


# -- safe file names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("../../etc/passwd", "etc passwd"),
        ("line\nbreak", "line break"),
        ("clear\x1b[2Jscreen", "clearscreen"),
        ("CON", "CON_"),
        ("nul.txt", "nul.txt_"),
        ("...", "untitled"),
        ("", "untitled"),
        ("  \t\n ", "untitled"),
        ("-rf .hidden", "rf .hidden"),
        ("Wait... what?", "Wait… what"),
        ("a\u202eb\u200bc", "a b c"),
        ("C:\\Windows\\win.ini", "C Windows win.ini"),
    ],
)
def test_hostile_titles_make_safe_names(title: str, expected: str) -> None:
    stem = safe_stem(title)
    assert stem == expected
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in stem)


def test_long_titles_are_cut_by_characters_and_bytes() -> None:
    assert len(safe_stem("x" * 300)) == MAX_CHARS
    wide = safe_stem("語" * 300)
    assert len(wide.encode()) <= MAX_BYTES and wide == "語" * (MAX_BYTES // 3)
    unique = UniqueNames()
    names = [unique.name("é" * 300) for _ in range(12)]
    assert len({n.casefold() for n in names}) == 12
    assert all(len(n.encode()) <= MAX_BYTES + 10 for n in names)


def test_duplicate_names_differing_in_case_get_numbers() -> None:
    unique = UniqueNames()
    names = [unique.name(t) for t in ("Report", "REPORT", "report", "Report (2)", "Report")]
    assert names == [
        "Report.md",
        "REPORT (2).md",
        "report (3).md",
        "Report (2) (2).md",
        "Report (4).md",
    ]
    many = UniqueNames()
    assert len({many.name("Untitled") for _ in range(3000)}) == 3000  # and quickly


def test_exported_file_names_are_plain_names_in_the_folder(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "lib")
    titles = ["../../etc/passwd", "x\x1b[2J", "CON", "...", "Same", "same", "t" * 300]
    repo.add_articles((parsed(t or "?", f"Body {i}."), None) for i, t in enumerate(titles))
    export_library(repo, tmp_path / "out")
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(files) == len(titles) + 1 and EXPORT_FILE in files
    assert all(not f.startswith((".", "-")) and ".." not in f for f in files)
    assert not (tmp_path / "etc").exists()


# -- the whole library ----------------------------------------------------------------


def article_facts(repo: Repository) -> dict[str, tuple[Any, ...]]:
    return {
        a.hash: (
            a.title,
            a.position,
            a.progress,
            a.read,
            a.tags,
            a.added,
            a.last_read,
            a.blocks,
            (a.source, a.credit, a.author, a.published, a.url, a.language, a.file, a.words),
        )
        for a in repo.articles()
    }


def quote_facts(repo: Repository) -> list[tuple[Any, ...]]:
    hashes = {a.id: a.hash for a in repo.articles()}
    return sorted(
        (
            hashes.get(q.article_id, f"deleted: {q.article_title}"),
            q.start,
            q.end,
            q.text,
            q.note,
            q.tags,
            q.created,
            q.prefix,
            q.suffix,
        )
        for q in repo.quotes()
    )


def test_library_round_trip_restores_everything(library: Repository, tmp_path: Path) -> None:
    export_library(library, tmp_path / "out")
    fresh = Repository.open(tmp_path / "fresh")
    summary = import_paths(fresh, [tmp_path / "out"])
    assert not summary.refused and len(summary.imported) == 8 and summary.quotes == 5
    assert article_facts(fresh) == article_facts(library)
    assert quote_facts(fresh) == quote_facts(library)
    for article in fresh.articles():
        for quote in fresh.quotes(article.id):
            assert fresh.body(article)[quote.start : quote.end] == quote.text
    # The deleted article's quote is still an orphan: no restored article adopted its id.
    orphan = next(q for q in fresh.quotes() if q.note == "kept after deletion")
    assert orphan.article_id not in articles_map(fresh)
    [added] = fresh.add_articles([(parsed("New one", "Fresh text."), None)])
    assert added.article.id != orphan.article_id

    again = import_paths(fresh, [tmp_path / "out"])  # importing twice adds nothing
    assert len(again.present) == 8 and again.quotes == 0
    assert quote_facts(fresh) == quote_facts(library)


def test_restore_falls_back_to_markdown_and_re_anchors_or_refuses_quotes(
    library: Repository, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    export_library(library, out)
    document = json.loads((out / EXPORT_FILE).read_text())
    notes = next(a for a in document["articles"] if a["title"] == "Notes on Slow Reading")
    del notes["body"]  # its Markdown file is read instead, and reads back exactly
    moved = next(q for q in document["quotes"] if q["text"] == TRICKY)
    moved["start"] += 3
    moved["end"] += 3
    lost = next(q for q in document["quotes"] if q["text"] == "First, a paragraph")
    lost["text"] = "words that are nowhere"
    (out / EXPORT_FILE).write_text(json.dumps(document))
    fresh = Repository.open(tmp_path / "fresh")
    summary = import_paths(fresh, [out])
    assert [r.reason for r in summary.refused] == [
        "quote " + str(lost["id"]) + " from 'Odd *title*, [with] `marks`': "
        "the passage is not in the article's text"
    ]
    assert summary.quotes == 4
    restored = next(a for a in fresh.articles() if a.title == "Notes on Slow Reading")
    assert restored.hash == notes["hash"] and restored.position == 120
    assert len(fresh.quotes(restored.id)) == 1
    quote = next(q for q in fresh.quotes() if q.text == TRICKY)
    assert quote.start == moved["start"] - 3


def test_restore_keeps_state_of_articles_already_present(
    library: Repository, tmp_path: Path
) -> None:
    export_library(library, tmp_path / "out")
    other = Repository.open(tmp_path / "other")
    import_paths(other, [SAMPLES])
    notes = next(a for a in other.articles() if a.title == "Notes on Slow Reading")
    other.set_position(notes.id, 7, 0.05)
    import_paths(other, [tmp_path / "out"])
    assert other.article(notes.id).position == 7
    assert other.article(notes.id).tags == ("reading", "attention")
    assert len(other.quotes(notes.id)) == 1  # its quote arrives all the same


def test_broken_export_file_is_one_refusal(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / EXPORT_FILE).write_text("{broken")
    (out / "a.md").write_text("# A\n\nText.")
    summary = import_paths(Repository.open(tmp_path / "lib"), [out])
    assert len(summary.refused) == 1 and "not valid JSON" in summary.refused[0].reason
    assert not summary.imported


# -- command line ---------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], library: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--library", str(library), *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_exports(
    library: Repository, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = tmp_path / "lib"
    odd = odd_article(library)
    notes = next(a for a in library.articles() if a.title == "Notes on Slow Reading")
    library.close()

    status, out, _ = run(capsys, lib, "export", "quotes")
    assert status == 0 and "# Notes on Slow Reading" in out and "> He said" in out

    target = tmp_path / "quotes.csv"
    status, out, _ = run(capsys, lib, "export", "quotes", "--format", "csv", "-o", str(target))
    assert status == 0 and out == ""
    rows = list(csv.reader(io.StringIO(target.read_text())))
    assert rows[0] == list(READWISE_COLUMNS) and len(rows) == 6

    status, out, _ = run(
        capsys, lib, "export", "quotes", "--format", "json", "--article", str(odd.id)
    )
    assert status == 0 and len(json.loads(out)) == 3
    status, out, _ = run(capsys, lib, "export", "quotes", "--format", "json", "--tag", "slow")
    [item] = json.loads(out)  # through its article's tag
    assert "finishing" in item["target"]["selector"][0]["exact"]
    status, out, _ = run(capsys, lib, "export", "quotes", "--format", "json", "--tag", "KEEP")
    assert [i["target"]["selector"][0]["exact"] for i in json.loads(out)] == [TRICKY]

    status, out, _ = run(capsys, lib, "export", "article", str(notes.id), "--format", "md")
    assert status == 0 and out.startswith('---\ntitle: "Notes on Slow Reading"\n')
    assert "==simply the decision to stop treating finishing as the point==" in out
    status, out, _ = run(capsys, lib, "export", "article", str(notes.id), "--format", "txt")
    assert out == Repository.open(lib).body(notes)

    status, _, err = run(capsys, lib, "export", "article", "999")
    assert status == 1 and err == "reader: no article with id 999\n"

    status, _, err = run(capsys, lib, "export", "library", "-o", str(tmp_path / "out"))
    assert status == 0 and "Exported 8 articles and 5 quotes" in err
    status, _, err = run(capsys, lib, "export", "library", "-o", str(tmp_path / "out"))
    assert status == 1 and "is not empty" in err and "Traceback" not in err
    status, out, _ = run(capsys, tmp_path / "new", "import", str(tmp_path / "out"))
    assert status == 0 and "Imported 8, already present 0, refused 0." in out
    assert "Restored 5 quotes." in out
    status, out, _ = run(capsys, tmp_path / "new", "quotes", "--json")
    assert len(json.loads(out)) == 5


def test_cli_export_to_a_missing_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no" / "such" / "q.md"
    status, _, err = run(capsys, tmp_path / "lib", "export", "quotes", "-o", str(target))
    assert status == 1 and err.count("\n") == 1 and "Traceback" not in err


def test_quotes_of_a_deleted_article_export_with_their_saved_title(
    library: Repository,
) -> None:
    orphan: Quote = next(q for q in library.quotes() if q.note == "kept after deletion")
    [row] = [r for r in csv.reader(io.StringIO(quotes_csv([orphan], articles_map(library))))][1:]
    assert row[1].startswith("Markets hold steady") and row[3] == ""


def test_restore_from_an_edited_markdown_file_re_anchors_quotes_by_text(
    library: Repository, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    export_library(library, out)
    document = json.loads((out / EXPORT_FILE).read_text())
    notes = next(a for a in document["articles"] if a["title"] == "Notes on Slow Reading")
    del notes["body"]
    (out / EXPORT_FILE).write_text(json.dumps(document))
    path = out / notes["markdown"]
    path.write_text(path.read_text().replace("For most of my adult life", "All my life"))
    fresh = Repository.open(tmp_path / "fresh")
    summary = import_paths(fresh, [out])
    assert not summary.refused and summary.quotes == 5
    restored = next(a for a in fresh.articles() if a.title == "Notes on Slow Reading")
    assert restored.hash != notes["hash"] and restored.tags == ("reading", "slow")
    [quote] = fresh.quotes(restored.id)
    assert fresh.body(restored)[quote.start : quote.end] == quote.text
