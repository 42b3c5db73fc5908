"""`--verbose` / `--quiet` on the command line: Python logging on stderr for the plain
commands, run through the installed console script."""

from __future__ import annotations

import subprocess
from pathlib import Path

from helpers.terminal import copydesk_script

from reader.paths import demo_corpus_dir

DEMO_ARTICLE = str(sorted(demo_corpus_dir().glob("*.txt"))[0])


def copydesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([copydesk_script(), *args], capture_output=True, text=True,
                          timeout=120, check=False)


def test_verbose_writes_debug_logs_on_stderr() -> None:
    result = copydesk("--verbose", "clean", DEMO_ARTICLE)
    assert result.returncode == 0, result.stderr
    debug = [line for line in result.stderr.splitlines() if line.startswith("copydesk: debug:")]
    assert any("database" in line for line in debug), result.stderr
    assert any(f"{DEMO_ARTICLE}: " in line and "bytes" in line for line in debug)
    assert result.stdout  # the cleaned text, unchanged by logging


def test_normal_runs_have_the_summary_and_no_debug_lines() -> None:
    result = copydesk("clean", DEMO_ARTICLE)
    assert result.returncode == 0
    assert "debug:" not in result.stderr
    [summary] = result.stderr.splitlines()
    assert summary.startswith("copydesk: ") and "1 article" in summary


def test_quiet_suppresses_info() -> None:
    result = copydesk("--quiet", "clean", DEMO_ARTICLE)
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout == copydesk("clean", DEMO_ARTICLE).stdout


def test_quiet_still_reports_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    missing.write_text("")
    result = copydesk("--quiet", "clean", str(missing))
    assert result.returncode == 1
    assert "missing.txt: skipped: empty file" in result.stderr


def test_verbose_and_quiet_exclude_each_other() -> None:
    result = copydesk("--verbose", "--quiet", "clean", DEMO_ARTICLE)
    assert result.returncode == 2
    assert "exclude each other" in result.stderr


def test_group_flags_before_a_path_still_open_the_reader_route(tmp_path: Path) -> None:
    """`copydesk --verbose PATH` is `copydesk --verbose open PATH` (here with --help, so
    nothing opens: click answers for `open`)."""
    result = copydesk("--verbose", DEMO_ARTICLE, "--help")
    assert result.returncode == 0
    assert "Open the reader on PATH" in result.stdout
