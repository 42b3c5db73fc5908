"""Agreement statistics built from real annotations in a real store, with known values."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotations.anchoring import make_target
from annotations.model import Annotation, Motivation
from annotations.review import accept, reject
from annotations.review_stats import SPAN_UNIT, build_report, report_rows
from annotations.store import AnnotationStore
from reader.boilerplate import detect
from reader.cli import cli
from reader.corpus import Article

TEXT = "alpha line\nbeta line\ngamma line\ndelta line\n"


def doc(text: str = TEXT, name: str = "four") -> Article:
    return Article(text=text, source=f"corpus/{name}.txt", name=name)


def decisions(article: Article, author: str, pattern: str) -> list[Annotation]:
    """'RK.R' -> remove line 0, keep line 1, nothing on 2, remove line 3."""
    made = []
    for number, mark in enumerate(pattern):
        if mark == ".":
            continue
        line = article.lines[number]
        made.append(
            Annotation.create(
                article_id=article.id,
                source_hint=article.source,
                author=author,
                motivation=Motivation.EDITING,
                target=make_target(article.text, line.start, line.end),
                decision="remove" if mark == "R" else "keep",
            )
        )
    return made


def stored(db_path: Path, *groups: list[Annotation]) -> list[Annotation]:
    store = AnnotationStore.open(db_path)
    for group in groups:
        store.add_many(group)
    return AnnotationStore.open(db_path, read_only=True).all()


def test_perfect_agreement(db_path: Path) -> None:
    art = doc()
    everything = stored(db_path, decisions(art, "ana", "RKRK"), decisions(art, "bo", "RKRK"))
    report = build_report(everything, [art])
    (pair,) = report.corpus.pairs
    assert pair.kappa == pytest.approx(1.0) and pair.units == 4
    assert report.corpus.alpha == pytest.approx(1.0)
    assert report.articles[0].scope == "four"


def test_chance_agreement(db_path: Path) -> None:
    art = doc()
    everything = stored(db_path, decisions(art, "ana", "RRKK"), decisions(art, "bo", "RKRK"))
    report = build_report(everything, [art])
    assert report.corpus.pairs[0].kappa == pytest.approx(0.0)
    # Hand-computed: coincidences o_RR=o_KK=o_RK=o_KR=2, n=8 -> 1 - 0.5 / (32/56) = 0.125.
    assert report.corpus.alpha == pytest.approx(0.125)


def test_one_annotator_with_a_single_category(db_path: Path) -> None:
    art = doc()
    everything = stored(db_path, decisions(art, "ana", "RRRR"), decisions(art, "bo", "RKRK"))
    pair = build_report(everything, [art]).corpus.pairs[0]
    assert (pair.observed, pair.expected, pair.kappa) == (0.5, 0.5, 0.0)
    both_single = stored(db_path, decisions(doc("x\ny\n", "two"), "ana", "RR"),
                         decisions(doc("x\ny\n", "two"), "bo", "RR"))
    report = build_report(both_single, [doc("x\ny\n", "two")])
    assert report.corpus.pairs[0].kappa is None and report.corpus.alpha is None


def test_undecided_lines_count_only_when_filled(db_path: Path) -> None:
    art = doc()
    everything = stored(db_path, decisions(art, "ana", "RK.."), decisions(art, "bo", "RKK."))
    plain = build_report(everything, [art])
    assert plain.corpus.pairs[0].units == 2 and not plain.fill_with_suggestions
    assert "only lines each annotator decided" in plain.note
    filled = build_report(everything, [art], {art.id: detect(art)}, fill_with_suggestions=True)
    assert filled.corpus.pairs[0].units == 4
    assert "suggestion" in filled.note


def test_corpus_pools_articles_and_without_corpus_spans_are_units(db_path: Path) -> None:
    first, second = doc(), doc("one\ntwo\n", "two")
    everything = stored(
        db_path,
        decisions(first, "ana", "RKRK"), decisions(first, "bo", "RKRK"),
        decisions(second, "ana", "RK"), decisions(second, "bo", "KR"),
    )
    report = build_report(everything, [first, second])
    assert report.corpus.pairs[0].units == 6
    assert report.corpus.pairs[0].observed == pytest.approx(4 / 6)
    assert [s.scope for s in report.articles] == ["four", "two"]
    spans = build_report(everything)
    assert spans.unit == SPAN_UNIT and spans.corpus.pairs[0].units == 6


def test_tags_and_reviews(db_path: Path) -> None:
    art = doc()

    def tag(author: str, quote: str, name: str) -> Annotation:
        start = art.text.index(quote)
        return Annotation.create(
            article_id=art.id, author=author, motivation=Motivation.TAGGING,
            target=make_target(art.text, start, start + len(quote)), tags=[name],
        )

    ana = [tag("ana", "alpha line", "x"), tag("ana", "beta line", "y")]
    bo = [tag("bo", "alpha line", "x"), tag("bo", "gamma line", "y")]
    store = AnnotationStore.open(db_path)
    store.add_many([*ana, *bo, accept(ana[0], "me"), reject(bo[1], "me")])
    report = build_report(store.all(), [art])
    (f1,) = report.tags
    assert (f1.first, f1.second, f1.f1) == ("ana", "bo", pytest.approx(0.5))
    counts = {c.author: c for c in report.reviews}
    assert (counts["ana"].accepted, counts["bo"].rejected, counts["bo"].unreviewed) == (1, 1, 1)
    rows = report_rows(report)
    assert {"section": "tags", "scope": "corpus", "annotators": "ana / bo",
            "measure": "span_f1", "value": 0.5, "units": 4} in rows


def test_stats_command_formats(db_path: Path, tmp_path: Path) -> None:
    art = doc()
    stored(db_path, decisions(art, "ana", "RRKK"), decisions(art, "bo", "RKRK"))
    corpus = tmp_path / "four.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    runner = CliRunner()
    table = runner.invoke(cli, ["review", "stats", str(corpus)], catch_exceptions=False)
    assert table.exit_code == 0, table.output
    assert "ana / bo: kappa 0.000" in table.stdout and "alpha 0.125" in table.stdout
    data = json.loads(runner.invoke(cli, ["review", "stats", str(corpus), "-f", "json"]).stdout)
    assert data["corpus"]["alpha"] == pytest.approx(0.125)
    assert data["fill_with_suggestions"] is False
    filled = json.loads(runner.invoke(
        cli, ["review", "stats", str(corpus), "-f", "json", "--fill-with-suggestions"]).stdout)
    assert filled["fill_with_suggestions"] is True
    rows = list(csv.DictReader(io.StringIO(
        runner.invoke(cli, ["review", "stats", "--format", "csv"]).stdout)))
    assert rows[0]["measure"] == "cohen_kappa" and "spans" in rows[0]["note"]
