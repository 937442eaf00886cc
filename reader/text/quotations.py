"""Direct quotations in an article body, and who said them.

Quotations are passages inside “…”, "…", «…», „…“ (or Swedish ”…”) of at least
``MIN_WORDS`` words, found paragraph by paragraph. Single quotes are never quotation
marks here, so ‘nested’ quotes stay inside the double-quoted passage around them.

A quotation never runs past its paragraph, except by the newspaper convention: a
paragraph that leaves a quote open, followed by one that starts with an opening mark.
Each paragraph's part is then its own ``DetectedQuote`` (offsets stay inside one
paragraph, like every other span over the body); the parts share one speaker and the
word minimum applies to them together. An opening mark that is neither closed nor
continued that way is taken for a stray mark and dropped.

Speakers come from the quote's own sentence (``"…," said X``, ``"…," X said``,
``X said: "…"``, ``"…," she added``, ``according to X``), else from another quote in
the same paragraph, else from the quote a multi-paragraph quote continues, else (for a
paragraph that is nothing but a quotation) from the previous paragraph's last quote.
Leading roles ("Foreign Minister") are dropped. A surname maps to the fullest form of
the name seen up to that point, else later in the article. "he"/"she" resolve to the
most recently mentioned person who speaks somewhere in the article, mentions inside
quotations excluded. When the English forms find nothing, speech.py reads the Turkish,
German, French and Spanish ones ("…" dedi X, X, "…" diye konuştu, sagte X, a dit X,
dijo X, …); roles in those languages ("Dışişleri Bakanı") are dropped from names too.
"""

# Typographic quotes and dashes here are deliberate.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .names import OPENERS, RUN, SP, drop_roles, titled, words_before
from .sentences import TITLES
from .speech import attribute_other

MIN_WORDS = 6
# Attributions are looked for this far either side of a quote, which also bounds the
# regex work per quote (no quadratic behaviour on long paragraphs).
_WINDOW = 200


@dataclass(frozen=True, slots=True)
class DetectedQuote:
    """A direct quotation in an article: the quoted words' offsets in the body, and who said it."""

    start: int  # offset of the first character inside the quotation marks
    end: int  # offset just after the last character inside the marks
    text: str  # body[start:end] exactly
    speaker: str | None  # the fullest form of the name seen in the article


# --- quotation marks -------------------------------------------------------------

_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_MARK = re.compile('[“”"«»„]')
_CLOSERS = {"“": "”", '"': '"', "«": "»", "„": "“”", "”": "”"}
# Straight quotes (and ” used as an opener in Swedish) open or close by their context.
_AMBIGUOUS = '"”'
_BEFORE_OPEN = "([{/—–-"
_AFTER_CLOSE = ".,;:!?…)]}/—–-'’\"”»"


def _pairs(body: str, ps: int, pe: int) -> tuple[list[tuple[int, int]], int | None]:
    """Matched (opening, closing) mark offsets in one paragraph, and an opener left open."""
    pairs: list[tuple[int, int]] = []
    opener, at = "", -1
    for m in _MARK.finditer(body, ps, pe):
        i = m.start()
        ch = body[i]
        prev = body[i - 1] if i > ps else " "
        nxt = body[i + 1] if i + 1 < pe else " "
        if ch in _AMBIGUOUS:
            can_open = (prev.isspace() or prev in _BEFORE_OPEN) and not nxt.isspace()
            can_close = not prev.isspace() and (nxt.isspace() or nxt in _AFTER_CLOSE)
        else:
            can_open, can_close = ch in "“«„", ch in "”»“"
        if opener:
            if ch in _CLOSERS[opener] and (ch not in _AMBIGUOUS or can_close or not can_open):
                pairs.append((at, i))
                opener = ""
            elif ch == opener:
                at = i  # a second opener: the first was a stray mark
        elif ch in "“«„" or (ch in _AMBIGUOUS and can_open and not can_close):
            opener, at = ch, i
    return pairs, (at if opener else None)


def _opens(body: str, ps: int, pe: int) -> bool:
    """Whether the paragraph body[ps:pe] starts with an opening quotation mark."""
    ch = body[ps]
    return ch in "“«„" or (ch in _AMBIGUOUS and ps + 1 < pe and not body[ps + 1].isspace())


# --- names and attributions --------------------------------------------------------

_SP, _RUN = SP, RUN

