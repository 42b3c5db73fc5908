"""The installed `copydesk` script, run in a real pseudo-terminal: it opens and quits with q."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers.terminal import copydesk_in_pty

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def test_copydesk_opens_demo_corpus_and_quits(isolated_paths: Path) -> None:
    with copydesk_in_pty() as terminal:
        terminal.read_until(b"Netanyahu")
        terminal.read_until(b"articles")
        terminal.press(b"q")
        assert terminal.wait_for_exit() == 0
