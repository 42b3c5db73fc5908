"""A corrupt database's message offers only the ways out not yet tried (the real script)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers.annotations_support import STORY
from helpers.terminal import copydesk_script


@pytest.fixture
def corrupt(tmp_path: Path) -> Path:
    path = tmp_path / "db.json"
    path.write_text("garbage{", encoding="utf-8")
    return path


def copydesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([copydesk_script(), *args], capture_output=True, text=True,
                          timeout=60, check=False)


def test_read_only_is_not_advised_to_whoever_just_used_it(corrupt: Path) -> None:
    result = copydesk("annotations", "list", "--db", str(corrupt), "--if-corrupt", "read-only")
    assert result.returncode == 1
    assert "corrupt annotation database" in result.stderr
    assert "rerun with --if-corrupt read-only" not in result.stderr
    assert "rerun with --if-corrupt fresh" in result.stderr


def test_a_reading_command_is_offered_both_ways_out(corrupt: Path) -> None:
    result = copydesk("annotations", "list", "--db", str(corrupt))
    assert result.returncode == 1
    assert "rerun with --if-corrupt read-only" in result.stderr
    assert "--if-corrupt fresh" in result.stderr


def test_a_writing_command_is_not_offered_read_only(corrupt: Path, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    result = copydesk("annotate", str(story), "--quote", STORY.split()[0], "--tag", "x",
                      "--db", str(corrupt))
    assert result.returncode == 1
    assert "read-only" not in result.stderr
    assert "rerun with --if-corrupt fresh" in result.stderr
