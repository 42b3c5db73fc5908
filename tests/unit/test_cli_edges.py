"""Command-line edges: exclusive options, a closed stdout, and error messages that name
the user's path rather than an internal temporary file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.annotations_support import STORY, annotate, article, bucket_files

from annotations.store import AnnotationStore
from reader.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


@pytest.mark.parametrize("order", [("--remove", "--keep"), ("--keep", "--remove")])
def test_remove_and_keep_together_is_a_usage_error(
    story_file: Path, db_path: Path, order: tuple[str, str]
) -> None:
    result = run("annotate", str(story_file), "--quote", "Skip to content", *order)
    assert result.exit_code == 2
    assert "--remove and --keep cannot be used together" in result.stderr
    assert not bucket_files(db_path)


def test_remove_alone_and_keep_alone_still_work(story_file: Path, db_path: Path) -> None:
    assert run("annotate", str(story_file), "--quote", "Skip to content", "--remove").exit_code == 0
    assert run("annotate", str(story_file), "--quote", "Analysts", "--keep").exit_code == 0
    decisions = sorted(a.decision for a in AnnotationStore.open(db_path).all())
    assert decisions == ["keep", "remove"]


def piped_to_head(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`copydesk COMMAND | head -1`, with the real pipe and head's early exit."""
    script = " ".join(map(_quote, [sys.executable, "-m", "reader", *command])) + " | head -1"
    return subprocess.run(
        ["sh", "-c", script], capture_output=True, text=True, timeout=120, env=env
    )


def _quote(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


@pytest.mark.skipif(os.name != "posix", reason="needs sh and head")
def test_export_into_head_prints_no_broken_pipe(db_path: Path) -> None:
    """Far more than a pipe buffer of output, so the writer sees head go away."""
    store = AnnotationStore.open(db_path)
    store.add_many(annotate(article(), "central bank", note="word " * 40_000) for _ in range(20))
    result = piped_to_head(["annotations", "export"], dict(os.environ))
    assert result.stdout.startswith("{")
    assert "Broken pipe" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr == ""


@pytest.mark.skipif(os.name != "posix", reason="needs sh and head")
def test_clean_into_head_prints_no_broken_pipe(tmp_path: Path) -> None:
    big = tmp_path / "feed.jsonl"
    big.write_text(
        "".join(
            json.dumps(
                {
                    "id": n,
                    "text": f"Story {n}: the central bank held its rate on day {n}, analysts "
                    f"said.\n\nMarkets rose {n} points in reply to the decision of day {n}.",
                }
            )
            + "\n"
            for n in range(3000)
        ),
        encoding="utf-8",
    )
    result = piped_to_head(["clean", str(big)], dict(os.environ))
    assert result.stdout.startswith("==> ")
    assert "Broken pipe" not in result.stderr and "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_an_unwritable_output_is_named_not_its_temporary_file(db_path: Path) -> None:
    AnnotationStore.open(db_path).add(annotate(article(), "central bank"))
    target = "/proc/copydesk-export.json"
    result = run("annotations", "export", "-o", target)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"copydesk: {target}: ")
    assert ".tmp" not in result.stderr and result.stderr.count("\n") == 1
