"""The curated result as an author: `copydesk export --curated` and annotation export."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from helpers.review_support import corpus_articles, seed, write_corpus

from annotations.curation import CURATED_AUTHOR, settle
from annotations.store import AnnotationStore
from reader.cli import cli


def test_export_curated_applies_the_settled_lines(tmp_path: Path, db_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    seed(db_path, corpus)
    council = corpus_articles(corpus)["council"]
    store = AnnotationStore.open(db_path)
    # Settle: the byline (ana kept it, bo removed it) removed, and the opponents' line too.
    store.add_many(settle(store.all(), council, {2: True, 5: True, 4: False}).added)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["export", str(corpus / "council.txt"), "-o", str(out), "--curated"]
    )
    assert result.exit_code == 0, result.output
    text = (out / "council.txt").read_text(encoding="utf-8")
    assert "By Sam Reporter" not in text and "Opponents said" not in text
    assert "The city council approved the budget" in text
    assert f"decisions by {CURATED_AUTHOR}" in result.output
    # Unsettled lines follow the detector, not ana's or bo's decisions.
    assert "Sign up for our newsletter" not in text

    both = CliRunner().invoke(
        cli, ["export", str(corpus), "-o", str(out), "--curated", "--all-authors"]
    )
    assert both.exit_code == 1 and "--curated cannot be combined" in both.output

    exported = CliRunner().invoke(cli, ["annotations", "export", "--author", CURATED_AUTHOR])
    bundle = json.loads(exported.stdout)
    assert bundle["count"] == 3
    assert {a["author"] for a in bundle["annotations"]} == {CURATED_AUTHOR}


def test_review_command_is_registered() -> None:
    result = CliRunner().invoke(cli, ["review", "--help"])
    assert result.exit_code == 0
    assert "stats" in result.stdout and "import-db" in result.stdout


def test_the_curated_name_is_reserved_for_reviewers() -> None:
    result = CliRunner().invoke(cli, ["review", "--user", CURATED_AUTHOR])
    assert result.exit_code == 1 and "reserved" in result.output
