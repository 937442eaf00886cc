"""Quotes out to Anki: an ``.apkg`` deck, one note per quote (text, note, title, source)."""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from reader.library import Article, Quote

# Fixed ids: importing a newer export of the same library updates the notes (matched by
# their guid) in the same deck and note type instead of adding copies.
MODEL_ID = 1_733_150_214
DECK_ID = 1_733_150_215
DECK_NAME = "reader quotes"
FIELDS = ("Text", "Note", "Title", "Source")

CSS = """.card { font-family: Georgia, serif; font-size: 22px; text-align: center;
 color: #222; background: #fbf7ee; }
.note { font-size: 18px; font-style: italic; margin-top: 1em; }
.cite { font-size: 15px; color: #666; margin-top: 1em; }"""

FRONT = '<div class="text">{{Text}}</div>'
BACK = (
    '{{FrontSide}}<hr id="answer">'
    '{{#Note}}<div class="note">{{Note}}</div>{{/Note}}'
    '<div class="cite">{{Title}}{{#Source}} · {{Source}}{{/Source}}</div>'
)


def _field(text: str) -> str:
    # Anki fields are HTML: the text is escaped, its line breaks kept.
    return html.escape(text).replace("\n", "<br>")


def note_guid(quote: Quote) -> str:
    """The note's stable id: the same quote gets the same guid in every export."""
    import genanki

    return str(genanki.guid_for("reader-quote", quote.id, quote.created.isoformat()))


def write_anki(quotes: Sequence[Quote], articles: Mapping[int, Article], path: Path) -> int:
    """Write the quotes as an Anki deck to ``path`` (atomically); returns how many."""
    import genanki

    model = genanki.Model(
        MODEL_ID,
        "reader quote",
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Quote", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    for quote in quotes:
        article = articles.get(quote.article_id)
        title = article.title if article else quote.article_title
        source = (article.source or "") if article else ""
        fields = [_field(quote.text), _field(quote.note), _field(title), _field(source)]
        tags = ["_".join(t.split()) for t in quote.tags]
        deck.add_note(genanki.Note(model=model, fields=fields, guid=note_guid(quote), tags=tags))
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    try:
        genanki.Package(deck).write_to_file(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(quotes)
