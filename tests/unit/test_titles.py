"""Titles never come from a line the detector flagged: the headline, else the first
content line; the reader and the md/jsonl exports agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.boilerplate import detect
from reader.cli import cli
from reader.corpus import Article
from reader.export.title import article_title

BODY = (
    "The harbour bridge reopened on Monday after eight months of repairs, officials said, "
    "and traffic returned to normal by the evening rush hour.\n\n"
    "Engineers replaced the deck and repainted the towers, work that cost the city more "
    "than forty million dollars over the year.\n"
)
FIRST_CONTENT = BODY.split("\n", 1)[0]


@pytest.mark.parametrize(
    "flagged", ["LIVE TV", "Photo: A crane lifts a section of the bridge deck. (Reuters)"]
)
def test_a_flagged_first_line_is_not_the_title(flagged: str) -> None:
    article = Article(text=f"{flagged}\n\n{BODY}", source="bridge.txt", name="bridge")
    analysis = detect(article)
    assert analysis.is_boilerplate(0) and not analysis.headline
    assert article_title(article, analysis) == FIRST_CONTENT
    assert article_title(article, None) == flagged


def test_the_headline_and_a_given_title_are_kept() -> None:
    text = "City council approves the riverside park plan\n\n" + BODY
    article = Article(text=text, source="park.txt", name="park")
    analysis = detect(article)
    assert article_title(article, analysis) == (analysis.headline or article.title)
    given = Article(text=BODY, source="x.html", name="x", title="Bridge reopens")
    assert article_title(given, detect(given)) == "Bridge reopens"


def test_md_and_jsonl_exports_take_the_same_title(tmp_path: Path) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text("LIVE TV\n\n" + BODY, encoding="utf-8")
    runner = CliRunner()
    md = runner.invoke(cli, ["clean", str(path), "-f", "md"]).stdout
    assert md.split("\n")[1] == f"title: {json.dumps(FIRST_CONTENT)}"
    record = json.loads(runner.invoke(cli, ["clean", str(path), "-f", "jsonl"]).stdout)
    assert record["title"] == FIRST_CONTENT


CAPTION = "Photo: A crane lifts a section of the bridge deck. (Reuters)"


@pytest.mark.parametrize(
    "spaced",
    [
        "LIVE\u00a0TV",
        "LIVE TV  ",
        "Photo:  A crane lifts a section of the bridge deck.  (Reuters)",
        "Photo: A crane lifts a section of the bridge deck.\t(Reuters)",
    ],
)
def test_a_given_title_matching_a_flagged_line_once_spaces_collapse_is_not_kept(
    spaced: str,
) -> None:
    given = " ".join(spaced.split())
    article = Article(text=f"{spaced}\n\n{BODY}", source="x.html", name="x", title=given)
    analysis = detect(article)
    assert analysis.is_boilerplate(0) and not analysis.headline
    assert article_title(article, analysis) == FIRST_CONTENT


@pytest.mark.parametrize("given", ["LIVE", "Photo: A crane lifts a section"])
def test_a_given_title_sharing_words_with_a_flagged_line_is_kept(given: str) -> None:
    article = Article(
        text=f"{CAPTION}\n\nLIVE TV\n\n{BODY}", source="x.html", name="x", title=given
    )
    analysis = detect(article)
    assert analysis.is_boilerplate(0) and analysis.is_boilerplate(2)
    assert article_title(article, analysis) == given


def test_the_book_chooses_a_title_once_per_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list asks for every title whenever it refreshes: the choice is remembered
    while the article's analysis is the same object, and made again for a new one."""
    from reader.export import title as title_module
    from reader.state import Book

    chosen: list[str] = []

    def counted(article: Article, analysis: object) -> str:
        chosen.append(article.id)
        return article_title(article, analysis)  # type: ignore[arg-type]

    monkeypatch.setattr(title_module, "article_title", counted)
    article = Article(text="LIVE TV\n\n" + BODY, source="bridge.txt", name="bridge")
    book = Book("tester", tmp_path / "db.json")
    book.add_articles([article])
    assert book.title(article) == "LIVE TV"  # no analysis yet: the input's title
    book.adopt_analyses({article.id: detect(article)}, {})
    assert book.title(article) == book.title(article) == FIRST_CONTENT
    assert chosen == [article.id]
    book.adopt_analyses({article.id: detect(article)}, {})
    assert book.title(article) == FIRST_CONTENT
    assert chosen == [article.id, article.id]


def test_titles_chosen_with_the_verdicts_are_the_books_titles(tmp_path: Path) -> None:
    """The detecting thread chooses the titles (`article_titles`); the book takes them
    as they are, without choosing again."""
    from reader.state import Book
    from reader.state.loading import article_titles

    articles = [
        Article(text="LIVE TV\n\n" + BODY, source="a.txt", name="a"),
        Article(text="City council approves the park plan\n\n" + BODY, source="b.txt", name="b"),
    ]
    analyses = {article.id: detect(article) for article in articles}
    titles = article_titles(articles, analyses)
    assert titles == {a.id: article_title(a, analyses[a.id]) for a in articles}
    book = Book("tester", tmp_path / "db.json")
    book.add_articles(articles)
    book.adopt_analyses(analyses, {articles[0].id: "Given by the detecting thread"})
    assert book.title(articles[0]) == "Given by the detecting thread"
    assert book.title(articles[1]) == titles[articles[1].id]
