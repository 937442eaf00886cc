"""The article list: rows, keys, sort, filter, mouse, and that 10,000 articles stay quick."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Input

from reader.library.models import Article
from reader.text.fold import fold
from reader.text.fuzzy import FuzzyQuery
from reader.tui.messages import (
    ArticleChosen,
    ArticleHighlighted,
    DeleteArticleRequested,
    ToggleReadRequested,
)
from reader.tui.widgets.article_list import EMPTY_LIBRARY, ArticleList
from reader.tui.widgets.article_pane import ArticlePane
from reader.tui.widgets.article_rows import RowLayout, haystack

BASE = datetime(2024, 1, 1, tzinfo=UTC)
M = TypeVar("M", bound=Message)


def sync(test: Callable[[], Awaitable[None]]) -> Callable[[], None]:
    """Run an async Pilot test with asyncio (no pytest async plugin here)."""

    def run() -> None:
        asyncio.run(test())  # type: ignore[arg-type]

    run.__doc__ = test.__doc__
    return run


def article(
    id: int,
    title: str,
    *,
    source: str | None = "AA",
    minutes: int = 3,
    words: int = 500,
    days: int | None = None,
    read: bool = False,
    progress: float = 0.0,
) -> Article:
    """An article added ``days`` (default: ``id``) days after BASE."""
    return Article(
        id=id,
        title=title,
        hash=f"h{id}",
        words=words,
        reading_minutes=minutes,
        added=BASE + timedelta(days=id if days is None else days),
        source=source,
        read=read,
        progress=progress,
    )


SAMPLE = [
    article(1, "Turkish delegation due in Russia to talk Idlib", words=530, progress=0.45),
    article(2, "Markets rally as rates hold", source="Reuters", words=900, read=True),
    article(3, "A quiet garden in winter", source="Essays", words=120, progress=0.9),
    article(4, "Zebra crossings and the city", source="Blog", words=2000),
]


class ListApp(App[None]):
    """Just an article pane, collecting the messages it sends up."""

    def __init__(self, articles: Sequence[Article], quotes: dict[int, int] | None = None) -> None:
        super().__init__()
        self.articles = articles
        self.quotes = quotes or {}
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield ArticlePane(id="pane")

    def on_mount(self) -> None:
        self.articles_list.set_articles(self.articles, self.quotes)
        self.articles_list.focus()

    @property
    def articles_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def pane(self) -> ArticlePane:
        return self.query_one(ArticlePane)

    @on(ArticleChosen)
    @on(ArticleHighlighted)
    @on(ToggleReadRequested)
    @on(DeleteArticleRequested)
    def collect(self, message: Message) -> None:
        self.messages.append(message)

    def sent(self, kind: type[M]) -> list[M]:
        return [m for m in self.messages if isinstance(m, kind)]


def rows(widget: ArticleList) -> list[str]:
    """The text of every visible line, trailing blanks dropped."""
    lines = [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def titles(widget: ArticleList) -> list[str]:
    return [a.title for a in widget.shown]


@sync
async def test_rows_show_marker_title_and_columns() -> None:
    app = ListApp(SAMPLE, {1: 2})
    async with app.run_test(size=(90, 12)) as pilot:
        await pilot.pause()
        lines = rows(app.articles_list)
        # Newest first.
        assert [line[2:12] for line in lines] == [
            "Zebra cros",
            "A quiet ga",
            "Markets ra",
            "Turkish de",
        ]
        turkish = lines[3]
        assert turkish.startswith("● Turkish delegation")
        assert turkish.endswith("AA        3m  45%   ❝2")
        assert lines[2].startswith("  Markets rally")  # read: no marker
        assert lines[2].endswith("Reuters   3m")  # no progress, no quotes: blank
        assert app.pane.border_title == "Articles (4)"
        assert app.pane.border_subtitle == "sort: added"


@sync
async def test_long_title_is_ellipsised_to_fit() -> None:
    long = article(1, "word " * 40)
    app = ListApp([long])
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        (line,) = rows(app.articles_list)
        assert "…" in line
        assert line.endswith("wo… AA   3m")  # the source column is as wide as the longest
        assert (
            app.articles_list.render_line(0).cell_length
            == app.articles_list.scrollable_content_region.width
        )


@sync
async def test_narrow_terminals_drop_columns_and_never_overflow() -> None:
    app = ListApp(SAMPLE, {1: 2})
    async with app.run_test(size=(120, 20)) as pilot:
        lst = app.articles_list
        for width, height in [(40, 12), (14, 6), (80, 24), (120, 40)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            inner = lst.scrollable_content_region.width
            strips = [lst.render_line(y) for y in range(lst.size.height)]
            assert all(strip.cell_length == inner for strip in strips)
        assert rows(lst)[3].endswith("AA        3m  45%   ❝2")


@sync
async def test_cursor_keys() -> None:
    many = [article(i, f"Article {i:02}") for i in range(1, 41)]
    app = ListApp(many)
    async with app.run_test(size=(80, 12)) as pilot:
        lst = app.articles_list
        await pilot.press("j", "j", "down")
        assert lst.cursor_row == 3
        await pilot.press("k", "up")
        assert lst.cursor_row == 1
        await pilot.press("G")
        assert lst.cursor_row == 39
        assert lst.highlighted is not None and lst.highlighted.id == 1
        assert lst.scroll_offset.y > 0
        await pilot.press("g")
        assert lst.cursor_row == 0
        assert lst.scroll_offset.y == 0
        await pilot.press("end")
        assert lst.cursor_row == 39
        await pilot.press("home", "pagedown")
        page = lst.cursor_row
        assert page > 3
        await pilot.press("ctrl+f")
        assert lst.cursor_row == 2 * page
        await pilot.press("ctrl+b", "pageup")
        assert lst.cursor_row == 0
        await pilot.press("k")
        assert lst.cursor_row == 0


@sync
async def test_enter_u_d_post_messages_for_the_highlighted_article() -> None:
    app = ListApp(SAMPLE)
    async with app.run_test() as pilot:
        await pilot.press("j", "enter", "u", "j", "d")
        await pilot.pause()
        assert [m.article_id for m in app.sent(ArticleChosen)] == [3]
        assert [m.article_id for m in app.sent(ToggleReadRequested)] == [3]
        assert [m.article_id for m in app.sent(DeleteArticleRequested)] == [2]


@sync
async def test_highlight_messages_are_coalesced() -> None:
    many = [article(i, f"Article {i}") for i in range(1, 201)]
    app = ListApp(many)
    async with app.run_test() as pilot:

        async def until(count: int) -> list[int | None]:
            # Wait for the debounced messages (a loaded machine may take longer than the delay).
            for _ in range(100):
                await pilot.pause(0.02)
                if len(app.sent(ArticleHighlighted)) >= count:
                    break
            await pilot.pause(0.1)  # and a little more: nothing else may follow
            return [m.article_id for m in app.sent(ArticleHighlighted)]

        assert await until(1) == [200]
        # Like a held key: many moves between two frames make one message, for the last.
        for _ in range(60):
            app.articles_list.action_move(1)
        assert await until(2) == [200, 140]


@sync
async def test_empty_library_says_how_to_import() -> None:
    app = ListApp([])
    async with app.run_test() as pilot:
        await pilot.pause(0.1)
        assert rows(app.articles_list) == [f" {EMPTY_LIBRARY}"]
        assert app.articles_list.highlighted is None
        assert [m.article_id for m in app.sent(ArticleHighlighted)] == [None]
        await pilot.press("enter", "j", "G")
        assert app.sent(ArticleChosen) == []
        assert app.pane.border_title == "Articles (0)"


@sync
async def test_sort_cycles_and_keeps_the_cursor() -> None:
    app = ListApp(SAMPLE)
    async with app.run_test() as pilot:
        lst = app.articles_list
        await pilot.press("j")  # "A quiet garden…"
        await pilot.press("s")
        assert lst.sort == "title"
        assert titles(lst)[0].startswith("A quiet")
        assert titles(lst)[-1].startswith("Zebra")
        assert app.pane.border_subtitle == "sort: title"
        assert lst.highlighted is not None and lst.highlighted.id == 3
        await pilot.press("s")
        assert lst.sort == "length"
        assert [a.id for a in lst.shown] == [3, 1, 2, 4]
        await pilot.press("s")
        assert lst.sort == "progress"
        assert [a.id for a in lst.shown][:2] == [3, 1]
        await pilot.press("s")
        assert lst.sort == "added"
        assert [a.id for a in lst.shown] == [4, 3, 2, 1]
        assert lst.highlighted.id == 3


@sync
async def test_filter_narrows_highlights_and_enter_opens_first_match() -> None:
    app = ListApp(SAMPLE)
    async with app.run_test() as pilot:
        lst = app.articles_list
        assert not app.query("#article-filter")  # made on the first `/`
        await pilot.press("slash")
        await pilot.pause()
        filter_input = app.query_one("#article-filter", Input)
        assert filter_input.display and filter_input.has_focus
        await pilot.press("r", "l", "y")
        assert titles(lst) == ["Markets rally as rates hold"]
        assert app.pane.border_title == "Articles (1 of 4)"
        # The matched characters ("r", "l", "y" of "rally") are styled apart from the rest.
        strip = app.articles_list.render_line(0)
        underlined = "".join(s.text for s in strip if s.style and s.style.underline)
        assert underlined == "rly"
        await pilot.press("enter")
        await pilot.pause()
        assert [m.article_id for m in app.sent(ArticleChosen)] == [2]
        assert not filter_input.display
        assert lst.has_focus
        assert lst.filter_text == "rly"  # kept
        # Escape in the list clears a kept filter.
        await pilot.press("escape")
        assert lst.filter_text == ""
        assert len(lst.shown) == 4


@sync
async def test_filter_escape_clears_and_down_moves_to_the_list() -> None:
    app = ListApp(SAMPLE)
    async with app.run_test() as pilot:
        lst = app.articles_list
        await pilot.press("slash", "e", "s")
        await pilot.pause()
        filter_input = app.query_one("#article-filter", Input)
        assert lst.filter_text == "es"
        await pilot.press("escape")
        await pilot.pause()
        assert lst.filter_text == ""
        assert filter_input.value == ""
        assert not filter_input.display
        assert lst.has_focus
        assert app.pane.border_title == "Articles (4)"
        await pilot.press("slash", "a")
        await pilot.press("down")
        await pilot.pause()
        assert lst.has_focus
        assert lst.filter_text == "a"
        await pilot.press("j")
        assert lst.cursor_row == 1


@sync
async def test_filter_with_no_match_says_so() -> None:
    app = ListApp(SAMPLE)
    async with app.run_test() as pilot:
        await pilot.press("slash", "q", "q", "q")
        assert rows(app.articles_list) == [" No match for “qqq”"]
        assert app.pane.border_title == "Articles (0 of 4)"


@sync
async def test_filter_ranks_word_starts_and_contiguous_matches_first() -> None:
    ranked = [
        article(1, "Hidden gardens of old", days=3),  # "den" mid-word
        article(2, "A den of thieves", days=2),  # "den" at a word start
        article(3, "Dark energy news", days=1),  # d…e…n scattered, but word starts
        article(4, "Midday sun", days=4),  # no "n" after d…e: no match
    ]
    app = ListApp(ranked)
    async with app.run_test():
        app.articles_list.filter_text = "den"
        assert [a.id for a in app.articles_list.shown] == [2, 1, 3]


def test_scoring_prefers_contiguous_word_start_matches() -> None:
    den = FuzzyQuery("DEN")
    score, positions = den.score(fold("A den of thieves"))
    assert list(positions) == [2, 3, 4]
    assert score > den.score(fold("Hidden gardens"))[0]
    assert list(den.score(fold("Dark energy news"))[1]) == [0, 5, 6]
    assert not den.matches(fold("Midday sun"))
    assert score > den.score(fold("A dense forest"))[0]  # a whole word beats a prefix
    # The one fold of reader.text: Turkish letters and accents, one character for one.
    assert fold("İstanbul") == "istanbul"
    assert FuzzyQuery("istanbul").matches(fold("İstanbul'un sahafları"))  # noqa: RUF001
    assert FuzzyQuery("kadikoy").matches(fold("Kadıköy iskelesi"))  # noqa: RUF001
    assert list(FuzzyQuery("st").score(fold("İstanbul stories"))[1]) == [9, 10]
    # Regex characters in a query are plain characters.
    assert FuzzyQuery("a.b[").matches("a.b[c") and not FuzzyQuery("a.b[").matches("axb[")


@sync
async def test_markup_in_titles_shows_literally() -> None:
    tricky = [
        article(1, "[bold red]x[/] plain", source="[i]s[/]"),
        article(2, "[@click=app.quit]click me[/]"),
    ]
    app = ListApp(tricky)
    async with app.run_test(size=(80, 8)) as pilot:
        lines = rows(app.articles_list)
        assert lines[0].startswith("● [@click=app.quit]click me[/]")
        assert lines[1].startswith("● [bold red]x[/] plain")
        assert lines[1].endswith("[i]s[/]   3m")
        # A click on the cursor row opens it; the "@click" in the title is only text.
        await pilot.click(ArticleList, offset=(6, 0))
        await pilot.pause()
        assert app.is_running
        assert [m.article_id for m in app.sent(ArticleChosen)] == [2]


@sync
async def test_mouse_click_moves_and_double_click_opens() -> None:
    app = ListApp(SAMPLE)
    async with app.run_test() as pilot:
        await pilot.click(ArticleList, offset=(5, 2))
        assert app.articles_list.cursor_row == 2
        assert app.sent(ArticleChosen) == []
        await pilot.double_click(ArticleList, offset=(5, 3))
        await pilot.pause()
        assert app.articles_list.cursor_row == 3
        assert [m.article_id for m in app.sent(ArticleChosen)] == [1]


@sync
async def test_update_article_redraws_one_row_in_place() -> None:
    app = ListApp(SAMPLE)
    async with app.run_test(size=(90, 12)) as pilot:
        lst = app.articles_list
        lst.sort = "progress"
        order = [a.id for a in lst.shown]
        before = rows(lst)
        row = order.index(4)
        lst.update_article(article(4, "Zebra crossings and the city", progress=0.97), 5)
        await pilot.pause()
        after = rows(lst)
        assert [a.id for a in lst.shown] == order  # no re-sort until asked
        assert after[row].endswith("97%   ❝5")
        assert [b for i, b in enumerate(before) if i != row] == [
            a for i, a in enumerate(after) if i != row
        ]


@sync
async def test_set_articles_keeps_the_cursor_on_the_same_article() -> None:
    app = ListApp(SAMPLE)
    async with app.run_test() as pilot:
        lst = app.articles_list
        await pilot.press("j", "j")
        assert lst.highlighted is not None and lst.highlighted.id == 2
        newer = article(9, "Fresh news")
        lst.set_articles([*SAMPLE, newer], {})
        assert lst.highlighted.id == 2
        assert lst.cursor_row == 3
        lst.set_articles([a for a in SAMPLE if a.id != 2], {})
        assert lst.cursor_row == 0
        assert app.pane.border_title == "Articles (3)"


@sync
async def test_select_article_clears_a_filter_that_hides_it() -> None:
    app = ListApp(SAMPLE)
    async with app.run_test() as pilot:
        lst = app.articles_list
        await pilot.press("slash", "z", "e", "b", "enter")
        await pilot.pause()
        assert len(lst.shown) == 1
        lst.select_article(2)
        await pilot.pause()
        assert lst.filter_text == ""
        assert app.query_one("#article-filter", Input).value == ""
        assert lst.highlighted is not None and lst.highlighted.id == 2


@sync
async def test_remapped_key_moves_the_cursor() -> None:
    app = ListApp(SAMPLE)
    async with app.run_test() as pilot:
        app.set_keymap({"list.down": "n"})
        await pilot.press("n", "n")
        assert app.articles_list.cursor_row == 2
        await pilot.press("j")
        assert app.articles_list.cursor_row == 2


def many_articles(count: int) -> list[Article]:
    words = ["delegation", "markets", "garden", "winter", "rally", "energy", "idlib", "news"]
    return [
        article(
            i,
            f"{words[i % 8].title()} {words[i * 7 % 8]} report number {i} on {words[i * 3 % 8]}",
            source=["AA", "Reuters", "Blog", None][i % 4],
            progress=(i % 10) / 10,
        )
        for i in range(1, count + 1)
    ]


@sync
async def test_ten_thousand_articles_mount_and_filter_quickly() -> None:
    articles = many_articles(10_000)
    app = ListApp(articles)
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        mounted = time.perf_counter() - start
        lst = app.articles_list
        assert rows(lst)[0].startswith("● ")
        assert app.pane.border_title == "Articles (10000)"
        timings = []
        for query in ["g", "ga", "gar", "gard", "garden w", "xq"]:
            begin = time.perf_counter()
            lst.filter_text = query
            timings.append(time.perf_counter() - begin)
        await pilot.press("G")
        lst.filter_text = ""
    print(f"\n10,000 articles: mount+first paint {mounted:.3f} s; filter per keystroke ", end="")
    print(", ".join(f"{t * 1000:.1f} ms" for t in timings))


def test_fuzzy_filter_cold_on_ten_thousand_titles() -> None:
    hays = [haystack(a) for a in many_articles(10_000)]
    for query in ["e", "rep", "gdn"]:
        begin = time.perf_counter()
        hits = FuzzyQuery(query).filter(hays, range(len(hays)))
        elapsed = time.perf_counter() - begin
        print(f"\nfuzzy_filter {query!r}: {len(hits)} hits in {elapsed * 1000:.1f} ms", end="")
        assert hits


def test_meta_columns_give_way_so_that_titles_stay_readable() -> None:
    # 120 columns: the list's rows are 36 cells; source and time give way; progress stays
    # wherever a title keeps its 24 cells.
    assert RowLayout.fit(36, 12) == RowLayout(title=24, source=0, time=0, progress=4, quotes=4)
    assert RowLayout.fit(31, 12) == RowLayout(title=24, source=0, time=0, progress=4, quotes=0)
    assert RowLayout.fit(30, 12) == RowLayout(title=28, source=0, time=0, progress=0, quotes=0)
    # Wide enough for everything.
    assert RowLayout.fit(80, 12) == RowLayout(title=50, source=12, time=4, progress=4, quotes=4)
    # Very narrow: the title has the row to itself.
    assert RowLayout.fit(20, 12) == RowLayout(title=18, source=0, time=0, progress=0, quotes=0)


def test_a_row_shows_control_characters_as_marks_never_as_escapes() -> None:
    from reader.tui.widgets.article_rows import row_pieces

    hostile = article(1, "Evil \x1b]52;c;x\x07 title")
    text = "".join(t for t, _ in row_pieces(hostile, 0, (), RowLayout.fit(60, 12)))
    assert "\x1b" not in text and "\x07" not in text
    assert "Evil \ufffd]52;c;x\ufffd title" in text
