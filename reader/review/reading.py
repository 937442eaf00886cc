"""Words read per day, counted as the reading position advances: each word once per article."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reader.library.storage import Change
from reader.review.clock import Clock, day_of, system_clock

if TYPE_CHECKING:
    from reader.library import Article, Repository
    from reader.library.batch import Batch

#: Article id → the furthest position counted in it and the words counted up to there.
READ_MARKS = "read_marks"
#: Day (its proleptic ordinal, ``date.toordinal()``) → the words read that day.
READING_DAYS = "reading_days"


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def counter(now: datetime) -> Callable[[Batch, Article, Article], None]:
    """What ``Repository.set_position`` runs in its write: the words newly reached today."""

    def count(batch: Batch, before: Article, after: Article) -> None:
        mark = batch.data.get(READ_MARKS, {}).get(str(after.id))
        if mark is None:
            # Reading from before counting began is not today's: start from where it was.
            counted, furthest = round(after.words * before.progress), before.position
        else:
            counted, furthest = _int(mark.get("words")), _int(mark.get("offset"))
        reached = round(after.words * after.progress)
        if reached <= counted and after.position <= furthest:
            return  # re-reading, or going back: nothing new
        batch.changes.append(
            Change(
                READ_MARKS,
                after.id,
                {"offset": max(furthest, after.position), "words": max(counted, reached)},
            )
        )
        new = reached - counted
        if new > 0:
            day = day_of(now)
            stored = batch.data.get(READING_DAYS, {}).get(str(day.toordinal()), {})
            words = _int(stored.get("words")) + new
            batch.changes.append(
                Change(READING_DAYS, day.toordinal(), {"day": day.isoformat(), "words": words})
            )

    return count


def save_position(
    repo: Repository, article_id: int, position: int, progress: float, clock: Clock = system_clock
) -> Article:
    """Save the reading position and count the words it newly reaches, in one write."""
    return repo.set_position(article_id, position, progress, also=counter(clock()))


def words_by_day(repo: Repository) -> dict[date, int]:
    """Words read on each day that has any."""
    found: dict[date, int] = {}
    for key, doc in repo.documents(READING_DAYS).items():
        try:
            day = date.fromordinal(int(key))
        except (ValueError, OverflowError):
            continue
        words = _int(doc.get("words"))
        if words > 0:
            found[day] = words
    return found
