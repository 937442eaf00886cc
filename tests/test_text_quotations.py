"""Detected quotations: marks, paragraphs, speakers, the seed, the sample interview, speed."""

# Typographic quotes and Turkish names here are deliberate.
# ruff: noqa: RUF001

from __future__ import annotations

from pathlib import Path

import pytest

from reader.locations import sample_articles_dir
from reader.text import DetectedQuote, detect_quotes, parse_plain

SAMPLES = sample_articles_dir()
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_4eb47535c0ebb6d1.txt"
CAVUSOGLU = "Mevlüt Çavuşoğlu"


def quotes(body: str) -> list[DetectedQuote]:
    """detect_quotes, after checking that every quote's text and offsets agree."""
    found = detect_quotes(body)
    for quote in found:
        assert body[quote.start : quote.end] == quote.text
        assert quote.text == quote.text.strip()
    assert [q.start for q in found] == sorted(q.start for q in found)
    return found


def pairs(body: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes(body)]


def sample(name: str) -> str:
    return parse_plain((SAMPLES / name).read_text("utf-8")).body


# --- the seed and the samples --------------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason="/work/shared is absent")
def test_seed_quotations_are_cavusoglus() -> None:
    body = parse_plain(SEED.read_text("utf-8")).body
    found = quotes(body)
    openings = [q.text.split(".")[0][:40] for q in found]
    assert openings == [
        "will visit Moscow",
        "We continue to work with Russia to ensur",
        "The UN Humanitarian Coordination Office ",
        "We do not want Albania to be a safe have",
        "We see people who took a part in a coup ",
    ]
    assert {q.speaker for q in found} == {CAVUSOGLU}
    assert found[0].text.endswith("visited Ankara twice and held meetings")
    assert found[3].text == "We do not want Albania to be a safe haven for FETÖ members"
    # The single-quoted subheading is not a quotation.
    assert not any("No safe haven" in q.text for q in found)


def test_sample_interview() -> None:
    body = sample("interview-with-a-bookbinder.txt")
    found = {q.text[:30]: q.speaker for q in quotes(body)}
    assert found["People walk in here and think "] == "Maren Ostby"  # "…," said X
    assert found["The paperbacks are my favourit"] == "Maren Ostby"  # Ostby said: "…"
    assert found["If it does not, you have done "] == "Maren Ostby"  # shares "she said"
    assert found["The ones who haggle usually st"] == "Maren Ostby"  # curly, "she said"
    assert found["I spent three years making thi"] == "Tomas Rieck"  # surname → full name
    assert found["I would like to keep this plac"] == "Tomas Rieck"  # curly
    assert found["She says that to every journal"] == "Tomas Rieck"  # "he said" after "Rieck,"
    assert found["He was stubborn, which is good"] == "Maren Ostby"  # "she" after "Ostby paused"
    assert found["to make things that you can dr"] is None  # "as he puts it": no attribution
    # A quote spanning two paragraphs: one DetectedQuote per paragraph, one speaker.
    assert found["It does not look at the paper "] == "Maren Ostby"
    assert found["And when you pay attention for"] == "Maren Ostby"
    # "Everyone wants something that lasts" has five words.
    assert not any(text.startswith("Everyone wants") for text in found)


def test_other_samples_have_offsets_right() -> None:
    for path in SAMPLES.iterdir():
        quotes(parse_plain(path.read_text("utf-8")).body)


# --- marks and paragraphs ---------------------------------------------------------------


def test_nested_single_quotes_stay_inside() -> None:
    body = "She said: \"My father called it 'the long winter' until the day he died.\""
    assert pairs(body) == [("My father called it 'the long winter' until the day he died.", None)]
    body = "“They told us ‘never again’ and then did it all again,” said Ann Lee."
    assert pairs(body) == [("They told us ‘never again’ and then did it all again", "Ann Lee")]


def test_quotes_under_six_words_are_ignored() -> None:
    body = '"Five words and no more," said Ann Lee. "Now six words are quite enough," she said.'
    assert pairs(body) == [("Now six words are quite enough", "Ann Lee")]


