"""Personal names in running text: the runs of capitalised words, and the roles before them."""

# Turkish letters and typographic apostrophes here are deliberate.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .sentences import TITLES

# Latin (with Turkish and other accented letters), Greek and Cyrillic capitals.
UP = "".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper())
# Initials and the abbreviated titles that may sit inside a run of names ("Dr. Hale"): the
# titles the sentence splitter knows never end a sentence.
_TITLES = "|".join(re.escape(t[:-1]) for t in sorted(TITLES, key=len, reverse=True))
ABBREVIATION = rf"(?:{_TITLES}|[A-Z])\."
TOKEN = rf"(?:{ABBREVIATION}|(?:(?:al|el|ad|as|ash|at)-)?[{UP}](?:[^\W_]|['’-](?=[{UP}]))*)"
PARTICLE = r"(?:van|von|de|der|den|del|della|di|da|du|dos|das|la|le|bin|ibn|ter|ten)"
SP = r"[^\S\n]+"
RUN = rf"(?:{PARTICLE}{SP})*{TOKEN}(?:{SP}(?:{PARTICLE}{SP})*{TOKEN})*"
TOKEN_RE = re.compile(TOKEN)
PARTICLES = frozenset(PARTICLE[3:-1].split("|"))
# How far back the words of a name before a surname are looked for.
NAME_LOOKBACK = 80


def _split(text: str) -> tuple[str, ...]:
    """The space-separated words of text (keeps the long lists below compact)."""
    return tuple(text.split())


# Roles that stand before a name in Turkish, German, French and Spanish ("Dışişleri Bakanı
# Mevlüt Çavuşoğlu", "Außenminister Heiko Maas"): a name starts after the last of them.
# Turkish roles carry a possessive suffix (Bakan → Bakanı), German ones are compounds
# (Regierungssprecher), so Turkish and German roles match by how a word starts or ends.
_ROLE_STARTS = _split(
    """
    başbakan bakan başkan cumhurbaşkan müdür sözcü yardımcı müsteşar sekreter direktör
    komutan büyükelçi temsilci uzman rektör dekan vali kaymakam kaptan teknik genelkurmay
    milletvekil koordinatör antrenör hakem dışişleri içişleri sayın profesör doç yrd öğr
    doktor avukat asbaşkan eşbaşkan yönetici başhekim savcı başsavcı veliaht prens
    orgeneral korgeneral tümgeneral tuğgeneral oramiral koramiral menajer başantrenör
    sorumlu
    """
)
_ROLE_ENDS = _split(
    """
    minister ministerin kanzler kanzlerin präsident präsidentin sprecher sprecherin chef
    chefin vorsitzende vorsitzender direktorin
    """
)
_ROLE_WORDS = frozenset(
    _split(
        """
    genel lideri vekili üyesi hocası hoca teknik direktör kurulu başkanvekili hekim hekimi
    bundeskanzlerin bundeskanzler ministerin präsident präsidentin direktor kanzlerin
    sprecher sprecherin chefin vorsitzende vorsitzender direktorin
    trainer bürgermeister bürgermeisterin
    ministre président présidente porte-parole directeur directrice secrétaire maire
    député députée sénateur entraîneur
    ministro ministra presidente presidenta portavoz director directora secretario
    secretaria alcalde alcaldesa diputado diputada senador senadora entrenador canciller
    """
    )
)
# Words that open a sentence in these languages and so begin a run of capitals.
OPENERS = frozenset(
    _split(
        """
    Ancak Ayrıca Ama Fakat Bu Şu Bunun Öte Yani Ve Dün Bugün Yarın Geçen Sonra Daha Hatta
    Özellikle Böylece Oysa Çünkü Buna Onun Ona Biz Siz Onlar Bana Bize Beni Bizi Size Bunu
    Bir Aynı Nedenini Şöyle
    Er Sie Es Wir Ich Und Aber Doch Auch Im Nach Laut
    Il Elle Nous Et Mais Pour Selon Dans Mme Mlle
    Él Ella Nosotros Pero Según Con Sr Sra
    """
    )
)
# After a name these articles start the next phrase ("sagte Merkel der Zeitung"), unless a
# particle stands before them ("von der Leyen", "de la Rosa").
_NOT_AFTER_NAME = frozenset(_split("der dem la las los el"))
# Turkish case endings after an apostrophe: "Çavuşoğlu'nun" is Çavuşoğlu.
SUFFIX = r"['’][a-zçğıöşüâî]+"
_SUFFIX_RE = re.compile(rf"(?<=[^\W\d_]){SUFFIX}\Z")
_CAPS_SUFFIX_RE = re.compile(r"(?<=[^\W\d_a-zçğıöşü]{2})['’][A-ZÇĞİÖŞÜ]{1,5}\Z")


def _fold(word: str) -> str:
    """Lower case that keeps Turkish dotted and dotless i apart."""
    return word.replace("İ", "i").replace("I", "ı").lower()


def titled(word: str) -> str:
    """A word in capitals with only its first letter kept upper case, Turkish-aware."""
    return word[:1] + _fold(word[1:])


@lru_cache(maxsize=4096)
def is_role(word: str) -> bool:
    """Whether a capitalised word is a role or a title rather than part of a name."""
    low = _fold(word.rstrip("."))
    # A German compound ends with a role ("Außenminister", "Hafenchef"); the word alone is
    # left to _ROLE_WORDS, so English "Minister" and "Chef" keep their English rules.
    return (
        low in _ROLE_WORDS
        or low.startswith(_ROLE_STARTS)
        or (low.endswith(_ROLE_ENDS) and low not in _ROLE_ENDS)
    )


def drop_roles(words: Sequence[str]) -> list[str]:
    """The words after the last role, without a trailing case suffix or a trailing article."""
    return list(_drop_roles(tuple(words)))


# The same few runs of names come up again and again in one article.
@lru_cache(maxsize=4096)
def _drop_roles(words: tuple[str, ...]) -> tuple[str, ...]:
    out = list(words)
    out = out[max((k + 1 for k, word in enumerate(out) if is_role(word)), default=0) :]
    for k in range(1, len(out)):
        if out[k] in _NOT_AFTER_NAME and out[k - 1] not in PARTICLES:
            out = out[:k]
            break
    if out:
        last = _SUFFIX_RE.sub("", out[-1])
        if _CAPS_SUFFIX_RE.search(last):
            # A newspaper's capitalised lead-in: "LUCESCU'NUN" is Lucescu.
            last = _CAPS_SUFFIX_RE.sub("", last)
            last = titled(last)
        out[-1] = last
    return tuple(out)


def words_before(body: str, i: int) -> list[str]:
    """The capitalised words (and particles) directly before offset i on its line."""
    lo = max(0, i - NAME_LOOKBACK)
    window = body[lo:i]
    if not window.endswith(" "):
        return []
    cut = window.rfind("\n") + 1
    words = window[cut:].split()
    if not cut and lo and not body[lo - 1].isspace():
        words = words[1:]  # the window starts mid-word
    out: list[str] = []
    while words and len(out) < 5:
        word = words.pop()
        if not (TOKEN_RE.fullmatch(word) or (out and word in PARTICLES)):
            break
        out.append(word)
    out.reverse()
    return out
