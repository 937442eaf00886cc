"""Plain-text parsing: headline, credit, boilerplate, paragraphs, lists, subheadings."""

# Turkish, CJK and typographic characters here are deliberate.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest

from reader.locations import sample_articles_dir
from reader.text import ParsedArticle, parse_plain, read_article_file
from reader.text.model import Span

SEED = sample_articles_dir() / "turkish-delegation-idlib.txt"


def check_structure(article: ParsedArticle) -> None:
    """The span invariants every parsed article keeps."""
    body, spans = article.body, article.spans
    assert body == body.strip()
    assert "\n\n\n" not in body
    assert "\r" not in body
    position = 0
    for span in spans:
        assert span.start == position, span
        assert span.start < span.end <= len(body), span
        block = body[span.start : span.end]
        assert block == block.strip() and "\n\n" not in block, span
        position = span.end + 2
    if spans:
        assert spans[-1].end == len(body)
    assert "\n\n".join(body[s.start : s.end] for s in spans) == body
    assert [s.kind for s in spans].count("headline") <= 1
    assert all(s.kind != "headline" for s in spans[1:])


def blocks(article: ParsedArticle) -> list[tuple[str, str]]:
    """(kind, text) for every block."""
    return [(s.kind, article.body[s.start : s.end]) for s in article.spans]


@pytest.fixture(scope="module")
def seed() -> ParsedArticle:
    return read_article_file(SEED)


def test_seed_metadata(seed: ParsedArticle) -> None:
    assert seed.title == "Turkish delegation due in Russia to talk Idlib, Syria"
    assert seed.credit == "AA Photo"
    assert seed.source == "AA"
    assert seed.language == "en"
    assert 500 < seed.words < 560
    assert seed.reading_minutes == 3


def test_seed_body(seed: ParsedArticle) -> None:
    check_structure(seed)
    assert seed.spans[0] == Span(0, len(seed.title), "headline")
    assert "AA Photo" not in seed.body
    assert "Contact Us" not in seed.body
    assert seed.body.endswith("culture, and politics.")
    for word in ("Çavuşoğlu", "Erdoğan", "Mevlüt", "FETÖ", "Gülen"):
        assert word in seed.body
    kinds = blocks(seed)
    assert kinds[1] == ("paragraph", kinds[1][1])
    assert kinds[1][1].startswith("A Turkish delegation will soon visit Russia")
    subheadings = [text for kind, text in kinds if kind == "subheading"]
    assert subheadings == ["'No safe haven in Albania for FETÖ terrorists'"]
    assert {kind for kind, _ in kinds} == {"headline", "paragraph", "subheading"}


def test_crlf_input_parses_like_lf() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert parse_plain(text.replace("\n", "\r\n")) == parse_plain(text)


# Credits


@pytest.mark.parametrize(
    ("line", "credit", "source"),
    [
        ("AA Photo", "AA Photo", "AA"),
        ("Photo: Reuters", "Photo: Reuters", "Reuters"),
        ("AP Photo/Jane Doe", "AP Photo/Jane Doe", "AP"),
        ("Getty Images", "Getty Images", "Getty Images"),
        ("Reuters Photo", "Reuters Photo", "Reuters"),
        ("(Photo: AFP)", "Photo: AFP", "AFP"),
        ("Photo by Jane Doe/AP", "Photo by Jane Doe/AP", "AP"),
        ("AFP/Getty Images", "AFP/Getty Images", "AFP"),
        ("Anadolu Agency Photo", "Anadolu Agency Photo", "AA"),
    ],
)
def test_photo_credit_after_headline(line: str, credit: str, source: str) -> None:
    article = parse_plain(f"Headline here\n\n{line}\n\nThe story begins here.\n")
    assert (article.credit, article.source) == (credit, source)
    assert blocks(article) == [
        ("headline", "Headline here"),
        ("paragraph", "The story begins here."),
    ]
    check_structure(article)


def test_credit_directly_under_headline() -> None:
    article = parse_plain("Headline here\nAA Photo\nThe story begins here.")
    assert article.credit == "AA Photo"
    assert "AA Photo" not in article.body


@pytest.mark.parametrize(
    "line",
    [
        "In pictures",
        "Family photos",
        "Photos: The best of 2004",
        "Reuters reported that talks would resume on Monday after a pause.",
        "Photo: the minister, seen here at the summit in Brussels on Tuesday with aides",
    ],
)
def test_lines_that_are_not_credits(line: str) -> None:
    article = parse_plain(f"Headline here\n\n{line}\n\nThe story begins here.")
    assert article.credit is None and article.source is None
    assert line in article.body


