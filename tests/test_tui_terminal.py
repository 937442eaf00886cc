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
