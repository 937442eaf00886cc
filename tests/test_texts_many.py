"""Bodies stored many at once (``TextStore.put_many``), as ``put`` stores them one by one."""

from __future__ import annotations

from pathlib import Path

from reader.library.texts import TextStore, content_hash


def test_put_many_stores_what_put_would(tmp_path: Path) -> None:
    one, many = TextStore(tmp_path / "one"), TextStore(tmp_path / "many")
    bodies = [f"Body {n}\n\nÇavuşoğlu said {n}." for n in range(40)] + [
        "Body 3\n\nÇavuşoğlu said 3."
    ]
    digests = many.put_many(bodies)
    assert digests == [one.put(b) for b in bodies] == [content_hash(b) for b in bodies]
    assert sorted(p.name for p in many.folder.iterdir()) == sorted(
        p.name for p in one.folder.iterdir()
    )  # no temporary file left, one file per distinct body
    assert all(many.get(d) == b for d, b in zip(digests, bodies, strict=True))
    assert all(many.verify(d) is None for d in digests)


def test_put_many_leaves_stored_bodies_alone(tmp_path: Path) -> None:
    store = TextStore(tmp_path / "texts")
    digest = store.put("kept")
    before = store.path(digest).stat().st_ino
    assert store.put_many(["kept", "new"]) == [digest, content_hash("new")]
    assert store.path(digest).stat().st_ino == before
    assert store.put_many([]) == []
