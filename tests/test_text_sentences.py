"""Sentence segmentation for the passage cursor: rules, seed article, scripts, speed."""

# Typographic quotes, Japanese and Arabic text here are deliberate.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest

from reader.locations import sample_articles_dir
from reader.text import parse_plain, sentence_at, sentence_spans
from tests.conftest import SEED

SAMPLES = sample_articles_dir()
LONG = SAMPLES / "the-long-winter-of-the-lighthouse-keepers.txt"


def check_spans(body: str, spans: list[tuple[int, int]], start: int = 0, end: int = -1) -> None:
    """In order, inside the range, trimmed, and covering every non-space character."""
    end = len(body) if end < 0 else end
    position = start
    for first, last in spans:
        assert position <= first < last <= end
        text = body[first:last]
        assert text == text.strip()
        assert not body[position:first].strip(), "non-space text left out"
        position = last
    assert not body[position:end].strip(), "non-space text left out"


def sentences(body: str, start: int = 0, end: int | None = None) -> list[str]:
    """The sentence texts, after checking the span invariants."""
    spans = sentence_spans(body, start, end)
    check_spans(body, spans, start, -1 if end is None else end)
    return [body[first:last] for first, last in spans]


def in_one_sentence(body: str, passage: str) -> bool:
    """Whether the passage occurs in the body inside a single sentence span."""
    index = body.index(passage)
    spans = sentence_spans(body)
    return any(first <= index and index + len(passage) <= last for first, last in spans)


# Rules, one at a time.


def test_simple_sentences_and_enders() -> None:
    assert sentences("One. Two! Three? Four… Five") == ["One.", "Two!", "Three?", "Four…", "Five"]


def test_empty_and_blank() -> None:
    assert sentence_spans("") == []
    assert sentence_spans("   \n\n  ") == []


def test_offsets_are_into_the_body_and_trimmed() -> None:
    body = "  Hello there.   General Kenobi!  "
    assert sentence_spans(body) == [(2, 14), (17, 32)]


def test_range_is_respected() -> None:
    body = "Skip me. Keep this. And this. Not this."
    start = body.index("Keep")
    end = body.index("Not")
    assert sentences(body, start, end) == ["Keep this.", "And this."]


def test_range_is_clamped() -> None:
    assert sentences("One. Two.", -5, 100) == ["One.", "Two."]


def test_never_joins_across_a_blank_line() -> None:
    body = "A headline without a stop\n\nDr.\n\nSecond paragraph, e.g.\n\nthird one"
    assert sentences(body) == [
        "A headline without a stop",
        "Dr.",
        "Second paragraph, e.g.",
        "third one",
    ]


def test_single_newline_joins_but_list_items_split() -> None:
    assert sentences("a line\nwrapped here.") == ["a line\nwrapped here."]
    assert sentences("- eggs\n- flour\n2. sugar") == ["- eggs", "- flour", "2. sugar"]


def test_closing_quotes_and_brackets_stay_with_the_sentence() -> None:
    body = 'He said "stop." Then (quietly.) She left.’ Il dit « Oui.\u00a0» Fine.]] End.'
    assert sentences(body) == [
        'He said "stop."',
        "Then (quietly.)",
        "She left.’",
        "Il dit « Oui.\u00a0»",
        "Fine.]]",
        "End.",
    ]


def test_next_sentence_may_open_with_a_quote_bracket_or_digit() -> None:
    body = 'It ended. "Next." [Edited.] 2020 was bad. ‘Quote.’ «Guillemets.»'
    assert sentences(body) == [
        "It ended.",
        '"Next."',
        "[Edited.]",
        "2020 was bad.",
        "‘Quote.’",
        "«Guillemets.»",
    ]


def test_lowercase_continues() -> None:
    assert sentences("e.g. this works. And so. does this.") == [
        "e.g. this works.",
        "And so. does this.",
    ]