_VERBS = (
    "said",
    "says",
    "added",
    "told",
    "stated",
    "noted",
    "asked",
    "explained",
    "warned",
    "insisted",
    "recalled",
    "replied",
    "continued",
)
_VERB = rf"(?i:{'|'.join(_VERBS)})\b"
# "told Reuters" names the listener, so "told" never introduces an inverted speaker.
_VERB_INVERTED = rf"(?i:{'|'.join(v for v in _VERBS if v != 'told')})\b"
_PRONOUN = r"\b(?i:he|she)\b"
_ACCORDING = rf"(?i:according){_SP}to{_SP}"
_NO_STOP = '[^.!?;:"“”«»„\n]'

# After the closing mark: `, said X`, `, X said`, `, she added`, `" on Idlib, said X`.
_AFTER = re.compile(
    rf"[^\S\n]*[,.!?;:]?[^\S\n]*(?:{_NO_STOP}{{1,60}}?,{_SP})??(?:"
    rf"(?P<pro>{_PRONOUN}){_SP}{_VERB}"
    rf"|{_VERB_INVERTED}{_SP}(?P<anon>(?i:a|an|one|the|another|his|her|their)\b)"
    rf"|{_VERB_INVERTED}{_SP}(?P<name>{_RUN})"
    rf"|(?P<name2>{_RUN}){_SP}{_VERB}"
    rf"|{_ACCORDING}(?P<name3>{_RUN}))"
)
# Before the opening mark, at the end of the lead-in: `X said: "`, `he told reporters: "`.
_BEFORE = re.compile(
    rf"(?:(?P<pro>{_PRONOUN}){_SP}{_VERB}"
    rf"|(?<![\w'’-])(?P<name>{_RUN}){_SP}{_VERB}"
    rf"|{_ACCORDING}(?P<name2>{_RUN}))"
    rf"(?:{_SP}[^.!?;:,\"“”«»„\n]{{1,40}}?)?[^\S\n]*[:,]?[^\S\n]*\Z"
)

# Sentence openers, pronouns and roles: dropped from the front of a name.
_NOT_A_NAME_WORDS = """
    A An And As At But By For From He Her His I If In It Its My Now Of On Or Our She So
    That The Their Then These They This Those To We When While With Yet You Your Also After
    Before Earlier Later Meanwhile However Mr Mrs Ms Miss Dr Prof Professor Sir Dame Lord Lady
    Rev Father Sister President Vice Prime Minister Foreign Interior Defence Defense Finance
    Health Justice Economy Deputy Secretary General Chancellor Senator Sen Governor Gov Mayor
    Chairman Chairwoman Chair Chief Executive Director Spokesman Spokeswoman Spokesperson
    Ambassador King Queen Prince Princess Pope Judge Captain Capt Colonel Col Major Lieutenant
    Lt Sergeant Sgt Commander Admiral Gen Rep Representative Coach Detective Inspector Bishop
    Archbishop Cardinal Rabbi Imam Sheikh Emir Crown State"""
# Every abbreviated title is one of them ("Doç. Dr. Ali Kaya" is Ali Kaya).
_NOT_A_NAME = frozenset(_NOT_A_NAME_WORDS.split()) | {t.removesuffix(".") for t in TITLES}


def _clean(words: Sequence[str]) -> tuple[str, ...]:
    """The name in a run of capitalised words: no leading role or opener, no possessive."""
    out = list(words)
    if out:
        out[-1] = re.sub(r"['’]s?$", "", out[-1])
    while out and (out[0].rstrip(".") in _NOT_A_NAME or out[0].lower() in _VERBS):
        out.pop(0)
    out = drop_roles(out)
    # What stood before a role ("Başhekim Op. Dr. Ahmet Karadağ") may leave titles in front.
    while out and (out[0].rstrip(".") in _NOT_A_NAME or out[0].rstrip(".") in OPENERS):
        out.pop(0)
    return tuple(out)


