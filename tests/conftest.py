"""Shared fixtures: every path points into tmp_path; libraries on disk and in memory alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Repository
from reader.text.model import ParsedArticle, Span

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_4eb47535c0ebb6d1.txt"
CORPUS = SHARED / "corpus"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real per-user data or config folders."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("READER_LIBRARY", raising=False)
    monkeypatch.delenv("READER_CONFIG", raising=False)


def parsed(title: str, *paragraphs: str) -> ParsedArticle:
    """A parsed article with a headline block and the given paragraphs."""
    blocks = [title, *paragraphs]
    body = "\n\n".join(blocks)
    spans, pos = [], 0
    for i, block in enumerate(blocks):
        spans.append(Span(pos, pos + len(block), "headline" if i == 0 else "paragraph"))
        pos += len(block) + 2
    words = len(body.split())
    return ParsedArticle(title, body, tuple(spans), None, None, "en", words)


@pytest.fixture(params=["memory", "disk"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    """A fresh repository, once with metadata in memory and once on disk."""
    if request.param == "memory":
        repository = Repository.in_memory(tmp_path / "texts")
    else:
        repository = Repository.open(tmp_path / "lib")
    yield repository
    repository.close()


@pytest.fixture(scope="session")
def _app_library_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.tui_helpers import build_library

    return build_library(tmp_path_factory.mktemp("app-library") / "lib")


@pytest.fixture
def app_library(_app_library_template: Path, tmp_path: Path) -> Path:
    """A library of twenty articles (samples in several scripts, and made-up ones) with quotes,
    fresh for each test (copied from one built per session)."""
    import shutil

    return Path(shutil.copytree(_app_library_template, tmp_path / "app-lib"))
