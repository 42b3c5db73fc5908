"""One line-number convention for people: 1-based in `--explain`, the reader and
`annotate`; the `--labels` records keep the 0-based `line` index their format (and the
gold files) use, and the help says so."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from reader.cli import cli

STORY = (
    "Skip to main content\n\n"
    "City council approves the new riverside park plan\n\n"
    "The city council voted on Tuesday to approve a long-debated plan for a park along the "
    "river, ending a dispute that had lasted nearly three years.\n\n"
    "Council members said the project would be paid for with bonds issued next spring, and "
    "construction is expected to begin before the end of the year.\n"
)


def test_explain_counts_from_one_and_labels_from_zero(tmp_path: Path) -> None:
    path = tmp_path / "park.txt"
    path.write_text(STORY, encoding="utf-8")
    runner = CliRunner()
    explained = runner.invoke(cli, ["clean", str(path), "--explain"]).stderr
    shown = {int(m) for m in re.findall(r"^park:(\d+): ", explained, re.MULTILINE)}
    assert 1 in shown  # "Skip to main content", the first line, is line 1 for people
    labels = runner.invoke(cli, ["clean", str(path), "--labels"]).stdout
    removed = {
        record["line"] for record in map(json.loads, labels.splitlines())
        if record["label"] == "boilerplate"
    }
    assert {number + 1 for number in removed} == shown


def test_the_labels_help_says_its_line_is_zero_based() -> None:
    help_text = " ".join(CliRunner().invoke(cli, ["clean", "--help"]).output.split())
    assert "0-based" in help_text
    assert "--explain" in help_text and "1-based" in help_text
