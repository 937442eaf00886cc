"""Layering: the library, text and export packages, and the non-TUI commands, never load Textual.

``reader.library`` and ``reader.text`` load their modules lazily, so importing the packages
alone proves nothing: every module under them is imported here, each in a fresh interpreter.
(``lint-imports``, run by .ci/run, checks the same statically, function-level imports too.)
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import reader.export
import reader.library
import reader.migrate
import reader.text

LAYERS = (reader.library, reader.text, reader.export, reader.migrate)


def modules_of_layers() -> list[str]:
    names = [package.__name__ for package in LAYERS]
    for package in LAYERS:
        names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    return sorted(names)


def loads_textual(code: str) -> bool:
    check = f"{code}\nimport sys\nprint('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1] == "True"


def test_every_module_of_the_layers_is_found() -> None:
    names = modules_of_layers()
    assert {"reader.library.repository", "reader.text.query", "reader.export.command"} <= set(names)


def test_no_module_of_the_layers_loads_textual() -> None:
    imports = "\n".join(f"import {name}" for name in modules_of_layers())
    assert not loads_textual(imports)


def test_the_check_can_fail() -> None:
    assert loads_textual("import reader.tui.app")


@pytest.mark.parametrize(
    "module", ["reader.cli", "reader.commands", "reader.importing", "reader.tui.config"]
)
def test_command_line_modules_do_not_load_textual(module: str) -> None:
    assert not loads_textual(f"import {module}")


def test_reader_list_does_not_import_textual(tmp_path: object) -> None:
    code = (
        "import sys; from reader.cli import main; "
        f"main(['--library', {str(tmp_path)!r}, 'list', '--json']); "
        "print('textual' in sys.modules, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().endswith("False")
    assert out.stdout.strip() == "[]"
