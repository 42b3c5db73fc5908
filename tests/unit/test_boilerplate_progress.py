"""`iter_detect_corpus`: the corpus analysis one article at a time, and the CLI's progress bar."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator

import pytest

from reader import cli
from reader.boilerplate import Analysis, LineVerdict, detect_corpus, iter_detect_corpus
from reader.corpus.model import Article

PARAGRAPHS = [
    "The river authority agreed on Monday to dredge the silted canal basin, after boat "
    "owners complained for three summers that the moorings had become unusable at low water.",
    "Engineers from the river authority said the canal basin would be closed for six weeks "
    "while the dredgers work, and that the towpath would stay open to walkers and cyclists.",
    "Boat owners who moor in the canal basin welcomed the dredging, although several asked "
    "the authority to publish the timetable so that they can move their boats in good time.",
]


def page(number: int) -> str:
    """A small page: site chrome shared by every page, a headline, prose, a footer."""
    lines = ["Canal News", "Home", "Share", "", f"Canal basin to be dredged, part {number}", ""]
    for paragraph in PARAGRAPHS:
        lines += [paragraph.replace("Monday", f"day {number}"), ""]
    lines += ["Canal News footer links", "Copyright Canal News"]
    return "\n".join(lines) + "\n"


def corpus(size: int) -> list[Article]:
    return [Article(text=page(n), source=f"p{n}.txt", name=f"p{n}") for n in range(size)]


def same(left: Analysis, right: Analysis) -> bool:
    return (left.article_id, left.verdicts, left.headline, left.author, left.date) == (
        right.article_id,
        right.verdicts,
        right.headline,
        right.author,
        right.date,
    )


def test_iter_detect_corpus_yields_what_detect_corpus_returns() -> None:
    articles = corpus(6)
    expected = detect_corpus(articles)
    found = list(iter_detect_corpus(articles))
    assert len(found) == len(expected) == len(articles)
    assert all(same(a, b) for a, b in zip(found, expected, strict=True))
    # Shared chrome is corpus evidence: the iterator gathers it before the first yield.
    first_line = found[0].verdicts[0]
    assert first_line.boilerplate and first_line.kind == "shared-chrome"


def test_iter_detect_corpus_is_lazy_and_in_order() -> None:
    articles = corpus(4)
    analyses = iter_detect_corpus(articles)
    assert isinstance(analyses, Iterator)
    first = next(analyses)
    assert first.article_id == articles[0].id
    assert [analysis.article_id for analysis in analyses] == [a.id for a in articles[1:]]


def test_iter_detect_corpus_on_small_and_empty_corpora() -> None:
    assert list(iter_detect_corpus([])) == []
    one = corpus(1)
    assert all(same(a, b) for a, b in zip(iter_detect_corpus(one), detect_corpus(one), strict=True))


def test_detection_leaves_the_garbage_collector_as_it_found_it() -> None:
    articles = corpus(2)
    assert gc.isenabled()
    detect_corpus(articles)
    assert gc.isenabled()
    gc.disable()
    try:
        detect_corpus(articles)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_line_verdicts_are_immutable_records() -> None:
    verdict = LineVerdict(3, True, "chrome", "navigation", 0.9)  # type: ignore[arg-type]
    assert verdict.spans == () and verdict.label == "boilerplate"
    with pytest.raises(AttributeError):
        verdict.boilerplate = False  # type: ignore[misc]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_analyze_shows_progress_per_article_on_a_terminal(monkeypatch) -> None:
    articles = corpus(cli.PROGRESS_THRESHOLD)
    stderr = _Terminal()
    monkeypatch.setattr(cli.sys, "stderr", stderr)
    analyses = cli.analyze(articles)
    assert all(same(a, b) for a, b in zip(analyses, detect_corpus(articles), strict=True))
    shown = stderr.getvalue()
    assert "Detecting boilerplate" in shown
    assert f"{cli.PROGRESS_THRESHOLD}/{cli.PROGRESS_THRESHOLD}" in shown or "100%" in shown


@pytest.mark.parametrize("size,terminal", [(cli.PROGRESS_THRESHOLD - 1, True), (30, False)])
def test_analyze_is_quiet_for_small_or_piped_runs(monkeypatch, size: int, terminal: bool) -> None:
    stderr = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(cli.sys, "stderr", stderr)
    analyses = cli.analyze(corpus(size))
    assert len(analyses) == size
    assert stderr.getvalue() == ""
