"""`copydesk clean` through click's runner and through the installed console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader import paths
from reader.cli import cli

STORY = (
    "Skip to main content\n\n"
    "City council approves the new riverside park plan\n\n"
    "The city council voted on Tuesday to approve a long-debated plan for a park along the "
    "river, ending a dispute that had lasted nearly three years.\n\n"
    "Council members said the project would be paid for with bonds issued next spring, and "
    "construction is expected to begin before the end of the year.\n\n"
    "Residents who opposed the plan said they would keep pressing for changes to the design.\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def story_file(tmp_path: Path, name: str = "park.txt") -> Path:
    path = tmp_path / name
    path.write_text(STORY, encoding="utf-8")
    return path


def test_single_input_goes_to_stdout_verbatim(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["clean", str(story_file(tmp_path))])
    assert result.exit_code == 0, result.output
    kept = [line for line in result.stdout.split("\n") if line]
    source_lines = STORY.split("\n")
    assert all(line in source_lines for line in kept)
    assert kept == sorted(kept, key=source_lines.index)
    assert "The city council voted on Tuesday" in result.stdout


def test_output_dir_one_file_per_article(runner: CliRunner, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    story_file(inputs, "one.txt")
    story_file(inputs, "two.md")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["clean", str(inputs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["one.txt", "two.txt"]


def test_md_and_jsonl_formats(runner: CliRunner, tmp_path: Path) -> None:
    path = story_file(tmp_path)
    md = runner.invoke(cli, ["clean", str(path), "--format", "md"])
    assert md.stdout.startswith("---\ntitle: ")
    record = json.loads(runner.invoke(cli, ["clean", str(path), "-f", "jsonl"]).stdout)
    assert record["name"] == "park" and "riverside" in record["text"]


def test_labels_one_object_per_non_empty_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["clean", str(story_file(tmp_path)), "--labels"])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    non_empty = [i for i, line in enumerate(STORY.split("\n")) if line.strip()]
    assert [r["line"] for r in records] == non_empty
    assert {r["label"] for r in records} <= {"content", "boilerplate"}
    assert all({"kind", "reason", "score"} <= r.keys() for r in records)


def test_labels_to_dir_are_named_for_the_scorer(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(cli, ["clean", str(story_file(tmp_path)), "--labels", "-o", str(out)])
    assert [p.name for p in out.iterdir()] == ["park.pred.jsonl"]


def test_bad_files_reported_and_the_rest_cleaned(runner: CliRunner, tmp_path: Path) -> None:
    good = story_file(tmp_path)
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    result = runner.invoke(cli, ["clean", str(bad), str(good)])
    assert result.exit_code == 0
    assert f"copydesk: {bad}: skipped: binary data (PNG image)" in result.stderr
    assert "riverside" in result.stdout
    assert str(bad) not in result.stdout


def test_nothing_loaded_exits_non_zero(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(cli, ["clean", str(empty)])
    assert result.exit_code == 1
    assert "empty file" in result.stderr and "nothing to clean" in result.stderr


def test_stdin_input(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clean", "-"], input=STORY)
    assert result.exit_code == 0 and "riverside park" in result.stdout


def test_explain_lists_removed_lines_on_stderr(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["clean", "--explain", "-o", str(tmp_path)])
    assert result.exit_code == 0
    explained = [line for line in result.stderr.splitlines() if "]" in line]
    assert explained, "the demo corpus has boilerplate to explain"
    assert all(line.count(":") >= 2 for line in explained)


def test_no_path_cleans_the_demo_corpus(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["clean", "-o", str(out)])
    assert result.exit_code == 0
    demo_names = sorted(p.stem for p in paths.demo_corpus_dir().glob("*.txt"))
    assert sorted(p.stem for p in out.iterdir()) == demo_names
    assert len(demo_names) == 5


def test_installed_console_script_and_module(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("copydesk")
    assert script.exists(), "the copydesk console script is installed with the package"
    path = story_file(tmp_path)
    result = subprocess.run(
        [script, "clean", str(path)], capture_output=True, text=True, check=True
    )
    assert "riverside park" in result.stdout
    module = subprocess.run(
        [sys.executable, "-m", "reader", "--version"], capture_output=True, text=True, check=True
    )
    assert module.stdout.strip() == "copydesk, version 0.1.0"


def test_rules_only_gives_the_rules_verdicts_without_the_line_model(
    runner: CliRunner, tmp_path: Path
) -> None:
    from reader.boilerplate import detect
    from reader.corpus.loader import load_corpus

    demo = paths.demo_corpus_dir()
    name = sorted(demo.glob("*.txt"))[0]

    def labels(*flags: str) -> dict[int, dict]:
        result = runner.invoke(cli, ["clean", str(name), "--labels", "-j", "1", *flags])
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        return {row["line"]: row for row in rows}

    [article] = load_corpus([name]).articles
    for flags, line_model in ((("--rules-only",), False), ((), True)):
        expected = detect(article, line_model=line_model).verdicts
        rows = labels(*flags)
        assert {row["line"] for row in rows.values()} == set(expected)
        assert all(rows[n]["score"] == pytest.approx(v.score) for n, v in expected.items())
    assert labels("--rules-only") != labels()
