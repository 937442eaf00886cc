"""Decoding a file's bytes: BOMs, UTF-8, legacy code pages, and refusing binary data."""

# Turkish, CJK and typographic characters here are deliberate.
# ruff: noqa: RUF001

from __future__ import annotations

import codecs
import random

import pytest

from reader.text import ImportRefused, decode_bytes

TURKISH = "Çavuşoğlu İstanbul'da “ılık” bir günde ağır işleri anlattı: Şişli, Iğdır."


def test_plain_utf8() -> None:
    assert decode_bytes(TURKISH.encode(), "a.txt") == TURKISH


def test_utf8_with_bom() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + TURKISH.encode(), "a.txt") == TURKISH


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom(codec: str) -> None:
    data = ("\ufeff" + TURKISH + "\n東京 مرحبا").encode(codec)
    assert b"\x00" in data  # NUL bytes are expected here, not a sign of binary data
    assert decode_bytes(data, "a.txt") == TURKISH + "\n東京 مرحبا"


def test_broken_utf16_is_refused() -> None:
    data = codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    with pytest.raises(ImportRefused, match=r"^a\.txt: not valid UTF-16-LE text$"):
        decode_bytes(data, "a.txt")


def test_windows_1254_turkish() -> None:
    assert decode_bytes(TURKISH.encode("cp1254"), "tr.txt") == TURKISH


def test_iso_8859_9_turkish_reads_as_windows_1254() -> None:
    text = "Şişli'de ağır ışık ve İzmir'de güneş"
    assert decode_bytes(text.encode("iso8859_9"), "tr.txt") == text


def test_stray_latin1_byte_in_ascii_text() -> None:
    # As in the BBC set's sport/199.txt: one raw 0xA3 in otherwise plain text.
    data = b"Mutu, a \xa315.8m signing from Parma, may face a two-year ban."
    assert (
        decode_bytes(data, "199.txt")
        == "Mutu, a £15.8m signing from Parma, may face a two-year ban."
    )


def test_stray_byte_among_valid_utf8() -> None:
    data = "Café prices rose".encode() + b" to \xa35 \x96 " + "naïve".encode()
    assert decode_bytes(data, "a.txt") == "Café prices rose to £5 – naïve"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (
            "Le président a déclaré que la réforme serait présentée à l'Assemblée après l'été.",
            "cp1252",
        ),
        ("Café crème brûlée à la française, très élégant, déjà vu, naïve façade.", "cp1252"),
        ("Größere Änderungen für Straßen und Brücken müssen überprüft werden.", "cp1252"),
        ("El niño comió una manzana mientras la señora leía el periódico. ¿Qué pasó?", "cp1252"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy. Nechť již hříšné saxofony zní.", "cp1250"),
        ("Vláda schválila návrh zákona o státním rozpočtu na příští rok, řekl ministr.", "cp1250"),
        ("Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig.", "cp1250"),
        (
            "Съешь же ещё этих мягких французских булок, да выпей чаю. Широкая электрификация.",
            "cp1251",
        ),
        (
            "Η κυβέρνηση ενέκρινε χθες το νομοσχέδιο για τον προϋπολογισμό του επόμενου έτους.",
            "cp1253",
        ),
        ("日本語のテキストです。東京は日本の首都です。政府は昨日、予算案を承認した。", "shift_jis"),
    ],
    ids=["fr", "fr-short", "de", "es", "cs", "cs-2", "pl", "ru", "el", "ja"],
)
def test_legacy_code_pages(text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec), "legacy.txt") == text


def test_nul_bytes_are_binary() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100)
    with pytest.raises(ImportRefused) as caught:
        decode_bytes(data, "picture.png")
    assert str(caught.value) == "picture.png: binary file (contains NUL bytes)"
    assert caught.value.path == "picture.png"


def test_random_bytes_are_refused() -> None:
    data = random.Random(2).randbytes(4096)
    with pytest.raises(ImportRefused, match=r"^noise\.bin: binary file"):
        decode_bytes(data, "noise.bin")


def test_random_bytes_without_nul_are_refused() -> None:
    data = random.Random(3).randbytes(4096).replace(b"\x00", b"\x01")
    with pytest.raises(
        ImportRefused, match=r"^noise\.bin: binary file \(contains control bytes\)$"
    ):
        decode_bytes(data, "noise.bin")


def test_valid_utf8_with_escape_bytes_is_text() -> None:
    # Terminal escapes are text to be cleaned later, not a reason to refuse.
    assert decode_bytes(b"a\x1b[2Jb", "a.txt") == "a\x1b[2Jb"
