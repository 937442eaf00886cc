"""Daily review of quotes (FSRS scheduling) and reading statistics (no Textual here)."""
