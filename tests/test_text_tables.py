"""Tables with one home each: tag: parsing, byte-order marks and charset labels, CJK ranges,
and the sentence splitter that headlines made from a first sentence share with the cursor."""

# ruff: noqa: RUF001

from __future__ import annotations

import codecs

import pytest

from reader.library import Repository
from reader.library.batch import normalize_tags
from reader.text.decode import bom_codec, codec_for_label
from reader.text.plain import count_words, parse_plain
from reader.text.query import parse_query, spaced_cjk, split_tags, tag_of
from reader.text.sentences import sentence_spans
from tests.conftest import parsed


def test_tag_words_are_parsed_once_for_every_place() -> None:
    assert tag_of("tag:Politics") == "Politics"
    assert tag_of("TAG:x") == "x"
    assert tag_of("tag:") is None and tag_of("tags") is None
    assert split_tags("idlib TAG:Türkiye tag:İstanbul talks") == (
        ("turkiye", "istanbul"),
        "idlib talks",
    )
    assert parse_query("tag:İstanbul -tag:Old x").tags == ("istanbul",)
    assert parse_query("tag:İstanbul -tag:Old x").exclude_tags == ("old",)
    assert normalize_tags(["TAG:new york", "Tag:New-York", "İstanbul", "istanbul"]) == (
        "new-york",
        "İstanbul",
    )


def test_quotes_tagged_matches_tags_folded(repo: Repository) -> None:
    [result] = repo.add_articles([(parsed("One", "A passage to keep here."), None)])
    quote, _ = repo.add_quote_text(result.article.id, "passage")
    repo.set_quote_tags(quote.id, ["Türkiye"])
    assert repo.quotes_tagged(repo.quotes(), "tag:turkiye") == [repo.quote(quote.id)]
    assert repo.quotes_tagged(repo.quotes(), "TURKIYE") == [repo.quote(quote.id)]
    assert repo.quotes_tagged(repo.quotes(), "other") == []


def test_byte_order_marks_and_charset_labels() -> None:
    assert bom_codec(codecs.BOM_UTF8 + b"x") == "utf-8"
    assert bom_codec(codecs.BOM_UTF32_LE + b"x") == "utf-32-le"  # before UTF-16's
    assert bom_codec(codecs.BOM_UTF16_BE + b"x") == "utf-16-be"
    assert bom_codec(b"plain") is None
    for label, codec in [
        ("ISO-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        (" iso-8859-9 ", "cp1254"),
        ("windows-1254", "cp1254"),
        ("utf-8", "utf-8"),
        ("no-such-charset", None),
    ]:
        assert codec_for_label(label) == codec


def test_cjk_runs_are_counted_and_indexed_from_one_table() -> None:
    # Half-width katakana count as Japanese in word counts as they do in search.
    assert count_words("ｶﾀｶﾅ") == 2
    assert spaced_cjk("ｶﾀ") == " ｶ  ﾀ "
    assert count_words("서울의 서점") == 2  # Korean is spaced: words, not characters
    assert spaced_cjk("서울") == " 서  울 "


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Yard. Doç. Dr. Ali Kaya konuştu. Sonra gitti.", "Yard. Doç. Dr. Ali Kaya konuştu."),
        ("Opt. Dr. Cansunar geldi. Sonra gitti.", "Opt. Dr. Cansunar geldi."),
        (
            "Bayar, 9. Cumhurbaşkanı ile görüştü. Sonra gitti.",
            "Bayar, 9. Cumhurbaşkanı ile görüştü.",
        ),
        ("Am 3. Oktober ist ein Feiertag. Ja.", "Am 3. Oktober ist ein Feiertag."),
        ("It rose in 2019. Then it fell.", "It rose in 2019."),
        (
            "Sabancı A.Ş. (İnsa) tasfiye edilecek. Karar alındı.",
            "Sabancı A.Ş. (İnsa) tasfiye edilecek.",
        ),
    ],
)
def test_one_sentence_splitter(text: str, first: str) -> None:
    start, end = sentence_spans(text)[0]
    assert text[start:end] == first


def test_a_headline_from_a_first_sentence_uses_the_shared_splitter() -> None:
    lead = "Mehmet Ali Bayar, 9. Cumhurbaşkanı Süleyman Demirel ile görüştü. Sonra konuştu."
    article = parse_plain(lead + "\nİkinci satır burada devam ediyor ve bitmiyor.\n")
    assert article.title == "Mehmet Ali Bayar, 9. Cumhurbaşkanı Süleyman Demirel ile görüştü"


def test_titles_are_one_list_for_sentences_and_speakers() -> None:
    from reader.text.quotations import detect_quotes

    said = "“We will keep working with Russia on this for as long as it takes,” said "
    for title in ("Dr.", "Doç. Dr.", "Yrd. Doç.", "Opt. Dr."):
        [quote] = detect_quotes(said + title + " Ali Kaya.")
        assert quote.speaker == "Ali Kaya", title
        _, end = sentence_spans(f"{title} Ali Kaya konuştu. Sonra gitti.")[0]
        assert end == len(f"{title} Ali Kaya konuştu.")
