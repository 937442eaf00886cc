"""The config file (TOML) and the small state remembered between runs."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_TEXT_WIDTH = 80
MIN_TEXT_WIDTH = 30


@dataclass(frozen=True)
class Config:
    """Settings from ``config.toml``; every field has a default, so the file is optional."""

    #: Widest the text column gets, in terminal cells.
    text_width: int = DEFAULT_TEXT_WIDTH
    #: Theme to start with when none was chosen in the app yet.
    theme: str | None = None
    #: Key remapping: binding id (as listed on the help screen) → comma-separated keys.
    keys: dict[str, str] = field(default_factory=dict)
    #: Quotes in a day's review (``[review] daily``).
    review_daily: int = 10
    #: Problems found while reading the file, shown to the person once the app is up.
    problems: tuple[str, ...] = ()
    #: ``[feeds] update_minutes``: update every feed this often while the app is open (None:
    #: only when asked, with R).
    feeds_update_minutes: float | None = None
    #: ``[feeds] max_new``: new items imported per feed and update, at most.
    feeds_max_new: int = 100


def load_config(path: Path) -> Config:
    """Read the config file; a missing file means defaults, a broken one defaults plus a problem."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        return Config(problems=(f"{path}: {exc}; using the defaults",))
    import tomllib  # only when there is a file: start-up time counts

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Config(problems=(f"{path}: {exc}; using the defaults",))
    problems: list[str] = []
    section: dict[str, Any] = raw.get("reader", {}) if isinstance(raw.get("reader"), dict) else {}
    width = section.get("text_width", DEFAULT_TEXT_WIDTH)
    if not isinstance(width, int) or isinstance(width, bool) or width < MIN_TEXT_WIDTH:
        problems.append(f"{path}: text_width must be a whole number ≥ {MIN_TEXT_WIDTH}")
        width = DEFAULT_TEXT_WIDTH
    theme = section.get("theme")
    if theme is not None and not isinstance(theme, str):
        problems.append(f"{path}: theme must be a name in quotes")
        theme = None
    keys = _keys(path, raw.get("keys"), problems)
    minutes, max_new = _feeds(path, raw.get("feeds"), problems)
    from reader.review.settings import daily_of

    daily = daily_of(raw.get("review"), path, problems)
    return Config(
        text_width=width,
        theme=theme,
        keys=keys,
        review_daily=daily,
        problems=tuple(problems),
        feeds_update_minutes=minutes,
        feeds_max_new=max_new,
    )


def _feeds(path: Path, section: Any, problems: list[str]) -> tuple[float | None, int]:
    """``[feeds]``: update_minutes (a number ≥ 1, or absent) and max_new (a whole number)."""
    if section is None:
        return None, 100
    if not isinstance(section, dict):
        problems.append(f"{path}: [feeds] must be a table (update_minutes, max_new)")
        return None, 100
    minutes = section.get("update_minutes")
    if minutes is not None and (
        not isinstance(minutes, int | float) or isinstance(minutes, bool) or minutes < 1
    ):
        problems.append(f"{path}: feeds.update_minutes must be a number of minutes, 1 or more")
        minutes = None
    max_new = section.get("max_new", 100)
    if not isinstance(max_new, int) or isinstance(max_new, bool) or max_new < 0:
        problems.append(f"{path}: feeds.max_new must be a whole number, 0 or more")
        max_new = 100
    return (float(minutes) if minutes is not None else None), max_new


def _keys(path: Path, section: Any, problems: list[str]) -> dict[str, str]:
    """The ``[keys]`` entries that name a binding and valid keys, as Textual names the keys.

    Any other entry is named in ``problems`` and left out, so that binding keeps its default.
    """
    from reader.tui.keys import BINDING_IDS, normalize_key

    if section is None:
        return {}
    if not isinstance(section, dict):
        problems.append(f"{path}: [keys] must be a table of binding ids and keys")
        return {}
    keys: dict[str, str] = {}
    for binding_id, value in section.items():
        where = f"{path}: keys.{binding_id}"
        if binding_id not in BINDING_IDS:
            problems.append(f"{where}: no such binding (the help screen, ?, lists the ids)")
            continue
        # Textual takes a comma-separated string; a TOML list of keys is allowed as well.
        parts = value.split(",") if isinstance(value, str) else value
        if not isinstance(parts, list) or not parts or not all(isinstance(k, str) for k in parts):
            problems.append(f"{where} must be a key or a list of keys; the default stays")
            continue
        names = [normalize_key(k) for k in parts]
        bad = [k.strip() for k, name in zip(parts, names, strict=True) if name is None]
        if bad:
            problems.append(
                f"{where}: {', '.join(repr(k) for k in bad)} is not a key name "
                "(e.g. j, ctrl+f, shift+space, pagedown, f5, question_mark); the default stays"
            )
            continue
        keys[binding_id] = ",".join(n for n in names if n is not None)
    return keys


# The state is read at start-up: standard-library json, which Textual has loaded already.


def load_state(path: Path) -> dict[str, Any]:
    """The remembered UI state; anything unreadable is simply forgotten."""
    try:
        value = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def save_state(path: Path, state: dict[str, Any]) -> None:
    """Remember UI state; failing to is not worth interrupting the reader for."""
    from reader.library.storage import atomic_write

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(state).encode())
