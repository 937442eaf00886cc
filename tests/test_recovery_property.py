"""Random writes, compactions, kills, damage and repairs: a repair always ends at the last
acknowledged state of the library (or, after a write that was killed, the state just after it).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reader.library import Repository, doctor
from reader.library import storage as storage_module
from tests.conftest import parsed


class Killed(BaseException):
    """The process died here (BaseException: no handler for ordinary errors swallows it)."""


@dataclass(frozen=True)
class Model:
    """What the library should hold: titles with their reading position, and kept quotes."""

    articles: dict[str, int] = field(default_factory=dict)
    quotes: frozenset[tuple[str, str]] = frozenset()


def observed(folder: Path) -> Model:
    repo = Repository.open(folder)
    try:
        return Model(
            {a.title: a.position for a in repo.articles()},
            frozenset((q.article_title, q.text) for q in repo.quotes()),
        )
    finally:
        repo.close()


@contextmanager
def dying_at(call: int) -> Iterator[None]:
    """Kill the process at the ``call``-th write, fsync, rename or link; a write is torn."""
    real = {name: getattr(os, name) for name in ("write", "fsync", "replace", "link")}
    count = [0]

    def wrap(name: str) -> Callable[..., Any]:
        def syscall(*args: Any) -> Any:
            count[0] += 1
            if count[0] == call:
                if name == "write" and len(args[1]) > 1:
                    real["write"](args[0], bytes(args[1])[: len(args[1]) // 2])
                raise Killed
            return real[name](*args)

        return syscall

    for name in real:
        setattr(os, name, wrap(name))
    try:
        yield
    finally:
        for name, function in real.items():
            setattr(os, name, function)


# One step: ("add",), ("quote", pick, long), ("delete", pick), ("position", pick, pos),
# ("compact",), ("kill", at, step) or ("damage", how, where, kill repair at).
writes = st.one_of(
    st.tuples(st.just("add")),
    st.tuples(st.just("quote"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("position"), st.integers(0, 50), st.integers(1, 999)),
    st.tuples(st.just("compact")),
)
steps = st.one_of(
    writes,
    writes,
    st.tuples(st.just("kill"), st.integers(1, 8), writes),
    st.tuples(
        st.just("damage"),
        st.sampled_from(["truncate", "remove", "bad line", "old snapshot"]),
        st.floats(0, 1),
        st.integers(0, 12),  # kill the first repair at this call (0: let it finish)
    ),
)


class Library:
    """A library folder, the process using it, and the model of what it should hold."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.model = Model()
        self.repo = Repository.open(folder)
        self.added = 0

    def reopen(self) -> None:
        self.repo.close()
        self.repo = Repository.open(self.folder)

    def _pick(self, number: int) -> tuple[int, str] | None:
        articles = sorted((a.id, a.title) for a in self.repo.articles())
        return articles[number % len(articles)] if articles else None

    def write(self, step: tuple[Any, ...]) -> tuple[Callable[[], object], Model]:
        """One write to do, and the model as it is once that write is acknowledged."""
        model, repo = self.model, self.repo
        if step[0] == "add":
            self.added += 1
            title = f"T{self.added}"
            article = parsed(title, f"Body of {title} and more words. " * 3)
            return (
                lambda: repo.add_articles([(article, None)]),
                replace(model, articles={**model.articles, title: 0}),
            )
        if step[0] == "compact":
            return lambda: repo.storage.write(repo.storage.read() or {}), model
        picked = self._pick(step[1])
        if picked is None:
            return lambda: None, model
        article_id, title = picked
        if step[0] == "quote":
            passage = f"Body of {title}" if step[2] else "more words"
            return (
                lambda: repo.add_quote_text(article_id, passage),
                replace(model, quotes=model.quotes | {(title, passage)}),
            )
        if step[0] == "delete":
            return (
                lambda: repo.delete_article(article_id),
                replace(model, articles={t: p for t, p in model.articles.items() if t != title}),
            )
        return (
            lambda: repo.set_position(article_id, step[2], 0.5),
            replace(model, articles={**model.articles, title: step[2]}),
        )

    def damage(self, how: str, where: float) -> None:
        library = self.folder / "library.json"
        if how == "truncate":
            raw = library.read_bytes()
            library.write_bytes(raw[: int(len(raw) * where)])
        elif how == "remove":
            library.unlink()
        elif how == "bad line":
            journal = self.folder / "library.journal"
            if journal.exists():
                lines = journal.read_bytes().split(b"\n")
                lines.insert(1 + int(where * (len(lines) - 1)), b"\x00 not a change")
                journal.write_bytes(b"\n".join(lines))
        elif (self.folder / "library.json.bak").exists():
            library.write_bytes((self.folder / "library.json.bak").read_bytes())


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(steps, min_size=8, max_size=30))
def test_repair_always_ends_at_the_last_acknowledged_state(plan: list[tuple[Any, ...]]) -> None:
    saved = storage_module.MIN_JOURNAL_BYTES
    storage_module.MIN_JOURNAL_BYTES = 600  # compact every few writes
    try:
        with tempfile.TemporaryDirectory() as name:
            run(Library(Path(name)), plan)
    finally:
        storage_module.MIN_JOURNAL_BYTES = saved


def run(library: Library, plan: list[tuple[Any, ...]]) -> None:
    for step in plan:
        event(step[0])
        if step[0] == "kill":
            write, after = library.write(step[2])
            try:
                with dying_at(step[1]):
                    write()
            except Killed:
                event("killed")
                library.repo = Repository.open(library.folder)  # a new process starts
                found = observed(library.folder)
                # Not acknowledged: the write made it to disk whole, or not at all.
                assert found in (library.model, after), (step, found)
                after = found
            library.model = after
        elif step[0] == "damage":
            library.repo.close()
            library.damage(step[1], step[2])
            if step[3]:
                try:
                    with dying_at(step[3]):
                        doctor.repair(library.folder)
                except Killed:
                    event("repair killed")
            lines = doctor.repair(library.folder)
            assert not any("lost" in line or "missing" in line for line in lines), lines
            assert observed(library.folder) == library.model, (step, lines)
            report = doctor.check(library.folder)
            assert report.sound, report.problems
            library.repo = Repository.open(library.folder)
        else:
            write, after = library.write(step)
            write()
            library.model = after
        assert observed(library.folder) == library.model
    library.repo.close()
