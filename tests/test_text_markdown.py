"""Markdown import: front matter metadata, block structure as spans, inline markup stripped."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from reader.cli import main
from reader.locations import sample_articles_dir
from reader.text import ImportRefused, ParsedArticle, parse_markdown, parser_for, read_article_file
from reader.text.structure import blocks_of

SAMPLE = sample_articles_dir() / "notes-on-slow-reading.md"


def check_structure(article: ParsedArticle) -> None:
    """The span invariants, and that the library's stored form rebuilds the same blocks."""
    body, spans = article.body, article.spans
    assert body == body.strip()
    assert "\r" not in body and "\t" not in body
    position = 0
    for span in spans:
        assert span.start == position, span
        assert span.start < span.end <= len(body), span
        block = body[span.start : span.end]
        if span.kind != "code":  # code keeps its indentation and blank lines verbatim
            assert block == block.strip() and "\n\n" not in block, span
        if span.kind in ("paragraph", "quote", "headline", "subheading"):
            assert "\n" not in block, span
        position = span.end + 2
    assert "\n\n".join(body[s.start : s.end] for s in spans) == body
    assert [s.kind for s in spans].count("headline") <= 1
    assert all(s.kind != "headline" for s in spans[1:])
    marked = [(s.start, s.end, s.kind) for s in spans if s.kind != "paragraph"]
    assert blocks_of(body, marked) == list(spans)


def blocks(text: str) -> list[tuple[str, str]]:
    """(kind, text) for every block of the parsed Markdown, after checking the invariants."""
    article = parse_markdown(text)
    check_structure(article)
    return [(s.kind, article.body[s.start : s.end]) for s in article.spans]


# -- the shipped sample --------------------------------------------------------------------


def test_sample_metadata_and_structure() -> None:
    article = parse_markdown(SAMPLE.read_text(encoding="utf-8"))
    check_structure(article)
    assert article.title == "Notes on Slow Reading"
    assert article.author == "Iona Prewett"
    assert article.published == "2026-03-14"
    assert article.url == "https://example.org/notes-on-slow-reading"
    assert article.tags == ("reading", "attention")
    assert article.language is None and article.credit is None
    kinds = {s.kind for s in article.spans}
    assert kinds == {"headline", "subheading", "paragraph", "list", "quote", "code"}
    assert article.body.startswith("Notes on Slow Reading\n\nFor most of my adult life")
    prose = [article.body[s.start : s.end] for s in article.spans if s.kind != "code"]
    for text in prose:
        assert "#" not in text and "*" not in text and "](" not in text and "```" not in text
    assert "on my reading page, but honestly" in article.body
    assert "read in order to have read." in article.body
    assert "2. Read for twenty-five minutes" in article.body
    assert "title:" not in article.body and "---" not in article.body
    assert 900 < article.words < 1200 and article.reading_minutes == 5


def test_sample_code_block_is_verbatim() -> None:
    article = parse_markdown(SAMPLE.read_text(encoding="utf-8"))
    (code,) = [article.body[s.start : s.end] for s in article.spans if s.kind == "code"]
    assert code.splitlines()[0] == "#!/bin/sh"
    assert code.endswith('>> "$HOME/quotes.txt"')


# -- front matter ----------------------------------------------------------------------------


def test_front_matter_fields_and_aliases() -> None:
    article = parse_markdown(
        "---\n"
        "Title: \"A 'quoted' title\"  # a comment\n"
        "author: [[Ada Lovelace]]\n"
        "date: 2026-03-14 10:30:00 +0100\n"
        "link: https://example.org/a\n"
        "site: Example Times\n"
        "keywords:\n"
        "  - one\n"
        "  - 'two, three'\n"
        "  - one\n"
        "unknown: ignored\n"
        "---\n"
        "Body text.\n"
    )
    assert article.title == "A 'quoted' title"
    assert article.author == "Ada Lovelace"
    assert article.published == "2026-03-14T10:30:00+01:00"
    assert article.url == "https://example.org/a"
    assert article.source == "Example Times"
    assert article.tags == ("one", "two, three")
    assert blocks(
        "---\ntitle: T\n---\nBody text.\n",
    ) == [("headline", "T"), ("paragraph", "Body text.")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("date: 2026-03-14", "2026-03-14"),
        ("date: '2026-03-14T08:00:00Z'", "2026-03-14T08:00:00+00:00"),
        ("published: March 14, 2026", "2026-03-14"),
        ("date: sometime in spring", "sometime in spring"),
    ],
)
def test_dates_are_iso_when_they_parse(line: str, expected: str) -> None:
    assert parse_markdown(f"---\n{line}\n---\nText.\n").published == expected


