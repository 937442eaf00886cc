"""The repository's behaviour, against memory and disk storage alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library import Article, NotFound, PassageNotFound, Quote, Repository
from tests.conftest import parsed

BODY_PARAS = (
    "The first paragraph says something worth keeping.",
    "The second paragraph repeats: something worth keeping.",
)


def add(repo: Repository, title: str = "A title", *paras: str) -> Article:
    [result] = repo.add_articles([(parsed(title, *(paras or BODY_PARAS)), f"{title}.txt")])
    return result.article


def test_articles_come_back_as_dataclasses_newest_first(repo: Repository) -> None:
    first = add(repo, "First")
    second = add(repo, "Second", "Other text entirely.")
    listed = repo.articles()
    assert [a.title for a in listed] == ["Second", "First"]
    assert all(isinstance(a, Article) for a in listed)
    assert repo.article(first.id) == first
    assert second.id == first.id + 1


def test_body_is_stored_outside_the_metadata(repo: Repository) -> None:
    article = add(repo)
    assert repo.body(article).startswith("A title\n\nThe first paragraph")
    assert repo.texts.path(article.hash).read_text("utf-8") == repo.body(article)


def test_same_content_twice_is_already_present(repo: Repository) -> None:
    results = repo.add_articles(
        [(parsed("Same", *BODY_PARAS), "a.txt"), (parsed("Same", *BODY_PARAS), "b.txt")]
    )
    assert [r.created for r in results] == [True, False]
    assert results[1].article.id == results[0].article.id
    [again] = repo.add_articles([(parsed("Same", *BODY_PARAS), "c.txt")])
    assert not again.created and again.article.file == "a.txt"
    assert len(repo.articles()) == 1


def test_quote_by_passage_takes_the_first_occurrence(repo: Repository) -> None:
    article = add(repo)
    quote, created = repo.add_quote_text(article.id, "something worth keeping", note="n")
    body = repo.body(article)
    assert created
    assert quote.start == body.find("something worth keeping")
    assert body[quote.start : quote.end] == quote.text == "something worth keeping"
    assert quote.prefix == body[max(0, quote.start - 32) : quote.start]
    assert quote.suffix == body[quote.end : quote.end + 32]
    assert quote.note == "n" and quote.article_title == "A title"
    assert repo.quotes(article.id) == [quote]


def test_same_passage_is_not_kept_twice(repo: Repository) -> None:
    article = add(repo)
    first, _ = repo.add_quote_text(article.id, "The second paragraph")
    again, created = repo.add_quote(article.id, first.start, first.end)
    assert not created and again.id == first.id
    assert len(repo.quotes()) == 1


def test_missing_passage_is_refused(repo: Repository) -> None:
    article = add(repo)
    with pytest.raises(PassageNotFound, match="does not occur"):
        repo.add_quote_text(article.id, "not in the text")
    with pytest.raises(PassageNotFound):
        repo.add_quote(article.id, 5, 10_000)
    assert repo.quotes() == []


def test_quotes_sorted_in_text_order(repo: Repository) -> None:
    article = add(repo)
    late, _ = repo.add_quote_text(article.id, "The second paragraph")
    early, _ = repo.add_quote_text(article.id, "The first paragraph")
    assert [q.id for q in repo.quotes(article.id)] == [early.id, late.id]


def test_note_edit_delete_and_restore(repo: Repository) -> None:
    article = add(repo)
    quote, _ = repo.add_quote_text(article.id, "The first paragraph")
    assert repo.set_quote_note(quote.id, "why it matters").note == "why it matters"
    deleted = repo.delete_quote(quote.id)
    assert repo.quotes() == []
    repo.restore_quote(deleted)
    assert repo.quotes() == [deleted]
    assert repo.quote(quote.id).note == "why it matters"


def test_reading_state(repo: Repository) -> None:
    article = add(repo)
    moved = repo.set_position(article.id, 40, 0.5)
    assert (moved.position, moved.progress, moved.read) == (40, 0.5, False)
    assert moved.last_read is not None
    assert repo.set_position(article.id, 90, 1.0).read
    assert not repo.set_read(article.id, False).read
    assert repo.article(article.id).position == 90


def test_deleted_article_keeps_its_quotes_and_ids_are_not_reused(repo: Repository) -> None:
    article = add(repo)
    quote, _ = repo.add_quote_text(article.id, "The first paragraph")
    repo.delete_article(article.id)
    with pytest.raises(NotFound):
        repo.article(article.id)
    assert repo.quotes() == [quote]
    assert repo.quotes()[0].article_title == "A title"
    newer = add(repo, "Newer", "Different words here.")
    assert newer.id != article.id  # the kept quote must not point at the new article
    assert repo.quote_counts()[newer.id] == 0


def test_deleting_an_article_with_its_quotes(repo: Repository) -> None:
    article = add(repo)
    repo.add_quote_text(article.id, "The first paragraph")
    repo.delete_article(article.id, delete_quotes=True)
    assert repo.quotes() == []
    assert not repo.texts.path(article.hash).exists()


def test_unknown_ids(repo: Repository) -> None:
    for call in (
        lambda: repo.article(99),
        lambda: repo.quote(99),
        lambda: repo.set_read(99, True),
        lambda: repo.delete_quote(99),
        lambda: repo.set_quote_note(99, "x"),
    ):
        with pytest.raises(NotFound):
            call()


def test_quotes_are_dataclasses_with_json_safe_times(repo: Repository) -> None:
    article = add(repo)
    quote, _ = repo.add_quote_text(article.id, "The first paragraph")
    assert isinstance(quote, Quote)
    assert quote.created.tzinfo is not None


def test_documents_leave_out_defaults_and_round_trip() -> None:
    from datetime import UTC, datetime

    from reader.library.models import Block

    bare = Article(1, "T", "h" * 64, 10, 1, datetime(2026, 1, 1, tzinfo=UTC))
    assert set(bare.to_doc()) == {"title", "hash", "words", "reading_minutes", "added"}
    full = Article(
        2, "T", "h" * 64, 10, 1, datetime(2026, 1, 1, tzinfo=UTC), "AA", "AA Photo", "en",
        "a.txt", True, 42, 0.5, datetime(2026, 1, 2, tzinfo=UTC), ("x",),
        (Block(0, 1, "headline"),), "Author", "2026-01-01", "https://example.org",
    )  # fmt: skip
    for article in (bare, full):
        assert Article.from_doc(article.id, article.to_doc()) == article


def test_tags_on_articles_and_quotes(repo: Repository) -> None:
    article = add(repo)
    other = add(repo, "Other", "Unrelated words here.")
    quote, _ = repo.add_quote_text(article.id, "The first paragraph")
    loose, _ = repo.add_quote_text(other.id, "Unrelated words")
    tagged = repo.set_article_tags(article.id, [" history ", "tag:Long read", "History"])
    assert tagged.tags == ("history", "Long-read")
    repo.set_quote_tags(loose.id, ["keep"])
    assert repo.all_tags() == ["history", "keep", "Long-read"]
    # A quote matches its own tags and its article's.
    assert [q.id for q in repo.quotes_tagged(repo.quotes(), "HISTORY")] == [quote.id]
    assert [q.id for q in repo.quotes_tagged(repo.quotes(), "tag:keep")] == [loose.id]
    assert repo.quote(loose.id).tags == ("keep",)


def test_snapshot_reads_rebuild_only_the_articles_that_changed(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "lib")
    repo.add_articles([(parsed(f"Story {n}", f"Body {n}."), None) for n in range(3)])
    repo.use_snapshot_reads()
    first = {a.id: a for a in repo.articles()}
    other = Repository.open(tmp_path / "lib")  # another process marks one read
    changed = next(iter(first))
    other.set_read(changed, True)
    assert repo.refresh()
    second = {a.id: a for a in repo.articles()}
    assert second[changed].read and not first[changed].read
    assert all(second[i] is first[i] for i in first if i != changed)
    other.close()
    repo.close()


def test_quote_count_of_one_article(repo: Repository) -> None:
    [a, b] = [
        r.article.id
        for r in repo.add_articles(
            [(parsed("A", "One two three."), None), (parsed("B", "Four five."), None)]
        )
    ]
    repo.add_quote_text(a, "One")
    repo.add_quote_text(a, "three")
    assert (
        (repo.quote_count(a), repo.quote_count(b))
        == (2, 0)
        == (repo.quote_counts()[a], repo.quote_counts()[b])
    )
