"""Reading statistics from synthetic positions across days; streak; ``reader stats``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from reader.library import Repository
from reader.review.cards import grade
from reader.review.reading import READ_MARKS, save_position, words_by_day
from reader.review.stats import read_stats
from tests.conftest import parsed

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)


def _article(repo: Repository, words: int = 1000) -> int:
    body = " ".join(f"w{i}" for i in range(words - 1))
    return repo.add_articles([(parsed("T", body), None)])[0].article.id


def _at(moment: datetime) -> object:
    return lambda: moment


def test_words_are_counted_as_the_position_advances(repo: Repository) -> None:
    aid = _article(repo)
    save_position(repo, aid, 100, 0.1, _at(NOON))
    save_position(repo, aid, 300, 0.3, _at(NOON + timedelta(minutes=5)))
    assert words_by_day(repo) == {TODAY: 300}


def test_re_reading_and_going_back_do_not_count_twice(repo: Repository) -> None:
    aid = _article(repo)
    save_position(repo, aid, 500, 0.5, _at(NOON))
    save_position(repo, aid, 100, 0.1, _at(NOON + timedelta(days=1)))  # back to the start
    save_position(repo, aid, 500, 0.5, _at(NOON + timedelta(days=1)))  # read again
    assert words_by_day(repo) == {TODAY: 500}
    save_position(repo, aid, 800, 0.8, _at(NOON + timedelta(days=1)))  # new ground
    assert words_by_day(repo) == {TODAY: 500, TODAY + timedelta(days=1): 300}
    assert repo.documents(READ_MARKS)[str(aid)] == {"offset": 800, "words": 800}


def test_each_article_counts_on_its_own_across_days(repo: Repository) -> None:
    a, b = _article(repo, 1000), _article(repo, 2000)
    for day in range(3):
        moment = NOON - timedelta(days=2 - day)
        save_position(repo, a, day + 1, (day + 1) / 10, _at(moment))
        save_position(repo, b, day + 1, (day + 1) / 10, _at(moment))
    assert words_by_day(repo) == {TODAY - timedelta(days=i): 300 for i in range(3)}
    stats = read_stats(repo, NOON)
    assert stats.to_json()["words_read_today"] == 300
    assert stats.to_json()["words_read_7d"] == 900
    assert stats.to_json()["streak_days"] == 3


def test_reading_from_before_counting_began_is_not_counted_today(repo: Repository) -> None:
    aid = _article(repo)
    repo.set_position(aid, 600, 0.6)  # no counter: as reader did before statistics
    save_position(repo, aid, 700, 0.7, _at(NOON))
    assert words_by_day(repo) == {TODAY: 100}


def test_position_and_words_are_one_write(repo: Repository) -> None:
    aid = _article(repo)
    article = save_position(repo, aid, 250, 0.25, _at(NOON))
    assert article.position == 250
    assert repo.article(aid).progress == 0.25
    assert words_by_day(repo) == {TODAY: 250}


def test_streak_counts_days_with_reading_or_reviews_up_to_yesterday(repo: Repository) -> None:
    aid = _article(repo)
    quote, _ = repo.add_quote_text(aid, "w5 w6")
    save_position(repo, aid, 10, 0.1, _at(NOON - timedelta(days=3)))
    grade(repo, quote.id, "good", NOON - timedelta(days=2))
    save_position(repo, aid, 20, 0.2, _at(NOON - timedelta(days=1)))
    stats = read_stats(repo, NOON)  # nothing yet today: the streak is still alive
    assert stats.streak_days == 3
    assert read_stats(repo, NOON + timedelta(days=1)).streak_days == 0
    grade(repo, quote.id, "good", NOON)
    assert read_stats(repo, NOON).streak_days == 4
    assert read_stats(repo, NOON).to_json()["reviews_today"] == 1


def test_stats_totals_due_and_top_sources(repo: Repository) -> None:
    aid = _article(repo)
    repo.set_read(aid, True)
    other = _article(repo, 50)
    q1, _ = repo.add_quote_text(aid, "w1 w2")
    repo.add_quote_text(aid, "w3 w4")
    repo.add_quote_text(other, "w7")
    # Quotes are kept at the real time: a later fixed clock finds the two ungraded ones due.
    later = datetime(2099, 3, 10, 12, 0, tzinfo=UTC)
    grade(repo, q1.id, "good", later)
    stats = read_stats(repo, later)
    assert stats.to_json() == {
        "articles": 2,
        "read": 1,
        "quotes": 3,
        "words_read_today": 0,
        "words_read_7d": 0,
        "words_read_30d": 0,
        "streak_days": 1,
        "reviews_today": 1,
        "due_quotes": 2,
    }
    assert stats.top_sources == [("T", 3)]
    series = stats.series(stats.reviews, 30)
    assert len(series) == 30 and series[-1] == (later.date(), 1) and series[0][1] == 0
