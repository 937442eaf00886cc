"""Scripts written without spaces between words: one table for word counts and search."""

from __future__ import annotations

#: Chinese (Han, with its extensions and compatibility forms) and Japanese kana, full and
#: half width: no spaces between words, so a run of them is a sentence, not a word.
HAN_KANA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f"
#: Korean Hangul (syllables and jamo): spaced, but its words are long, so search matches
#: inside them as it does inside Chinese and Japanese runs.
HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
