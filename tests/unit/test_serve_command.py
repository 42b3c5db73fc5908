"""What each browser session of `copydesk serve` runs: the reader on the same inputs."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.serve import session_command


def test_each_session_runs_this_python_on_the_same_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my articles").mkdir()
    command = session_command(("my articles",), db_path=Path("notes.json"), user="ada lovelace",
                              verbosity=1)
    assert shlex.split(command) == [
        sys.executable, "-m", "reader", "--verbose", "open",
        "--db", str(tmp_path / "notes.json"), "--user", "ada lovelace",
        "--", str(tmp_path / "my articles"),
    ]


def test_a_path_that_looks_like_an_option_or_a_command_stays_a_path(tmp_path: Path) -> None:
    words = shlex.split(session_command(("--help", "clean"), verbosity=-1))
    assert words[3:6] == ["--quiet", "open", "--"]
    assert words[6:] == [str(Path("--help").resolve()), str(Path("clean").resolve())]


def test_serve_refuses_stdin() -> None:
    result = CliRunner().invoke(cli, ["serve", "-"])
    assert result.exit_code == 2
    assert "not stdin" in result.output
