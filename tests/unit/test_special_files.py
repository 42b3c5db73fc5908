"""FIFOs and other non-regular files never hang a command or the reader's loader.

Opening a FIFO for reading blocks until a writer appears, so a FIFO given as input or
found in a directory used to hang `clean`, `annotate` and the reader. Each test runs the
real program in a subprocess with a timeout: a hang fails the test instead of the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.annotations_support import STORY

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")

TIMEOUT = 60
"""Generous: a hang is forever, a normal run takes a second or two."""


def copydesk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with one real article and a FIFO with a supported name beside it."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    return folder


def test_clean_skips_a_fifo_given_as_input(corpus: Path, tmp_path: Path) -> None:
    result = copydesk("clean", str(corpus / "pipe.txt"), str(corpus / "story.txt"), cwd=tmp_path)
    assert "pipe.txt: skipped: not a regular file" in result.stderr
    assert "central bank left its key rate" in result.stdout


def test_clean_skips_a_fifo_found_in_a_directory(corpus: Path, tmp_path: Path) -> None:
    result = copydesk("clean", str(corpus), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "pipe.txt: skipped: not a regular file" in result.stderr
    assert "central bank left its key rate" in result.stdout


def test_clean_with_jobs_skips_a_fifo(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = copydesk("clean", str(corpus), "-o", str(out), "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "not a regular file" in result.stderr
    assert [p.name for p in out.iterdir()] == ["story.txt"]


def test_annotate_skips_a_fifo(corpus: Path, tmp_path: Path) -> None:
    result = copydesk("annotate", str(corpus), "--quote", "Analysts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "pipe.txt: skipped: not a regular file" in result.stderr
    fifo_only = copydesk("annotate", str(corpus / "pipe.txt"), "--quote", "x", cwd=tmp_path)
    assert fifo_only.returncode == 1
    assert "not a regular file" in fifo_only.stderr
    assert "Traceback" not in fifo_only.stderr


def test_the_readers_loader_skips_a_fifo(corpus: Path, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from reader.state.loading import iter_sources\n"
        "for item in iter_sources(sys.argv[1:], 10_000_000):\n"
        "    print(type(item).__name__, getattr(item, 'source', ''), getattr(item, 'reason', ''))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(corpus), str(corpus / "pipe.txt")],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"Article {corpus / 'story.txt'} " in lines
    assert lines.count(f"LoadProblem {corpus / 'pipe.txt'} skipped: not a regular file") == 2


def test_load_file_never_blocks_on_a_fifo(corpus: Path) -> None:
    """The loader's own open is non-blocking too (a file swapped for a FIFO after the walk)."""
    script = (
        "import sys\nfrom pathlib import Path\n"
        "from reader.corpus.loader import load_file\n"
        "print(*load_file(Path(sys.argv[1])))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(corpus / "pipe.txt")],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.stdout.strip() == f"{corpus / 'pipe.txt'}: skipped: not a regular file"
