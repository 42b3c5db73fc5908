"""Run the installed `copydesk` console script in a real pseudo-terminal, as a user would."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

_SEQUENCES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\\\)?")
"""CSI and OSC sequences: removed from the text shown when an expected word never came."""


def copydesk_script() -> str:
    """The console script installed beside this Python (skip the test when missing)."""
    beside = Path(sys.executable).with_name("copydesk")
    if beside.exists():
        return str(beside)
    found = shutil.which("copydesk")
    if found is None:
        pytest.skip("the copydesk console script is not installed")
    return found


def screen_text(output: bytes) -> str:
    """Terminal output as the text it draws (CSI and OSC sequences removed)."""
    return _SEQUENCES.sub(b"", output).decode("utf-8", "replace")


@dataclass
class Terminal:
    """The controlling side of a pty with copydesk running on the other side."""

    fd: int
    process: subprocess.Popen[bytes]
    transcript: bytearray = field(default_factory=bytearray)
    """Every byte the program wrote to the terminal so far, in order."""

    def _read(self) -> bytes:
        chunk = os.read(self.fd, 65536)
        self.transcript += chunk
        return chunk

    def read_until(self, needle: bytes, timeout: float = 20) -> bytes:
        """Read output until `needle` appears; fail with the last output if it never does."""
        return self.read_until_any(needle, timeout=timeout)[1]

    def read_until_any(self, *needles: bytes, timeout: float = 20) -> tuple[bytes, bytes]:
        """Read output until one of `needles` appears: (the needle, the output read)."""
        needle = needles[0]
        seen = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = self._read()
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            for needle in needles:
                if needle in seen:
                    return needle, seen
        raise AssertionError(f"{needles!r} did not appear; last text: {self.last_text()!r}")

    def mark(self) -> int:
        """Where the output read so far ends (for `wait_for_text(since=...)`)."""
        return len(self.transcript)

    def shows(self, pattern: str, timeout: float = 30, since: int | None = None) -> bool:
        """Whether the text drawn from now on (or from the mark `since`), escape sequences
        removed, comes to match `pattern` (a regular expression) within `timeout`."""
        start = len(self.transcript) if since is None else since
        wanted = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if wanted.search(screen_text(bytes(self.transcript[start:]))):
                return True
            if select.select([self.fd], [], [], 0.1)[0]:
                try:
                    if not self._read():
                        break
                except OSError:
                    break
        return wanted.search(screen_text(bytes(self.transcript[start:]))) is not None

    def last_text(self, since: int = 0) -> str:
        """The text drawn since the mark `since` (its tail), for failure messages."""
        return " ".join(screen_text(bytes(self.transcript[since:])).split())[-800:]

    def wait_for_text(self, pattern: str, timeout: float = 30, since: int | None = None) -> str:
        """Read until the text drawn from now on (or from the mark `since`), escape
        sequences removed, matches `pattern` (a regular expression): what the screen
        shows, however the program split and styled it."""
        start = len(self.transcript) if since is None else since
        if not self.shows(pattern, timeout, since=start):
            shown = self.last_text(start)
            raise AssertionError(f"{pattern!r} was never shown; last text: {shown!r}")
        return screen_text(bytes(self.transcript[start:]))

    def press_until(self, keys: bytes, pattern: str, timeout: float = 30) -> str:
        """Press `keys`, then wait until what is drawn after them matches `pattern`."""
        mark = self.mark()
        self.press(keys)
        return self.wait_for_text(pattern, timeout, since=mark)

    def drain(self, quiet: float = 0.3) -> None:
        """Read until the program has drawn nothing for `quiet` seconds."""
        while select.select([self.fd], [], [], quiet)[0]:
            try:
                if not self._read():
                    return
            except OSError:
                return

    def press(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def paste(self, text: str) -> None:
        """Paste `text` as a terminal does in bracketed-paste mode (escape bytes and all)."""
        os.write(self.fd, b"\x1b[200~" + text.encode("utf-8") + b"\x1b[201~")

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
                    if not self._read():
                        break
                except OSError:
                    break
        return self.process.wait(timeout=max(deadline - time.monotonic(), 0.1))


def _take_the_terminal() -> None:
    """In the child: make the pty on stdout the controlling terminal (`/dev/tty`)."""
    fcntl.ioctl(1, termios.TIOCSCTTY, 0)


@contextmanager
def copydesk_in_pty(
    *args: str,
    columns: int = 140,
    lines: int = 40,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    command: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Terminal]:
    """Start `copydesk ARGS` in a pty of the given size; kill it if the test leaves it running.

    With `stdin`, those bytes are piped to it (as `cat file | copydesk -` does) while the
    pty stays its controlling terminal, so keys still reach it through `/dev/tty`.
    `command` runs instead of the console script (a wrapper that then calls copydesk's
    `main`), `env` adds to the environment.
    """
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": str(columns),
        "LINES": str(lines),
        **(env or {}),
    }
    process = subprocess.Popen(
        [*(command or [copydesk_script()]), *args],
        stdin=terminal if stdin is None else subprocess.PIPE,
        stdout=terminal,
        stderr=terminal,
        env=env,
        cwd=cwd,
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
