"""Config mistakes in [keys] are named once and dropped; the tables behind the check are true."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import string
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, key_to_character

import reader.tui
from reader.cli import main
from reader.library import Repository
from reader.tui.config import load_config
from reader.tui.keys import BINDING_IDS, NAMED_KEYS, PUNCTUATION, SPECIAL_KEYS, normalize_key
from tests.conftest import parsed


def app_binding_ids() -> set[str]:
    """Every binding id declared by a widget, screen or the app under reader.tui."""
    found: set[str] = set()
    for info in pkgutil.walk_packages(reader.tui.__path__, "reader.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                for binding in cls.__dict__.get("BINDINGS", ()):
                    if isinstance(binding, Binding) and binding.id:
                        found.add(binding.id)
    return found


def test_the_known_binding_ids_are_the_apps() -> None:
    real = app_binding_ids()
    assert real, "no bindings found: the walk is broken"
    assert real - BINDING_IDS == set(), "add these ids to reader.tui.keys.BINDING_IDS"
    assert BINDING_IDS - real == set(), "these ids are gone from the app"


def test_the_key_names_are_textuals() -> None:
    bases = {k.value.rpartition("+")[2] for k in Keys}
    named = {b for b in bases if len(b) > 1 and not b.startswith("<")}
    # Textual's special keys, less those that are the names of characters.
    special = {b for b in named if key_to_character(b) is None or b in ("space", "tab")}
    assert special - {"ctrl-at"} <= NAMED_KEYS
    assert SPECIAL_KEYS - {"newline"} <= bases
    # Textual has no public name-of-a-character function; its private one is the reference.
    from textual.keys import _character_to_key

    assert {c: _character_to_key(c) for c in string.punctuation} == PUNCTUATION


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("j", "j"),
        ("J", "J"),
        (" down ", "down"),
        ("?", "question_mark"),
        ("ctrl+f", "ctrl+f"),
        ("shift+ctrl+up", "ctrl+shift+up"),
        ("shift+space", "shift+space"),
        ("ctrl+?", "ctrl+question_mark"),
        ("f5", "f5"),
        ("question_mark", "question_mark"),
        ("ö", "ö"),
        ("ctrl+shift+alt+banana", None),
        ("banana", None),
        ("ctrl+ctrl+x", None),
        ("hyperspace+x", None),
        ("ctrl+", None),
        ("", None),
        ("f25", None),
        ("\x1b", None),
    ],
)
def test_key_names(key: str, name: str | None) -> None:
    assert normalize_key(key) == name


def write_config(tmp_path: Path, keys: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f"[keys]\n{keys}\n", "utf-8")
    return path


def test_unknown_ids_and_invalid_keys_are_named_and_dropped(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        '"list.down" = "ctrl+shift+alt+banana"\n'
        '"list.nothing" = "x"\n'
        '"text.find" = "ctrl+f, /"\n'
        '"app.help" = ["f1", "?"]\n'
        '"list.up" = 3\n',
    )
    config = load_config(path)
    assert config.keys == {"text.find": "ctrl+f,slash", "app.help": "f1,question_mark"}
    assert len(config.problems) == 3
    down, nothing, up = config.problems
    assert "keys.list.down" in down and "'ctrl+shift+alt+banana' is not a key name" in down
    assert "keys.list.nothing: no such binding" in nothing
    assert "keys.list.up must be a key or a list of keys" in up


def test_cli_names_config_problems_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.tui import app as app_module

    path = write_config(tmp_path, '"list.down" = "banana"\n"app.help" = "f1"\n')
    monkeypatch.setattr(app_module, "run_app", lambda *args, **kwargs: 0)
    assert main(["--library", str(tmp_path / "lib"), "--config", str(path)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("reader: ") and "keys.list.down" in err[0]


async def test_the_default_binding_stays_and_valid_entries_apply(tmp_path: Path) -> None:
    from reader.tui.app import ReaderApp
    from reader.tui.screens.help import HelpScreen

    repo = Repository.open(tmp_path / "lib")
    repo.add_articles([(parsed("One", "A paragraph."), None)])
    path = write_config(tmp_path, '"app.help" = "ctrl+shift+alt+banana"\n"app.quotes" = "f2"\n')
    app = ReaderApp(repo, load_config(path), tmp_path / "state.json")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("question_mark")  # the default key of app.help still works
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
    assert [p for p in app.config.problems if "app.help" in p]
    repo.close()
