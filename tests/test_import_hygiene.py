"""Layering: the library and text packages, and the non-TUI commands, never load Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module", ["reader.library", "reader.text", "reader.cli", "reader.importing"]
)
def test_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_reader_list_does_not_import_textual(tmp_path: object) -> None:
    code = (
        "import sys; from reader.cli import main; "
        f"main(['--library', {str(tmp_path)!r}, 'list', '--json']); "
        "print('textual' in sys.modules, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().endswith("False")
    assert out.stdout.strip() == "[]"