def test_unbalanced_marks_do_not_swallow_the_article() -> None:
    body = (
        'The board said "it would look again at the plan and then decide\n\n'
        "Nothing more was heard of it for a long time after that meeting.\n\n"
        '"This quote is properly closed and long enough," said Ann Lee.'
    )
    found = quotes(body)
    assert [q.text for q in found] == ["This quote is properly closed and long enough"]
    # A stray mark before a real quote does not pair with it.
    body = 'He is 6\'2" tall. "We will build the new harbour wall this year," Lee said.'
    assert pairs(body) == [("We will build the new harbour wall this year", "Lee")]
    assert quotes("”Stray closer, then words without any opener at all here.") == []


def test_quote_spanning_paragraphs() -> None:
    body = (
        '"The first paragraph of the quote goes on for a while," said Ann Lee. "It ends open.'
        '\n\n"And the second paragraph finishes what she was saying."\n\n'
        "An ordinary paragraph follows."
    )
    assert pairs(body) == [
        ("The first paragraph of the quote goes on for a while", "Ann Lee"),
        ("It ends open.", "Ann Lee"),
        ("And the second paragraph finishes what she was saying.", "Ann Lee"),
    ]


def test_continued_parts_count_words_together() -> None:
    body = '"Yes, indeed.\n\n"And then some more words," said Ann Lee.'
    assert pairs(body) == [("Yes, indeed.", "Ann Lee"), ("And then some more words", "Ann Lee")]


def test_guillemets_and_low_quotes() -> None:
    body = "Le ministre a déclaré : « Nous continuerons à travailler avec nos partenaires » hier."
    assert [q.text for q in quotes(body)] == ["Nous continuerons à travailler avec nos partenaires"]
    body = "„Wir werden weiter mit allen Partnern arbeiten“, sagte er."
    assert [q.text for q in quotes(body)] == ["Wir werden weiter mit allen Partnern arbeiten"]
    body = "«We will keep working with all of our partners,» said Ann Lee."
    assert pairs(body) == [("We will keep working with all of our partners", "Ann Lee")]


def test_quote_at_the_very_end_of_the_body() -> None:
    body = 'Headline\n\nAnn Lee said: "The harbour will reopen in the spring of next year"'
    (quote,) = quotes(body)
    assert quote.end == len(body) - 1
    assert quote.speaker == "Ann Lee"
    body = "Headline\n\nAnn Lee said: “The harbour will reopen in the spring”"
    assert quotes(body)[0].end == len(body) - 1


def test_offsets_are_exact() -> None:
    body = "Title\n\n“  Padded quote with six words inside  ,” said Ann Lee."
    (quote,) = quotes(body)
    # Spaces and the comma before the closing mark are the sentence's, not the quote's.
    assert quote.text == "Padded quote with six words inside"
    assert body[quote.start - 3 : quote.start] == "“  "
    # A straight quote followed by a space opens nothing.
    assert quotes('Title\n\n"  Padded quote with six words inside ," said Ann Lee.') == []
    assert quotes("") == []
    assert quotes('""') == []


# --- speakers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ('"We will keep on working on this for years," said Ann Lee.', "Ann Lee"),
        ('"We will keep on working on this for years," Ann Lee said.', "Ann Lee"),
        ('Ann Lee said: "We will keep on working on this for years."', "Ann Lee"),
        ('Ann Lee told reporters: "We will keep on working on this for years."', "Ann Lee"),
        ('"We will keep on working on this for years," SAID Ann Lee.', "Ann Lee"),
        ('"We will keep on working on this for years," Ann Lee warned.', "Ann Lee"),
        ('"We will keep on working on this for years," Ann Lee insisted.', "Ann Lee"),
        ('"We will keep on working on this for years," recalled Ann Lee.', "Ann Lee"),
        ('"We will keep on working on this for years," according to Ann Lee.', "Ann Lee"),
        ('"We will keep on working on this for years," said Dr. Ann Lee.', "Ann Lee"),
        ('"We will keep on working on this for years," said Prime Minister Ann Lee.', "Ann Lee"),
        ('"We will keep on working on this for years," said Ahmed al-Sharif.', "Ahmed al-Sharif"),
        ('"We will keep on working on this for years," said Ruud van Dijk.', "Ruud van Dijk"),
        ('"We will keep on working on this for years," Ann Lee told Reuters.', "Ann Lee"),
        ('"We will keep on working on this for years," said İsmail Öztürk.', "İsmail Öztürk"),
        ('"We will keep on working on this for years," said one resident.', None),
        ('"We will keep on working on this for years," the ministry said.', None),
        ('"We will keep on working on this for years," she said.', None),  # nobody named yet
        ('"We will keep on working on this for years," Ann Lee wrote.', None),  # not in the list
    ],
)
def test_attribution_forms(sentence: str, speaker: str | None) -> None:
    assert [q.speaker for q in quotes(sentence)] == [speaker]


