"""The key footer shows whole keys only, at 80 and 120 columns, in every mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Footer

from reader.tui.app import ReaderApp
from tests.test_tui_app import library, new_app  # noqa: F401
from tests.tui_helpers import wait_for


def footer_keys(app: ReaderApp) -> list[tuple[str, int, int]]:
    """(description, left, right) of each key the footer shows."""
    footer = app.screen.query(Footer).last()
    keys = [w for w in footer.children if hasattr(w, "key_display")]
    return [(str(getattr(w, "description", "")), w.region.x, w.region.right) for w in keys]


def check_whole(app: ReaderApp, width: int, mode: str) -> list[str]:
    """Every key the footer shows lies wholly inside it, clear of the palette key."""
    footer = app.screen.query(Footer).last()
    keys = footer_keys(app)
    assert keys, f"{mode}: the footer shows no keys"
    palette = [w for w in footer.children if w.has_class("-command-palette")]
    edge = palette[0].region.x if palette else footer.region.right
    assert edge <= width
    for description, left, right in keys:
        if palette and left == palette[0].region.x:
            continue
        assert right <= edge, f"{mode} at {width}: {description!r} runs past the edge"
    return [d for d, _, _ in keys]


@pytest.mark.parametrize("width", [80, 120])
async def test_footer_never_cuts_a_key_in_any_mode(
    library: Path,  # noqa: F811
    tmp_path: Path,
    width: int,
) -> None:
    app = new_app(library, tmp_path)
    async with app.run_test(size=(width, 30)) as pilot:
        await wait_for(pilot, lambda: len(app.screen.query(Footer)) > 0 and bool(footer_keys(app)))
        shown = {"list": check_whole(app, width, "list")}
        await pilot.press("enter")
        await pilot.pause()
        shown["text"] = check_whole(app, width, "text")
        await pilot.press("v")
        await pilot.pause()
        shown["cursor"] = check_whole(app, width, "passage cursor")
        # The passage cursor's own keys come first, k/K and the way out among them.
        assert shown["cursor"][:4] == ["Next", "Prev", "Extend", "Shrink"]
        assert "Back" in shown["cursor"]
        await pilot.press("escape", "escape", "Q")
        await pilot.pause()
        shown["quotes"] = check_whole(app, width, "all quotes")
        if width == 120:
            # With room, more keys show, and the first ones stay the same.
            assert "Help" in shown["list"]
    app.saver.close()


@pytest.mark.parametrize("width", [70, 88])
def test_help_rows_keep_keys_apart_from_what_they_do(width: int) -> None:
    from textual.binding import Binding

    from reader.tui.screens.help import help_content

    bindings = [
        Binding("j,down", "a", "Down", id="t.down"),
        Binding("shift+space,pageup", "b", "Scroll up a page", id="t.page_up"),
        Binding("ctrl+shift+alt+f12,ctrl+shift+alt+f11", "c", "Very long keys", id="t.long"),
    ]
    lines = help_content([("Text", bindings)], {}, width).plain.split("\n")[1:4]
    starts = {
        line.index(what) for line, what in zip(lines, ["Down", "Scroll", "Very"], strict=True)
    }
    assert len(starts) == 1  # one description column
    for line in lines:
        assert line[min(starts) - 1] == " "  # never run into the keys
        assert len(line) <= width
    assert "shift+space pageup " in lines[1]


@pytest.mark.parametrize("width", [80, 120])
async def test_the_footer_shows_what_runs_beside_whole_keys(
    library: Path,  # noqa: F811
    tmp_path: Path,
    width: int,
) -> None:
    """The app's activity ("Feeds 3/50") stands between the keys and the palette key, over
    neither; it goes when nothing runs."""
    from reader.tui.widgets.key_footer import Activity

    app = new_app(library, tmp_path)
    async with app.run_test(size=(width, 30)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("FooterKey")), what="the footer")
        app.activity = "Feeds 3/50"
        await wait_for(pilot, lambda: bool(app.screen.query(Activity)))
        await pilot.pause()
        shown = app.screen.query_one(Activity).region
        footer = app.screen.query(Footer).last()
        palette = [w.region for w in footer.children if w.has_class("-command-palette")]
        assert shown.right <= (palette[0].x if palette else footer.region.right)
        assert all(right <= shown.x for _, left, right in footer_keys(app) if left < shown.x)
        assert not any(left >= shown.x and left < shown.right for _, left, _ in footer_keys(app))
        app.activity = ""
        await wait_for(pilot, lambda: not app.screen.query(Activity))
    app.saver.close()
