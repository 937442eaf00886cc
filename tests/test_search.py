"""Full-text search: folding, the query language, snippets, the index and `reader search`."""

# Turkish dotless i is the point of several tests here.
# ruff: noqa: RUF001

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import orjson
import pytest

from reader.cli import main
from reader.importing import import_paths
from reader.library import LibraryError, Repository
from reader.library.search import INDEX_FILE, SearchHit, SearchIndex
from reader.text.fold import fold
from reader.text.query import parse_query, snippet
from tests.conftest import parsed

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture
def lib(tmp_path: Path) -> Repository:
    """A small hand-made library with Turkish, accented and plain English articles."""
    repo = Repository.open(tmp_path / "lib")
    repo.add_articles(
        [
            (
                parsed(
                    "Turkish delegation due in Russia",
                    "Foreign Minister Mevlüt Çavuşoğlu said the talks on Idlib would go on.",
                    "He spoke in İstanbul about FETÖ and the village of Işıklı.",
                ),
                "a.txt",
            ),
            (parsed("Markets rally", "Stocks rose as the central bank held rates."), "b.txt"),
            (
                parsed(
                    "A quiet harbour",
                    "The lighthouse keeper wrote about the harbour. Harbour, harbour, harbour.",
                ),
                "c.txt",
            ),
            (parsed("Café notes", "Le café était fermé; we read about the harbour instead."), None),
            (parsed("Harbour lights", "A short piece on the bay."), "e.txt"),
        ]
    )
    return repo


def ids(hits: list[SearchHit]) -> list[int]:
    return [h.article_id for h in hits if h.kind == "article"]


def title_of(repo: Repository, title: str) -> int:
    return next(a.id for a in repo.articles() if a.title == title)


# -- folding ---------------------------------------------------------------------------


def test_fold_keeps_length_and_folds_turkish_and_accents() -> None:
    for text, want in [
        ("Çavuşoğlu", "cavusoglu"),
        ("FETÖ", "feto"),
        ("İstanbul", "istanbul"),
        ("Işıklı", "isikli"),
        ("ISIKLI", "isikli"),
        ("Café Ünal ğ", "cafe unal g"),
    ]:
        assert fold(text) == want
    mixed = "İstanbul ß ﬁ 日本 Ελλάδα ΟΔΟΣ Çavuşoğlu"
    assert len(fold(mixed)) == len(mixed)
    assert fold("ΟΔΟΣ") == fold("ΟΔΟΣ Ç")[:4]  # same fold whichever code path runs


@pytest.mark.parametrize(
    "query", ["cavusoglu", "ÇAVUŞOĞLU", "FETO", "fetö", "istanbul", "İSTANBUL", "ISIKLI", "işıklı"]
)
def test_folded_queries_find_the_turkish_article(lib: Repository, query: str) -> None:
    assert ids(lib.search(query)) == [title_of(lib, "Turkish delegation due in Russia")]


def test_accented_query_finds_plain_text_and_back(lib: Repository) -> None:
    cafe = title_of(lib, "Café notes")
    assert ids(lib.search("cafe")) == [cafe]
    assert ids(lib.search("éTAIT")) == [cafe]
    assert ids(lib.search("hàrböur instead")) == [cafe]


# -- query forms -----------------------------------------------------------------------


def test_all_words_must_match(lib: Repository) -> None:
    assert ids(lib.search("harbour lighthouse")) == [title_of(lib, "A quiet harbour")]
    assert lib.search("harbour idlib") == []


def test_phrase(lib: Repository) -> None:
    assert ids(lib.search('"central bank"')) == [title_of(lib, "Markets rally")]
    assert lib.search('"bank central"') == []


def test_exclusion(lib: Repository) -> None:
    found = ids(lib.search("harbour -lighthouse"))
    assert title_of(lib, "A quiet harbour") not in found
    assert title_of(lib, "Café notes") in found
    assert ids(lib.search('harbour -"le café"')) == ids(lib.search("harbour -cafe"))
    assert lib.search("-harbour") == []  # nothing positive asked for


def test_prefix(lib: Repository) -> None:
    assert ids(lib.search("lightho*")) == [title_of(lib, "A quiet harbour")]
    assert ids(lib.search("cavus*")) == [title_of(lib, "Turkish delegation due in Russia")]
    hit = lib.search("lightho*")[0]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["lighthouse"]


@pytest.mark.parametrize(
    "query", ['a"b(', "NEAR", "AND", "OR NOT", "*", "-", '"', "^x", "x:y", "(", "NEAR(a b)", ""]
)
def test_hostile_queries_do_not_raise(lib: Repository, query: str) -> None:
    assert isinstance(lib.search(query), list)