def test_gap_before_the_verb_in_the_same_sentence() -> None:
    body = 'A team "will visit the capital next week and hold talks" on trade, said Ann Lee.'
    assert pairs(body)[0][1] == "Ann Lee"


def test_pronoun_resolves_to_the_last_person_mentioned() -> None:
    body = (
        '"I have kept this lighthouse for thirty years now," said Ann Lee.\n\n'
        '"She taught me everything I know about the lamp," said Tom Reid.\n\n'
        "Lee laughed at that, and put the kettle on.\n\n"
        '"He was a slow learner, but a very good one," she said.\n\n'
        '"I still am a slow learner, most days of the week," he added.'
    )
    assert [q.speaker for q in quotes(body)] == ["Ann Lee", "Tom Reid", "Ann Lee", "Ann Lee"]
    # Names inside quotations are not mentions: "Lee" in Reid's quote does not count.
    body = (
        '"We will keep on working on this for years," said Tom Reid.\n\n'
        '"Ann Lee is the one who taught all of us," he added.'
    )
    assert [q.speaker for q in quotes(body)] == ["Tom Reid", "Tom Reid"]


def test_surname_maps_to_the_fullest_earlier_form() -> None:
    body = (
        "Foreign Minister Mevlüt Çavuşoğlu arrived in Tirana on Wednesday.\n\n"
        '"We continue to work with Russia to ensure the cease-fire," Çavuşoğlu said.\n\n'
        'Çavuşoğlu added: "Our determination is obvious to everyone here."'
    )
    assert {q.speaker for q in quotes(body)} == {CAVUSOGLU}
    # No fuller form anywhere: the surname stays as it is; a later full form is used.
    assert pairs('"We will keep on working on this for years," Lee said.')[0][1] == "Lee"
    body = '"We will keep on working on this for years," Lee said.\n\nAnn Lee left at noon.'
    assert pairs(body)[0][1] == "Ann Lee"


def test_quote_only_paragraph_continues_the_previous_speaker() -> None:
    body = (
        '"We do not want the harbour to close for good," said Ann Lee.\n\n'
        '"We see the boats leave every winter and never come back."\n\n'
        "The council has not replied.\n\n"
        '"Nobody has asked us about any of this at all."'
    )
    assert [q.speaker for q in quotes(body)] == ["Ann Lee", "Ann Lee", None]


def test_explicitly_anonymous_quote_does_not_borrow_a_speaker() -> None:
    body = (
        '"We will keep on working on this for years," said one resident. '
        '"The harbour is all we have left here," said Ann Lee.'
    )
    assert [q.speaker for q in quotes(body)] == [None, "Ann Lee"]


# --- speed --------------------------------------------------------------------------------


def test_fifty_thousand_words_quickly() -> None:
    long = sample("the-long-winter-of-the-lighthouse-keepers.txt")
    body = "\n\n".join([long, long, sample("interview-with-a-bookbinder.txt") * 8])
    assert len(body.split()) > 50_000
    found = detect_quotes(body)  # how fast: bench/, not a timed test
    assert len(found) > 300


def test_many_stray_marks_stay_linear() -> None:
    body = 'a " b " c “ d « e „ f ' * 20_000
    assert detect_quotes(body) == []
