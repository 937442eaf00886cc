"""The ``[review]`` section of the config file (read by the app's config and by the CLI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Quotes in a day's review unless the config file says otherwise.
DEFAULT_DAILY = 10


def daily_of(section: Any, path: Path, problems: list[str]) -> int:
    """``[review] daily`` from a parsed TOML section; a bad value is named in ``problems``."""
    if not isinstance(section, dict):
        if section is not None:
            problems.append(f"{path}: [review] must be a table (daily = 10)")
        return DEFAULT_DAILY
    daily = section.get("daily", DEFAULT_DAILY)
    if not isinstance(daily, int) or isinstance(daily, bool) or daily < 1:
        problems.append(f"{path}: review.daily must be a whole number ≥ 1; using {DEFAULT_DAILY}")
        return DEFAULT_DAILY
    return daily


def read_daily(path: Path) -> int:
    """``[review] daily`` from the config file at ``path`` (the default if it is absent)."""
    import tomllib

    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return DEFAULT_DAILY
    return daily_of(raw.get("review"), path, [])
