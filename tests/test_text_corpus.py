"""The importer against real articles in ../shared/corpus (skipped when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.text import decode_bytes, detect_language, parse_plain, read_article_file
from tests.test_text_plain import check_structure

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TR = CORPUS / "tr-1150haber"
BBC = CORPUS / "bbc"
NOT_ARTICLES = {"SOURCE.txt", "RENAMED.txt", "README.TXT"}


def articles(folder: Path) -> list[Path]:
    """The article files of one corpus folder, sorted, or skip when it is absent."""
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent (it is not part of the repository)")
    return sorted(p for p in folder.glob("*/*.txt") if p.name not in NOT_ARTICLES)


def test_every_turkish_file_decodes_as_windows_1254() -> None:
    files = articles(TR)
    assert len(files) == 1150
    letters: set[str] = set()
    for path in files:
        data = path.read_bytes()
        text = decode_bytes(data, str(path))
        # The whole set is Windows-1254 (see its SOURCE.txt); every byte must agree.
        assert text == data.decode("cp1254"), path
        letters.update(text)
    assert set("şğıİŞĞçöüÇÖÜ") <= letters
    assert "\ufffd" not in letters


def test_every_turkish_file_parses() -> None:
    headlines = 0
    for path in articles(TR):
        article = parse_plain(decode_bytes(path.read_bytes(), str(path)))
        check_structure(article)
        assert "\r" not in article.body and "\ufffd" not in article.body, path
        assert article.title and "\n" not in article.title, path
        assert article.words > 0, path
        if article.spans[0].kind == "headline":
            headlines += 1
            assert article.body.startswith(article.title + "\n\n"), path
        else:
            # A title made up from the first sentence of a file without a headline.
            assert len(article.title) <= 100, path
            assert article.title.rstrip("…") in article.body.replace("\n\n", " "), path
    # SOURCE.txt: about 867 have a headline line, about 283 start with the story.
    assert 800 <= headlines <= 900


def test_turkish_language_detected() -> None:
    files = articles(TR)[::50]
    for path in files:
        article = parse_plain(decode_bytes(path.read_bytes(), str(path)))
        assert detect_language(article.body) == "tr", path


def bbc_sample() -> list[Path]:
    files = articles(BBC)
    assert len(files) == 2225
    sample = files[::7]
    stray = BBC / "sport" / "199.txt"
    return [*sample, stray] if stray not in sample else sample


def test_bbc_sample_parses_with_titles_from_first_lines() -> None:
    sample = bbc_sample()
    assert len(sample) >= 300
    for path in sample:
        data = path.read_bytes()
        article = parse_plain(decode_bytes(data, str(path)))
        check_structure(article)
        first_line = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
        assert article.title == first_line, path
        assert article.spans[0].kind == "headline", path
        assert article.credit is None, path  # the set has no photo credits
        assert "\ufffd" not in article.body, path


def test_bbc_stray_latin1_byte() -> None:
    path = BBC / "sport" / "199.txt"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    article = read_article_file(path)
    assert article.title == "Chelsea sack Mutu"
    assert "a £15.8m signing from Parma" in article.body
    assert article.language == "en"
