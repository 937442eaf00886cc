"""The one notion of "now" and "today" the review and the statistics use, injectable for tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

#: Returns the current time, timezone-aware. Tests pass a fixed one; nothing here sleeps.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def day_of(moment: datetime) -> date:
    """The calendar day of ``moment`` where the reader is (the local time zone)."""
    return moment.astimezone().date()


def end_of_day(moment: datetime) -> datetime:
    """The first instant of the local day after ``moment``'s, in UTC."""
    local = moment.astimezone()
    following = datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=local.tzinfo)
    return following.astimezone(UTC)