def test_quote_then_said_continues() -> None:
    body = '"We will do what is needed," said he. "Is it?" she asked. "Go!" they cried.'
    assert sentences(body) == [
        '"We will do what is needed," said he.',
        '"Is it?" she asked.',
        '"Go!" they cried.',
    ]


@pytest.mark.parametrize(
    "title",
    [
        "Mr.",
        "Mrs.",
        "Ms.",
        "Dr.",
        "Prof.",
        "St.",
        "Sr.",
        "Gen.",
        "Sen.",
        "Rep.",
        "Gov.",
        "Lt.",
        "Col.",
        "Capt.",
        "Sgt.",
        "Rev.",
        "Hon.",
    ],
)
def test_titles_do_not_end(title: str) -> None:
    assert sentences(f"We met {title} Smith today. Then we left.") == [
        f"We met {title} Smith today.",
        "Then we left.",
    ]


@pytest.mark.parametrize(
    "month",
    [
        "Jan.",
        "Feb.",
        "Mar.",
        "Apr.",
        "Jun.",
        "Jul.",
        "Aug.",
        "Sep.",
        "Sept.",
        "Oct.",
        "Nov.",
        "Dec.",
    ],
)
def test_months_before_a_day_do_not_end(month: str) -> None:
    assert sentences(f"It started on {month} 12, 2020. Then it stopped.") == [
        f"It started on {month} 12, 2020.",
        "Then it stopped.",
    ]


def test_days_before_a_date_do_not_end() -> None:
    assert len(sentences("The vote is on Tue. 5 March. We will see.")) == 2


@pytest.mark.parametrize(
    "abbreviation", ["e.g.", "i.e.", "vs.", "approx.", "E.g.", "Approx.", "cf."]
)
def test_common_abbreviations_do_not_end(abbreviation: str) -> None:
    body = f"Cities, {abbreviation} Paris and Rome, are old. They are."
    assert len(sentences(body)) == 2


@pytest.mark.parametrize("abbreviation", ["Mt.", "Ft."])
def test_place_abbreviations_do_not_end(abbreviation: str) -> None:
    assert len(sentences(f"We climbed {abbreviation} Everest once. Never again.")) == 2


def test_numbers_do_not_end() -> None:
    body = "About 1,800 people, 3.5 per cent, and No. 5 of 700,000 came. Then more."
    assert sentences(body) == [
        "About 1,800 people, 3.5 per cent, and No. 5 of 700,000 came.",
        "Then more.",
    ]


def test_no_before_a_capital_ends() -> None:
    assert sentences("He said No. Then he left.") == ["He said No.", "Then he left."]


def test_company_abbreviations() -> None:
    assert len(sentences("Acme Inc. said no. Globex Corp. was silent.")) == 2
    assert sentences("He works for Acme Inc. The firm is big.") == [
        "He works for Acme Inc.",
        "The firm is big.",
    ]


def test_etc_before_a_capital_ends_the_sentence() -> None:
    assert sentences("Apples, pears, etc. The list goes on. Also etc. and so on.") == [
        "Apples, pears, etc.",
        "The list goes on.",
        "Also etc. and so on.",
    ]


def test_times_of_day() -> None:
    assert sentences("Lit at 6 a.m. and out at 9 p.m. Then we slept.") == [
        "Lit at 6 a.m. and out at 9 p.m.",
        "Then we slept.",
    ]


def test_initials_do_not_end() -> None:
    body = "J. R. R. Tolkien met George W. Bush. Nobody believed it."
    assert sentences(body) == ["J. R. R. Tolkien met George W. Bush.", "Nobody believed it."]


def test_pronoun_i_is_not_an_initial() -> None:
    assert sentences("So did I. Then we left.") == ["So did I.", "Then we left."]


