"""The reader logs to its log file, never to the terminal it draws on (installed script,
real pty)."""

from __future__ import annotations

import os
import select
import sys
import time
from pathlib import Path

import pytest
from helpers.terminal import Terminal, copydesk_in_pty

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def output_until_exit(terminal: Terminal, timeout: float = 30) -> bytes:
    """Everything the app writes until it exits (read as a terminal would)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while terminal.process.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([terminal.fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(terminal.fd, 65536)
            except OSError:
                break
    return seen


def test_the_reader_logs_to_the_log_file_not_the_terminal(
    isolated_paths: Path, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text(
        "Harbour bridge reopens\n\nThe harbour bridge reopened on Monday after repairs.\n"
    )
    (corpus / "feed.jsonl").write_text(
        '{"id": "a", "text": "Council approves the budget after a long debate."}\n'
        '{"id": "b", "body": "no text field here"}\n'
    )
    with copydesk_in_pty("--verbose", str(corpus)) as terminal:
        screen = terminal.read_until(b"2 articles")  # both files loaded
        terminal.press(b"q")
        screen += output_until_exit(terminal)
        assert terminal.process.wait(timeout=10) == 0
    log_text = (isolated_paths / "log" / "copydesk.log").read_text()
    # What --verbose logs while the reader runs: debug detail and the per-file counts.
    assert " DEBUG reader.corpus.loader: " in log_text and "story.txt: " in log_text
    assert "feed.jsonl: read 1 of 2 records as articles" in log_text
    assert " INFO reader.app: reader on " in log_text
    # ...and none of it on the screen.
    for line in ("read 1 of 2 records", "bytes, read as", "reader on ", "debug:", "DEBUG"):
        assert line.encode() not in screen, line
