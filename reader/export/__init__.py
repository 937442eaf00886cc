"""Articles, quotes and whole libraries out to Markdown, CSV and JSON (no Textual here)."""

#: The file that makes a folder a reader export, which ``reader import`` restores.
EXPORT_FILE = "reader-export.json"
