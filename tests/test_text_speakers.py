"""Speakers of quotations in Turkish, German, French and Spanish, on articles written for these tests."""

# Typographic quotes and Turkish letters here are deliberate.
# ruff: noqa: RUF001, RUF003, E501

from __future__ import annotations

from pathlib import Path

import pytest

from reader.text import decode_bytes, detect_quotes, parse_plain

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "tr-1150haber"
CAVUSOGLU = "Mevlüt Çavuşoğlu"


def speakers(body: str) -> list[tuple[str, str | None]]:
    """(first words, speaker) of each quotation, after checking that offsets agree."""
    found = detect_quotes(body)
    for quote in found:
        assert body[quote.start : quote.end] == quote.text
    return [(" ".join(q.text.split()[:3]), q.speaker) for q in found]


# --- Turkish -----------------------------------------------------------------------------

TURKISH = """Çavuşoğlu Tiran'da: Arnavutluk ile işbirliği sürecek

Dışişleri Bakanı Mevlüt Çavuşoğlu, çarşamba günü Arnavutluk'un başkenti Tiran'a resmi bir ziyaret gerçekleştirdi.

Çavuşoğlu, Arnavut mevkidaşı ile yaptığı görüşmenin ardından, "Arnavutluk ile ekonomik işbirliğimizi her alanda geliştirmeye devam edeceğiz" dedi.

Görüşmede bölgesel konuların da ele alındığını belirten Çavuşoğlu, "Balkanlarda barış ve istikrar bizim için her zaman önceliklidir" diye konuştu.

"Terör örgütlerine karşı mücadelemiz kararlılıkla sürecek," dedi Çavuşoğlu.

"Göç konusunda Avrupa ile birlikte çalışmaya hazırız" diyen Çavuşoğlu, Brüksel'deki toplantıya da katılacağını söyledi.

Arnavutluk Başbakanı Edi Rama da basın toplantısında, "Türkiye bizim için her zaman güvenilir bir dost ve müttefik oldu" ifadesini kullandı.

Rama'nın "iki ülke arasındaki ticaret hacmi iki katına çıkacak" sözleri salonda alkışlandı.

Çavuşoğlu ise gazetecilerin sorularını yanıtlarken şunları söyledi: "Önümüzdeki ay yeni bir anlaşma imzalamayı planlıyoruz ve hazırlıklar sürüyor."

Rama, "Turizm alanında da ortak projeler geliştirmek istiyoruz" açıklamasında bulundu.

Bakan Çavuşoğlu'nun ziyareti yarın sona erecek. "Her iki halkın dostluğu çok eskilere dayanıyor ve güçlenecek" diye ekledi.

Üst düzey bir diplomat ise, "Görüşmeler beklenenden çok daha olumlu bir havada geçti" dedi.

Açıklamada, "İki ülke arasındaki vize muafiyeti genişletilecek ve uygulama başlayacak" denildi.
"""


def test_turkish_article() -> None:
    assert speakers(TURKISH) == [
        ("Arnavutluk ile ekonomik", CAVUSOGLU),  # X, [adverbial], "…" dedi
        ("Balkanlarda barış ve", CAVUSOGLU),  # … belirten X, "…" diye konuştu
        ("Terör örgütlerine karşı", CAVUSOGLU),  # "…," dedi X
        ("Göç konusunda Avrupa", CAVUSOGLU),  # "…" diyen X
        ("Türkiye bizim için", "Edi Rama"),  # role dropped; "…" ifadesini kullandı
        ("iki ülke arasındaki", "Edi Rama"),  # X'nın "…" sözleri
        ("Önümüzdeki ay yeni", CAVUSOGLU),  # X … şunları söyledi: "…"
        ("Turizm alanında da", "Edi Rama"),  # "…" açıklamasında bulundu
        ("Her iki halkın", CAVUSOGLU),  # no subject: the person mentioned last
        ("Görüşmeler beklenenden çok", None),  # an unnamed diplomat
        ("İki ülke arasındaki", None),  # passive: "denildi"
    ]


QUOTE = "Ekonomik işbirliğimizi her alanda geliştirmeye devam edeceğiz"