class _Names:
    """Every mention of the speakers' surnames: full forms, and who was mentioned last."""

    def __init__(self, body: str, surnames: set[str], quoted: list[tuple[int, int]]) -> None:
        self.forms: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
        self._best: dict[tuple[str, ...], tuple[list[int], list[tuple[str, ...]]]] = {}
        self.mentions: list[int] = []
        self.surnames_at: list[str] = []  # the surname mentioned at each of self.mentions
        if not surnames:
            return
        alternatives = "|".join(map(re.escape, sorted(surnames, key=len, reverse=True)))
        starts = [s for s, _ in quoted]
        # Ruling out every word that starts with no surname's first letter first spares the
        # long alternation most positions (a Turkish article names hundreds of people).
        first = re.escape("".join(sorted({name[0] for name in surnames})))
        mention = rf"(?<![\w'’-])(?=[{first}])(?:{alternatives})(?!\w)"
        for m in re.finditer(mention, body):
            name = _clean([*words_before(body, m.start()), m.group()])
            self.forms[m.group()].append((m.start(), name))
            k = bisect_right(starts, m.start()) - 1
            if k < 0 or m.start() >= quoted[k][1]:
                self.mentions.append(m.start())
                self.surnames_at.append(m.group())

    def forget(self, surnames: set[str]) -> None:
        """Stop counting mentions of these surnames as people (they proved to be no names)."""
        pairs = zip(self.mentions, self.surnames_at, strict=True)
        kept = [(p, s) for p, s in pairs if s not in surnames]
        self.mentions = [p for p, _ in kept]
        self.surnames_at = [s for _, s in kept]

    def canonical(self, name: tuple[str, ...], at: int) -> str:
        """The longest form of the name seen up to offset ``at``, else the longest at all."""
        if name not in self._best:
            forms = [(p, f) for p, f in self.forms.get(name[-1], []) if f[-len(name) :] == name]
            positions = [p for p, _ in forms]
            best: list[tuple[str, ...]] = []
            for _, form in forms:
                best.append(form if not best or len(form) >= len(best[-1]) else best[-1])
            self._best[name] = (positions, best)
        positions, best = self._best[name]
        k = bisect_right(positions, at) - 1
        # Prefer what the reader has seen so far; a bare surname may borrow a later full form.
        if k >= 0 and len(best[k]) > len(name):
            return " ".join(best[k])
        return " ".join(best[-1] if best else name)

    def last_mentioned(self, at: int) -> str | None:
        """The person whose name appears last before offset ``at`` outside quotations."""
        k = bisect_left(self.mentions, at) - 1
        return self.canonical((self.surnames_at[k],), self.mentions[k]) if k >= 0 else None


# --- detection -----------------------------------------------------------------------


@dataclass(slots=True)
class _Piece:
    """One paragraph's part of a quotation while its speaker is worked out."""

    mark: int  # the opening mark
    close: int  # the closing mark, or the paragraph end when the quote continues
    start: int
    end: int
    para: int
    chain: int  # the parts of one multi-paragraph quotation share this
    lo: int  # the lead-in starts here (paragraph start or the previous quote's end)
    hi: int  # the tail ends here (the next quote's opening mark or the paragraph end)
    kind: str = ""  # "name" | "pronoun" | "anonymous" once the sentence attributes it
    name: tuple[str, ...] = ()
    at: int = 0
    speaker: str | None = None


def _written(body: str, capitals: str) -> bool:
    """Whether a word given in capitals ("TERİM") is written "Terim" elsewhere in the body."""
    word = titled(capitals)
    # The substring test is cheap and rules most words out before the scan for whole words.
    return word in body and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", body) is not None


# What re's IGNORECASE also takes for the verbs' ASCII letters: dotted and dotless I,
# the long s and the Kelvin sign.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_LEAD_IN_WORDS = (*_VERBS, "according")


def _may_lead_in(body: str, lo: int, hi: int) -> bool:
    """Whether body[lo:hi] holds a verb _BEFORE needs: most lead-ins without one skip it."""
    window = body[lo:hi].translate(_FOLD).lower()
    return any(word in window for word in _LEAD_IN_WORDS)


def _attribute(body: str, piece: _Piece) -> None:
    """Read the attribution in the quote's own sentence, if any, into the piece."""
    found = None
    if piece.close < piece.hi:
        found = _AFTER.match(body, piece.close + 1, min(piece.hi, piece.close + 1 + _WINDOW))
    if found is None and _may_lead_in(body, max(piece.lo, piece.mark - _WINDOW), piece.mark):
        found = _BEFORE.search(body, max(piece.lo, piece.mark - _WINDOW), piece.mark)
    if found is None:
        other = attribute_other(body, piece.lo, piece.mark, piece.close, piece.hi)
        if other is not None:
            name = _clean(other.name)
            if name and len(name[-1]) > 2 and name[-1].isupper() and _written(body, name[-1]):
                # A newspaper's capitalised lead-in ("TERİM, …") names someone written
                # "Terim" elsewhere in the article.
                name = (*name[:-1], titled(name[-1]))
            if other.kind not in ("name", "weak") or name:
                piece.kind, piece.name, piece.at = other.kind, name, other.at
        return
    groups = {k: v for k, v in found.groupdict().items() if v is not None}
    if "pro" in groups:
        piece.kind, piece.at = "pronoun", found.start("pro")
    elif "anon" in groups:
        piece.kind = "anonymous"
    else:
        key = next(k for k in ("name", "name2", "name3") if k in groups)
        name = _clean(groups[key].split())
        piece.kind, piece.name, piece.at = ("name", name, found.start(key)) if name else ("", (), 0)


