"""Tables as aligned columns and image captions, from Markdown and saved pages to the screen
and to exports."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from rich.cells import cell_len
from textual.app import App, ComposeResult

from reader.export.article import body_markdown
from reader.library.models import Block
from reader.text.grid import RULE, aligned_table
from reader.text.html import parse_html
from reader.text.markdown import parse_markdown
from reader.tui.widgets import text_layout as tl
from reader.tui.widgets.text_pane import TextPane
from tests.test_tui_text_view import article_from

MARKDOWN_TABLE = """# Prices

Some text.

| City | Price (€) | Note |
|------|---:|:---|
| İstanbul | 12,50 | cheap \\| good |
| Köln | 9 | [a link](http://x) and **bold** |
| 東京 | 1.200 | 日本 |

After the table.
"""


def kinds(parsed) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(s.kind, parsed.body[s.start : s.end]) for s in parsed.spans]


def test_aligned_table_pads_by_cells_and_sets_numbers_right() -> None:
    table = aligned_table([["City", "Pop."], ["東京", "14,000"], ["Ankara", "5"]])
    assert table is not None
    lines = table.split("\n")
    assert RULE.fullmatch(lines[1]) and lines[1].endswith(": |")  # numbers flush right
    assert len({cell_len(line) for line in lines}) == 1  # every line the same width on screen
    assert lines[2] == "| 東京   | 14,000 |" and lines[3] == "| Ankara |      5 |"


def test_aligned_table_declines_what_reads_better_as_prose() -> None:
    assert aligned_table([["a", "b"]]) is None  # one row
    assert aligned_table([["a"], ["b"]]) is None  # one column
    assert aligned_table([["a", "b"], ["x" * 60, "y"]]) is None  # a cell of prose
    assert aligned_table([[f"col {i}" for i in range(12)]] * 3) is None  # wider than a measure
    # A column empty in every row says nothing: what is left is one column, so no table.
    assert aligned_table([["", "Patsy Reddy"], ["", "Jacinda Ardern"]], header=False) is None


def test_headerless_table_has_no_rule_and_escapes_pipes() -> None:
    table = aligned_table([["Capital", "Wellington"], ["Currency", "dollar | NZD"]], header=False)
    assert table == "| Capital  | Wellington    |\n| Currency | dollar \\| NZD |"


def test_markdown_gfm_table_becomes_an_aligned_table_block() -> None:
    parsed = parse_markdown(MARKDOWN_TABLE)
    found = kinds(parsed)
    assert [k for k, _ in found] == ["headline", "paragraph", "table", "paragraph"]
    table = found[2][1].split("\n")
    assert table[0].startswith("| City ") and RULE.fullmatch(table[1])
    assert "| a link and bold " in table[3]  # inline Markdown is read, not kept as syntax
    assert "cheap \\| good" in table[2]
    assert len({cell_len(line) for line in table}) == 1


def test_a_line_with_pipes_but_no_delimiter_row_is_a_paragraph() -> None:
    parsed = parse_markdown("# T\n\na | b | c\nnext line\n")
    assert [k for k, _ in kinds(parsed)] == ["headline", "paragraph"]


def test_a_too_wide_markdown_table_keeps_a_paragraph_a_row() -> None:
    header = " | ".join(f"column number {i}" for i in range(8))
    parsed = parse_markdown(f"# T\n\n{header}\n{'|'.join(['---'] * 8)}\n{'|'.join('x' * 8)}\n")
    assert [k for k, _ in kinds(parsed)] == ["headline", "paragraph", "paragraph"]


PAGE = """<html><head><title>Whales</title></head><body><article>
<h1>Whales</h1>
<p>{prose}</p>
<figure><img src="a.jpg" alt=""></figure>
<ul><li><p>Hori Parata at his farm, where he grew up</p></li></ul>
<p>{prose}</p>
<figure><img src="b.jpg"><figcaption>A stranded whale on the beach.</figcaption></figure>
<table>
<tr><th>Average temperatures</th><th></th><th></th></tr>
<tr><th>Location</th><th>Jan (°C)</th><th>July (°C)</th></tr>
<tr><td>Auckland</td><td>23</td><td>14</td></tr>
<tr><td>Wellington</td><td>20</td><td>11</td></tr>
</table>
<ul><li>A real list item</li><li>And another one</li></ul>
<p>{prose}</p>
</article></body></html>"""


def test_saved_page_captions_and_tables() -> None:
    prose = "Whales have stranded on this coast for as long as anyone remembers. " * 4
    parsed = parse_html(PAGE.format(prose=prose))
    found = kinds(parsed)
    captions = [text for kind, text in found if kind == "caption"]
    assert "Hori Parata at his farm, where he grew up" in captions
    assert "Average temperatures" in captions
    tables = [text for kind, text in found if kind == "table"]
    assert len(tables) == 1
    lines = tables[0].split("\n")
    assert lines[0].split() == ["|", "Location", "|", "Jan", "(°C)", "|", "July", "(°C)", "|"]
    assert RULE.fullmatch(lines[1])
    assert ("list", "- A real list item\n- And another one") in found


def test_layout_kinds_of_a_table_and_a_caption() -> None:
    parsed = parse_markdown(MARKDOWN_TABLE)
    blocks = [(s.start, s.end, s.kind) for s in parsed.spans]
    lay = tl.layout(parsed.body, blocks, 60)
    table_kinds = [k for k in lay.kinds if k in (tl.TABLE, tl.TABLE_HEAD, tl.TABLE_RULE)]
    assert table_kinds == [tl.TABLE_HEAD, tl.TABLE_RULE, tl.TABLE, tl.TABLE, tl.TABLE]
    caption = tl.layout("A photo caption", [(0, 15, "caption")], 40)
    assert caption.kinds == [tl.CAPTION]


def test_export_writes_tables_as_markdown_tables_and_captions_in_italics() -> None:
    prose = "Whales have stranded on this coast for as long as anyone remembers. " * 4
    parsed = parse_html(PAGE.format(prose=prose))
    article, _ = article_from("x")
    stored = tuple(Block(s.start, s.end, s.kind) for s in parsed.spans)
    markdown = body_markdown(replace(article, blocks=stored), parsed.body)
    assert (
        "| Location   | Jan (°C) | July (°C) |\n| ---------- | -------: | --------: |" in markdown
    )
    assert "*Average temperatures*" in markdown
    headerless = aligned_table([["Capital", "Wellington"], ["Largest", "Auckland"]], header=False)
    assert headerless is not None
    body = f"Title\n\n{headerless}"
    plain = replace(article, blocks=(Block(0, 5, "headline"), Block(7, len(body), "table")))
    out = body_markdown(plain, body)
    assert "|   |   |\n| --- | --- |\n| Capital" in out  # Markdown needs a header row


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TextPane()

    def on_mount(self) -> None:
        parsed = parse_markdown(MARKDOWN_TABLE)
        article, _ = article_from("x")
        blocks = tuple(Block(s.start, s.end, s.kind) for s in parsed.spans)
        self.query_one(TextPane).view.show(replace(article, blocks=blocks), parsed.body, (), 0)


def test_the_view_draws_header_bold_and_column_rules_quiet() -> None:
    async def main() -> None:
        app = TableApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            view = app.query_one(TextPane).view
            strips = [view.render_line(y) for y in range(view.size.height)]
            header = next(s for s in strips if "City" in s.text)
            row = next(s for s in strips if "Köln" in s.text)

            def style(strip, needle):  # type: ignore[no-untyped-def]
                return next(seg.style for seg in strip if needle in seg.text)

            assert style(header, "City").bold and not style(row, "Köln").bold
            assert style(row, "|").color != style(row, "Köln").color  # rules quieter than cells
            rule = next(s for s in strips if "----" in s.text)
            assert style(rule, "----").color == style(row, "|").color

    asyncio.run(main())
