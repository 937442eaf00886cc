"""Find in an article: case-insensitive, whitespace-tolerant, offsets exact in the body."""

# Turkish letters here are deliberate.
# ruff: noqa: RUF001

from __future__ import annotations

import unicodedata

import pytest

from reader.text import find_all


def matched(body: str, query: str) -> list[str]:
    """The matched texts, sliced from the body by the returned offsets."""
    return [body[start:end] for start, end in find_all(body, query)]


def test_case_insensitive_with_exact_offsets() -> None:
    body = "Idlib, IDLIB and idlib."
    assert find_all(body, "idlib") == [(0, 5), (7, 12), (17, 22)]
    assert matched(body, "IdLiB") == ["Idlib", "IDLIB", "idlib"]


@pytest.mark.parametrize("query", ["", " ", "\n\t  "])
def test_empty_or_blank_query(query: str) -> None:
    assert find_all("some text", query) == []


def test_no_match() -> None:
    assert find_all("some text", "other") == []


def test_non_overlapping() -> None:
    assert find_all("aaaa", "aa") == [(0, 2), (2, 4)]


def test_regex_characters_are_literal() -> None:
    body = "Costs (approx.) $3.50 [sic] a*b"
    assert matched(body, "(approx.)") == ["(approx.)"]
    assert matched(body, "$3.50") == ["$3.50"]
    assert matched(body, "[sic]") == ["[sic]"]
    assert matched(body, "a*b") == ["a*b"]
    assert find_all(body, "3x50") == []


def test_turkish_offsets_stay_exact() -> None:
    # "İ".lower() is two characters: offsets computed on a lowered copy would drift.
    body = "İSTANBUL'da İzmir ve ıĞdır. Çavuşoğlu, ÇAVUŞOĞLU ile görüştü."
    assert "İ".lower() != "i" and len("İ".lower()) == 2
    assert matched(body, "çavuşoğlu") == ["Çavuşoğlu", "ÇAVUŞOĞLU"]
    assert matched(body, "görüştü") == ["görüştü"]
    assert matched(body, "iğdır") == ["ıĞdır"]
    # Dotted and dotless i are equated, so a query typed without Turkish keys still finds.
    assert matched(body, "istanbul") == ["İSTANBUL"]
    assert matched(body, "izmir") == ["İzmir"]
    for start, end in find_all(body, "ile"):
        assert body[start:end].casefold() == "ile"


def test_matches_after_expanding_characters_keep_offsets() -> None:
    body = "İİİİ then target, İİ Target"
    assert find_all(body, "target") == [(10, 16), (21, 27)]
    assert matched(body, "TARGET") == ["target", "Target"]


def test_whitespace_in_the_query_matches_any_run_including_newlines() -> None:
    body = "the cease-fire\nis   permanent.\n\nBut even\n\nif"
    assert matched(body, "cease-fire is permanent") == ["cease-fire\nis   permanent"]
    assert matched(body, "  permanent.   but ") == ["permanent.\n\nBut"]
    assert matched(body, "even if") == ["even\n\nif"]


def test_query_in_nfd_finds_nfc_body() -> None:
    body = "Mevlüt Çavuşoğlu said"
    query = unicodedata.normalize("NFD", "mevlüt")
    assert query != "mevlüt"
    assert matched(body, query) == ["Mevlüt"]


def test_multiline_match_offsets_slice_back() -> None:
    body = "Line one ends here\nand line two starts. Line one ends HERE AND line"
    spans = find_all(body, "ends here and line")
    assert len(spans) == 2
    assert body[spans[0][0] : spans[0][1]] == "ends here\nand line"
    assert body[spans[1][0] : spans[1][1]] == "ends HERE AND line"


def test_accents_and_turkish_letters_fold_as_search_does() -> None:
    body = "Dışişleri Bakanı Mevlüt Çavuşoğlu, Kadıköy'de; ÇAVUŞOĞLU dedi."
    assert matched(body, "cavusoglu") == ["Çavuşoğlu", "ÇAVUŞOĞLU"]
    assert matched(body, "kadikoy") == ["Kadıköy"]
    assert matched(body, "DISISLERI bakani") == ["Dışişleri Bakanı"]
