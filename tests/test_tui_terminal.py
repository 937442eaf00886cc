"""The real app in a pseudo-terminal: what reaches the terminal, and SIGTERM saving first."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from reader.importing import import_paths
from reader.library import Repository

REPO_ROOT = Path(__file__).resolve().parents[1]


def read_until(master: int, needle: bytes, seen: bytearray, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.05)[0]:
            try:
                seen += os.read(master, 65536)
            except OSError:
                return False
            if needle in seen:
                return True
    return False


def test_hostile_article_sends_no_escapes_and_sigterm_saves_the_position(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    paragraph = "Plain words to scroll past in the terminal. " * 12
    hostile.write_text(
        "Hostile headline here\n\n"
        "Before \x1b]52;c;aGFja2Vk\x07 after \x1b[2J and \x9b31m and \u202eevil.\n\n"
        + "\n\n".join([paragraph] * 40)
        + "\n",
        "utf-8",
    )
    library = tmp_path / "lib"
    repo = Repository.open(library)
    import_paths(repo, [hostile])
    repo.close()

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    env = dict(os.environ, TERM="xterm-256color")
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "--library", str(library)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=REPO_ROOT,
    )
    os.close(slave)
    seen = bytearray()
    try:
        assert read_until(master, b"Hostile headline", seen), seen[-2000:]
        os.write(master, b"\r")
        assert read_until(master, b"Before", seen)
        for _ in range(4):
            os.write(master, b" ")
            time.sleep(0.2)
        read_until(master, b"\x00never", seen, timeout=1.0)
        proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        while proc.poll() is None and time.monotonic() < deadline:
            read_until(master, b"\x00never", seen, timeout=0.1)
        assert proc.returncode is not None, "the app did not stop on SIGTERM"
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    output = bytes(seen)
    assert b"aGFja2Vk" not in output and b"]52;" not in output  # no clipboard write
    assert b"\x1b[2J" not in output.split(b"Before", 1)[1][:200]
    assert "\u202e".encode() not in output and b"\xc2\x9b" not in output
    article = Repository.open(library).articles()[0]
    assert article.position > 0, "SIGTERM must save the reading position first"


def test_a_hand_edited_library_sends_no_escapes_either(tmp_path: Path) -> None:
    """Import cleans what it stores; strings edited into library.json by hand are shown
    with their control characters made visible, in every pane and screen."""
    source = tmp_path / "plain.txt"
    source.write_text("Plain headline\n\nA first paragraph of plain words to keep.\n", "utf-8")
    library = tmp_path / "lib"
    repo = Repository.open(library)
    import_paths(repo, [source])
    [result] = repo.articles()
    repo.add_quote_text(result.id, "plain words")
    hostile = "\x1b]52;c;aGFja2Vk\x07\x1b[2J\u202e"
    data = repo.storage.read() or {}
    article = dict(data["articles"][str(result.id)])
    article.update(title=f"Evil {hostile} title", source=f"S{hostile}", credit=f"C{hostile}")
    [(quote_id, quote)] = data["quotes"].items()
    quote = {**quote, "note": f"N{hostile}", "tags": [f"t{hostile}"]}
    data = {
        **data,
        "articles": {**data["articles"], str(result.id): article},
        "quotes": {quote_id: quote},
    }
    repo.storage.write(data)  # as a hand edit would leave it
    repo.close()

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "--library", str(library)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=dict(os.environ, TERM="xterm-256color"),
        cwd=REPO_ROOT,
    )
    os.close(slave)
    seen = bytearray()
    try:
        assert read_until(master, b"Evil", seen), seen[-2000:]
        assert read_until(master, b"Metadata", seen)
        os.write(master, b"\r")  # open it: the credit line, metadata, quotes pane
        assert read_until(master, b"first paragraph", seen)
        os.write(master, b"Q")  # every quote, with its article's title, note and tags
        assert read_until(master, b"All quotes", seen)
        read_until(master, b"\x00never", seen, timeout=1.0)
        os.write(master, b"\x11")  # ctrl+q
        deadline = time.monotonic() + 15
        while proc.poll() is None and time.monotonic() < deadline:
            read_until(master, b"\x00never", seen, timeout=0.1)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    output = bytes(seen)
    assert b"]52;c;aGFja2Vk" in output  # the text is shown...
    assert b"\x1b]52" not in output  # ...but never as a clipboard write
    assert b"\x1b[2J" not in output.split(b"Evil", 1)[1]
    assert "\u202e".encode() not in output
