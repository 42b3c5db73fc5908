"""The installed `copydesk` script, run in a real pseudo-terminal: it opens and quits with q."""

from __future__ import annotations

import re
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


ARTICLE = (
    b"Harbour bridge reopens after repairs\n\n"
    b"The harbour bridge reopened on Monday after eight months of repairs.\n\n"
    b"Engineers replaced the deck and repainted the towers.\n"
)


def test_a_piped_article_opens_and_keys_come_from_the_terminal(isolated_paths: Path) -> None:
    """`copydesk -` reads the whole pipe first and takes keys from /dev/tty: the piped text
    is not read as keypresses, the one article opens, and q quits."""
    with copydesk_in_pty("-", stdin=ARTICLE) as terminal:
        shown = terminal.read_until(b"Engineers replaced")
        assert b"No article could be loaded" not in shown
        terminal.read_until(b"1 article")
        terminal.press(b"q")
        assert terminal.wait_for_exit() == 0


def test_keys_typed_as_the_reader_starts_take_effect_in_order(isolated_paths: Path) -> None:
    """Keys written to the terminal the moment the process starts, long before the first
    frame, are neither lost nor sent to the wrong column: `w` focuses the second column
    (demo article 2, 36 lines) and `G` goes to its last line, while the first column
    (24 lines) stays where it was."""
    with copydesk_in_pty(columns=160, lines=45) as terminal:
        terminal.press(b"wG")
        shown = terminal.wait_for_text(r"\bL36 ", timeout=20)
        terminal.drain()
        assert not re.search(r"\bL24 ", shown + terminal.last_text())
        terminal.press(b"q")
        assert terminal.wait_for_exit() == 0


RECORD_IMPORTS = """\
import os, sys

def _record(event, args):
    # Fires on whichever thread imports, before the module runs.
    if event == "import" and args[0] in ("click", "reader.cli") and args[0] not in sys.modules:
        with open(os.environ["COPYDESK_IMPORT_RECORD"], "a", encoding="utf-8") as out:
            out.write(args[0] + "\\n")

sys.addaudithook(_record)
"""


def test_a_bare_copydesk_opens_the_reader_without_the_command_line(
    isolated_paths: Path, tmp_path: Path
) -> None:
    """The installed script with no argument opens the reader without importing click or
    `reader.cli` (the command line's cost is no use to the first frame), and still quits
    with q; with an argument the command line is used (`--version`)."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(RECORD_IMPORTS, encoding="utf-8")
    record = tmp_path / "imports.txt"
    env = {"PYTHONPATH": str(hooks), "COPYDESK_IMPORT_RECORD": str(record)}
    with copydesk_in_pty(env=env) as terminal:
        terminal.read_until(b"Netanyahu")
        terminal.read_until(b"articles")
        terminal.press(b"q")
        assert terminal.wait_for_exit() == 0
    assert not record.exists() or record.read_text(encoding="utf-8") == ""
    with copydesk_in_pty("--version", env=env) as terminal:
        terminal.read_until(b"copydesk")
        assert terminal.wait_for_exit() == 0
    assert set(record.read_text(encoding="utf-8").split()) == {"click", "reader.cli"}
