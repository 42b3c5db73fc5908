"""The real reader, killed between the steps of a changed decision, keeps a decision.

The installed app runs in a pty with a hook that SIGKILLs it at the Nth write, fsync,
rename or unlink the annotation store makes once a file says so (the first decision is
saved before it is armed). For each N, the reopened database holds the old decision or
the new one, never neither, and the new one whenever the reader said it was saved.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pytest
from helpers.annotations_support import STORY
from helpers.terminal import Terminal

from annotations.store import AnnotationStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

HOOKED_READER = textwrap.dedent(
    """
    import os, signal, sys
    arm = os.environ["KILL_ARM_FILE"]
    state = {"at": None, "calls": 0}

    def killing(function):
        def wrapped(*args, **kwargs):
            if sys._getframe(1).f_globals.get("__name__") == "annotations.store":
                if state["at"] is None and os.path.exists(arm):
                    state["at"] = int(open(arm).read())
                if state["at"] is not None:
                    state["calls"] += 1
                    if state["calls"] == state["at"]:
                        os.kill(os.getpid(), signal.SIGKILL)
            return function(*args, **kwargs)
        return wrapped

    for name in ("write", "fsync", "replace", "rename", "unlink"):
        setattr(os, name, killing(getattr(os, name)))
    from reader.cli import main
    sys.argv = ["copydesk", *sys.argv[1:]]
    main()
    """
)


LAST = [b""]
"""What the last `shows` saw (escape sequences removed), for failure messages."""
CSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]")


def shows(terminal: Terminal, needle: bytes, timeout: float) -> bool:
    """Whether `needle` appears on screen (escape sequences aside) within `timeout`."""
    seen = b""
    LAST[0] = seen
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([terminal.fd], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(terminal.fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        seen += chunk
        LAST[0] = CSI.sub(b"", seen)
        if needle in LAST[0]:
            return True
    return False


def reader_in_pty(story: Path, arm: Path) -> Terminal:
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "KILL_ARM_FILE": str(arm),
        "COLUMNS": "140",
        "LINES": "40",
        "COPYDESK_CONFIG": str(story.parent / "config.toml"),
    }
    (story.parent / "config.toml").write_text('user = "ana"\n')
    process = subprocess.Popen(
        [sys.executable, "-c", HOOKED_READER, str(story)],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(terminal)
    return Terminal(controller, process)


@pytest.mark.parametrize("kill_at", [1, 2, 3, 4, 5, 6, 7, 9, 12])
def test_a_reader_killed_midway_through_a_changed_decision_keeps_one(
    tmp_path: Path, db_path: Path, kill_at: int
) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    arm = tmp_path / "arm"
    terminal = reader_in_pty(story, arm)
    try:
        # The detector's verdict on line 1 is shown: decisions can be made.
        assert shows(terminal, b"site navigation", timeout=60), LAST[0][-800:]
        for _ in range(50):  # until the store has opened (before that nothing is saved)
            terminal.press(b"a")
            if shows(terminal, b"Saved: accepted line 1", timeout=1):
                break
        else:
            raise AssertionError("the first decision was never saved")
        arm.write_text(str(kill_at))
        terminal.press(b"r")
        told_saved = shows(terminal, b"Saved: rejected line 1", timeout=30)
        if terminal.process.poll() is None:
            terminal.press(b"q")
        status = terminal.wait_for_exit()
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
        os.close(terminal.fd)
    store = AnnotationStore.open(db_path)
    assert store.check() == []
    decisions = [a.decision for a in store.all() if a.decision]
    assert decisions in (["remove"], ["keep"]), (kill_at, decisions, status)
    if told_saved:
        assert decisions == ["keep"]
    else:
        assert status == -signal.SIGKILL