def test_dotted_acronyms() -> None:
    body = (
        "U.S.-based firms and U.S. officials agree. The U.S. Senate voted. "
        "The E.U. and the U.N. disagree with the U.K. Nobody asked."
    )
    assert sentences(body) == [
        "U.S.-based firms and U.S. officials agree.",
        "The U.S. Senate voted.",
        # "U.K. Nobody" is ambiguous; joining is preferred.
        "The E.U. and the U.N. disagree with the U.K. Nobody asked.",
    ]


def test_dotted_acronym_at_paragraph_end_ends() -> None:
    body = "They moved to the U.S.\n\nLater they came back. To the U.K."
    assert sentences(body) == ["They moved to the U.S.", "Later they came back.", "To the U.K."]


def test_turkish_abbreviations() -> None:
    body = (
        "Prof. Dr. Ayşe Yılmaz ile Av. Mehmet Kaya ve Doç. Dr. Ali Demir geldi. "
        "Kitap, defter vb. aldılar. Ankara vs. İstanbul maçı yarın."
    )
    assert sentences(body) == [
        "Prof. Dr. Ayşe Yılmaz ile Av. Mehmet Kaya ve Doç. Dr. Ali Demir geldi.",
        "Kitap, defter vb. aldılar.",
        "Ankara vs. İstanbul maçı yarın.",
    ]


def test_turkish_sentences_start_with_dotted_capitals() -> None:
    assert sentences("Bitti. İstanbul uyudu. Çarşı kapandı. Ölçüm 3.5 oldu.") == [
        "Bitti.",
        "İstanbul uyudu.",
        "Çarşı kapandı.",
        "Ölçüm 3.5 oldu.",
    ]


def test_ellipsis_before_lowercase_continues() -> None:
    assert sentences("Well... maybe. Wait… Then go.") == ["Well... maybe.", "Wait…", "Then go."]


def test_japanese() -> None:
    body = "東京は晴れ。大阪は雨！明日は？「よく眠れました。」と話す。最後"
    assert sentences(body) == [
        "東京は晴れ。",
        "大阪は雨！",
        "明日は？",
        "「よく眠れました。」と話す。",
        "最後",
    ]


def test_japanese_inside_brackets_splits() -> None:
    body = "「夜中に目が覚める。それも楽しみです」と語る。"
    assert sentences(body) == ["「夜中に目が覚める。", "それも楽しみです」と語る。"]


def test_arabic() -> None:
    body = "هل تعرف الواحة؟ نعم، أعرفها جيدًا. الماء هنا أثمن من الذهب."
    assert sentences(body) == [
        "هل تعرف الواحة؟",
        "نعم، أعرفها جيدًا.",
        "الماء هنا أثمن من الذهب.",
    ]


def test_a_non_latin_letter_starts_a_sentence() -> None:
    assert sentences("It ends here. Это начало. 这是开始。") == [
        "It ends here.",
        "Это начало.",
        "这是开始。",
    ]


# sentence_at


def test_sentence_at() -> None:
    spans = [(0, 4), (6, 10), (12, 20)]
    assert sentence_at(spans, 0) == 0
    assert sentence_at(spans, 3) == 0
    assert sentence_at(spans, 4) == 1  # in the gap: the next sentence
    assert sentence_at(spans, 9) == 1
    assert sentence_at(spans, 12) == 2
    assert sentence_at(spans, 500) == 2  # past the end: the last
    assert sentence_at([], 3) == 0


# The seed article and the shipped samples, exactly as stored.


@pytest.fixture(scope="module")
def seed_body() -> str:
    if not SEED.exists():
        pytest.skip("the shared seed folder is absent")
    return parse_plain(SEED.read_text(encoding="utf-8")).body


