"""Run the installed `copydesk` console script in a real pseudo-terminal, as a user would."""

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


def copydesk_script() -> str:
    """The console script installed beside this Python (skip the test when missing)."""
    beside = Path(sys.executable).with_name("copydesk")
    if beside.exists():
        return str(beside)
    found = shutil.which("copydesk")
    if found is None:
        pytest.skip("the copydesk console script is not installed")
    return found


@dataclass
class Terminal:
    """The controlling side of a pty with copydesk running on the other side."""

    fd: int
    process: subprocess.Popen[bytes]

    def read_until(self, needle: bytes, timeout: float = 20) -> bytes:
        """Read output until `needle` appears; fail with the last output if it never does."""
        seen = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if needle in seen:
                return seen
        raise AssertionError(f"{needle!r} did not appear; last output: {seen[-500:]!r}")

    def press(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def wait_for_exit(self, timeout: float = 30) -> int:
        """Keep reading (as a terminal does) until the app exits; its exit status.

        A pty whose output nobody reads fills up and blocks the app mid-write, so it
        could never get to the quit key.
        """
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    os.read(self.fd, 65536)
                except OSError:
                    break
        return self.process.wait(timeout=max(deadline - time.monotonic(), 0.1))


def _take_the_terminal() -> None:
    """In the child: make the pty on stdout the controlling terminal (`/dev/tty`)."""
    fcntl.ioctl(1, termios.TIOCSCTTY, 0)


@contextmanager
def copydesk_in_pty(
    *args: str, columns: int = 140, lines: int = 40, stdin: bytes | None = None
) -> Iterator[Terminal]:
    """Start `copydesk ARGS` in a pty of the given size; kill it if the test leaves it running.

    With `stdin`, those bytes are piped to it (as `cat file | copydesk -` does) while the
    pty stays its controlling terminal, so keys still reach it through `/dev/tty`.
    """
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines)}
    process = subprocess.Popen(
        [copydesk_script(), *args],
        stdin=terminal if stdin is None else subprocess.PIPE,
        stdout=terminal,
        stderr=terminal,
        env=env,
        close_fds=True,
        start_new_session=True,
        preexec_fn=None if stdin is None else _take_the_terminal,
    )
    os.close(terminal)
    if stdin is not None and process.stdin is not None:
        process.stdin.write(stdin)
        process.stdin.close()
    try:
        yield Terminal(controller, process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)
