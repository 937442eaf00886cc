"""Other tools' exports in (Omnivore, Pocket, Instapaper, wallabag, Readwise), highlights
re-anchored on their passages (never imports textual)."""

from __future__ import annotations

from reader.migrate.detect import Found, covered, find_exports
from reader.migrate.model import ExportError, MigrateSummary
from reader.migrate.run import run_export

__all__ = ["ExportError", "Found", "MigrateSummary", "covered", "find_exports", "run_export"]
