"""Reading and review statistics: words read and reviews per day over 30 days, plotted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual_plotext import PlotextPlot

from reader.console import visible
from reader.review.stats import PLOTTED_DAYS, Stats
from reader.tui.messages import message
from reader.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from reader.library import Repository
    from reader.review.clock import Clock


@message
class StatsRead(Message):
    """The statistics, read off the UI thread."""

    stats: Stats


def _plot(plot: PlotextPlot, title: str, series: list[tuple[date, int]]) -> None:
    plt = plot.plt
    plt.clear_data()
    plt.clear_figure()
    plt.title(title)
    # Days by number (1 = the oldest), drawn only where there is something: a bar of
    # nothing would still take a row.
    shown = [(x, n) for x, (_, n) in enumerate(series, 1) if n > 0]
    if shown:
        plt.bar([x for x, _ in shown], [n for _, n in shown], width=0.6, marker="hd")
    plt.xlim(0.5, len(series) + 0.5)
    top = max((n for _, n in series), default=0)
    plt.ylim(0, max(top, 1))
    steps = sorted({0, top // 2, top} if top > 1 else {0, 1})
    plt.yticks([float(n) for n in steps], [f"{n:,}" for n in steps])
    # Every fifth day labelled with its date, so that the labels do not run into each other.
    days = list(range(1, len(series) + 1, 5))
    plt.xticks([float(x) for x in days], [f"{series[x - 1][0]:%b %d}" for x in days])
    plot.refresh()


class StatsScreen(Screen[None]):
    """Words read and reviews per day over the last 30 days, streak, totals, top sources."""

    DEFAULT_CSS = """
    StatsScreen #stats-plots { height: 1fr; display: none; }
    StatsScreen.-read #stats-plots { display: block; }
    StatsScreen PlotextPlot { height: 1fr; }
    StatsScreen #stats-side { width: 36; padding: 1 2; }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="stats.close", tooltip="Back to reading"),
    ]

    def __init__(self, repo: Callable[[], Repository], clock: Clock) -> None:
        super().__init__()
        self._library = repo
        self.clock = clock
        self.stats: Stats | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="stats-plots"):
                yield PlotextPlot(id="stats-words")
                yield PlotextPlot(id="stats-reviews")
            yield Static(Content.styled("Reading the statistics…", "$text-muted"), id="stats-side")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.read()

    @work(thread=True, exclusive=True, group="stats")
    def read(self) -> None:
        """Read the statistics (a scan of the library's tables) off the UI thread."""
        from reader.review.stats import read_stats

        self.post_message(StatsRead(read_stats(self._library(), self.clock())))

    @on(StatsRead)
    def _read(self, event: StatsRead) -> None:
        stats = self.stats = event.stats
        # The plots are drawn once, with their data: plotext builds each on the UI thread.
        self.add_class("-read")
        days = PLOTTED_DAYS
        _plot(
            self.query_one("#stats-words", PlotextPlot),
            "Words read per day",
            stats.series(stats.words, days),
        )
        _plot(
            self.query_one("#stats-reviews", PlotextPlot),
            "Reviews per day",
            stats.series(stats.reviews, days),
        )
        values = stats.to_json()
        rows = [
            ("Streak", f"{values['streak_days']} day{'' if values['streak_days'] == 1 else 's'}"),
            ("Words today", f"{values['words_read_today']:,}"),
            ("Words, 7 days", f"{values['words_read_7d']:,}"),
            ("Words, 30 days", f"{values['words_read_30d']:,}"),
            ("Reviews today", f"{values['reviews_today']:,}"),
            ("Quotes due", f"{values['due_quotes']:,}"),
            ("Articles", f"{values['articles']:,} ({values['read']:,} read)"),
            ("Quotes", f"{values['quotes']:,}"),
        ]
        lines = [Content.assemble((f"{label:<16}", "bold"), value) for label, value in rows]
        if stats.top_sources:
            lines += [Content(""), Content.styled("Most quoted", "bold $accent")]
            for name, count in stats.top_sources:
                shown = visible(name)
                shown = shown if len(shown) <= 26 else shown[:25] + "…"
                lines.append(Content(f"{count:>4}  {shown}"))
        if not any(stats.words.values()) and not any(stats.reviews.values()):
            hint = "Nothing read or reviewed yet: the plots fill in as you read (words are "
            hint += "counted as your reading position advances) and review (D)."
            lines += [Content(""), Content.styled(hint, "italic $text-muted")]
        self.query_one("#stats-side", Static).update(Content("\n").join(lines))

    def action_close(self) -> None:
        """Back to reading."""
        self.dismiss()
