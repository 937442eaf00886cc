"""Quotes come home when their deleted article is imported again; the save and import paths."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

from reader.cli import main
from reader.library import Article, Repository
from reader.library.reattach import anchor
from reader.text.model import ParsedArticle
from tests.conftest import parsed

PARAS = (
    "The minister said the talks would go on. Nobody expected a deal this week.",
    "Later he added that the talks would go on, whatever the weather.",
)


def add(repo: Repository, item: ParsedArticle) -> Article:
    [result] = repo.add_articles([(item, "a.txt")])
    return result.article


def kept_and_delete(repo: Repository, item: ParsedArticle, *passages: str) -> list[int]:
    """Import ``item``, keep the passages (with notes), delete it keeping its quotes."""
    article = add(repo, item)
    ids = [
        repo.add_quote_text(article.id, text, note=f"note {n}")[0].id
        for n, text in enumerate(passages)
    ]
    repo.delete_article(article.id)
    assert all(q.article_id == article.id for q in repo.quotes())  # orphans now
    return ids


def assert_anchored(repo: Repository, article: Article) -> None:
    body = repo.body(article)
    for quote in repo.quotes(article.id):
        assert body[quote.start : quote.end] == quote.text
        assert body[: quote.start].endswith(quote.prefix)
        assert body[quote.end :].startswith(quote.suffix)


def test_same_content_brings_the_quotes_home(repo: Repository) -> None:
    item = parsed("Talks go on", *PARAS)
    ids = kept_and_delete(repo, item, "Nobody expected a deal", "whatever the weather")
    [result] = repo.add_articles([(item, "again.txt")])
    assert result.created and result.quotes_reattached == 2
    home = repo.quotes(result.article.id)
    assert [q.id for q in home] == ids  # the same quotes, notes and all
    assert [q.note for q in home] == ["note 0", "note 1"]
    assert_anchored(repo, result.article)
    assert repo.search("weather")[0].article_id == result.article.id


def test_same_url_with_other_text_re_anchors_and_leaves_what_is_gone(repo: Repository) -> None:
    first = replace(parsed("Talks go on", *PARAS), url="https://example.com/talks")
    kept_and_delete(repo, first, "Nobody expected a deal", "whatever the weather")
    # The page changed: new headline, a paragraph in front, one passage gone.
    second = replace(
        parsed("Talks continue", "An update came first.", PARAS[0]), url="https://example.com/talks"
    )
    [result] = repo.add_articles([(second, None)])
    assert result.quotes_reattached == 1
    [home] = repo.quotes(result.article.id)
    assert home.text == "Nobody expected a deal" and home.article_title == "Talks continue"
    assert_anchored(repo, result.article)
    # The passage the new text lacks is still kept, as an orphan: nothing is lost.
    assert [q.text for q in repo.quotes() if q.article_id != result.article.id] == [
        "whatever the weather"
    ]


def test_same_title_needs_every_passage(repo: Repository) -> None:
    kept_and_delete(repo, parsed("Talks go on", *PARAS), "Nobody expected a deal")
    # Same title, but the passage is not there: a different article, the quote stays away.
    [other] = repo.add_articles([(parsed("Talks go on", "Something else entirely."), None)])
    assert other.quotes_reattached == 0 and repo.quotes(other.article.id) == []
    # Same title and the passage is there (edited text elsewhere): it comes home.
    [same] = repo.add_articles([(parsed("Talks go on", PARAS[0], "A new ending."), None)])
    assert same.quotes_reattached == 1
    assert_anchored(repo, same.article)


def test_quotes_kept_before_deletion_records_existed_come_home_by_title(
    repo: Repository,
) -> None:
    item = parsed("Talks go on", *PARAS)
    kept_and_delete(repo, item, "whatever the weather")
    # A library whose deletion happened before the deleted table existed.
    data = repo.storage.read() or {}
    repo.storage.write({k: v for k, v in data.items() if k != "deleted"})
    [result] = repo.add_articles([(replace(item, body=item.body + "\n\nMore."), None)])
    assert result.quotes_reattached == 1


def test_an_unrelated_import_brings_nothing(repo: Repository) -> None:
    kept_and_delete(repo, parsed("Talks go on", *PARAS), "Nobody expected a deal")
    [result] = repo.add_articles([(parsed("Markets", "Stocks rose."), None)])
    assert result.quotes_reattached == 0 and repo.quotes(result.article.id) == []


def test_deleting_with_quotes_leaves_no_record(repo: Repository) -> None:
    article = add(repo, parsed("Talks go on", *PARAS))
    repo.add_quote_text(article.id, "Nobody expected a deal")
    repo.delete_article(article.id, delete_quotes=True)
    assert not (repo.storage.read() or {}).get("deleted")
    [result] = repo.add_articles([(parsed("Talks go on", *PARAS), None)])
    assert result.quotes_reattached == 0


def test_anchor_chooses_among_occurrences_by_prefix_and_suffix() -> None:
    body = "go on. x the talks would go on, y the talks would go on! z"
    first, second = body.index("the talks"), body.index("the talks would go on!")
    text = "the talks would go on"
    assert anchor(body, text, 0, "y ", "!") == second
    assert anchor(body, text, 99, "x ", ",") == first
    assert anchor(body, text, second) == second  # still where it was
    assert anchor(body, "absent", 0) is None
    assert anchor(body, "go on", 40) == body.index("go on", 30)  # a tie: the nearest


def test_cli_import_says_how_many_quotes_came_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib, source = str(tmp_path / "lib"), tmp_path / "talks.txt"
    source.write_text("Talks go on\n\n" + "\n\n".join(PARAS) + "\n", "utf-8")

    def run(*args: str) -> str:
        assert main(["--library", lib, *args]) == 0
        return capsys.readouterr().out

    [row] = orjson.loads(run("import", str(source), "--json"))["imported"]
    run("quote", "add", str(row["id"]), "Nobody expected a deal")
    run("quote", "add", str(row["id"]), "whatever the weather")
    run("delete", str(row["id"]))
    assert "2 quotes re-attached." in run("import", str(source))
    [row] = orjson.loads(run("list", "--json"))
    assert row["quotes"] == 2


# -- the save path and the import path -------------------------------------------------


def test_a_save_with_the_body_reads_neither_the_library_nor_the_text_again(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = add(repo, parsed("Talks go on", *PARAS))
    body = repo.body(article)

    def boom(*args: Any) -> Any:
        raise AssertionError("read again")

    monkeypatch.setattr(repo, "body", boom)
    monkeypatch.setattr(repo, "article", boom)
    monkeypatch.setattr(repo.storage, "read", boom)
    quote, new = repo.add_quote(article.id, 4, 20, body=body)
    assert new and quote.text == body[4:20]
    assert repo.add_quote(article.id, 4, 20, body=body) == (quote, False)


def test_duplicate_check_follows_other_processes_and_deletions(tmp_path: Path) -> None:
    one = Repository.open(tmp_path / "lib")
    article = add(one, parsed("Talks go on", *PARAS))
    first, _ = one.add_quote(article.id, 0, 5)
    other = Repository.open(tmp_path / "lib")
    # Another process keeps a passage: this one must not keep it a second time.
    theirs, new = other.add_quote(article.id, 10, 20)
    assert new
    assert one.add_quote(article.id, 10, 20) == (theirs, False)
    # After a deletion the passage can be kept again, once.
    one.delete_quote(first.id)
    again, new = one.add_quote(article.id, 0, 5)
    assert new and again.id != first.id
    assert one.add_quote(article.id, 0, 5) == (again, False)
    assert other.add_quote(article.id, 0, 5) == (again, False)
    one.close()
    other.close()


def test_bodies_are_written_before_the_lock_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository.open(tmp_path / "lib")
    lock = repo.storage.lock  # type: ignore[attr-defined]
    put_many = repo.texts.put_many
    held: list[bool] = []

    def watched_put_many(bodies: Iterable[str]) -> list[str]:
        held.append(lock.held_exclusive)
        return put_many(bodies)

    monkeypatch.setattr(repo.texts, "put_many", watched_put_many)
    results = repo.add_articles([(parsed(f"Title {n}", f"Body {n}."), None) for n in range(3)])
    assert held == [False]  # the batch's bodies, all written before the lock
    assert [repo.body(r.article) for r in results] == [f"Title {n}\n\nBody {n}." for n in range(3)]
    repo.close()


def test_a_body_deleted_between_its_write_and_the_commit_is_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository.open(tmp_path / "lib")
    item = parsed("Talks go on", *PARAS)
    old = add(repo, item)
    other = Repository.open(tmp_path / "lib")
    put_many, put = repo.texts.put_many, repo.texts.put
    calls: list[str] = []

    def put_many_then_other_deletes(bodies: Iterable[str]) -> list[str]:
        digests = put_many(bodies)  # the body is there already: the old article's
        other.delete_article(old.id)  # another process deletes that article and its body
        return digests

    def put_again(body: str) -> str:
        calls.append(body)
        return put(body)

    monkeypatch.setattr(repo.texts, "put_many", put_many_then_other_deletes)
    monkeypatch.setattr(repo.texts, "put", put_again)
    [result] = repo.add_articles([(item, None)])
    assert result.created and repo.body(result.article) == item.body
    assert calls == [item.body]  # written again, under the lock
    repo.close()
    other.close()