@pytest.mark.parametrize(
    "sentence",
    [
        f'"{QUOTE}," dedi Mevlüt Çavuşoğlu.',
        f'Mevlüt Çavuşoğlu, "{QUOTE}" dedi.',
        f'Mevlüt Çavuşoğlu, "{QUOTE}" diye konuştu.',
        f'"{QUOTE}" diyen Mevlüt Çavuşoğlu, sözlerini tamamladı.',
        f'Mevlüt Çavuşoğlu, "{QUOTE}" ifadesini kullandı.',
        f'Mevlüt Çavuşoğlu, "{QUOTE}" diye söyledi.',
        f'Mevlüt Çavuşoğlu, "{QUOTE}" diye belirtti.',
        f'Mevlüt Çavuşoğlu, "{QUOTE}" açıklamasında bulundu.',
        f'Mevlüt Çavuşoğlu, "{QUOTE}" diye kaydetti.',
        f'Mevlüt Çavuşoğlu, "{QUOTE}" vurguladı.',
        f'Mevlüt Çavuşoğlu, "{QUOTE}" şeklinde ifade etti.',
        f'Mevlüt Çavuşoğlu şunları söyledi: "{QUOTE}"',
        f'Mevlüt Çavuşoğlu sözlerine şöyle devam etti: "{QUOTE}"',
        f"Mevlüt Çavuşoğlu'nun «{QUOTE}» ifadesi dikkat çekti.",
        f"Mevlüt Çavuşoğlu’nun “{QUOTE}” sözleri dikkat çekti.",
        f'Dışişleri Bakanı Mevlüt Çavuşoğlu dün Ankara’da yaptığı açıklamada, "{QUOTE}" dedi.',
        f'Bakan Mevlüt Çavuşoğlu ise, "{QUOTE}" diye konuştu.',
        f'Toplantıda konuşan Dışişleri Bakanı Mevlüt Çavuşoğlu, "{QUOTE}" dedi.',
        f'"{QUOTE}" diye soran Mevlüt Çavuşoğlu, yanıt bekledi.',
    ],
)
def test_turkish_forms(sentence: str) -> None:
    assert [q.speaker for q in detect_quotes(sentence)] == [CAVUSOGLU]


@pytest.mark.parametrize(
    "sentence",
    [
        f'Açıklamada, "{QUOTE}" denildi.',  # passive: nobody
        f'Yetkililer, "{QUOTE}" dedi.',  # unnamed officials
        f'Ankara’da, "{QUOTE}" dedi.',  # a place with a case ending is no subject
        f'"{QUOTE}" dedi.',  # nobody mentioned yet
        f'Ancak, "{QUOTE}" dedi.',  # a sentence opener is no name
    ],
)
def test_turkish_forms_without_a_speaker(sentence: str) -> None:
    assert [q.speaker for q in detect_quotes(sentence)] == [None]


def test_turkish_case_suffixes_and_surnames() -> None:
    body = (
        "Dışişleri Bakanı Mevlüt Çavuşoğlu’nun Tiran ziyareti sürüyor.\n\n"
        f'Çavuşoğlu, "{QUOTE}" dedi.\n\n'
        f"Çavuşoğlu'nun «{QUOTE}» sözleri alkışlandı.\n\n"
        f'TEKNİK Direktör Samet Aybaba ise, "{QUOTE}" diye konuştu.\n\n'
        f'AYBABA’NIN "{QUOTE}" sözleri dikkat çekti.\n\n'
        f'AYBABA, maçtan sonra yaptığı açıklamada, "{QUOTE}" dedi.\n\n'
        f'Plana sıcak bakan eski Dışişleri Bakanı İlter Türkmen ise "{QUOTE}" dedi.'
    )
    assert [q.speaker for q in detect_quotes(body)] == [
        CAVUSOGLU,
        CAVUSOGLU,
        "Samet Aybaba",
        "Samet Aybaba",
        "Samet Aybaba",  # a capitalised lead-in is the name written "Aybaba" elsewhere
        "İlter Türkmen",  # "X ise" with no comma
    ]


# --- German, French, Spanish ----------------------------------------------------------------