@pytest.mark.parametrize(
    "passage",
    [
        '"The UN Humanitarian Coordination Office announced that 400 civilians have died '
        "since Dec. 1, and 700,000 people fled their homes in the past two months,",
        "flouting both the 2018 cease-fire and a new one that started on Jan. 12.",
        "FETÖ and its U.S.-based leader Fetullah Gülen orchestrated the defeated coup of "
        "July 15, 2016, which left 251 people martyred and nearly 2,200 injured.",
        'We will do what is needed," said Çavuşoğlu, speaking alongside',
    ],
)
def test_seed_passages_are_one_sentence(seed_body: str, passage: str) -> None:
    assert in_one_sentence(seed_body, passage)


def test_seed_quoted_passage_splits(seed_body: str) -> None:
    start = seed_body.index('"We continue to work')
    end = seed_body.index("\n\n", start)
    assert sentences(seed_body, start, end) == [
        '"We continue to work with Russia to ensure that the cease-fire is permanent.',
        "But even if there is no result from this process, our determination is obvious.",
        'We will do what is needed," said Çavuşoğlu, speaking alongside his Albanian '
        "counterpart Gent Cakaj in the capital Tirana.",
    ]


def test_seed_whole_body_keeps_paragraphs_apart(seed_body: str) -> None:
    spans = sentence_spans(seed_body)
    check_spans(seed_body, spans)
    assert all("\n\n" not in seed_body[first:last] for first, last in spans)
    assert seed_body[slice(*spans[0])] == "Turkish delegation due in Russia to talk Idlib, Syria"


def test_paragraph_ranges_match_the_whole_body(seed_body: str) -> None:
    article = parse_plain(SEED.read_text(encoding="utf-8"))
    by_paragraph = [
        span for s in article.spans for span in sentence_spans(article.body, s.start, s.end)
    ]
    assert by_paragraph == sentence_spans(seed_body)


def test_long_sample() -> None:
    body = parse_plain(LONG.read_text(encoding="utf-8")).body
    spans = sentence_spans(body)
    check_spans(body, spans)
    for passage in [
        "Dr. Hale is sceptical of most of them.",
        "St. Agnes showed two flashes every fifteen.",
        "lies approx. 40 km from the nearest harbour.",
        "a researcher at a university in the south of the U.K. recently completed",
        "At St. Agnes, on a page dated Jan. 12, 1889, the principal keeper wrote:",
        '"Mrs. T. fell on the tower steps at 6 a.m. and hurt her arm.',
        'and to "give my respects to Mr. and Mrs. Moncur."',
        "a keeper's wife who can keep the light, i.e. most of them.",
    ]:
        assert in_one_sentence(body, passage), passage
    texts = {body[first:last] for first, last in spans}
    assert "Dr. Hale is sceptical of most of them." in texts
    assert 'It reads: "Light extinguished 6.48 a.m.' in texts


def test_japanese_sample() -> None:
    body = parse_plain((SAMPLES / "ja-tokyo-night-trains.txt").read_text(encoding="utf-8")).body
    texts = sentences(body)
    assert "一方で課題もある。" in texts
    assert all(not text.startswith(("と", "」")) for text in texts)


def test_arabic_sample() -> None:
    body = parse_plain((SAMPLES / "ar-date-palm-oasis.txt").read_text(encoding="utf-8")).body
    texts = sentences(body)
    assert "ولا يُترك توزيع الماء للمصادفة." in texts
    assert "وتستغرق الدورة الكاملة نحو تسعة أيام." in texts


def test_fifty_thousand_words_is_fast() -> None:
    # A generous bound: only catches pathological (quadratic) slowness; the budget
    # itself (~50 ms for 50,000 words) is measured outside the test suite.
    body = parse_plain(LONG.read_text(encoding="utf-8")).body
    body = "\n\n".join([body, body, body])[: 50_000 * 6]
    spans = sentence_spans(body)  # how fast: bench/, not a timed test
    assert len(spans) > 2_000


def test_no_sentence_enders_at_all_is_fast() -> None:
    body = "word " * 60_000 + "." * 10_000 + " ." * 10_000
    spans = sentence_spans(body)
    assert spans and spans[0][0] == 0
