"""Who said a quotation, in Turkish, German, French and Spanish (English: quotations.py).

Turkish puts the speaker first and the verb after the quote: ``Çavuşoğlu, "…" dedi``,
``X, "…" diye konuştu``, ``X, "…" ifadesini kullandı``; also ``"…" dedi X``,
``"…" diyen X`` and ``X şunları söyledi: "…"``. The speaker of the first kinds is the
subject of the sentence: the last name in it followed by a comma, else the name right
before the quote, else (Turkish drops pronouns) the person mentioned last. A name with a
case ending ("Ankara'da") is never a subject. German, French and Spanish name the
speaker next to the verb: ``„…“, sagte X``, ``so X``, ``« … », a dit X``, ``selon X``,
``“…”, dijo X``, ``según X``, ``X sagte: „…“``, ``X a déclaré : « … »``.
"""

# Typographic quotes here are deliberate.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import ABBREVIATION, OPENERS, PARTICLE, RUN, SP, TOKEN, UP, drop_roles

_WINDOW = 200


@dataclass(frozen=True, slots=True)
class Attribution:
    """What a quote's sentence says about its speaker."""

    kind: str  # "name" | "weak" (a name only if a fuller form is seen) | "pronoun" | "anonymous"
    name: tuple[str, ...] = ()
    at: int = 0  # where the name (or the verb, for a pronoun) stands


def _alt(words: str) -> str:
    return "|".join(sorted(words.split(), key=len, reverse=True))


_TR_NOUNS = _alt(
    "ifadesini ifadelerini sözlerini sözünü yorumunu yanıtını cevabını karşılığını "
    "mesajını açıklamasını değerlendirmesini uyarısını görüşünü tepkisini"
)
_TR_IN = _alt(
    "açıklamasında değerlendirmesinde uyarısında önerisinde yorumunda çağrısında "
    "eleştirisinde talebinde iddiasında"
)
_TR_SAID = _alt(
    "söyledi belirtti kaydetti vurguladı açıkladı ekledi anlattı sordu yanıtladı "
    "savundu seslendi haykırdı"
)
_LOWER = rf"[^\W\d_{UP}]+"
_TR_VERB = (
    rf"(?:dedi|diyor|demiş(?:ti)?|demişti|diyerek|dediği|deyince"
    rf"|(?:diye|şeklinde)(?:{SP}{_LOWER}){{0,2}}"
    rf"|(?:{_TR_NOUNS})(?:{SP}de)?{SP}(?:kullandı|yaptı|verdi|paylaştı|dile{SP}getirdi)"
    rf"|(?:{_TR_IN}){SP}bulundu|ifade{SP}etti|dile{SP}getirdi|{_TR_SAID})(?!\w)"
)
_TR_PASSIVE = (
    rf"(?:denil(?:di|erek|iyor|mişti)|(?:ifadesi|ifadeleri|sözleri|görüşü)"
    rf"(?:ne|ine)?{SP}(?:kullanıldı|yer{SP}verildi|savunuldu))(?!\w)"
)
_DE = _alt(
    "sagte sagt sagten erklärte erklärt betonte betont meinte meint ergänzte ergänzt "
    "warnte warnt schrieb schreibt fragte fragt antwortete kritisierte bekräftigte "
    "versicherte unterstrich fügte"
)
_FR = _alt(
    "dit déclare déclaré affirme affirmé ajoute ajouté explique expliqué estime estimé "
    "souligne souligné indique indiqué assure assuré précise précisé poursuit raconte "
    "raconté confie confié lance lancé insiste insisté martèle martelé résume résumé "
    "prévient prévenu observe observé reconnaît reconnu répond répondu confirme confirmé "
    "déplore déploré regrette regretté rappelle rappelé commente commenté"
)
_ES = _alt(
    "dijo dice afirmó afirma aseguró asegura explicó explica declaró declara señaló "
    "señala añadió añade agregó agrega indicó indica manifestó sostuvo sostiene comentó "
    "comenta destacó destaca subrayó advirtió advierte insistió reconoció apuntó precisó "
    "expresó recordó aseveró puntualizó enfatizó concluyó respondió preguntó"
)
_VERB = rf"(?:(?:a|hat){SP})?(?:{_DE}|{_FR}|{_ES})(?!\w)"
_ARTICLE = r"(?:der|die|das|ein|eine|einer|le|la|les|l['’]|un|une|el|los|las|una)"
# "dijo el presidente Pedro Sánchez": an article, a role in lower case, then the name.
_ROLE_NAME = (
    rf"{_ARTICLE}{SP}?(?:(?!(?:{PARTICLE}|des|y|et|und)\b){_LOWER}{SP}){{1,2}}"
    rf"(?P<rolename>{TOKEN}(?:{SP}(?:{PARTICLE}{SP})*{TOKEN})*)"
)
# "afirmó el director del puerto, Javier Ortega": the role, a comma, then the name.
_APPOSITION = rf"{_ARTICLE}{SP}?(?:[^\W\d_]+{SP}){{0,4}}[^\W\d_]+,{SP}(?P<apposition>{RUN})"
_END = r"(?=[^\S\n]*(?:[.;,)!?]|\Z))"

