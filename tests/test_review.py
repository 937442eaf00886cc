"""Daily review: FSRS cards per quote at fixed clock times, today's set, undo, deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reader.library import NotFound, Repository
from reader.review.cards import CARDS, REVIEWS, grade, todays_set, undo
from tests.conftest import parsed

#: Noon UTC: the same calendar day in every time zone from UTC-11 to UTC+11.
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _library(repo: Repository, count: int = 5) -> list[int]:
    """``count`` quotes kept a minute apart (the first is the oldest), on one article."""
    words = [f"Sentence number {i} says something worth keeping." for i in range(count)]
    article = repo.add_articles([(parsed("Title", *words), None)])[0].article
    ids = []
    for i, passage in enumerate(words):
        quote, _ = repo.add_quote_text(article.id, passage)
        ids.append(quote.id)
        # Spread their creation so that the most due (oldest) is known.
        doc = dict(repo.documents("quotes")[str(quote.id)])
        doc["created"] = (NOON - timedelta(days=10) + timedelta(minutes=i)).isoformat()
        from reader.library.storage import Change

        with repo.writing() as batch:
            batch.changes.append(Change("quotes", quote.id, doc))
    return ids


def test_new_quotes_are_due_oldest_first_and_the_set_is_capped(repo: Repository) -> None:
    ids = _library(repo, 5)
    found = todays_set(repo, NOON, daily=3)
    assert [d.quote.id for d in found.due] == ids[:3]
    assert found.done == 0
    assert found.due[0].title == "Title"
    assert found.due[0].article_kept


def test_good_sends_a_quote_days_away_and_it_leaves_todays_set(repo: Repository) -> None:
    ids = _library(repo, 3)
    graded = grade(repo, ids[0], "good", NOON)
    assert graded.due == NOON + timedelta(days=2)  # fixed clock, no fuzzing: reproducible
    found = todays_set(repo, NOON + timedelta(minutes=1), daily=10)
    assert [d.quote.id for d in found.due] == ids[1:]
    assert found.done == 1
    # Two days later it is due again.
    later = todays_set(repo, NOON + timedelta(days=2), daily=10)
    assert ids[0] in [d.quote.id for d in later.due]


def test_again_keeps_a_quote_in_todays_set_after_the_others(repo: Repository) -> None:
    ids = _library(repo, 3)
    graded = grade(repo, ids[0], "again", NOON)
    assert graded.due == NOON + timedelta(minutes=10)
    found = todays_set(repo, NOON + timedelta(minutes=1), daily=10)
    assert [d.quote.id for d in found.due] == [ids[1], ids[2], ids[0]]
    assert found.done == 0


def test_easy_is_further_than_good_and_hard_stays_today(repo: Repository) -> None:
    ids = _library(repo, 3)
    easy = grade(repo, ids[0], "easy", NOON).due
    good = grade(repo, ids[1], "good", NOON).due
    hard = grade(repo, ids[2], "hard", NOON).due
    assert easy > good > NOON + timedelta(days=1) > hard > NOON


def test_graded_quotes_count_against_the_daily_limit(repo: Repository) -> None:
    ids = _library(repo, 5)
    grade(repo, ids[0], "good", NOON)
    grade(repo, ids[1], "easy", NOON)
    found = todays_set(repo, NOON, daily=3)
    assert [d.quote.id for d in found.due] == [ids[2]]
    assert found.done == 2


def test_the_next_day_brings_a_fresh_set(repo: Repository) -> None:
    ids = _library(repo, 5)
    for quote_id in ids[:3]:
        grade(repo, quote_id, "good", NOON)
    assert todays_set(repo, NOON, daily=3).due == []
    tomorrow = todays_set(repo, NOON + timedelta(days=1), daily=3)
    assert [d.quote.id for d in tomorrow.due] == ids[3:]


def test_card_state_is_stored_as_a_dict_and_reviewed_again_from_it(repo: Repository) -> None:
    ids = _library(repo, 1)
    grade(repo, ids[0], "good", NOON)
    card = repo.documents(CARDS)[str(ids[0])]
    assert card["card_id"] == ids[0] and card["last_review"] == NOON.isoformat()
    second = grade(repo, ids[0], "good", NOON + timedelta(days=2))
    assert second.due > NOON + timedelta(days=4)  # the interval grows from the stored state


def test_undo_restores_the_card_and_drops_the_log_entry(repo: Repository) -> None:
    ids = _library(repo, 2)
    first = grade(repo, ids[0], "good", NOON)
    card = dict(repo.documents(CARDS)[str(ids[0])])
    second = grade(repo, ids[0], "easy", NOON + timedelta(days=2))
    assert undo(repo, second.review_id) == ids[0]
    assert repo.documents(CARDS)[str(ids[0])] == card
    assert list(repo.documents(REVIEWS)) == [str(first.review_id)]
    undo(repo, first.review_id)
    assert str(ids[0]) not in repo.documents(CARDS)  # new again
    assert [d.quote.id for d in todays_set(repo, NOON, daily=10).due] == ids
    with pytest.raises(NotFound):
        undo(repo, first.review_id)


def test_grading_an_unknown_quote_or_grade_is_refused(repo: Repository) -> None:
    _library(repo, 1)
    with pytest.raises(NotFound):
        grade(repo, 999, "good", NOON)
    with pytest.raises(ValueError):
        grade(repo, 1, "perfect", NOON)


def test_deleting_a_quote_deletes_its_card(repo: Repository) -> None:
    ids = _library(repo, 2)
    grade(repo, ids[0], "good", NOON)
    repo.delete_quote(ids[0])
    assert str(ids[0]) not in repo.documents(CARDS)


def test_deleting_an_article_with_its_quotes_deletes_their_cards(repo: Repository) -> None:
    ids = _library(repo, 2)
    grade(repo, ids[0], "good", NOON)
    repo.delete_article(repo.quote(ids[0]).article_id, delete_quotes=True)
    assert repo.documents(CARDS) == {}


def test_quotes_of_deleted_articles_still_come_up(repo: Repository) -> None:
    ids = _library(repo, 2)
    grade(repo, ids[1], "again", NOON)
    repo.delete_article(repo.quote(ids[0]).article_id)
    found = todays_set(repo, NOON, daily=10)
    assert [d.quote.id for d in found.due] == ids
    assert not found.due[0].article_kept
    assert found.due[0].title == "Title"  # the title it was kept under
    assert str(ids[1]) in repo.documents(CARDS)


def test_tag_narrows_the_set_by_quote_or_article_tag(repo: Repository) -> None:
    ids = _library(repo, 3)
    repo.set_quote_tags(ids[1], ["Türkiye"])
    found = todays_set(repo, NOON, daily=10, tag="tag:turkiye")
    assert [d.quote.id for d in found.due] == [ids[1]]
    repo.set_article_tags(repo.quote(ids[0]).article_id, ["turkiye"])
    assert len(todays_set(repo, NOON, daily=10, tag="turkiye").due) == 3
    assert todays_set(repo, NOON, daily=10, tag="nothing").due == []


def test_a_damaged_card_starts_afresh(repo: Repository) -> None:
    from reader.library.storage import Change

    ids = _library(repo, 1)
    with repo.writing() as batch:
        batch.changes.append(Change(CARDS, ids[0], {"due": "soon"}))
    assert [d.quote.id for d in todays_set(repo, NOON, daily=10).due] == ids
    assert grade(repo, ids[0], "good", NOON).due == NOON + timedelta(days=2)