@pytest.mark.parametrize(
    ("lines", "tags"),
    [
        ("tags: [a, 'b c', \"d\"]", ("a", "b c", "d")),
        ("tags: a, b", ("a", "b")),
        ("tags: a b", ("a", "b")),
        ("tags:\n- a\n- b", ("a", "b")),
        ("tags:\n\t- a\n\t- b", ("a", "b")),
        ("tags: [#a, b", ("a", "b")),
        ("tags: []", ()),
    ],
)
def test_tag_forms(lines: str, tags: tuple[str, ...]) -> None:
    assert parse_markdown(f"---\n{lines}\n---\nText.\n").tags == tags


def test_clipper_front_matter() -> None:
    """Obsidian's web clipper: the URL under "source", authors as a list of wiki links."""
    article = parse_markdown(
        '---\ntitle: "Clip"\nsource: "https://example.org/clip"\n'
        'author:\n  - "[[Jo Bloggs]]"\n  - "[[Sam Roe]]"\npublished: 2025-01-02\n'
        "tags:\n  - clippings\n---\nText.\n"
    )
    assert article.url == "https://example.org/clip"
    assert article.source is None
    assert article.author == "Jo Bloggs, Sam Roe"
    assert article.published == "2025-01-02"
    assert article.tags == ("clippings",)


def test_nested_author_and_folded_title() -> None:
    article = parse_markdown(
        "---\ntitle: >-\n  A title folded\n  over two lines\n"
        "author:\n  name: Jo\n  email: j@x\n---\nText.\n"
    )
    assert article.title == "A title folded over two lines"
    assert article.author == "Jo"


def test_unclosed_front_matter_is_body_text() -> None:
    article = parse_markdown("---\ntitle: Lost\nauthor: Nobody\n\nThe story starts here.\n")
    check_structure(article)
    assert article.author is None
    assert "title: Lost author: Nobody" in article.body
    assert "The story starts here." in article.body


def test_garbage_front_matter_lines_are_skipped() -> None:
    article = parse_markdown(
        "---\ntitle: Kept\nthis line is not yaml\n  : nor this\n- stray item\n"
        "author:\tTabbed Name\n[broken\n---\n# Heading\n\nText.\n"
    )
    assert article.title == "Kept"
    assert article.author == "Tabbed Name"
    assert blocks("---\ntitle: Kept\nnot yaml\n---\n# Heading\n\nText.\n") == [
        ("headline", "Heading"),
        ("paragraph", "Text."),
    ]


def test_rules_around_text_are_not_front_matter() -> None:
    """Without a single "key: value" between them, the "---" lines are rules, not metadata."""
    assert blocks("---\nSome prose here.\n\nMore prose.\n\n---\nEnd.\n") == [
        ("paragraph", "Some prose here."),
        ("paragraph", "More prose."),
        ("paragraph", "End."),
    ]


def test_only_front_matter_leaves_no_body(tmp_path: Path) -> None:
    text = "---\ntitle: Only metadata\ntags: [x]\n---\n\n<!-- nothing else -->\n"
    article = parse_markdown(text)
    assert article.body == "" and article.spans == () and article.title == "Only metadata"
    path = tmp_path / "empty.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused, match="contains no text"):
        read_article_file(path)


# -- titles ----------------------------------------------------------------------------------


def test_title_from_first_h1_then_first_line() -> None:
    assert parse_markdown("Intro line.\n\n# The Title\n\nText.\n").title == "The Title"
    assert blocks("Intro line.\n\n# The Title\n")[1] == ("subheading", "The Title")
    assert parse_markdown("## Only a section\n\nText.\n").title == "Only a section"
    assert blocks("## Only a section\n\nText.\n")[0] == ("headline", "Only a section")
    assert parse_markdown("A short first line\n\nText.\n").title == "A short first line"
    assert blocks("A short first line\n\nText.\n")[0] == ("paragraph", "A short first line")
    assert parse_markdown("- item one\n- item two\n").title == "item one"
    assert parse_markdown("").title == ""


def test_front_matter_title_with_h1_keeps_one_headline() -> None:
    assert blocks("---\ntitle: Meta\n---\n# Shown\n\nText.\n") == [
        ("headline", "Shown"),
        ("paragraph", "Text."),
    ]
    assert blocks("---\ntitle: Meta\n---\n## Section\n\nText.\n") == [
        ("headline", "Meta"),
        ("subheading", "Section"),
        ("paragraph", "Text."),
    ]


