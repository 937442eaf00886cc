"""Finding files to import and reading one: every bad input is one clear refusal."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from reader.text import (
    MAX_FILE_BYTES,
    ImportRefused,
    iter_import_files,
    parse_plain,
    parser_for,
    read_article_file,
)
from reader.text import model as text_model

STORY = "A headline\n\nThe first paragraph of a story that is long enough to read as English.\n"


def refusal(path: Path) -> ImportRefused:
    """The refusal read_article_file raises for the path."""
    with pytest.raises(ImportRefused) as caught:
        read_article_file(path)
    assert caught.value.path == str(path)
    assert str(caught.value) == f"{path}: {caught.value.reason}"
    assert "\n" not in str(caught.value)
    return caught.value


def test_reads_an_article(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(STORY.replace("\n", "\r\n").encode("utf-16"))
    article = read_article_file(path)
    assert article.title == "A headline"
    assert article.language == "en"
    assert article.body == STORY.strip()


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert refusal(path).reason == "empty file"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"   \n\t\r\n  \n", "contains only whitespace"),
        (b"\xef\xbb\xbf \n", "contains only whitespace"),
        (" \u3000\n".encode("utf-16"), "contains only whitespace"),
        (b"\x1b[2J\x07\n", "contains no text"),
    ],
)
def test_whitespace_only_file(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    assert refusal(path).reason == reason


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert refusal(path).reason == "binary file (contains NUL bytes)"


def test_oversize_sparse_file_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written or read
    assert refusal(path).reason == "larger than the 20 MB limit"


def test_size_limit_is_read_at_call_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_model, "MAX_FILE_BYTES", 100)
    path = tmp_path / "long.txt"
    path.write_text("x" * 101)
    assert refusal(path).reason == "larger than the 100 bytes limit"
    path.write_text("x" * 100)
    assert read_article_file(path).title == "x" * 100


def test_nonexistent_file(tmp_path: Path) -> None:
    assert refusal(tmp_path / "missing.txt").reason == "no such file or directory"


def test_directory_given_as_a_file(tmp_path: Path) -> None:
    assert refusal(tmp_path).reason == "is a directory"


def test_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert refusal(path).reason == "not a regular file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(STORY)
    path.chmod(0)
    try:
        assert refusal(path).reason == "permission denied"
    finally:
        path.chmod(0o644)


def test_file_behind_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert refusal(tmp_path / "a").reason == "symbolic link loop"


def test_refusal_pickles() -> None:
    original = ImportRefused(Path("x/y.txt"), "empty file")
    copy = pickle.loads(pickle.dumps(original))
    assert (copy.path, copy.reason, str(copy)) == ("x/y.txt", "empty file", "x/y.txt: empty file")


def test_plain_text_is_the_parser_for_every_suffix() -> None:
    for name in ("a.txt", "README", "d.TXT"):
        assert parser_for(Path(name)) is parse_plain


# Walking folders


def make_tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "b" / "z.txt").write_text(STORY)
    (root / "b" / "a.txt").write_text(STORY)
    (root / "a.txt").write_text(STORY)
    (root / "c.md").write_text(STORY)
    (root / ".hidden.txt").write_text(STORY)
    (root / ".git").mkdir()
    (root / ".git" / "config.txt").write_text(STORY)


def names(items: list[Path | ImportRefused], root: Path) -> list[str]:
    return [
        f"refused {Path(item.path).relative_to(root)}: {item.reason}"
        if isinstance(item, ImportRefused)
        else str(item.relative_to(root))
        for item in items
    ]


def test_folder_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = list(iter_import_files([tmp_path]))
    assert names(found, tmp_path) == ["a.txt", "b/a.txt", "b/z.txt", "c.md"]


def test_hidden_file_named_explicitly_is_imported(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert list(iter_import_files([tmp_path / ".hidden.txt"])) == [tmp_path / ".hidden.txt"]


def test_each_real_file_once(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / "link-to-a.txt").symlink_to(tmp_path / "a.txt")
    os.link(tmp_path / "c.md", tmp_path / "hard-link.md")
    (tmp_path / "link-to-b").symlink_to(tmp_path / "b")
    found = list(iter_import_files([tmp_path, tmp_path / "a.txt", str(tmp_path / "b")]))
    assert names(found, tmp_path) == ["a.txt", "b/a.txt", "b/z.txt", "c.md"]


def test_symlinked_folder_is_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "far.txt").write_text(STORY)
    library = tmp_path / "library"
    library.mkdir()
    (library / "elsewhere").symlink_to(outside)
    assert names(list(iter_import_files([library])), tmp_path) == ["library/elsewhere/far.txt"]


def test_symlink_loop_in_a_folder_is_refused_and_the_walk_goes_on(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / "b" / "loop").symlink_to(tmp_path)  # back up to an ancestor
    (tmp_path / "b" / "self").symlink_to(tmp_path / "b" / "self")  # ELOOP on stat
    found = list(iter_import_files([tmp_path]))
    assert names(found, tmp_path) == [
        "a.txt",
        "b/a.txt",
        "refused b/loop: symbolic link loop",
        "refused b/self: symbolic link loop",
        "b/z.txt",
        "c.md",
    ]
    refused = [item for item in found if isinstance(item, ImportRefused)]
    assert str(refused[0]) == f"{tmp_path / 'b' / 'loop'}: symbolic link loop"


def test_missing_and_broken_paths_are_refused(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "real.txt").write_text(STORY)
    found = list(iter_import_files([tmp_path / "nope", tmp_path]))
    assert names(found, tmp_path) == [
        "refused nope: no such file or directory",
        "refused dangling.txt: broken symbolic link",
        "real.txt",
    ]


def test_special_files_in_folders_are_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "real.txt").write_text(STORY)
    assert names(list(iter_import_files([tmp_path])), tmp_path) == ["real.txt"]
    assert names(list(iter_import_files([tmp_path / "pipe.txt"])), tmp_path) == [
        "refused pipe.txt: not a regular file"
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists folders whatever their mode")
def test_unreadable_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "open.txt").write_text(STORY)
    locked.chmod(0)
    try:
        found = list(iter_import_files([tmp_path]))
    finally:
        locked.chmod(0o755)
    assert names(found, tmp_path) == ["refused locked: permission denied", "open.txt"]


def test_deep_folders(tmp_path: Path) -> None:
    folder = tmp_path
    for _ in range(60):
        folder = folder / "d"
    folder.mkdir(parents=True)
    (folder / "deep.txt").write_text(STORY)
    assert list(iter_import_files([tmp_path])) == [folder / "deep.txt"]


def test_importing_reader_text_loads_no_ui_and_no_heavy_modules() -> None:
    code = (
        "import sys, reader.text\n"
        "bad = {'textual', 'rich', 'py3langid', 'charset_normalizer', 'numpy'} & set(sys.modules)\n"
        "print(sorted(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