def test_credit_only_right_after_headline() -> None:
    article = parse_plain("Headline\n\nFirst paragraph.\n\nAA Photo\n\nSecond paragraph.")
    assert article.credit is None
    assert "AA Photo" in article.body


# Boilerplate


def test_trailing_boilerplate_lines_dropped() -> None:
    text = (
        "Headline\n\nThe story.\n\nMore story.\n\n"
        "Share this article\nRelated Articles:\n\nSUBSCRIBE TO OUR NEWSLETTER\n\n"
        "Follow us on Twitter\n\nAll rights reserved.\nAdvertisement\n\nContact Us\n\n\n"
    )
    article = parse_plain(text)
    assert article.body == "Headline\n\nThe story.\n\nMore story."
    check_structure(article)


def test_boilerplate_words_mid_article_kept() -> None:
    text = "Headline\n\nThe story.\n\nContact Us\n\nRelated articles\n\nThe end of the story."
    article = parse_plain(text)
    assert "Contact Us" in article.body and "Related articles" in article.body
    assert article.body.endswith("The end of the story.")


def test_boilerplate_needs_a_whole_line() -> None:
    article = parse_plain("Headline\n\nThe story.\n\nContact us at the desk for details.")
    assert article.body.endswith("Contact us at the desk for details.")


# Paragraphs and lists


def test_hard_wrapped_lines_joined() -> None:
    text = (
        "Headline\n\nThis paragraph was\nwrapped at a narrow\n   width by a mail client.\n\nNext."
    )
    assert blocks(parse_plain(text)) == [
        ("headline", "Headline"),
        ("paragraph", "This paragraph was wrapped at a narrow width by a mail client."),
        ("paragraph", "Next."),
    ]


def test_whitespace_only_lines_separate_paragraphs() -> None:
    text = "Headline\n \t \nOne.\n    \n\n\n  Two.  \n\t\n"
    article = parse_plain(text)
    assert article.body == "Headline\n\nOne.\n\nTwo."
    check_structure(article)


def test_long_lines_are_paragraphs_of_their_own() -> None:
    # The Turkish corpus writes one paragraph per line with no blank line between.
    first = "Birinci paragraf " * 8 + "burada biter."
    second = "İkinci paragraf " * 8 + "burada biter."
    article = parse_plain(f"Başlık\n\n{first}\n{second}\n")
    assert blocks(article)[1:] == [("paragraph", first), ("paragraph", second)]


def test_bullets_form_a_list_block() -> None:
    text = (
        "Headline\n\nIn his budget he has:\n\n"
        "- Raised spending on schools\n - Cut duties on capital goods\n"
        "   that were imported\n* Expanded the tax net\n\nAfter the list."
    )
    article = parse_plain(text)
    assert blocks(article) == [
        ("headline", "Headline"),
        ("paragraph", "In his budget he has:"),
        (
            "list",
            "- Raised spending on schools\n- Cut duties on capital goods that were imported\n"
            "* Expanded the tax net",
        ),
        ("paragraph", "After the list."),
    ]
    check_structure(article)


def test_paragraph_then_bullets_in_one_block() -> None:
    article = parse_plain("Headline\n\nIt said:\n- one thing\n- another\n\nEnd.")
    assert [kind for kind, _ in blocks(article)] == ["headline", "paragraph", "list", "paragraph"]


# Subheadings


def test_short_unpunctuated_line_between_paragraphs_is_a_subheading() -> None:
    text = "Headline\n\nFirst paragraph ends here.\n\nA new section\n\nSecond paragraph."
    assert blocks(parse_plain(text))[2] == ("subheading", "A new section")


@pytest.mark.parametrize(
    "line",
    [
        "'No safe haven in Albania'",
        "“Yeni uydular yolda”",
        "WORLD OF WARCRAFT",
        "Üç dilde mukavele",
    ],
)
def test_subheading_forms(line: str) -> None:
    text = f"Headline\n\nFirst paragraph ends here.\n\n{line}\n\nSecond paragraph."
    assert blocks(parse_plain(text))[2] == ("subheading", line)


@pytest.mark.parametrize(
    "line",
    [
        "This one ends with a full stop.",
        "Is this a question?",
        '"We will do what is needed," he said,',
        "'Quoted and finished.'",
        "A line that is far too long to be a heading because it has many words in it",
        "agent provocateur",  # a fragment cut out of a sentence
        "12:30 15:45",
    ],
)
def test_not_subheadings(line: str) -> None:
    text = f"Headline\n\nFirst paragraph ends here.\n\n{line}\n\nSecond paragraph."
    assert blocks(parse_plain(text))[2] == ("paragraph", line)


