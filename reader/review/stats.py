"""Reading and review statistics: totals, words read, reviews per day, streak, top sources."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from reader.library.batch import ARTICLES, QUOTES
from reader.review.cards import REVIEWS, due_count
from reader.review.clock import day_of
from reader.review.reading import words_by_day

if TYPE_CHECKING:
    from reader.library import Repository

#: Days the Stats screen plots.
PLOTTED_DAYS = 30
#: Sources the Stats screen names.
TOP_SOURCES = 5


@dataclass(frozen=True, slots=True)
class Stats:
    """Everything ``reader stats`` prints and the Stats screen shows."""

    today: date
    articles: int
    read: int
    quotes: int
    words: dict[date, int]
    reviews: dict[date, int]
    due_quotes: int
    #: The sources (an article's source, else its title) with the most quotes, most first.
    top_sources: list[tuple[str, int]]

    def words_since(self, days: int) -> int:
        """Words read over the last ``days`` days, today included."""
        first = self.today - timedelta(days=days - 1)
        return sum(n for day, n in self.words.items() if first <= day <= self.today)

    @property
    def streak_days(self) -> int:
        """Days in a row, up to today (or yesterday, if today has nothing yet), with reading
        or a review."""
        active = {d for d, n in self.words.items() if n} | {d for d, n in self.reviews.items() if n}
        day = self.today if self.today in active else self.today - timedelta(days=1)
        streak = 0
        while day in active:
            streak += 1
            day -= timedelta(days=1)
        return streak

    def series(self, values: dict[date, int], days: int = PLOTTED_DAYS) -> list[tuple[date, int]]:
        """``values`` on each of the last ``days`` days, oldest first (0 where there is none)."""
        first = self.today - timedelta(days=days - 1)
        return [
            (first + timedelta(days=i), values.get(first + timedelta(days=i), 0))
            for i in range(days)
        ]

    def to_json(self) -> dict[str, Any]:
        """The ``reader stats --json`` object."""
        return {
            "articles": self.articles,
            "read": self.read,
            "quotes": self.quotes,
            "words_read_today": self.words_since(1),
            "words_read_7d": self.words_since(7),
            "words_read_30d": self.words_since(30),
            "streak_days": self.streak_days,
            "reviews_today": self.reviews.get(self.today, 0),
            "due_quotes": self.due_quotes,
        }


def reviews_by_day(repo: Repository) -> dict[date, int]:
    """Reviews recorded on each day."""
    counts: Counter[str] = Counter(
        r.get("day") for r in repo.documents(REVIEWS).values() if isinstance(r.get("day"), str)
    )
    found: dict[date, int] = {}
    for day, n in counts.items():
        try:
            found[date.fromisoformat(day)] = n
        except ValueError:
            continue
    return found


def read_stats(repo: Repository, now: datetime) -> Stats:
    """The statistics as of ``now``."""
    articles = repo.documents(ARTICLES)
    quotes = repo.documents(QUOTES)
    by_source: Counter[str] = Counter()
    for doc in quotes.values():
        article = articles.get(str(doc.get("article_id")))
        name = (article.get("source") or article.get("title")) if article else None
        name = name or doc.get("article_title")
        if isinstance(name, str) and name:
            by_source[name] += 1
    return Stats(
        today=day_of(now),
        articles=len(articles),
        read=sum(1 for a in articles.values() if a.get("read") is True),
        quotes=len(quotes),
        words=words_by_day(repo),
        reviews=reviews_by_day(repo),
        due_quotes=due_count(repo, now),
        top_sources=sorted(by_source.items(), key=lambda item: (-item[1], item[0]))[:TOP_SOURCES],
    )


def streak_of(repo: Repository, now: datetime) -> tuple[int, bool]:
    """The streak in days as of ``now``, and whether today already counts in it."""
    stats = Stats(day_of(now), 0, 0, 0, words_by_day(repo), reviews_by_day(repo), 0, [])
    today = stats.today
    return stats.streak_days, bool(stats.words.get(today) or stats.reviews.get(today))
