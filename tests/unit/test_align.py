"""Shared passages across outlets: the seeds, small reworded texts, and chrome never shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.align import align_corpus, align_pair, content_sentences, similarity_matrix
from reader.boilerplate import detect, detect_corpus
from reader.cli import cli
from reader.corpus.loader import load_corpus
from reader.corpus.model import Article

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "reader" / "demo"
AP, EURONEWS = "004_3170b4733c281065", "003_1ca05d51f9810f23"
DAILY_CALLER, JNS = "002_352b49fc68c11569", "000_d47079e6fb0cf4ff"


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[Article, object]]:
    articles = load_corpus([DEMO]).articles
    return {
        a.name: (a, analysis) for a, analysis in zip(articles, detect_corpus(articles), strict=True)
    }


def pair_of(seeds, left: str, right: str):
    (a, x), (b, y) = seeds[left], seeds[right]
    return align_pair(a, b, x, y)


def test_euronews_reprints_most_of_its_body_from_the_ap_passage_by_passage(seeds) -> None:
    pair = pair_of(seeds, EURONEWS, AP)
    assert pair.a_shared > 0.6
    assert len(pair.matches) >= 8
    for match in pair.matches:
        # Offsets point at the very text of each side.
        assert pair.a.text[match.a.start : match.a.end] == match.a.text
        assert pair.b.text[match.b.start : match.b.end] == match.b.text
    # Reworded, not only verbatim: "said on Thursday" for "said Thursday", "ceasefire".
    assert any(match.score < 100 for match in pair.matches)


def test_outlets_that_wrote_their_own_story_share_little(seeds) -> None:
    pair = pair_of(seeds, DAILY_CALLER, JNS)
    assert pair.a_shared < 0.1 and pair.b_shared < 0.1


def test_the_aps_closing_paragraphs_are_its_own(seeds) -> None:
    pair = pair_of(seeds, AP, EURONEWS)
    unique = [s.text for s in pair.a_unique]
    assert any("believed to be holding some 100 people hostage" in text for text in unique)
    last_content = max(s.start for s in pair.a_sentences)
    assert last_content in {s.start for s in pair.a_unique}


def make(text: str, name: str) -> tuple[Article, object]:
    article = Article(text=text, source=name, name=name)
    return article, detect(article)


STORY = [
    "The harbour commission voted on Tuesday to rebuild the old lighthouse pier after a "
    "decade of argument over the crumbling stone jetty.",
    "Commissioners said the pier would reopen to walkers within two years and that the "
    "restoration would reuse the original granite.",
    "Fishermen who moor beside the pier welcomed the decision but asked that the harbour "
    "stay open to boats during the works.",
]


def page(*paragraphs: str, chrome: tuple[str, ...] = ()) -> str:
    return "\n\n".join([*chrome, "Harbour votes to rebuild pier", *paragraphs]) + "\n"


@pytest.mark.parametrize(
    "reworded",
    [
        # a day moved and "on" dropped
        "The harbour commission voted Tuesday to rebuild the old lighthouse pier after a "
        "decade of argument over the crumbling stone jetty.",
        # a changed attribution
        "Officials said the pier would reopen to walkers within two years and that the "
        "restoration would reuse the original granite.",
        # one sentence split in two
        "Fishermen who moor beside the pier welcomed the decision. They asked that the harbour "
        "stay open to boats during the works.",
    ],
)
def test_lightly_reworded_sentences_align(reworded: str) -> None:
    a = make(page(*STORY), "a")
    b = make(page(reworded, "An unrelated closing sentence about the weather in the valley."), "b")
    pair = align_pair(a[0], b[0], a[1], b[1])
    assert pair.matches, reworded
    assert all(m.score >= 72 for m in pair.matches)


def test_unrelated_sentences_do_not_align() -> None:
    a = make(page(*STORY), "a")
    b = make(
        page(
            "The orchestra unveiled a winter programme of symphonies and chamber works for "
            "its subscribers this season.",
            "Tickets go on sale at the box office from the beginning of May, the director said.",
        ),
        "b",
    )
    assert align_pair(a[0], b[0], a[1], b[1]).matches == []


def test_site_chrome_and_headlines_are_never_shared() -> None:
    chrome = ("Skip to main content", "Sign up for our newsletter to get the morning briefing")
    a = make(page(*STORY[:2], chrome=chrome), "a")
    b = make(
        page(
            "A different report on the same vote, written from scratch by another outlet "
            "with its own sources and quotes.",
            chrome=chrome,
        ),
        "b",
    )
    for article, analysis in (a, b):
        texts = [s.text for s in content_sentences(article, analysis)]
        assert not any("newsletter" in t or "Skip to" in t or "Harbour votes" in t for t in texts)
    assert align_pair(a[0], b[0], a[1], b[1]).matches == []


def test_the_matrix_holds_each_articles_share_and_candidates_come_from_the_index(seeds) -> None:
    names = sorted(seeds)
    articles = [seeds[n][0] for n in names]
    analyses = [seeds[n][1] for n in names]
    matrix = similarity_matrix(articles, analyses)
    i, j = names.index(EURONEWS), names.index(AP)
    assert matrix[i][j] > 0.6 and matrix[i][i] == 1.0
    assert matrix[names.index(DAILY_CALLER)][names.index(JNS)] < 0.1
    # Only pairs that share a shingle are compared at all.
    assert (min(i, j), max(i, j)) in align_corpus(articles, analyses)


def test_compare_cli_prints_the_pair_and_the_matrix() -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["compare", str(DEMO / f"{EURONEWS}.txt"), str(DEMO / f"{AP}.txt"), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["a"]["shared"] > 0.6 and data["matches"]
    assert {"line", "start", "end", "text"} <= set(data["matches"][0]["a"])
    result = runner.invoke(cli, ["compare", str(DEMO), "--matrix"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith(EURONEWS))
    assert max(float(cell) for cell in row.split()[1:-1] if cell != "1.00") > 0.6
    result = runner.invoke(cli, ["compare", str(DEMO)])
    assert result.exit_code == 2 and "exactly two" in result.output