def test_parse_query_separates_tags_and_quotes_operators() -> None:
    q = parse_query('Çavuş* "Dış İşleri" -feto tag:Politics -tag:old NEAR')
    assert q.tags == ("politics",) and q.exclude_tags == ("old",)
    assert q.terms == ("dis isleri", "near") and q.prefixes == ("cavus",)
    assert q.match == '("cavus"* AND "dis isleri" AND "near") NOT "feto"'


# -- ranking, quotes, tags ---------------------------------------------------------------


def test_title_match_outranks_body_and_more_occurrences_rank_higher(lib: Repository) -> None:
    hits = lib.search("harbour")
    order = ids(hits)
    assert order[0] == title_of(lib, "Harbour lights") or order[0] == title_of(
        lib, "A quiet harbour"
    )
    # Both title matches beat the body-only match; many occurrences beat one.
    assert order.index(title_of(lib, "Café notes")) == len(order) - 1
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_more_occurrences_rank_higher(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "lib")
    repo.add_articles(
        [
            (parsed("One", "an otter " + "filler text " * 10), None),
            (parsed("Two", "an otter and an otter and otter " + "filler text " * 8), None),
        ]
    )
    assert [h.title for h in repo.search("otter")] == ["Two", "One"]


def test_quotes_and_notes_are_found(lib: Repository) -> None:
    article = title_of(lib, "Turkish delegation due in Russia")
    quote, _ = lib.add_quote_text(article, "the talks on Idlib would go on", note="Suriye notu")
    hits = lib.search("idlib")
    kinds = {(h.kind, h.quote_id) for h in hits}
    assert ("quote", quote.id) in kinds and ("article", None) in kinds
    [by_note] = lib.search("suriye")
    assert by_note.kind == "quote" and by_note.article_id == article
    assert by_note.snippet == "Suriye notu" and by_note.highlights == ((0, 6),)
    assert (by_note.offset, by_note.end) == (quote.start, quote.end)
    assert by_note.title == "Turkish delegation due in Russia"


def test_tag_filter(lib: Repository) -> None:
    cafe = title_of(lib, "Café notes")
    lib.set_article_tags(cafe, ["Food"])
    assert ids(lib.search("harbour tag:food")) == [cafe]
    assert cafe not in ids(lib.search("harbour -tag:food"))
    assert ids(lib.search("tag:FOOD")) == [cafe]
    assert lib.search("harbour tag:nothing") == []


# -- snippets and offsets ----------------------------------------------------------------


def test_snippet_shows_original_text_with_highlights(lib: Repository) -> None:
    [hit] = lib.search("cavusoglu istanbul")
    assert "Çavuşoğlu" in hit.snippet and "İstanbul" in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["Çavuşoğlu", "İstanbul"]
    assert "\n" not in hit.snippet
    body = lib.body(lib.article(hit.article_id))
    assert body[hit.offset : hit.end] == "Çavuşoğlu"


def test_snippet_window_cuts_at_word_boundaries() -> None:
    text = ("Lorem ipsum dolor sit amet. " * 20) + "The Çavuşoğlu line.\n\nNext" + " more" * 40
    shown, marks = snippet(text, ("cavusoglu",), width=60)
    assert shown.startswith("…") and shown.endswith("…") and len(shown) <= 62
    assert [shown[s:e] for s, e in marks] == ["Çavuşoğlu"]
    words = set(text.split())
    assert all(w.strip("…") in words or w == "line. Next" for w in shown.split())


def test_phrase_highlight_spans_punctuation_and_newlines() -> None:
    shown, marks = snippet("She said:\n\nDış  İşleri bakanı", ("dis isleri",))
    assert [shown[s:e] for s, e in marks] == ["Dış İşleri"]


# -- freshness and robustness ------------------------------------------------------------


def test_index_follows_import_and_delete(tmp_path: Path, lib: Repository) -> None:
    assert lib.search("otter") == []
    src = tmp_path / "in"
    src.mkdir()
    (src / "otter.txt").write_text("Otters of the river\n\nThe otter swims at dawn.\n")
    summary = import_paths(lib, [src])
    [(_, article)] = summary.imported
    assert ids(lib.search("otter")) == [article.id]
    lib.delete_article(article.id)
    assert lib.search("otter") == []


def test_write_without_index_does_not_build_one(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "lib")
    repo.add_articles([(parsed("Alpha", "beta gamma"), None)])
    assert not (tmp_path / "lib" / INDEX_FILE).exists()
    assert ids(repo.search("gamma"))
    assert (tmp_path / "lib" / INDEX_FILE).exists()