# -- blocks ----------------------------------------------------------------------------------


def test_headings() -> None:
    assert blocks("# Title ##\n\n### Section ###\n\n#### Not # closed\n\n#hashtag\n") == [
        ("headline", "Title"),
        ("subheading", "Section"),
        ("subheading", "Not # closed"),
        ("paragraph", "#hashtag"),
    ]
    assert blocks("Setext *title*\n===\n\nSection\n---\nText.\n") == [
        ("headline", "Setext title"),
        ("subheading", "Section"),
        ("paragraph", "Text."),
    ]
    assert blocks("####### seven\n")[0] == ("paragraph", "####### seven")


def test_paragraphs_join_wrapped_lines() -> None:
    assert blocks("One line\nwrapped here  \nand a hard break\\\nend.\n\nNext.\n") == [
        ("paragraph", "One line wrapped here and a hard break end."),
        ("paragraph", "Next."),
    ]


def test_lists_normalised_and_nested() -> None:
    text = (
        "* first\n  wrapped on\n* second\n    * nested\n      * deeper\n    * nested two\n"
        "+ other bullet starts a new list\n\n"
        "3) three\n3) four\n   1. inner\n"
    )
    assert blocks(text) == [
        ("list", "- first wrapped on\n- second\n  - nested\n    - deeper\n  - nested two"),
        ("list", "- other bullet starts a new list"),
        ("list", "3. three\n4. four\n  1. inner"),
    ]


def test_loose_list_and_list_ending() -> None:
    assert blocks("- a\n\n  more of a\n- b\n\nAfter the list.\n") == [
        ("list", "- a more of a\n- b"),
        ("paragraph", "After the list."),
    ]
    assert blocks("Paragraph text\n- interrupts\n\nSaid in\n2024. Not a list.\n") == [
        ("paragraph", "Paragraph text"),
        ("list", "- interrupts"),
        ("paragraph", "Said in 2024. Not a list."),
    ]
    assert blocks("- a\n- b\n* * *\n- c\n") == [("list", "- a\n- b"), ("list", "- c")]


def test_code_inside_a_list_item_splits_the_list() -> None:
    assert blocks("1. run:\n\n   ```\n   make\n   ```\n2. done\n") == [
        ("list", "1. run:"),
        ("code", "make"),
        ("list", "2. done"),
    ]


def test_block_quotes() -> None:
    assert blocks("> First *quoted*\nlazy line\n>\n> Second\n> > nested\n\nAfter.\n") == [
        ("quote", "First quoted lazy line"),
        ("quote", "Second"),
        ("quote", "nested"),
        ("paragraph", "After."),
    ]
    assert blocks("> - a\n> - b\n")[0] == ("list", "- a\n- b")


def test_code_is_verbatim_with_blank_lines_and_markup() -> None:
    text = (
        "Before.\n\n```python title\n  [bold]x[/] *not em* <b>\n\n\n# comment\n```\n\n"
        "~~~~\n```\nstill code\n~~~~\n\n"
        "    indented\n\n      code\tend\n\nAfter.\n"
    )
    assert blocks(text) == [
        ("paragraph", "Before."),
        ("code", "  [bold]x[/] *not em* <b>\n\n\n# comment"),
        ("code", "```\nstill code"),
        ("code", "indented\n\n  code      end"),
        ("paragraph", "After."),
    ]


def test_unclosed_fence_runs_to_the_end() -> None:
    assert blocks("Text.\n\n```\ncode\n\nmore\n") == [
        ("paragraph", "Text."),
        ("code", "code\n\nmore"),
    ]


def test_rules_comments_and_html_blocks_dropped() -> None:
    text = (
        "A.\n\n---\n\n***\n\n<!--\nhidden\n-->\n\n<script>\nalert(1)\n</script>\n\n"
        "<div>raw <b>html</b></div>\n\n<!-- unclosed\n\nB.\n\n[ref]: https://example.org\n"
    )
    assert blocks(text) == [
        ("paragraph", "A."),
        ("paragraph", "raw html"),
        ("paragraph", "B."),
    ]


def test_link_reference_definitions() -> None:
    """Definitions show nothing; text that merely starts like one is kept."""
    text = (
        "[a]: https://x.org 'title'\n[b]: <has space>\n\n"
        "* [Bounds on `[T]::search` and\n  more](https://x.org/1) apply\n\n[c]: not a definition\n"
    )
    assert blocks(text) == [
        ("list", "- Bounds on [T]::search and more apply"),
        ("paragraph", "[c]: not a definition"),
    ]


