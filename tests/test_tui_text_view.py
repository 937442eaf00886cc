"""The text pane with Pilot: scrolling, position, find, passage cursor, mouse selection, speed."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from rich.style import Style
from textual import on
from textual.app import App, ComposeResult
from textual.geometry import Offset
from textual.message import Message
from textual.pilot import Pilot
from textual.selection import Selection
from textual.strip import Strip

from reader.library.models import Article, Block, Quote
from reader.text import parse_plain
from reader.tui.messages import LeaveText, PositionChanged, QuoteRequested
from reader.tui.widgets import text_view
from reader.tui.widgets.text_pane import TextPane
from reader.tui.widgets.text_view import TextView

SAMPLES = Path(__file__).resolve().parents[1] / "sample_articles"
SEED = SAMPLES / "turkish-delegation-idlib.txt"
LONG = SAMPLES / "the-long-winter-of-the-lighthouse-keepers.txt"
SIZE = (100, 30)


def article_from(text: str, article_id: int = 1) -> tuple[Article, str]:
    """An Article and its body, parsed the way an import does."""
    parsed = parse_plain(text)
    blocks = tuple(Block(s.start, s.end, s.kind) for s in parsed.spans if s.kind != "paragraph")
    article = Article(
        id=article_id,
        title=parsed.title,
        hash="0" * 64,
        words=parsed.words,
        reading_minutes=parsed.reading_minutes,
        added=datetime(2024, 1, 1, tzinfo=UTC),
        source=parsed.source,
        credit=parsed.credit,
        blocks=blocks,
    )
    return article, parsed.body


def quote(article_id: int, body: str, start: int, end: int) -> Quote:
    """A saved quote over body[start:end]."""
    return Quote(1, article_id, "t", body[start:end], start, end, "", "", datetime.now(UTC))


class TextApp(App[None]):
    """The pane alone, recording what it posts."""

    def __init__(self, article: Article, body: str, position: int = 0,
                 quotes: Sequence[Quote] = ()) -> None:  # fmt: skip
        super().__init__()
        self.article, self.body, self.position, self.quotes = article, body, position, quotes
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield TextPane(id="pane")

    def on_mount(self) -> None:
        view = self.query_one(TextPane).view
        view.show(self.article, self.body, self.quotes, self.position)
        view.focus()

    @on(PositionChanged)
    @on(QuoteRequested)
    @on(LeaveText)
    def _record(self, message: Message) -> None:
        self.posted.append(message)

    def of(self, kind: type[M]) -> list[M]:
        """What was posted of one kind."""
        return [m for m in self.posted if isinstance(m, kind)]

    def quotes_posted(self) -> list[str]:
        """The text of each QuoteRequested, cut from the body by its offsets."""
        return [self.body[m.start : m.end] for m in self.posted if isinstance(m, QuoteRequested)]


M = TypeVar("M", bound=Message)
Scenario = Callable[[TextApp, TextView, Pilot[None]], Awaitable[None]]


def run(
    scenario: Scenario, text: str | None = None, size: tuple[int, int] = SIZE, **kwargs: Any
) -> TextApp:
    """Run a scenario against the seed article (or ``text``) in a 100 by 30 terminal."""
    article, body = article_from(text if text is not None else SEED.read_text(encoding="utf-8"))
    app = TextApp(article, body, **kwargs)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(app, app.query_one(TextPane).view, pilot)

    asyncio.run(main())
    return app


def rows(view: TextView) -> list[Strip]:
    """The visible rows as rendered."""
    return [view.render_line(y) for y in range(view.scrollable_content_region.height)]


def row_with(view: TextView, needle: str) -> Strip:
    """The visible row whose text contains ``needle``."""
    return next(strip for strip in rows(view) if needle in strip.text)


def style_of(strip: Strip, needle: str) -> Style:
    """The style of the segment holding ``needle``."""
    return next(seg.style or Style() for seg in strip if needle in seg.text)


def test_scroll_keys_move_by_line_page_and_half_page() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        height = view.scrollable_content_region.height
        assert view.scroll_offset.y == 0 and view.top_offset == 0
        await pilot.press("j", "j", "down")
        assert view.scroll_offset.y == 3
        await pilot.press("k", "up")
        assert view.scroll_offset.y == 1
        lay = view.wrapped
        assert lay is not None and view.top_offset == lay.starts[1]
        await pilot.press("space")
        assert view.scroll_offset.y == 1 + height - 1
        await pilot.press("shift+space")
        assert view.scroll_offset.y == 1
        await pilot.press("ctrl+d")
        assert view.scroll_offset.y == 1 + height // 2
        await pilot.press("ctrl+u", "pagedown", "pageup")
        assert view.scroll_offset.y == 1
        await pilot.press("G")
        assert view.scroll_offset.y == view.max_scroll_y > 0
        assert view.progress == 1.0
        await pilot.press("g")
        assert view.scroll_offset.y == 0 and view.progress < 1.0
        await pilot.press("end")
        assert view.progress == 1.0

    run(scenario)


def test_layout_is_centred_with_headline_and_credit() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        texts = [strip.text for strip in rows(view)]
        # 98 cells inside the scrollbar, an 80-cell column: 9 cells of margin.
        assert texts[0].startswith(" " * 9 + "Turkish delegation due in Russia")
        assert texts[1].strip() == "AA Photo"
        assert texts[2].strip() == ""
        assert all(len(t) == 98 for t in texts)
        headline = style_of(rows(view)[0], "Turkish")
        body_style = style_of(rows(view)[3], "A Turkish")
        assert headline.bold and headline != body_style

    run(scenario)


def test_show_restores_position_and_posts_nothing_for_it() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        await pilot.press(*"jjjjjjjjjjjjj")
        top = view.top_offset
        await pilot.pause(0.5)
        posted = [(m.article_id, m.offset) for m in app.of(PositionChanged)]
        # Throttled while scrolling, and the last one is where the scrolling stopped.
        assert posted[-1] == (1, top)
        assert posted == sorted(set(posted))
        view.show(app.article, app.body, [], 0)
        assert view.top_offset == 0
        view.show(app.article, app.body, [], top)
        assert view.top_offset == top
        await pilot.pause(0.5)
        assert len(app.of(PositionChanged)) == len(posted)  # show() is not the reader moving

    app = run(scenario)
    assert not [m for m in app.posted if isinstance(m, QuoteRequested)]


def test_switching_article_posts_the_last_position_first() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        view.action_scroll_pages(1)
        top = view.top_offset
        other, body = article_from("Another\n\nShort text.", article_id=2)
        view.show(other, body, [])
        await pilot.pause(0.4)
        assert [(m.article_id, m.offset) for m in app.of(PositionChanged)] == [(1, top)]

    run(scenario)


def test_opening_at_a_saved_position() -> None:
    seed = SEED.read_text(encoding="utf-8")
    _, body = article_from(seed)
    position = body.index("Idlib has been a stronghold")

    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        assert view.top_offset == position
        assert rows(view)[0].text.strip().startswith("Idlib has been a stronghold")
        await pilot.pause(0.4)
        assert not app.of(PositionChanged)

    run(scenario, position=position)


def test_width_change_keeps_the_reading_position() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        await pilot.press(*"jjjjjjjjjjjjjjjjjjjj")
        top = view.top_offset
        await pilot.pause(0.4)
        posted = len(app.of(PositionChanged))
        await pilot.resize_terminal(50, 30)
        await pilot.pause()
        lay = view.wrapped
        assert lay is not None and lay.width == 48 - 2
        line = view.scroll_offset.y
        assert lay.starts[line] <= top < max(lay.ends[line], lay.starts[line] + 1)
        view.text_width = 30
        await pilot.pause()
        assert view.wrapped is not None and view.wrapped.width == 30
        await pilot.resize_terminal(*SIZE)
        view.text_width = 80
        await pilot.pause()
        assert view.top_offset == top  # back to the same width, back to the same line
        await pilot.pause(0.4)
        assert len(app.of(PositionChanged)) == posted  # re-wrapping is not reading

    run(scenario)


def test_markup_and_escapes_in_the_body_show_literally() -> None:
    text = (
        "Markup test\n\n"
        "Plain [bold red]x[/] and [@click=app.quit]click me[/] here.\n\n"
        "Escapes \x1b[2J and \x1b]52;c;aGVsbG8=\x07 and \u202eevil."
    )

    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        texts = [strip.text for strip in rows(view)]
        assert any(
            "Plain [bold red]x[/] and [@click=app.quit]click me[/] here." in t for t in texts
        )
        joined = "".join(seg.text for strip in rows(view) for seg in strip)
        assert "\x1b" not in joined and "\x07" not in joined and "\u202e" not in joined
        strip = row_with(view, "click me")
        column = strip.text.index("click me")
        y = next(i for i, s in enumerate(rows(view)) if "click me" in s.text)
        for segment in strip:
            meta = segment.style.meta if segment.style else {}
            assert "@click" not in meta
        await pilot.click(view, offset=(column + 2, y))
        await pilot.pause()
        assert app.is_running

    run(scenario, text=text)


def test_find_highlights_counts_and_cycles() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        pane = app.query_one(TextPane)
        expected = app.body.lower().count("idlib")
        await pilot.press("slash")
        assert pane.has_class("-finding") and app.focused is not None
        assert app.focused.id == "text-find"
        await pilot.press(*"idlib")
        assert view.match_count == expected > 5
        assert view.match_index == 0
        status = str(pane.query_one("#text-status").render())
        assert f"match 1/{expected}" in status
        await pilot.press("enter")
        assert app.focused is view and view.match_count == expected
        await pilot.press("n", "n")
        assert view.match_index == 2
        await pilot.press("N", "N", "N")
        assert view.match_index == expected - 1
        # The current match and the others are drawn differently from plain text.
        view.scroll_to(y=0, animate=False)
        await pilot.press("n")
        strip = row_with(view, "Idlib")
        current = style_of(strip, "Idlib")
        await pilot.press("n")
        other = style_of(row_with(view, "Idlib"), "Idlib")
        plain = style_of(strip, "Turkish")
        assert len({current, other, plain}) == 3
        await pilot.press("escape")
        assert not view.find_active and view.match_count == 0
        assert not pane.has_class("-finding")
        await pilot.press("escape")
        assert app.of(LeaveText)

    run(scenario)


def test_find_bar_escape_clears_and_goes_back() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        await pilot.press("slash")
        bar = app.query_one("#text-find")
        assert app.focused is bar and bar.region.height == 1  # shown, even at 80 by 24
        assert view.find_active and view.match_count == 0
        await pilot.press(*"russia")
        assert view.match_count > 0
        await pilot.press("escape")
        assert app.focused is view and view.match_count == 0 and not view.find_active
        assert not app.of(LeaveText) and bar.region.height == 0

    run(scenario, size=(80, 24))


def test_passage_cursor_quotes_sentences() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        body = app.body
        await pilot.press("v")
        assert view.cursor_active
        active = {b.binding.id for b in app.screen.active_bindings.values()}
        assert {"cursor.next", "cursor.extend", "cursor.paragraph"} <= active
        assert "text.line_down" not in active
        await pilot.press("b")
        assert app.quotes_posted() == ["Turkish delegation due in Russia to talk Idlib, Syria"]
        await pilot.press("j", "b", "j", "b")
        first = "A Turkish delegation will soon visit Russia"
        second = "Following today's phone conversation"
        posted = app.quotes_posted()
        assert posted[1].startswith(first) and posted[1].endswith("on Wednesday.")
        assert posted[2].startswith(second)
        assert body.index(posted[1]) < body.index(posted[2])
        assert view.cursor_active  # b stays in the mode
        await pilot.press("J")
        span = view.cursor_range
        assert span is not None and body[span[0] : span[1]].startswith(second)
        assert body[span[0] : span[1]].endswith(
            'held meetings" on Idlib, said Mevlüt Çavuşoğlu in Albania.'
        )
        await pilot.press("K", "k", "p", "b")
        paragraph = body[body.index(first) : body.index("on Wednesday.") + len("on Wednesday.")]
        assert app.quotes_posted()[-1] == paragraph
        await pilot.press("escape")
        assert not view.cursor_active and not app.of(LeaveText)
        active = {b.binding.id for b in app.screen.active_bindings.values()}
        assert "text.line_down" in active and "cursor.next" not in active
        await pilot.press("j")
        assert view.scroll_offset.y == 1

    run(scenario)


def test_cursor_steps_over_abbreviations_in_one_sentence() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        body = app.body
        await pilot.press("v")
        seen: list[str] = []
        for _ in range(60):
            span = view.cursor_range
            assert span is not None
            seen.append(body[span[0] : span[1]])
            await pilot.press("j")
        for needle in ("Dec. 1, and 700,000", "started on Jan. 12.", "FETÖ and its U.S.-based"):
            holding = [s for s in seen if needle in s]
            assert len(holding) == 1, needle
        dec = next(s for s in seen if "Dec. 1" in s)
        assert dec.startswith("Also stressing") and dec.endswith('past two months,"')
        # The cursor keeps itself on screen as it moves down the article.
        span = view.cursor_range
        assert span is not None and view.wrapped is not None
        line = view.wrapped.line_of(span[0])
        assert view.scroll_offset.y <= line < view.scroll_offset.y + 30

    run(scenario)


def test_v_starts_on_the_first_sentence_starting_in_view() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        await pilot.press("j", "j", "j", "j")  # the top line is mid-sentence now
        top = view.top_offset
        await pilot.press("v")
        span = view.cursor_range
        assert span is not None and span[0] >= top
        assert app.body[span[0] : span[1]].startswith("Following today's phone conversation")

    run(scenario)


def test_mouse_selection_quotes_exact_offsets() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        lay = view.wrapped
        assert lay is not None
        body = app.body
        # From column 2 of line 3 ("Turkish delegation…") over a wrap and a blank line.
        start, end_line = lay.starts[3] + 2, 8
        end = lay.starts[end_line] + 9
        # A drag ending mid-word keeps the whole word.
        assert body[end - 1].isalnum() and body[end].isalnum()
        while body[end].isalnum():
            end += 1
        app.screen.selections = {view: Selection(Offset(2, 3), Offset(9, end_line))}
        await pilot.pause()
        assert app.screen.get_selected_text() == body[start:end]
        assert "\n\n" in body[start:end] and " " in body[start:end]
        selected = style_of(row_with(view, "Turkish delegation will"), "Turkish delegation will")
        assert selected != style_of(row_with(view, "Turkish delegation will"), "A ")
        await pilot.press("b")
        (message,) = app.of(QuoteRequested)
        assert (message.start, message.end) == (start, end)
        assert app.quotes_posted() == [body[start:end]]
        assert not app.screen.selections

    run(scenario)


def test_mouse_selection_is_trimmed_and_spans_whole_lines() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        lay = view.wrapped
        assert lay is not None
        # From the blank line before the paragraph to past the end of its last line.
        app.screen.selections = {view: Selection(Offset(0, 2), Offset(500, 5))}
        await pilot.press("b")
        assert app.quotes_posted() == [
            "A Turkish delegation will soon visit Russia to discuss the situation in Idlib, a "
            "section of northwestern Syria whose cease-fire is under siege, Turkey's top "
            "diplomat on Wednesday."
        ]

    run(scenario)


def test_mouse_drag_selects_from_the_screen() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        lay = view.wrapped
        assert lay is not None
        margin = (98 - 80) // 2
        await pilot.mouse_down(view, offset=(margin + 2, 3))
        await pilot.hover(view, offset=(margin + 10, 4))
        await pilot.mouse_up(view, offset=(margin + 10, 4))
        await pilot.pause()
        # Textual's drag includes the character under the pointer at the end.
        expected = app.body[lay.starts[3] + 2 : lay.starts[4] + 11]
        assert app.screen.get_selected_text() == expected
        await pilot.press("b")
        assert app.quotes_posted() == [expected.strip()]

    run(scenario)


def test_saved_quotes_and_flash_are_highlighted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_view, "FLASH_SECONDS", 0.1)
    seed = SEED.read_text(encoding="utf-8")
    _, body = article_from(seed)
    start = body.index("Turkey has responded in force")
    end = body.index("left unanswered.") + len("left unanswered.")
    saved = [quote(1, body, start, end)]

    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        view.scroll_to_offset(start, flash=(start, end))
        await pilot.pause()
        strip = row_with(view, "Turkey has responded")
        flashed = style_of(strip, "Turkey has responded")
        assert flashed != style_of(strip, "personnel.")
        view.set_quotes([])
        await pilot.pause(0.3)  # the flash is over
        assert style_of(row_with(view, "Turkey has"), "Turkey has") == style_of(strip, "personnel.")
        view.set_quotes(saved)
        underlined = style_of(row_with(view, "Turkey has"), "Turkey has")
        assert underlined.underline

    run(scenario, quotes=saved)


def test_clear_shows_a_hint_and_status_follows_scrolling() -> None:
    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        pane = app.query_one(TextPane)
        await pilot.press("G")
        await pilot.pause()
        assert str(pane.query_one("#text-status").render()).strip().startswith("100%")
        view.clear()
        await pilot.pause()
        assert view.article_id is None and view.top_offset == 0
        assert any("No article open" in strip.text for strip in rows(view))
        assert str(pane.query_one("#text-status").render()).strip() == ""

    run(scenario)


def test_fifty_thousand_words_open_and_scroll_fast() -> None:
    long_text = LONG.read_text(encoding="utf-8")
    text = "\n\n".join([long_text, long_text, long_text[: len(long_text) // 2]])
    article, body = article_from(text)
    assert len(body.split()) >= 50_000

    async def scenario(app: TextApp, view: TextView, pilot: Pilot[None]) -> None:
        view.clear()
        await pilot.pause()
        start = time.perf_counter()
        view.show(article, body, [], 0)
        first = rows(view)
        shown = time.perf_counter() - start
        await pilot.pause()
        painted = time.perf_counter() - start
        assert article.title in first[0].text
        render = []
        for _ in range(5):
            view.action_scroll_pages(1)
            start = time.perf_counter()
            rows(view)
            render.append(time.perf_counter() - start)
        print(
            f"\n50k words: show + first screen {shown * 1000:.1f} ms, "
            f"with the app's refresh {painted * 1000:.1f} ms; page render "
            f"median {sorted(render)[2] * 1000:.2f} ms, max {max(render) * 1000:.2f} ms",
            file=sys.stderr,
        )

    run(scenario)
