"""Import, cleaning and structure of article text (never imports textual)."""

from .clean import clean_text
from .decode import decode_bytes
from .files import iter_import_files, parser_for, read_article_file
from .find import find_all
from .language import detect_language
from .model import MAX_FILE_BYTES, ImportRefused, ParsedArticle, Span
from .plain import count_words, parse_plain
from .sentences import sentence_at, sentence_spans

__all__ = [
    "MAX_FILE_BYTES",
    "ImportRefused",
    "ParsedArticle",
    "Span",
    "clean_text",
    "count_words",
    "decode_bytes",
    "detect_language",
    "find_all",
    "iter_import_files",
    "parse_plain",
    "parser_for",
    "read_article_file",
    "sentence_at",
    "sentence_spans",
]
