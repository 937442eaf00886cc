"""Every path reader uses, in one place."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "reader"
LIBRARY_ENV = "READER_LIBRARY"
CONFIG_ENV = "READER_CONFIG"


def default_library_dir() -> Path:
    """The per-user library folder (platformdirs' user data dir for "reader")."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def library_dir(explicit: str | os.PathLike[str] | None = None) -> tuple[Path, bool]:
    """The library folder to use, and whether it is the default one.

    ``--library`` wins over ``$READER_LIBRARY``, which wins over the default.
    """
    if explicit:
        return Path(explicit).expanduser(), False
    from_env = os.environ.get(LIBRARY_ENV)
    if from_env:
        return Path(from_env).expanduser(), False
    return default_library_dir(), True


def config_file(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The TOML config file: ``--config``, ``$READER_CONFIG``, or the platformdirs config folder."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def state_file() -> Path:
    """Small UI state kept between runs (the chosen theme), in the platformdirs state folder."""
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / "state.json"


def sample_articles_dir() -> Path:
    """The sample articles: ``sample_articles/`` at the top of the repository, which a wheel
    ships inside the package (``reader/sample_articles``; see pyproject.toml)."""
    here = Path(__file__).resolve().parent
    shipped = here / "sample_articles"
    return shipped if shipped.is_dir() else here.parent / "sample_articles"