_AFTER = re.compile(
    rf"[^\S\n]*[,.!?;:]?[^\S\n]*(?:"
    rf"(?:diyen|(?:diye|şeklinde){SP}{_LOWER}(?:an|en)){SP}(?P<diyen>{RUN})"
    rf"|(?P<passive>{_TR_PASSIVE})"
    rf"|(?P<tr>{_TR_VERB})(?:{SP}(?P<inverted>{RUN})(?=[^\S\n]*(?:[.,;!?]|\Z)))?"
    rf"|a-t-(?P<pro>il|elle){SP}(?:{_FR})(?!\w)"
    rf"|(?:{_FR})-(?:t-)?(?P<pro2>il|elle)(?!\w)"
    rf"|so{SP}(?:(?P<anon2>der|die|das|ein|eine)(?!\w)|(?P<so>{RUN}){_END})"
    rf"|(?:{_VERB}|selon|d['’]après|según){SP}(?:"
    rf"{_ROLE_NAME}|{_APPOSITION}|(?P<anon>{_ARTICLE})(?!\w)|(?P<pro3>er|sie|él|ella)(?!\w)"
    rf"|(?P<name>{RUN}))"
    rf"|(?P<dropped>{_ES}){_END})"
)
_BEFORE = re.compile(
    rf"(?:(?P<pro>Er|Sie|Il|Elle|Él|Ella){SP}{_VERB}"
    rf"|(?<![\w'’-])(?P<name>{RUN}){SP}{_VERB}"
    rf"|(?:{_DE}|{_ES}){SP}(?P<name2>{RUN}))"
    rf"(?:{SP}[^.!?;:,\"“”«»„\n]{{1,40}}?)?[^\S\n]*:[^\S\n]*\Z"
)
_TR_COLON = re.compile(
    r"(?:(?P<passive>denildi|verildi|belirtildi|kaydedildi|edildi)"
    r"|(?:konuştu|söyledi|etti|sürdürdü|kaydetti|verdi|yanıtladı|belirtti|getirdi"
    r"|açıkladı|anlattı|ekledi|vurguladı|dedi|seslendi|yazdı|değerlendirdi|özetledi"
    r"|konuşuyor|söylüyor|ediyor|sürdürüyor|anlatıyor|açıklıyor|diyor|ekliyor|belirtiyor))"
    r"[^\S\n]*:[^\S\n]*\Z"
)
ABBREVIATION_RE = re.compile(ABBREVIATION)
_PEOPLE = re.compile(r"l[ae]r(?:[ae]|[ıi]n)\Z")
_SENTENCE_END = re.compile(r"[.!?…][\"”’']*\s+")
# A subject: a run of names with no case ending, maybe "ise"/"de" and a comma after it.
_SUBJECT = re.compile(
    rf"(?<![\w'’-])(?P<name>(?>{RUN}))(?!['’\w])(?P<comma>(?:{SP}(?:ise|de|da))?[^\S\n]*,)?"
)
_PLURAL = re.compile(
    rf"(?<!['’])[a-zçğıöşü](?:ler|lar)(?:ı|i)?(?:{SP}(?:ise|de|da))?[^\S\n]*,?[^\S\n]*\Z"
)
_ONLY_LOWER = re.compile(rf"(?:{SP}(?!(?:ile|ve|veya)\b){_LOWER})*{SP}?")
# A name in the genitive: "Çavuşoğlu'nun", or in capitals "AYBABA’NIN" (one token then).
_GENITIVE = re.compile(
    rf"(?<![\w'’-])(?P<name>{RUN})(?:['’]n?[ıiuü]n|(?<=['’][NIİUÜ][IİUÜ]N)|(?<=['’][IİUÜ]N))"
    rf"[^\S\n]*\Z"
)
# "Çavuşoğlu'nun "…" sözleri": the words of a name in the genitive.
_OF_NOUN = re.compile(
    rf"[^\S\n]*[,.]?[^\S\n]*(?:(?:şeklindeki|diye){SP})?"
    rf"(?:sözleri|ifadesi|ifadeleri|açıklaması|yorumu|mesajı|uyarısı|çağrısı)(?!\w)"
)


def _name(text: str) -> tuple[str, ...]:
    words = drop_roles(text.split())
    while words and (words[0].rstrip(".") in OPENERS or words[0].islower()):
        words.pop(0)  # "bir soruya da Gül": "da" is "too" here, not a particle
    return tuple(words)


def _found(text: str, at: int) -> Attribution | None:
    name = _name(text)
    # An initial alone ("P.") or a plural people's name ("Yunanlılara") names nobody.
    if not name or len(name[-1].rstrip(".")) < 2 or _PEOPLE.search(name[-1]):
        return None
    return Attribution("name", name, at)


