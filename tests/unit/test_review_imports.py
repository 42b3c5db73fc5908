"""Bringing colleagues' work in: export files and database files, imported twice, and
annotations on articles this corpus does not have."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from helpers.annotations_support import build_queue
from helpers.review_support import seed, write_corpus

from annotations.formats import dump_bundle, dump_w3c_jsonl
from annotations.review_stats import build_report
from annotations.store import AnnotationStore
from reader.cli import cli
from reader.cli_review import review_group
from reader.corpus import load_corpus


def colleague(tmp_path: Path) -> tuple[Path, Path]:
    """bo's own database (his corpus files live under other names) and the corpus."""
    corpus = write_corpus(tmp_path / "corpus")
    theirs = tmp_path / "bo" / "annotations.json"
    seed(theirs, corpus)
    return theirs, corpus


def count(db: Path) -> int:
    return AnnotationStore.open(db, read_only=True).count()


def test_importing_an_export_twice_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    theirs, _ = colleague(tmp_path)
    everything = AnnotationStore.open(theirs, read_only=True).all()
    for name, text in (("bo.json", dump_bundle(everything)), ("bo.jsonl",
                                                              dump_w3c_jsonl(everything))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        first = CliRunner().invoke(cli, ["annotations", "import", str(path)])
        assert first.exit_code == 0, first.output
        snapshot = sorted(a.to_dict()["id"] for a in AnnotationStore.open(db_path).all())
        again = CliRunner().invoke(cli, ["annotations", "import", str(path)])
        assert "0 added, 0 updated" in again.stdout
        assert sorted(a.id for a in AnnotationStore.open(db_path).all()) == snapshot
    assert count(db_path) == len(everything)
    assert {a.author for a in AnnotationStore.open(db_path).all()} == {"ana", "bo"}


def test_importing_a_database_twice_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    theirs, _ = colleague(tmp_path)
    runner = CliRunner()
    first = runner.invoke(review_group, ["import-db", str(theirs)])
    assert first.exit_code == 0, first.output
    assert f"{count(theirs)} added" in first.stdout
    before = AnnotationStore.open(db_path).all()
    again = runner.invoke(review_group, ["import-db", str(theirs)])
    assert again.exit_code == 0 and "0 added, 0 updated" in again.stdout
    assert [a.to_dict() for a in AnnotationStore.open(db_path).all()] == [
        a.to_dict() for a in before
    ]
    missing = runner.invoke(review_group, ["import-db", str(tmp_path / "nothing.json")])
    assert missing.exit_code == 1 and "no annotation database" in missing.output


def test_same_article_under_another_name_is_recognized(tmp_path: Path, db_path: Path) -> None:
    theirs, corpus = colleague(tmp_path)
    CliRunner().invoke(review_group, ["import-db", str(theirs)])
    renamed = tmp_path / "mine"
    renamed.mkdir()
    (renamed / "2024-05-01-budget.txt").write_text((corpus / "council.txt").read_text())
    articles = load_corpus([str(renamed)]).articles
    queue = build_queue(AnnotationStore.open(db_path).all(), "me",
                        known_articles=[a.id for a in articles])
    on_council = [i for i in queue.items if i.known_article]
    assert len(on_council) == 3  # by content hash, whatever the file is called


def test_annotations_on_unknown_articles_are_kept_and_listed(
    tmp_path: Path, db_path: Path
) -> None:
    theirs, corpus = colleague(tmp_path)
    CliRunner().invoke(review_group, ["import-db", str(theirs)])
    only = tmp_path / "only"
    only.mkdir()
    (only / "council.txt").write_text((corpus / "council.txt").read_text())
    articles = load_corpus([str(only)]).articles
    everything = AnnotationStore.open(db_path).all()
    assert len(everything) == count(theirs)  # nothing dropped
    report = build_report(everything, articles)
    harbour_id = next(a.article_id for a in everything if a.tags == ["infrastructure"])
    assert report.unknown_articles == {harbour_id: 1}
    table = CliRunner().invoke(review_group, ["stats", str(only)])
    assert "annotations on articles not in the corpus" in table.stdout
    assert harbour_id[:16] in table.stdout
