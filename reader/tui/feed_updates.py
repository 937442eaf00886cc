"""Updating every feed from inside the app: new articles shown as each feed's arrive, the
progress in the footer (the app's ``activity``), the outcome as a notification.

A library on disk is updated by a ``reader feed update`` child process, which the app then
reads as it reads any other process's writes: extracting a thousand pages holds Python's
global lock for most of a minute, and the list's cursor took seconds per step when that ran
on a thread of the app (bench/bench_feeds.py). A library in memory is updated on a thread.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from reader.console import visible
from reader.tui.listing import Listing

if TYPE_CHECKING:
    from reader.feeds.update import Report
    from reader.tui.app import ReaderApp


#: A line of ``reader feed update``: "Harbour Gazette: 3 new".
_NEW = re.compile(r": (\d+) new(?: \(.*\))?$")


#: The child: ``reader`` at a lower CPU priority, so that on a busy machine the app's keys
#: come first (bench_feeds.py, 2 cores: the cursor's p90 during an update went from 1.9x
#: to 1.3x its figure alone).
_CHILD = (
    "import os, sys\n"
    "if hasattr(os, 'nice'):\n"
    "    os.nice(10)\n"
    "from reader.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


class FeedUpdates:
    """One update of every feed at a time; ``stop`` ends one early (when the app quits)."""

    def __init__(self, app: ReaderApp) -> None:
        self._app = app
        self.running = False
        self.stop = threading.Event()
        self._progress = (0, 0)
        self._child: subprocess.Popen[str] | None = None

    @property
    def progress(self) -> tuple[int, int]:
        """Feeds done and feeds in all, of the update running."""
        return self._progress

    @progress.setter
    def progress(self, value: tuple[int, int]) -> None:
        # Set on the worker; the footer shows it (the app's activity) from the UI thread.
        self._progress = value
        done, total = value
        shown = f"Feeds {done}/{total}" if total else ""
        self._app.deliver(lambda: setattr(self._app, "activity", shown))

    def halt(self) -> None:
        """Start no more feeds (the app is quitting); what is fetched is still stored."""
        self.stop.set()
        child = self._child
        if child is not None and child.poll() is None:
            # As ctrl+c in a terminal: the child stores the feeds it has finished and stops.
            child.send_signal(signal.SIGINT)

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
                deliver(lambda: self._told(f"Updating {total} feed{'' if total == 1 else 's'}…"))
            if repo.location is not None:
                self._run_child(repo.location.parent, total, quiet)
                return

            def arrived(report: Report) -> None:
                self.progress = (self.progress[0] + 1, total)
                if report.new:
                    listing = Listing.read(repo)
                    deliver(lambda: app.library_changed(None, listing))

            options = Options(max_new=app.config.feeds_max_new)
            reports = update_feeds(repo, feeds, options, stop=self.stop, on_report=arrived)
        except (LibraryError, OSError) as error:
            message = f"Feeds not updated: {error}"
            deliver(lambda: self._told(message, error=True))
            return
        finally:
            self.running = False
            self.progress = (0, 0)
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

    def _run_child(self, folder: Path, total: int, quiet: bool) -> None:
        """``reader feed update`` in a child process; its lines are the progress."""
        app = self._app
        command = [sys.executable, "-c", _CHILD, "--library", str(folder), "feed", "update"]
        command += ["--max-new", str(app.config.feeds_max_new)]
        try:
            child = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,  # one pipe: two could fill while one is read
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except OSError as error:
            failed = f"Feeds not updated: {error}"
            app.deliver(lambda: self._told(failed, error=True))
            return
        self._child = child
        new, done = 0, 0
        errors: list[str] = []
        assert child.stdout is not None
        # The app's poll reads the new articles within seconds, as it reads any other
        # process's writes; the footer shows how many feeds are done.
        for raw in child.stdout:
            line = raw.strip()
            if line.startswith("reader: "):
                if line.startswith("reader: feed "):
                    done += 1
                    self.progress = (done, total)
                errors.append(line.removeprefix("reader: "))
                continue
            found = _NEW.search(line)
            if found is None:
                continue
            done += 1
            self.progress = (done, total)
            new += int(found[1])
        child.wait()
        self._child = None
        if quiet and not new and not errors:
            return
        summary = f"Feeds updated: {new} new"
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            summary += f"; {errors[0]}{more}"

        def finished() -> None:
            app.poll()  # the last feeds' articles, with the summary rather than after it
            self._told(summary, error=bool(errors))

        app.deliver(finished)

    def _told(self, text: str, error: bool = False) -> None:
        self._app.notify(
            visible(text),
            title="Feeds",
            severity="error" if error else "information",
            timeout=10 if error else 4,
            markup=False,
        )