def test_quote_changes_follow(lib: Repository) -> None:
    article = title_of(lib, "Markets rally")
    quote, _ = lib.add_quote_text(article, "Stocks rose")
    assert lib.search("stocks tag:x") == []
    lib.set_quote_note(quote.id, "zebra")
    assert [h.quote_id for h in lib.search("zebra")] == [quote.id]
    gone = lib.delete_quote(quote.id)
    assert lib.search("zebra") == []
    lib.restore_quote(gone)
    assert [h.quote_id for h in lib.search("zebra")] == [quote.id]


def test_deleted_index_is_rebuilt(tmp_path: Path, lib: Repository) -> None:
    assert lib.search("idlib")
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / "lib" / f"{INDEX_FILE}{suffix}").unlink(missing_ok=True)
    assert lib.search("idlib")


@pytest.mark.parametrize("reopen", [False, True])
def test_corrupt_index_is_rebuilt(tmp_path: Path, lib: Repository, reopen: bool) -> None:
    assert lib.search("idlib")
    folder = tmp_path / "lib"
    if reopen:
        lib.close()
        lib = Repository.open(folder)
    for suffix in ("-wal", "-shm"):
        (folder / f"{INDEX_FILE}{suffix}").unlink(missing_ok=True)
    (folder / INDEX_FILE).write_bytes(os.urandom(8192))
    lib.add_articles([(parsed("Otter news", "otter"), None)])  # a write must not fail
    assert ids(lib.search("idlib"))
    assert ids(lib.search("otter"))


def test_second_process_sees_new_article(tmp_path: Path, lib: Repository) -> None:
    other = Repository.open(tmp_path / "lib")
    assert other.search("otter") == [] and lib.search("otter") == []
    [result] = lib.add_articles([(parsed("Otter news", "The otter returned."), None)])
    assert ids(other.search("otter")) == [result.article.id]
    lib.delete_article(result.article.id)
    assert other.search("otter") == []
    other.close()


