"""The wheel's package list is written out (sample_articles/ is mapped into the package):
it must name every package of the source tree."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_and_the_samples_ship_inside_it() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "reader").rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["package-dir"]["reader.sample_articles"] == "sample_articles"
    assert config["package-data"]["reader.sample_articles"] == ["*"]
    assert sorted((ROOT / "sample_articles").iterdir())
