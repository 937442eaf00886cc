"""Photo credits under a headline ("AA Photo", "Photo: Reuters") and their agencies."""

# Typographic quotes and dashes here are deliberate.
# ruff: noqa: RUF001

from __future__ import annotations

import re

# Agencies as they appear in credits, keyed by their lower-case spelling.
_AGENCIES = {
    "aa": "AA",
    "anadolu agency": "AA",
    "ap": "AP",
    "associated press": "AP",
    "afp": "AFP",
    "reuters": "Reuters",
    "getty": "Getty Images",
    "getty images": "Getty Images",
    "epa": "EPA",
    "epa-efe": "EPA-EFE",
    "efe": "EFE",
    "dpa": "dpa",
    "pa": "PA",
    "pa images": "PA",
    "pa wire": "PA",
    "xinhua": "Xinhua",
    "upi": "UPI",
    "bloomberg": "Bloomberg",
    "ansa": "ANSA",
    "tass": "TASS",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "iha": "İHA",
    "dha": "DHA",
    "shutterstock": "Shutterstock",
    "alamy": "Alamy",
}
_CREDIT_MAX_CHARS = 80
_PHOTO_WORD = r"(?P<word>photo(?:graph)?s?|images?|pictures?|pic)"
# "Photo: Reuters", "(Photo: AFP)", "Photograph by Jane Doe/AP"
_CREDIT_LEADING = re.compile(
    rf"{_PHOTO_WORD}(?:\s+credits?)?(?:\s*[:\-–—]\s*|\s+by\s+)(?P<who>[^()]+)", re.IGNORECASE
)
# "AA Photo", "AP Photo/Jane Doe", "Reuters Photo", "Getty Images"
_CREDIT_TRAILING = re.compile(
    rf"(?P<agency>[^\W\d_][\w.&'’ -]*?)\s+{_PHOTO_WORD}(?:\s*/\s*(?P<who>[^()/]+))?",
    re.IGNORECASE,
)


def match_credit(line: str) -> tuple[str, str | None] | None:
    """(credit, source) if the line is a photo credit, else None."""
    if len(line) > _CREDIT_MAX_CHARS:
        return None
    credit = line[1:-1].strip() if line.startswith("(") and line.endswith(")") else line
    match = _CREDIT_LEADING.fullmatch(credit)
    if match is not None:
        parts = [p.strip() for p in match["who"].split("/")]
        known = _known_agency(parts)
        # An unknown name only after a singular "Photo:" ("Photos: Best of 2004" is a caption).
        if known is None and (match["word"].casefold().endswith("s") or len(parts[-1].split()) > 4):
            return None
        return credit, known or parts[-1]
    match = _CREDIT_TRAILING.fullmatch(credit)
    if match is not None:
        agency = match["agency"].strip()
        known = _known_agency([agency, *(match["who"] or "").split("/")])
        # An unknown agency only as capitalised words before "Photo" ("Sabah Photo"),
        # so that "In pictures" or "Family photos" stay text.
        if known is None and (
            match["word"] not in ("Photo", "PHOTO")
            or len(agency.split()) > 3
            or not all(word[0].isupper() for word in agency.split())
        ):
            return None
        return credit, known or agency
    parts = [p.strip() for p in credit.split("/")]
    known = _known_agency(parts) if len(parts) <= 2 else None
    if known is not None and all(parts):
        return credit, known
    return None


def _known_agency(parts: list[str]) -> str | None:
    """The first known agency among the parts of a credit."""
    for part in parts:
        agency = _AGENCIES.get(part.strip().casefold())
        if agency is not None:
            return agency
    return None
