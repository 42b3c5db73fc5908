"""`copydesk review` through the installed script in a real pseudo-terminal: opens, quits."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def copydesk_script() -> str:
    beside = Path(sys.executable).with_name("copydesk")
    if beside.exists():
        return str(beside)
    found = shutil.which("copydesk")
    if found is None:
        pytest.skip("the copydesk console script is not installed")
    return found


def read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if needle in seen:
                return seen
    raise AssertionError(f"{needle!r} did not appear; last output: {seen[-500:]!r}")


def test_copydesk_review_opens_and_quits(isolated_paths: Path) -> None:
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "140", "LINES": "40"}
    process = subprocess.Popen(
        [copydesk_script(), "review", "--user", "me"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(terminal)
    try:
        read_until(controller, b"by others", timeout=20)
        os.write(controller, b"s")
        read_until(controller, b"Agreement", timeout=20)
        os.write(controller, b"q")
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)