def test_busy_index_never_fails_a_write_nor_gets_deleted(
    tmp_path: Path, lib: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lib.search("idlib")
    monkeypatch.setattr(SearchIndex, "timeout", 0.05)
    lib.close()
    lib = Repository.open(tmp_path / "lib")
    other = sqlite3.connect(tmp_path / "lib" / INDEX_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process, mid-rebuild
    [result] = lib.add_articles([(parsed("Otter news", "otter"), None)])
    with pytest.raises(LibraryError, match="busy"):
        lib.search("otter")
    other.execute("ROLLBACK")
    other.close()
    assert ids(lib.search("otter")) == [result.article.id]


def test_in_memory_library_searches(tmp_path: Path) -> None:
    repo = Repository.in_memory(tmp_path / "texts")
    repo.add_articles([(parsed("Alpha", "beta Çavuşoğlu"), None)])
    [hit] = repo.search("cavusoglu")
    assert hit.snippet.endswith("beta Çavuşoğlu")


# -- command line ----------------------------------------------------------------------


def test_cli_search_plain_and_json(
    lib: Repository, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(tmp_path / "lib")
    lib.close()
    assert main(["--library", folder, "search", "cavusoglu", "idlib"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[1] Turkish delegation due in Russia  (")
    assert "«Çavuşoğlu»" in out and "«Idlib»" in out

    assert main(["--library", folder, "search", "harbour", "--json", "--limit", "2"]) == 0
    rows = orjson.loads(capsys.readouterr().out)
    assert len(rows) == 2
    for row in rows:
        assert {"id", "title", "score", "snippet", "kind", "quote_id", "source"} <= set(row)
        assert {"offset", "highlights"} <= set(row)
        assert all(row["snippet"][s:e].lower() == "harbour" for s, e in row["highlights"])

    assert main(["--library", folder, "search", "nothing-like-this", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"
    assert main(["--library", folder, "search", "nothing-like-this"]) == 0
    assert capsys.readouterr().err.strip() == "No matches."


def test_cli_search_takes_the_query_language_as_written(
    lib: Repository, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(tmp_path / "lib")
    lib.close()

    def found(*words: str) -> list[str]:
        assert main(["--library", folder, "search", *words, "--json"]) == 0
        return sorted(r["title"] for r in orjson.loads(capsys.readouterr().out))

    assert found("harbour") == ["A quiet harbour", "Café notes", "Harbour lights"]
    # -word excludes, even where argparse would take it for an option.
    assert found("harbour", "-lighthouse") == ["Café notes", "Harbour lights"]
    # -"a phrase" arrives from the shell as one argument "-a phrase": a phrase left out.
    assert found("harbour", "-read about the") == ["A quiet harbour", "Harbour lights"]
    # An argument with spaces that the shell unquoted is a phrase ...
    assert found("about the harbour") == ["A quiet harbour", "Café notes"]
    assert found("keeper", "harbour") == ["A quiet harbour"]
    assert found("keeper harbour") == []  # no such phrase
    # ... unless it is written in the query language: the whole query as one argument.
    assert found("harbour -lighthouse") == ["Café notes", "Harbour lights"]
    assert found('-"read about the"', "harbour") == ["A quiet harbour", "Harbour lights"]
    # Options of search still work anywhere, before or after the words, and "--" ends them.
    assert main(["--library", folder, "search", "--limit", "1", "harbour", "--json"]) == 0
    assert len(orjson.loads(capsys.readouterr().out)) == 1
    assert main(["--library", folder, "search", "--json", "--", "-lighthouse", "harbour"]) == 0
    assert len(orjson.loads(capsys.readouterr().out)) == 2


def test_query_of_shell_words() -> None:
    from reader.cli import query_of

    assert query_of(["idlib", "-russia"]) == "idlib -russia"
    assert query_of(["-a phrase", "x"]) == '-"a phrase" x'
    assert query_of(["a phrase"]) == '"a phrase"'
    assert query_of(["idlib -russia"]) == "idlib -russia"
    assert query_of(["tag:x idlib"]) == "tag:x idlib"
    assert query_of(['"a b" c']) == '"a b" c'


# -- corpus --------------------------------------------------------------------------------


@pytest.mark.skipif(not (CORPUS / "tr-1150haber").is_dir(), reason="shared corpus absent")
def test_turkish_corpus(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "lib")
    files = sorted((CORPUS / "tr-1150haber").glob("*/*.txt"))[:300]
    import_paths(repo, files)
    hits = repo.search("istanbul", limit=10)
    assert len(hits) == 10
    shown = [h.snippet[s:e] for h in hits for s, e in h.highlights]
    assert shown and {fold(w) for w in shown} == {"istanbul"}
    assert "İstanbul" in shown  # the real letters, not the folded ones
    hits = repo.search("turkiye", limit=10)
    shown = [h.snippet[s:e] for h in hits for s, e in h.highlights]
    assert shown and {fold(w) for w in shown} == {"turkiye"} and "Türkiye" in shown


# -- scripts written without spaces ---------------------------------------------------------


JA_TITLE = "東京発の夜行列車、静かな人気再び"


@pytest.fixture
def cjk(tmp_path: Path) -> Repository:
    """Japanese, Chinese and Korean articles, and one in English that mentions Tokyo."""
    repo = Repository.open(tmp_path / "lib")
    repo.add_articles(
        [
            (parsed(JA_TITLE, "夜行列車の旅は「移動の時間」を味わう。"), "ja.txt"),
            (parsed("北京大学的新图书馆", "我在北京大学读书。图书馆很大。"), "zh.txt"),
            (parsed("서울의 오래된 서점", "오래된 서점들이 다시 문을 열었다."), "ko.txt"),
            (parsed("Night trains from Tokyo", "The sleeper left Tokyo at ten."), "en.txt"),
        ]
    )  # fmt: skip
    return repo


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("夜行列車", "東京発の夜行列車、静かな人気再び"),  # inside the title's run of kanji
        ("移動の時間", "東京発の夜行列車、静かな人気再び"),  # across kana and kanji, in the body
        ("图书馆", "北京大学的新图书馆"),
        ("大学", "北京大学的新图书馆"),
        ("서점", "서울의 오래된 서점"),
        ("tokyo", "Night trains from Tokyo"),
    ],
)
def test_cjk_text_is_found_anywhere_in_a_run(cjk: Repository, query: str, title: str) -> None:
    hits = cjk.search(query)
    assert [cjk.article(i).title for i in ids(hits)] == [title]


def test_cjk_characters_must_follow_one_another(cjk: Repository) -> None:
    assert cjk.search("列車夜行") == []  # the same characters in another order
    assert cjk.search('"東京 夜行"') == []  # a phrase: 東京 and 夜行 are not next to each other
    assert len(cjk.search("東京 夜行")) == 1  # two words: both are in the article


def test_cjk_snippet_highlights_the_match_inside_the_run(cjk: Repository) -> None:
    [hit] = cjk.search("移動")
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["移動"]
    body = cjk.body(cjk.article(hit.article_id))
    assert body[hit.offset : hit.end] == "移動"


def test_an_index_of_the_earlier_version_is_rebuilt(tmp_path: Path, cjk: Repository) -> None:
    assert cjk.search("夜行列車")
    db = sqlite3.connect(tmp_path / "lib" / INDEX_FILE)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    again = Repository.open(tmp_path / "lib")
    assert [again.article(i).title for i in ids(again.search("人気"))] == [
        "東京発の夜行列車、静かな人気再び"
    ]
