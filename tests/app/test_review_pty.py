"""`copydesk review` through the installed script in a real pseudo-terminal: opens, quits."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers.terminal import copydesk_in_pty

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def test_copydesk_review_opens_and_quits(isolated_paths: Path) -> None:
    with copydesk_in_pty("review", "--user", "me") as terminal:
        terminal.read_until(b"by others")
        terminal.press(b"s")
        terminal.read_until(b"Agreement")
        terminal.press(b"q")
        assert terminal.wait_for_exit() == 0