def test_subheading_not_last_and_not_after_unfinished_sentence() -> None:
    last = parse_plain("Headline\n\nFirst paragraph.\n\nThe end")
    assert blocks(last)[-1] == ("paragraph", "The end")
    unfinished = parse_plain("Headline\n\nThe men's 800m went to\n\nJohn Smith\n\nwho won easily.")
    assert all(kind != "subheading" for kind, _ in blocks(unfinished))


def test_runs_of_short_lines_are_not_subheadings() -> None:
    text = "Headline\n\nProgramme follows.\n\n11:00 Opening\n\n11:15 Speech\n\n11:30 Lunch\n\nEnd."
    assert all(kind != "subheading" for kind, _ in blocks(parse_plain(text)))


# Files without a headline


def test_long_first_line_is_body_and_title_is_its_first_sentence() -> None:
    first = (
        "Sağlık Bakanı Recep Akdağ, kısa adı SABİM olan hizmeti tanıttı. Bakan, hattın "
        "her gün yirmi dört saat açık olacağını ve vatandaşların şikayetlerini doğrudan "
        "bakanlığa iletebileceğini söyledi."
    )
    article = parse_plain(f"{first}\nİkinci paragraf burada.\n")
    assert article.title == "Sağlık Bakanı Recep Akdağ, kısa adı SABİM olan hizmeti tanıttı"
    assert article.spans[0].kind == "paragraph"
    assert article.body.startswith("Sağlık Bakanı")
    check_structure(article)


def test_derived_title_cut_at_twelve_words() -> None:
    first = " ".join(f"word{i}" for i in range(40)) + "."
    article = parse_plain(f"{first}\n\nMore.")
    assert article.title == " ".join(f"word{i}" for i in range(12)) + "…"
    assert article.spans[0].kind == "paragraph"


def test_sentence_first_line_followed_by_text_is_body() -> None:
    article = parse_plain(
        "Prof. Dr. Ayşe Kaya, yeni ilacın denendiğini açıkladı.\nDeneyler sürüyor."
    )
    assert article.title == "Prof. Dr. Ayşe Kaya, yeni ilacın denendiğini açıkladı"
    assert article.spans[0].kind == "paragraph"


@pytest.mark.parametrize(
    "first", ["Raydaki inekler haklı çıktı!", "Faizler düşer mi?", "Ankara rahatlattı..."]
)
def test_exclaiming_or_asking_headline_stays_a_headline(first: str) -> None:
    article = parse_plain(f"{first}\n\nHaber metni burada başlıyor.")
    assert article.title == first
    assert article.spans[0].kind == "headline"


def test_cjk_paragraph_without_headline() -> None:
    first = "東京は日本の首都であり、多くの人々が毎日電車で通勤している。" * 4
    article = parse_plain(f"{first}\n\n次の段落。")
    assert article.spans[0].kind == "paragraph"
    assert article.title == "東京は日本の首都であり、多くの人々が毎日電車で通勤している。"


# Words and odds and ends


def test_word_count_and_reading_time() -> None:
    article = parse_plain("Title words\n\n" + "word " * 300)
    assert article.words == 302
    assert article.reading_minutes == 2
    assert parse_plain("One").reading_minutes == 1


def test_cjk_words_count_two_characters_each() -> None:
    assert parse_plain("東京は日本の首都です").words == 5
    assert parse_plain("東京 Tokyo は大きい").words == 1 + 3  # 5 kanji/kana -> 3, plus "Tokyo"


def test_controls_removed_from_title_and_body() -> None:
    article = parse_plain("\ufeffHead\x1b[2Jline\u202e\n\nBody\x07 text\x9b.")
    assert article.title == "Headline"
    assert article.body == "Headline\n\nBody text."


def test_empty_text_gives_empty_article() -> None:
    article = parse_plain(" \n\t\n")
    assert (article.title, article.body, article.spans, article.words) == ("", "", (), 0)


def test_language_left_to_the_caller() -> None:
    assert parse_plain("Headline\n\nSome text in English for everyone.").language is None


def test_blocks_of_rebuilds_every_span_from_the_marked_ones() -> None:
    from reader.text.structure import blocks_of

    text = "Head\n\nFirst para.\n\nA subheading\n\nSecond para\nstill.\n\n- a\n- b\n\nLast one."
    article = parse_plain(text)
    marked = [(s.start, s.end, s.kind) for s in article.spans if s.kind != "paragraph"]
    assert blocks_of(article.body, marked) == list(article.spans)
    assert [s.kind for s in article.spans].count("paragraph") >= 2