_WORD = re.compile(r"[^\s\w]*[^\W_]\S*")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _pieces(body: str) -> tuple[list[_Piece], list[tuple[int, int]]]:
    """All quotation parts paragraph by paragraph, and the paragraph spans."""
    paras = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(body)]
    pieces: list[_Piece] = []
    carried: int | None = None  # the chain an open quote carries into this paragraph
    chains = 0
    for k, (ps, pe) in enumerate(paras):
        pairs, open_at = _pairs(body, ps, pe)
        continued = open_at is not None and k + 1 < len(paras) and _opens(body, *paras[k + 1])
        if continued and open_at is not None:
            pairs.append((open_at, pe))
        next_carried = None
        for n, (mark, close) in enumerate(pairs):
            if carried is not None and mark == ps:
                chain = carried
            else:
                chain, chains = chains, chains + 1
            if continued and n == len(pairs) - 1:
                next_carried = chain
            start, end = mark + 1, close
            while start < end and body[start].isspace():
                start += 1
            # The comma before a closing mark ("…whales," says X) belongs to the sentence
            # around the quotation, not to the words kept.
            while end > start and (body[end - 1].isspace() or body[end - 1] in ",،、"):
                end -= 1
            lo = pairs[n - 1][1] + 1 if n else ps
            hi = pairs[n + 1][0] if n + 1 < len(pairs) else pe
            if start < end:
                pieces.append(_Piece(mark, close, start, end, k, chain, lo, hi))
        carried = next_carried
    return pieces, paras


def _share_in_chains(pieces: list[_Piece]) -> None:
    first: dict[int, _Piece] = {}
    for piece in pieces:
        if piece.kind:
            first.setdefault(piece.chain, piece)
    for piece in pieces:
        source = first.get(piece.chain)
        if not piece.kind and source is not None:
            piece.kind, piece.speaker = "shared", source.speaker


def detect_quotes(body: str) -> list[DetectedQuote]:
    """The direct quotations of at least six words in a stored body, with their speakers."""
    every, paras = _pieces(body)
    words: dict[int, int] = defaultdict(int)
    for piece in every:
        words[piece.chain] += _words(body[piece.start : piece.end])
    # Short quotes are attributed too: their speakers are mentions for a later "she said".
    for piece in every:
        _attribute(body, piece)
    pieces = [p for p in every if words[p.chain] >= MIN_WORDS]

    quoted = [(p.start, p.end) for p in every]
    surnames = {p.name[-1] for p in every if p.kind in ("name", "weak")}
    names = _Names(body, surnames, quoted)
    # A capitalised word opening a sentence is a name only with a fuller form somewhere;
    # otherwise it is no mention for "he"/"she" (or a Turkish verb without subject) either.
    for piece in every:
        if piece.kind == "weak":
            fuller = names.canonical(piece.name, piece.at)
            if len(piece.name) > 1 or fuller.count(" ") >= len(piece.name):
                piece.kind = "name"
            else:
                piece.kind, piece.name = "", ()
    names.forget(surnames - {p.name[-1] for p in every if p.kind == "name"})
    for piece in pieces:
        if piece.kind == "name":
            piece.speaker = names.canonical(piece.name, piece.at)
        elif piece.kind == "pronoun":
            piece.speaker = names.last_mentioned(piece.at)

    by_para: dict[int, list[_Piece]] = defaultdict(list)
    for piece in pieces:
        by_para[piece.para].append(piece)
    # Another quote in the same paragraph: the previous one first, else the next one.
    for group in by_para.values():
        settled = [p for p in group if p.kind]
        for n, piece in enumerate(group):
            if not piece.kind and settled:
                before = [p for p in group[:n] if p.kind]
                source = before[-1] if before else settled[0]
                piece.kind, piece.speaker = "shared", source.speaker
    _share_in_chains(pieces)
    # A paragraph that is only a quotation goes on with the previous paragraph's speaker.
    for k, group in sorted(by_para.items()):
        previous = by_para.get(k - 1)
        if any(p.kind for p in group) or not previous or previous[-1].speaker is None:
            continue
        ps, pe = paras[k]
        edges = [ps, *(x for p in group for x in (p.mark, p.close + 1)), pe]
        if all(
            not any(c.isalnum() for c in body[a:b])
            for a, b in zip(edges[::2], edges[1::2], strict=True)
        ):
            for piece in group:
                piece.kind, piece.speaker = "shared", previous[-1].speaker
    _share_in_chains(pieces)
    return [DetectedQuote(p.start, p.end, body[p.start : p.end], p.speaker) for p in pieces]
