"""Updating every feed from inside the app: on a worker thread, new articles shown as each
feed's arrive, progress and the outcome as notifications."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from reader.console import visible
from reader.tui.listing import Listing

if TYPE_CHECKING:
    from reader.feeds.update import Report
    from reader.tui.app import ReaderApp


class FeedUpdates:
    """One update of every feed at a time; ``stop`` ends one early (when the app quits)."""

    def __init__(self, app: ReaderApp) -> None:
        self._app = app
        self.running = False
        self.stop = threading.Event()
        #: Feeds done and feeds in all, of the update running.
        self.progress = (0, 0)

    def start(self, quiet: bool = False) -> None:
        """Update every feed in a worker (a second request while one runs is ignored)."""
        app = self._app
        if self.running:
            if not quiet:
                app.notify("Feeds are already updating.", timeout=3)
            return
        self.running = True
        self.stop.clear()
        app.run_worker(
            lambda: self._run(quiet), thread=True, exclusive=True, group="feeds", name="feeds"
        )

    def _run(self, quiet: bool) -> None:
        """The worker: every feed, stored feed by feed; the UI hears of each as it lands."""
        from reader.feeds.store import all_feeds
        from reader.feeds.update import Options, update_feeds
        from reader.library.errors import LibraryError

        app = self._app
        deliver = app.deliver
        try:
            repo = app.repo
            feeds = all_feeds(repo)
            if not feeds:
                if not quiet:
                    deliver(
                        lambda: self._told("No feeds yet — subscribe with: reader feed add URL")
                    )
                return
            total = len(feeds)
            self.progress = (0, total)
            if not quiet:
                deliver(lambda: self._told(f"Updating {total} feeds…"))

            def arrived(report: Report) -> None:
                done = self.progress[0] + 1
                self.progress = (done, total)
                listing = Listing.read(repo) if report.new else None
                deliver(lambda: self._arrived(report, listing, done, total))

            options = Options(max_new=app.config.feeds_max_new)
            reports = update_feeds(repo, feeds, options, stop=self.stop, on_report=arrived)
        except (LibraryError, OSError) as error:
            message = f"Feeds not updated: {error}"
            deliver(lambda: self._told(message, error=True))
            return
        finally:
            self.running = False
        new = sum(r.new for r in reports)
        failed = [r for r in reports if r.error]
        if quiet and not new and not failed:
            return
        summary = f"Feeds updated: {new} new"
        if failed:
            first = failed[0]
            more = f" and {len(failed) - 1} more" if len(failed) > 1 else ""
            summary += f"; failed: {first.feed.title} ({first.error}){more}"
        deliver(lambda: self._told(summary, error=bool(failed)))

    def _arrived(self, report: Report, listing: Listing | None, done: int, total: int) -> None:
        """On the UI thread: one feed is done; its new articles go into the list now."""
        if listing is not None:
            self._app.library_changed(None, listing)
            self._app.notify(
                f"{visible(report.feed.title)}: {report.new} new ({done} of {total} feeds)",
                timeout=3,
                markup=False,
            )

    def _told(self, text: str, error: bool = False) -> None:
        self._app.notify(
            visible(text),
            title="Feeds",
            severity="error" if error else "information",
            timeout=10 if error else 4,
            markup=False,
        )