def _subject(body: str, lo: int, end: int, *, colon: bool = False) -> Attribution:
    """The subject of the Turkish sentence that runs up to offset ``end``."""
    start = max(lo, end - _WINDOW)
    for m in _SENTENCE_END.finditer(body, start, end):
        word = body[max(start, m.start() - 8) : m.start() + 1].split()
        if not word or not ABBREVIATION_RE.fullmatch(word[-1]):  # "Prof. Dr. Ali Kaya"
            start = m.end()
    if not colon and _PLURAL.search(body, max(start, end - 40), end):
        return Attribution("anonymous")  # "yetkililer, "…" dedi": officials, unnamed
    first = last_comma = at_end = None
    for m in _SUBJECT.finditer(body, start, end):
        rest = body[m.end() : end]
        if not body[start : m.start()].strip():
            first = m  # "Kıran yayınladığı bildiride, "…"": the name opening the sentence
        if m.group("comma"):
            last_comma = m
        elif rest.strip() in ("", "ise", "de", "da") or (colon and _ONLY_LOWER.fullmatch(rest)):
            # "Dumanoğlu şöyle devam etti:": lower-case words between name and verb.
            at_end = m
    # The name nearest the quote (or the verb) wins, then the one opening the sentence.
    ordered = sorted((m for m in (last_comma, at_end) if m is not None), key=lambda m: -m.start())
    for m in ordered:
        if found := _found(m.group("name"), m.start("name")):
            return found
    if first is not None and (found := _found(first.group("name"), first.start("name"))):
        # Any capitalised word opens a sentence: a name only if a fuller form shows it is one.
        return Attribution("weak", found.name, found.at)
    return Attribution("pronoun", at=end)


_COLON_VERBS = frozenset(re.findall(r"[^\W\d_]+", _DE + _FR + _ES + _TR_COLON.pattern)) - {
    "P",
    "passive",
}
# Every form after a quote starts with a word that begins like one in these patterns
# (first four letters: "denil(?:di|erek)"): a set lookup turns most quotes away before
# the long alternations run, which English articles would otherwise pay for.
_NEXT_WORD = re.compile(r"[^\S\n]*[,.!?;:]?[^\S\n]*([^\W\d_]{1,4})")
_FIRST_WORDS = frozenset(w[:4] for w in re.findall(r"[^\W\d_]+", _AFTER.pattern + _OF_NOUN.pattern))


def attribute_other(body: str, lo: int, mark: int, close: int, hi: int) -> Attribution | None:
    """The attribution around the quote between ``mark`` and ``close``, in any of the languages."""
    word = _NEXT_WORD.match(body, close + 1, hi) if close < hi else None
    if word is not None and word.group(1) in _FIRST_WORDS:
        m = _AFTER.match(body, close + 1, min(hi, close + 1 + _WINDOW))
        if m is not None:
            return _after(body, m, lo, mark)
        if _OF_NOUN.match(body, close + 1, hi):
            return _genitive(body, lo, mark)
    head = max(lo, mark - _WINDOW)
    if not body[head:mark].rstrip().endswith(":"):
        return None
    # The verb of a lead-in stands among its last few words: skip the searches without one.
    near = body[max(head, mark - 80) : mark].replace(":", " ").split()[-9:]
    if _COLON_VERBS.isdisjoint(near):
        return None
    m = _BEFORE.search(body, max(head, mark - 120), mark)
    if m is not None:
        if m.group("pro"):
            return Attribution("pronoun", at=m.start("pro"))
        key = "name" if m.group("name") else "name2"
        return _found(m.group(key), m.start(key))
    m = _TR_COLON.search(body, max(head, mark - 60), mark)
    if m is None:
        return None
    if m.group("passive"):
        return Attribution("anonymous")
    return _subject(body, lo, m.start(), colon=True)


def _after(body: str, m: re.Match[str], lo: int, mark: int) -> Attribution | None:
    """What a match after the closing mark says."""
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    for key in ("diyen", "inverted", "rolename", "apposition", "name", "so"):
        if key in groups:
            return _found(groups[key], m.start(key)) or Attribution("anonymous")
    if groups.keys() & {"passive", "anon", "anon2"}:
        return Attribution("anonymous")
    for key in ("pro", "pro2", "pro3", "dropped"):
        if key in groups:
            return Attribution("pronoun", at=m.start(key))
    # Turkish: the speaker is the sentence's subject, before the quote.
    return _genitive(body, lo, mark) or _subject(body, lo, mark)


def _genitive(body: str, lo: int, mark: int) -> Attribution | None:
    """A name in the genitive right before the quote ("Çavuşoğlu'nun "…" sözleri")."""
    m = _GENITIVE.search(body, max(lo, mark - 80), mark)
    return _found(m.group("name"), m.start("name")) if m is not None else None