GERMAN = """Hafen von Kiel wird erweitert

Die Stadt Kiel will ihren Hafen bis 2030 deutlich vergrößern. Bürgermeisterin Anna Schröder stellte die Pläne am Montag vor.

„Wir investieren in den nächsten Jahren mehr als zweihundert Millionen Euro in den Hafen“, sagte Schröder.

„Wir haben die Sorgen der Nachbarn sehr genau gehört und ernst genommen“, betonte sie.

„Die Fähren nach Skandinavien brauchen längere Kais und neue Terminals“, erklärte Hafenchef Jonas Becker.

„Ohne die Erweiterung verlieren wir Kunden an Hamburg und Rostock“, so Becker.

Schröder sagte am Abend: „Die Anwohner werden bei jedem Schritt der Planung beteiligt.“

„Der Lärm in der Nacht ist schon heute kaum auszuhalten für uns“, sagte eine Anwohnerin.

„Der Hafen gehört allen in dieser Stadt und nicht nur den Reedern“, sagte der Sprecher der Bürgerinitiative, Paul Hansen.
"""


def test_german_article() -> None:
    assert speakers(GERMAN) == [
        ("Wir investieren in", "Anna Schröder"),  # „…“, sagte X: surname → full name
        ("Wir haben die", "Anna Schröder"),  # betonte sie
        ("Die Fähren nach", "Jonas Becker"),  # erklärte Hafenchef X: the role is dropped
        ("Ohne die Erweiterung", "Jonas Becker"),  # so X
        ("Die Anwohner werden", "Anna Schröder"),  # X sagte …: „…“
        ("Der Lärm in", None),  # sagte eine Anwohnerin
        ("Der Hafen gehört", "Paul Hansen"),  # sagte der Sprecher …, X
    ]


FRENCH = """Le port de Brest se prépare à l'hiver

La maire de Brest, Claire Morvan, a présenté mardi un plan pour protéger le port des tempêtes.

« Nous allons renforcer les digues avant la fin du mois de novembre », a déclaré Claire Morvan.

« Les pêcheurs ne peuvent pas attendre une année de plus pour les travaux », a dit Morvan.

« Personne ne nous a jamais demandé notre avis sur ces travaux », a expliqué un habitant.

« La saison a été très difficile pour toutes les familles du port », selon Yann Le Goff, président de la coopérative.

« Nous comptons sur l'aide de la région et de l'État cette fois », déclare Le Goff.

« Nous avons déjà perdu deux bateaux cette année dans le port », a-t-il ajouté.

Morvan a déclaré : « Le chantier commencera dès que la météo le permettra enfin. »
"""


def test_french_article() -> None:
    assert speakers(FRENCH) == [
        ("Nous allons renforcer", "Claire Morvan"),  # a déclaré X
        ("Les pêcheurs ne", "Claire Morvan"),  # a dit X: surname → full name
        ("Personne ne nous", None),  # a expliqué un habitant
        ("La saison a", "Yann Le Goff"),  # selon X
        ("Nous comptons sur", "Yann Le Goff"),  # déclare X
        ("Nous avons déjà", "Yann Le Goff"),  # a-t-il ajouté
        ("Le chantier commencera", "Claire Morvan"),  # X a déclaré : « … »
    ]


SPANISH = """Valencia amplía su puerto

El Ayuntamiento de Valencia presentó el lunes el proyecto de ampliación del puerto. La alcaldesa, Lucía Ferrer, defendió el plan ante los vecinos.

“Este proyecto traerá miles de empleos a la ciudad en los próximos años”, dijo Ferrer.

“Vamos a publicar todos los estudios ambientales antes del verano”, aseguró.

«Necesitamos un puerto moderno para competir con Barcelona y con Algeciras», afirmó el director del puerto, Javier Ortega.

“El tráfico de contenedores ha crecido un veinte por ciento este año”, según Ortega.

“Nadie nos ha explicado qué pasará con la playa de al lado”, dijo una vecina.

Ferrer dijo: “Los vecinos tendrán voz en cada fase de las obras del puerto.”
"""


