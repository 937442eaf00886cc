"""Import, cleaning and structure of article text (never imports textual).

The names below load their modules on first use: the app needs only a few of them at
start-up, and some (decoding, language detection) pull in heavy libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader._lazy import lazy_attributes

if TYPE_CHECKING:
    from .clean import clean_text
    from .decode import decode_bytes
    from .files import Skipped, iter_import_files, parser_for, read_article_file
    from .find import find_all
    from .html import parse_html
    from .language import detect_language
    from .markdown import parse_markdown
    from .model import MAX_FILE_BYTES, ImportRefused, ParsedArticle, Span
    from .plain import count_words, parse_plain
    from .quotations import DetectedQuote, detect_quotes
    from .sentences import sentence_at, sentence_spans

_MODULE_OF = {
    "DetectedQuote": "quotations",
    "ImportRefused": "model",
    "MAX_FILE_BYTES": "model",
    "ParsedArticle": "model",
    "Skipped": "files",
    "Span": "model",
    "clean_text": "clean",
    "count_words": "plain",
    "decode_bytes": "decode",
    "detect_quotes": "quotations",
    "detect_language": "language",
    "find_all": "find",
    "iter_import_files": "files",
    "parse_html": "html",
    "parse_markdown": "markdown",
    "parse_plain": "plain",
    "parser_for": "files",
    "read_article_file": "files",
    "sentence_at": "sentences",
    "sentence_spans": "sentences",
}

__all__ = [
    "MAX_FILE_BYTES",
    "DetectedQuote",
    "ImportRefused",
    "ParsedArticle",
    "Skipped",
    "Span",
    "clean_text",
    "count_words",
    "decode_bytes",
    "detect_language",
    "detect_quotes",
    "find_all",
    "iter_import_files",
    "parse_html",
    "parse_markdown",
    "parse_plain",
    "parser_for",
    "read_article_file",
    "sentence_at",
    "sentence_spans",
]


__getattr__ = lazy_attributes(__name__, _MODULE_OF)
