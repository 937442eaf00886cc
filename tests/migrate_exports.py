"""Small exports of other tools, written here from their published field lists."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

PARAGRAPH_1 = (
    "The river had risen through the night, and by morning the old bridge stood in water "
    "up to its second arch. Nobody in the village could remember a flood like it."
)
PARAGRAPH_2 = (
    "\u201cWe\u2019ve lived here forty years,\u201d said the baker, \u201cand the water never "
    "came past the church.\u201d By noon the church steps were gone."
)
PARAGRAPH_3 = (
    "Engineers from the county arrived in the afternoon with pumps and sandbags, and the "
    "children of the school carried bread to the families on the hill."
)


def article_html(title: str, *paragraphs: str) -> str:
    """A readable page as Omnivore and wallabag keep their content."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>"
    )


#: Omnivore entries: slug → (metadata, highlights Markdown or None).
OMNIVORE = {
    "the-flood": (
        {
            "id": "1",
            "slug": "the-flood",
            "title": "The flood",
            "description": "A village under water",
            "author": "Ada Byline",
            "url": "https://example.org/the-flood",
            "state": "Archived",
            "readingProgress": 100,
            "labels": [{"name": "weather"}, {"name": "villages"}],
            "savedAt": "2024-03-01T10:00:00.000Z",
            "updatedAt": "2024-03-02T10:00:00.000Z",
            "publishedAt": "2024-02-28T08:00:00.000Z",
        },
        # Exact; typographic (straight quotes, doubled space); a label and a note; lost.
        "> The river had risen through the night [⤴️](https://omnivore.app/me/the-flood#a)\n"
        "\n"
        '> "We\'ve lived here forty  years," said the baker [⤴️](https://omnivore.app/me/the-flood#b)\n'
        "#quotes #people\n"
        "What the baker said.\n"
        "\n"
        "> A sentence the article never had in it at all, anywhere.\n"
        "[⤴️](https://omnivore.app/me/the-flood#c)\n",
    ),
    "the-pumps": (
        {
            "id": "2",
            "slug": "the-pumps",
            "title": "The pumps",
            "description": "Engineers arrive",
            "author": None,
            "url": "https://example.org/the-pumps",
            "state": "Succeeded",
            "readingProgress": 40,
            "labels": [],
            "savedAt": "2024-03-05T10:00:00.000Z",
            "updatedAt": "2024-03-05T10:00:00.000Z",
            "publishedAt": None,
        },
        None,
    ),
}


def omnivore_files() -> dict[str, bytes]:
    """The files of an Omnivore export by name."""
    files: dict[str, bytes] = {}
    metadata = [meta for meta, _ in OMNIVORE.values()]
    files["metadata_0_to_1.json"] = json.dumps(metadata).encode()
    files["content/the-flood.html"] = article_html("The flood", PARAGRAPH_1, PARAGRAPH_2).encode()
    files["content/the-pumps.html"] = article_html("The pumps", PARAGRAPH_3).encode()
    for slug, (_, highlights) in OMNIVORE.items():
        if highlights:
            files[f"highlights/{slug}.md"] = highlights.encode()
    return files


def write_folder(folder: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` under ``folder``."""
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def write_zip(path: Path, files: dict[str, bytes], prefix: str = "") -> Path:
    """Write ``files`` into a zip at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(prefix + name, data)
    return path


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """A CSV file as the tools write them."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


POCKET_HEADER = ["title", "url", "time_added", "cursor", "tags", "status"]
INSTAPAPER_HEADER = ["URL", "Title", "Selection", "Folder", "Timestamp"]
READWISE_HEADER = [
    "Highlight", "Book Title", "Book Author", "Amazon Book ID", "Note", "Color", "Tags",
    "Location Type", "Location", "Highlighted at", "Document tags",
]  # fmt: skip


def wallabag_json() -> bytes:
    """A wallabag export of one entry with two annotations (one typographic, one lost)."""
    entry = {
        "is_archived": 1,
        "is_starred": 1,
        "title": "Bread on the hill",
        "url": "https://example.org/bread",
        "content": article_html("Bread on the hill", PARAGRAPH_3, PARAGRAPH_1),
        "created_at": "2023-11-02T09:30:00+01:00",
        "published_at": "2023-11-01T00:00:00+00:00",
        "language": "en",
        "tags": ["county"],
        "annotations": [
            {
                "quote": "the children of the school carried bread",
                "text": "kindness",
                "ranges": [{"start": "/p[1]", "startOffset": 10}],
                "created_at": "2023-11-03T09:30:00+01:00",
            },
            {
                "quote": "by morning the old bridge stood in water up to its second arch.",
                "text": "",
                "ranges": [],
                "created_at": "2023-11-03T09:31:00+01:00",
            },
            {"quote": "Nothing like this is in the text anywhere", "text": "lost", "ranges": []},
        ],
    }
    return json.dumps([entry]).encode()
