"""jsonl inputs that are not corpora of articles say so once, naming the file; corpora say
how many records they gave."""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path

import pytest
from helpers.terminal import copydesk_script

from reader.corpus import Article
from reader.corpus.loader import LABELS_REASON, load_corpus

LABELS = [{"line": n, "text": f"Line {n} of the page", "label": "boilerplate"} for n in range(40)]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


def test_records_without_text_give_one_problem_naming_the_file_and_its_fields(
    tmp_path: Path,
) -> None:
    path = write_jsonl(tmp_path / "notes.jsonl",
                       [{"id": n, "body": "words", "url": "u"} for n in range(30)])
    result = load_corpus([path])
    assert result.articles == []
    [problem] = result.problems
    assert problem.source == str(path)
    assert "none of its 30 records has a string 'text' field" in problem.reason
    assert "body, id, url" in problem.reason


def test_a_labels_file_is_not_read_as_one_article_per_line(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("A headline\n\nThe whole story, in one paragraph.\n")
    labels = write_jsonl(tmp_path / "page.labels.jsonl", LABELS)
    result = load_corpus([tmp_path])
    assert [a.name for a in result.articles] == ["page"]
    assert [(p.source, p.reason) for p in result.problems] == [(str(labels), LABELS_REASON)]


def test_a_corpus_with_some_bad_records_keeps_the_rest_and_counts_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "a", "title": "First", "url": "https://example.org/a", "text": "Text one."},
        {"id": "b", "body": "no text"},
        {"id": "c", "text": "Text three."},
    ])
    with caplog.at_level(logging.INFO, logger="reader.corpus.loader"):
        result = load_corpus([path])
    assert [a.name for a in result.articles] == ["a", "c"]
    first: Article = result.articles[0]
    assert (first.title, first.url) == ("First", "https://example.org/a")
    assert [p.source for p in result.problems] == [f"{path}#2"]
    assert f"{path}: read 2 of 3 records as articles" in caplog.messages


def test_clean_says_in_one_line_which_file_had_no_usable_records(tmp_path: Path) -> None:
    notes = write_jsonl(tmp_path / "notes.jsonl", [{"id": n, "body": "x"} for n in range(25)])
    labels = write_jsonl(tmp_path / "gold.labels.jsonl", LABELS)
    for path, reason in ((notes, "none of its 25 records has a string 'text' field"),
                         (labels, LABELS_REASON)):
        # export reads through the corpus loader, clean through the streamed sources.
        for command in (["export", str(path), "-o", str(tmp_path / "out")], ["clean", str(path)]):
            result = subprocess.run([copydesk_script(), *command], capture_output=True,
                                    text=True, timeout=120, check=False)
            assert result.returncode == 1, (command, result.stderr)
            lines = result.stderr.splitlines()
            if command[0] == "clean" and path == notes:
                # clean's workers parse the records: the first, then a count of the rest.
                assert lines[:2] == [
                    f"copydesk: {path}#1: skipped: record has no string 'text' field",
                    f"copydesk: {path}: 24 more record(s) skipped: no string 'text' field",
                ], result.stderr
            else:
                assert lines[0].startswith(f"copydesk: {path}: ") and reason in lines[0]
            expected = 3 if command[0] == "clean" and path == notes else 2
            assert len(lines) == expected, result.stderr  # + "nothing ... loaded"
