"""Importing from inside the app: path completion, progress, summary, the list refreshed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label

from reader.library import Repository
from reader.tui.app import ReaderApp
from reader.tui.screens.import_screen import ImportScreen, PathSuggester
from reader.tui.screens.main import MainScreen


async def test_import_from_the_palette_command(tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "one.txt").write_text("First headline\n\nA paragraph of the first.\n", "utf-8")
    (folder / "two.txt").write_text("Second headline\n\nA paragraph of the second.\n", "utf-8")
    (folder / "bad\x1b[2J.txt").write_bytes(b"")
    app = ReaderApp(Repository.open(tmp_path / "lib"), None, tmp_path / "state.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_import()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#path", Input).value = str(folder)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if not screen.running:
                break
        summary = str(screen.query_one("#import-summary", Label).render())
        assert "Imported 2, already present 0, refused 1." in summary
        assert "\x1b" not in summary and "\\x1b[2J" in summary
        await pilot.press("escape")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert {a.title for a in main.articles.shown} == {"First headline", "Second headline"}
    app.saver.close()


async def test_path_suggester_completes_from_disk(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "archive.txt").write_text("x")
    suggester = PathSuggester()
    assert (
        await suggester.get_suggestion(str(tmp_path / "arti")) == str(tmp_path / "articles") + "/"
    )
    assert await suggester.get_suggestion(str(tmp_path / "arch")) == str(tmp_path / "archive.txt")
    assert await suggester.get_suggestion(str(tmp_path / "zzz")) is None


async def test_export_quotes_and_library_from_the_app(tmp_path: Path) -> None:
    from reader.tui.screens.export_screen import ExportScreen
    from tests.conftest import parsed

    repo = Repository.open(tmp_path / "lib")
    [result] = repo.add_articles([(parsed("Kept words", "A line worth keeping today."), "k.txt")])
    repo.add_quote_text(result.article.id, "worth keeping", note="why")
    app = ReaderApp(repo, None, tmp_path / "state.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        targets = (
            ("csv", tmp_path / "out.csv"),
            ("library", tmp_path / "dump"),
            ("anki", tmp_path / "deck.apkg"),
        )
        for kind, target in targets:
            app.action_export(kind)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ExportScreen)
            screen.query_one("#export-path", Input).value = str(target)
            await pilot.press("enter")
            for _ in range(100):
                await pilot.pause(0.05)
                if "Wrote" in str(screen.query_one("#export-result", Label).render()):
                    break
            await pilot.press("escape")
        csv_text = (tmp_path / "out.csv").read_text("utf-8")
        assert csv_text.splitlines()[0] == "Highlight,Title,Author,URL,Note,Location,Date"
        assert "worth keeping" in csv_text
        assert (tmp_path / "dump" / "reader-export.json").exists()
        # The deck is a zip holding Anki's SQLite collection, the quote among its notes.
        import sqlite3
        import zipfile

        with zipfile.ZipFile(tmp_path / "deck.apkg") as deck:
            (tmp_path / "collection").write_bytes(deck.read("collection.anki2"))
        with sqlite3.connect(tmp_path / "collection") as db:
            fields = [row[0] for row in db.execute("select flds from notes")]
        assert len(fields) == 1 and fields[0].startswith("worth keeping")
    app.saver.close()


async def test_import_screen_recognises_an_omnivore_export(tmp_path: Path) -> None:
    from tests.migrate_exports import omnivore_files, write_zip

    path = write_zip(tmp_path / "omnivore.zip", omnivore_files())
    app = ReaderApp(Repository.open(tmp_path / "lib"), None, tmp_path / "state.json")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.action_import()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#path", Input).value = str(path)
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause(0.05)
            if not screen.running:
                break
        summary = str(screen.query_one("#import-summary", Label).render())
        assert f"Recognised an Omnivore export in {path}: imported 2" in summary
        assert "1 anchored exactly, 1 after normalising" in summary
        assert "Imported 0" not in summary  # the zip is not read again as a file
        await pilot.press("escape")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert {a.title for a in main.articles.shown} == {"The flood", "The pumps"}
    app.saver.close()
