"""The delete confirmation: long titles wrap at words, quote counts read as English."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.geometry import Region
from textual.widgets import Button, Label

from reader.tui.screens.confirm import ConfirmDelete, quotes_kept

LONG = "Turkish delegation due in Russia to talk Idlib, Syria and the future of the ceasefire"


def rendered_lines(label: Label) -> list[str]:
    """The label's lines as drawn on the screen, trailing blanks trimmed."""
    width, height = label.size
    strips = label.render_lines(Region(0, 0, width, height))
    return ["".join(segment.text for segment in strip).rstrip() for strip in strips]


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (50, 24)])
async def test_a_long_title_wraps_at_words_instead_of_being_cut(size: tuple[int, int]) -> None:
    app: App[None] = App()
    async with app.run_test(size=size) as pilot:
        app.push_screen(ConfirmDelete(LONG, 3))
        await pilot.pause()
        question, fate = app.screen.query(Label)
        lines = rendered_lines(question)
        assert len(lines) > 1  # it did not fit on one line at any of these widths
        box = app.screen.query_one("Vertical").content_region
        assert question.region.right <= box.right and fate.region.right <= box.right
        # Joined again at the line breaks, the lines give back every word of the title.
        assert " ".join(line.strip() for line in lines) == f"Delete “{LONG}”?"
        assert " ".join(line.strip() for line in rendered_lines(fate)) == quotes_kept(3)


async def test_one_quote_is_singular() -> None:
    app: App[None] = App()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConfirmDelete("Short title", 1))
        await pilot.pause()
        texts = [str(label.render()) for label in app.screen.query(Label)]
        assert texts[1].startswith("Its 1 quote is kept,") and "delete it too" in texts[1]
        assert "Delete with quote" in [str(b.label) for b in app.screen.query(Button)]


def test_quote_counts_read_as_english() -> None:
    assert quotes_kept(1) == (
        "Its 1 quote is kept, listed under this title, unless you delete it too."
    )
    assert quotes_kept(3) == (
        "Its 3 quotes are kept, listed under this title, unless you delete them too."
    )
    assert "(s)" not in quotes_kept(2)