# -- inline markup ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("*em* _em_ **strong** __strong__ ***both***", "em em strong strong both"),
        ("*a **b** c* and ~~struck~~ and ==marked==", "a b c and struck and marked"),
        ("snake_case_name, 2 * 3 * 4, a*b*c, _x_y", "snake_case_name, 2 * 3 * 4, abc, _x_y"),
        ("**unclosed and *half", "**unclosed and *half"),
        ("`code *kept*` and `` a`b `` and `[bold]x[/]`", "code *kept* and a`b and [bold]x[/]"),
        ("[text](https://x.org/a_(b)) [*t*](<a b> 'title')", "text t"),
        ("![alt text](img.png) [![badge](b.svg)](https://ci)", "alt text badge"),
        ("[ref link][r] [shortcut] [unknown] [^1]", "ref link shortcut [unknown] [^1]"),
        ("<https://x.org/a_b_c> <me@example.org> <mailto:you@example.org>", None),
        ("\\*not em\\* \\[not link\\](x) \\\\", "*not em* [not link](x) \\"),
        ("a<br>b <span class='x'>c</span> <!-- gone --> d", "a b c d"),
        ("&amp; &lt;b&gt; &copy; &#27;[2J &#10;&#10;", "& <b> © [2J"),
        ("[[Wiki Page]] [[Page|alias]] ![[embed.png]]", "Wiki Page alias"),
        ("[@click=app.quit]x[/] [link](javascript:alert(1))", "[@click=app.quit]x[/] link"),
    ],
)
def test_inline_markup_stripped(markdown: str, text: str | None) -> None:
    if text is None:
        text = "https://x.org/a_b_c me@example.org you@example.org"
    assert blocks(f"{markdown}\n\n[r]: /r\n[shortcut]: /s\n") == [("paragraph", text)]


# -- hostile and awkward input ---------------------------------------------------------------


def test_crlf_tabs_and_controls() -> None:
    text = "---\r\ntitle: CRLF\r\n---\r\n# Head\x1b[2J\r\n\r\nLine\tone\r\nline two\x07\r\n"
    article = parse_markdown(text)
    assert article.title == "CRLF"
    assert blocks(text) == [("headline", "Head"), ("paragraph", "Line one line two")]


def test_pathological_input_stays_fast() -> None:
    nasty = [
        ">" * 5000 + " deep\n",
        "".join("  " * i + "- x\n" for i in range(300)),
        "[" * 100_000 + "\n",
        "*a " * 50_000 + "\n",
        "<!--\n" * 20_000,
        "`" * 3000 + "\n" + " ".join("`" * n for n in range(1, 300)) + "\n",
        ("word " * 20 + "\n") * 5_000,
    ]
    for text in nasty:
        check_structure(parse_markdown(text))  # a pathological slowdown hangs here


# -- dispatch, import and the CLI ------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.md", "b.MARKDOWN", "c.Md"])
def test_markdown_suffixes_dispatch_here(tmp_path: Path, name: str) -> None:
    assert parser_for(tmp_path / name) is parse_markdown
    path = tmp_path / name
    path.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    article = read_article_file(path)
    assert article.title == "Notes on Slow Reading"
    assert article.language == "en"
    assert article.tags == ("reading", "attention")
    check_structure(article)


def test_cli_import_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    md_file = tmp_path / "in" / "notes.md"
    md_file.parent.mkdir()
    md_file.write_bytes(SAMPLE.read_bytes())
    library = str(tmp_path / "lib")
    assert main(["--library", library, "import", str(md_file), "--json"]) == 0
    report = orjson.loads(capsys.readouterr().out)
    assert report["refused"] == []
    (imported,) = report["imported"]
    assert imported["title"] == "Notes on Slow Reading"
    assert main(["--library", library, "show", str(imported["id"]), "--json"]) == 0
    shown = orjson.loads(capsys.readouterr().out)
    assert shown["author"] == "Iona Prewett"
    assert shown["published"] == "2026-03-14"
    assert shown["url"] == "https://example.org/notes-on-slow-reading"
    assert shown["tags"] == ["reading", "attention"]
    assert shown["title"] == "Notes on Slow Reading"
    assert shown["language"] == "en"
    assert shown["text"] == parse_markdown(SAMPLE.read_text(encoding="utf-8")).body