def test_spanish_article() -> None:
    assert speakers(SPANISH) == [
        ("Este proyecto traerá", "Lucía Ferrer"),  # dijo X: surname → full name
        ("Vamos a publicar", "Lucía Ferrer"),  # aseguró, with no subject
        ("Necesitamos un puerto", "Javier Ortega"),  # afirmó el director …, X
        ("El tráfico de", "Javier Ortega"),  # según X
        ("Nadie nos ha", None),  # dijo una vecina
        ("Los vecinos tendrán", "Lucía Ferrer"),  # X dijo: “…”
    ]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "„Wir werden weiter mit allen Partnern arbeiten“, sagte Außenminister Heiko Maas.",
            "Heiko Maas",
        ),
        (
            "„Wir werden weiter mit allen Partnern arbeiten“, sagte Ursula von der Leyen.",
            "Ursula von der Leyen",
        ),
        ("„Wir werden weiter mit allen Partnern arbeiten“, sagte Maas der Zeitung.", "Maas"),
        ("„Wir werden weiter mit allen Partnern arbeiten“, so der Minister.", None),
        (
            "« Nous continuerons à travailler avec nos partenaires », a déclaré le président Emmanuel Macron.",
            "Emmanuel Macron",
        ),
        ("« Nous continuerons à travailler avec nos partenaires », selon la ministre.", None),
        (
            "« Nous continuerons à travailler avec nos partenaires », selon le ministère des Affaires étrangères.",
            None,
        ),
        ("« Nous continuerons à travailler avec nos partenaires », dit-elle.", None),
        (
            "“Seguiremos trabajando con todos nuestros socios”, dijo el presidente Pedro Sánchez.",
            "Pedro Sánchez",
        ),
        ("“Seguiremos trabajando con todos nuestros socios”, dijo el ministro.", None),
    ],
)
def test_other_language_forms(sentence: str, speaker: str | None) -> None:
    assert [q.speaker for q in detect_quotes(sentence)] == [speaker]


def test_english_is_not_read_as_another_language() -> None:
    body = '"We will keep on working on this for years," so Lee went home early.'
    assert [q.speaker for q in detect_quotes(body)] == [None]
    body = '"We will keep on working on this for years," Lee wrote, and dijo nothing.'
    assert [q.speaker for q in detect_quotes(body)] == [None]


# --- the Turkish corpus (../shared/corpus, skipped when absent) ------------------------------


def test_turkish_corpus_quotations_mostly_have_speakers() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent (it is not part of the repository)")
    total = named = 0
    for path in sorted(CORPUS.glob("*/*.txt")):
        body = parse_plain(decode_bytes(path.read_bytes(), str(path))).body
        for quote in detect_quotes(body):
            total += 1
            if quote.speaker is not None:
                named += 1
                # A name never keeps a case ending nor starts with a role or a particle.
                assert "'" not in quote.speaker[-4:] and "’" not in quote.speaker[-4:], path
                assert not quote.speaker.split()[0].startswith(("Bakan", "Başkan")), path
                assert not quote.speaker[0].islower(), path
    # Before Turkish attribution every one of the ~1,190 was unattributed.
    assert total > 1000
    assert named / total > 0.6


def test_turkish_words_that_are_not_names() -> None:
    # "Alman hoca" (the German coach) opens a sentence in capitals: no name, and no person
    # for the next quote without a subject either.
    body = (
        f'Teknik direktör Werner Lorant, "{QUOTE}" dedi.\n\n'
        f'Alman hoca, maçtan sonra "{QUOTE}" dedi. "{QUOTE}" diye ekledi.'
    )
    assert [q.speaker for q in detect_quotes(body)] == ["Werner Lorant"] * 3
    # A people in the dative ("to the Greeks") and a pronoun ("to me") are no speakers.
    body = f'Dışişleri Bakanı İsmail Cem, kendisine eşlik eden Yunanlılara "{QUOTE}" diye sordu.'
    assert [q.speaker for q in detect_quotes(body)] == ["İsmail Cem"]
    body = f'Harika Avcı, "{QUOTE}" dedi. Bana da "{QUOTE}" dedi.'
    assert [q.speaker for q in detect_quotes(body)] == ["Harika Avcı", "Harika Avcı"]
