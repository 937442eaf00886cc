"""Language identification of an article body (py3langid, loaded on first use)."""

from __future__ import annotations

import re
from functools import cache
from itertools import islice
from typing import Any

# Enough text for a confident answer; the classifier's cost grows with the input (at 1,000
# characters every BBC story is still English and every tr-1150haber one Turkish, in 40% of
# the time 3,000 took: it was a third of a plain-text import's time).
_SAMPLE_CHARS = 1000
_MIN_LETTERS = 12
_MIN_CONFIDENCE = 0.5
_LETTER = re.compile(r"[^\W\d_]")

# py3langid also answers with ISO 639-3 codes for varieties and languages that have
# no two-letter code; map varieties to their ISO 639-1 macrolanguage, drop the rest
# ("zxx" is "no linguistic content").
_TO_ISO_639_1 = {
    "ary": "ar",  # Moroccan Arabic
    "arz": "ar",  # Egyptian Arabic
    "uzs": "uz",  # Southern Uzbek
    "yue": "zh",  # Cantonese
    "wuu": "zh",  # Wu Chinese
    "gug": "gn",  # Paraguayan Guarani
    "kik": "ki",  # Kikuyu
    "sdh": "ku",  # Southern Kurdish
    "ltg": "lv",  # Latgalian
    "fuv": "ff",  # Nigerian Fulfulde
}


@cache
def _identifier() -> Any:
    """The language identifier, loaded once (about a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None if too short or unclear."""
    sample = text[:_SAMPLE_CHARS]
    if sum(1 for _ in islice(_LETTER.finditer(sample), _MIN_LETTERS)) < _MIN_LETTERS:
        return None
    code, confidence = _identifier().classify(sample)
    if confidence < _MIN_CONFIDENCE:
        return None
    code = _TO_ISO_639_1.get(code, code)
    return code if len(code) == 2 else None
