"""One FSRS card per quote, the log of reviews, today's set, grading and undoing a grade."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from reader.library import NotFound, Quote
from reader.library.batch import ARTICLES, CARDS, QUOTES
from reader.library.storage import Change
from reader.review.clock import day_of, end_of_day

if TYPE_CHECKING:
    from fsrs import Scheduler

    from reader.library import Repository

# CARDS (in reader.library.batch, since deleting a quote deletes its card): quote id → the
# FSRS card as ``Card.to_dict()`` makes it; a quote without one is new.
#: One document per review: quote id, rating, time, day, and the card before (for undo).
REVIEWS = "reviews"

#: The grades, in the order of the keys 1-4.
GRADES = ("again", "hard", "good", "easy")


@cache
def scheduler() -> Scheduler:
    """The FSRS scheduler (built once: importing fsrs and building it costs a few ms)."""
    from fsrs import Scheduler

    # One ten-minute step: "again" and "hard" bring a quote back later the same day, "good"
    # and "easy" send it days away. No fuzzing, so a grade at a given time is reproducible.
    ten = (timedelta(minutes=10),)
    return Scheduler(learning_steps=ten, relearning_steps=ten, enable_fuzzing=False)


@dataclass(frozen=True, slots=True)
class DueQuote:
    """A quote in today's set, with what the review shows beside it."""

    quote: Quote
    due: datetime
    title: str
    source: str | None
    #: Whether its article is still in the library (the passage can be opened).
    article_kept: bool


@dataclass(frozen=True, slots=True)
class ReviewSet:
    """Today's set: the quotes to review, most due first, and how many are done today."""

    due: list[DueQuote]
    done: int


@dataclass(frozen=True, slots=True)
class Graded:
    """A recorded review: its id in the log (for undo) and when the quote is due again."""

    review_id: int
    quote_id: int
    grade: str
    due: datetime


def _time(value: Any) -> datetime | None:
    try:
        found = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def _tagged(wanted: str | None, doc: dict[str, Any], articles: dict[str, Any]) -> bool:
    if wanted is None:
        return True
    from reader.text.fold import fold

    article = articles.get(str(doc.get("article_id")), {})
    tags = [*(doc.get("tags") or ()), *(article.get("tags") or ())]
    return any(isinstance(t, str) and fold(t) == wanted for t in tags)


def todays_set(repo: Repository, now: datetime, daily: int, tag: str | None = None) -> ReviewSet:
    """The quotes due by the end of today, most due first, at most ``daily`` less those
    already reviewed today; ``tag`` keeps the quotes tagged so (on the quote or its article)."""
    wanted = None
    if tag:
        from reader.text.fold import fold
        from reader.text.query import tag_of

        wanted = fold(tag_of(tag) or tag)
    quotes = repo.documents(QUOTES)
    cards = repo.documents(CARDS)
    articles = repo.documents(ARTICLES)
    end = end_of_day(now)
    due: list[tuple[datetime, int]] = []
    for key, doc in quotes.items():
        card = cards.get(key)
        # A new quote is due since it was kept: the oldest unseen ones come first.
        when = _time(card.get("due") if card is not None else doc.get("created")) or now
        if when < end and _tagged(wanted, doc, articles):
            due.append((when, int(key)))
    today = day_of(now).isoformat()
    seen = {r.get("quote_id") for r in repo.documents(REVIEWS).values() if r.get("day") == today}
    seen = {i for i in seen if str(i) in quotes and _tagged(wanted, quotes[str(i)], articles)}
    # Seen today and due again today (again, hard): still part of today's set, whatever
    # newer quotes are more due; seen and not due again: done, and counted against the day.
    again = [(when, i) for when, i in due if i in seen]
    done = len(seen) - len(again)
    room = max(0, daily - done - len(again))
    chosen = sorted([*heapq.nsmallest(room, [d for d in due if d[1] not in seen]), *again])
    found = []
    for when, quote_id in chosen:
        try:
            quote = Quote.from_doc(quote_id, quotes[str(quote_id)])
        except Exception:  # a damaged quote document: doctor reports it, review skips it
            continue
        article = articles.get(str(quote.article_id))
        title = article.get("title") if article else None
        found.append(
            DueQuote(
                quote,
                when,
                title if isinstance(title, str) else quote.article_title,
                article.get("source") if article else None,
                article is not None,
            )
        )
    return ReviewSet(found, done)


def grade(repo: Repository, quote_id: int, rating: str, now: datetime) -> Graded:
    """Record a review of a quote (``again``, ``hard``, ``good`` or ``easy``) at ``now``."""
    from fsrs import Card, Rating

    if rating not in GRADES:
        raise ValueError(f"a grade is one of {', '.join(GRADES)}, not {rating!r}")
    with repo.writing() as batch:
        if str(quote_id) not in batch.data.get(QUOTES, {}):
            raise NotFound(f"no quote with id {quote_id}")
        before = batch.data.get(CARDS, {}).get(str(quote_id))
        card = None
        if before is not None:
            try:
                card = Card.from_dict(before)  # type: ignore[arg-type]
            except (KeyError, TypeError, ValueError):
                card = None  # a damaged card: the quote starts afresh rather than not at all
        if card is None:
            card = Card(card_id=quote_id, due=now)
        card, _ = scheduler().review_card(card, Rating(GRADES.index(rating) + 1), now)
        review_id = batch.allocate("next_review_id", REVIEWS)
        batch.changes.append(Change(CARDS, quote_id, dict(card.to_dict())))
        review = {
            "quote_id": quote_id,
            "grade": rating,
            "at": now.isoformat(),
            "day": day_of(now).isoformat(),
            "before": before,
        }
        batch.changes.append(Change(REVIEWS, review_id, review))
    return Graded(review_id, quote_id, rating, card.due)


def undo(repo: Repository, review_id: int) -> int:
    """Take back a review: the log entry goes and the card is as it was; returns the quote id."""
    with repo.writing() as batch:
        review = batch.data.get(REVIEWS, {}).get(str(review_id))
        if review is None:
            raise NotFound(f"no review with id {review_id}")
        quote_id = review.get("quote_id")
        batch.changes.append(Change(REVIEWS, review_id, None))
        if isinstance(quote_id, int) and str(quote_id) in batch.data.get(QUOTES, {}):
            batch.changes.append(Change(CARDS, quote_id, review.get("before")))
    return quote_id if isinstance(quote_id, int) else -1


def due_count(repo: Repository, now: datetime) -> int:
    """How many quotes are due by the end of today (no daily limit)."""
    cards = repo.documents(CARDS)
    end = end_of_day(now)
    count = 0
    for key, doc in repo.documents(QUOTES).items():
        card = cards.get(key)
        when = _time(card.get("due") if card is not None else doc.get("created")) or now
        count += when < end
    return count


def due_json(item: DueQuote) -> dict[str, Any]:
    """The ``reader review --json`` form of a quote in today's set."""
    quote = item.quote
    return {
        "id": quote.id,
        "text": quote.text,
        "note": quote.note,
        "article_id": quote.article_id,
        "article_title": item.title,
        "source": item.source,
        "due": item.due.isoformat(),
    }
