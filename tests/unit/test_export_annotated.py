"""Export with stored annotations: one author's decisions, reviews, tags and notes."""

from __future__ import annotations

from annotations.anchoring import make_target
from annotations.model import Annotation, Motivation
from reader.boilerplate import Analysis, Kind, LineVerdict
from reader.corpus import Article
from reader.export import clean_with_annotations

TEXT = "Menu\nThe first paragraph of the story.\nThe second paragraph of the story.\n"


def article_and_analysis() -> tuple[Article, Analysis]:
    article = Article(text=TEXT, source="story.txt", name="story")
    analysis = Analysis(article_id=article.id)
    analysis.verdicts = {
        0: LineVerdict(0, True, Kind.CHROME, "navigation", 0.9),
        1: LineVerdict(1, False, Kind.CONTENT, "article text", 0.1),
        2: LineVerdict(2, False, Kind.CONTENT, "article text", 0.1),
    }
    return article, analysis


def decision(article: Article, line: int, remove: bool, author: str) -> Annotation:
    row = article.lines[line]
    return Annotation.create(
        article_id=article.id,
        author=author,
        motivation=Motivation.EDITING,
        target=make_target(article.text, row.start, row.end),
        decision="remove" if remove else "keep",
    )


def test_only_the_chosen_authors_decisions_apply() -> None:
    article, analysis = article_and_analysis()
    mine = decision(article, 0, False, "ada")
    theirs = decision(article, 2, True, "bo")
    cleaned = clean_with_annotations(article, analysis, [mine, theirs], author="ada")
    assert cleaned.kept_lines == ["Menu", TEXT.split("\n")[1], TEXT.split("\n")[2]]
    everyone = clean_with_annotations(article, analysis, [mine, theirs], author=None)
    assert everyone.kept_lines == ["Menu", TEXT.split("\n")[1]]


def test_a_rejected_decision_falls_back_to_the_detector() -> None:
    article, analysis = article_and_analysis()
    mine = decision(article, 0, False, "ada")
    review = Annotation.create(
        article_id=article.id,
        author="rev",
        motivation=Motivation.ASSESSING,
        decision="reject",
        refers_to=mine.id,
    )
    cleaned = clean_with_annotations(article, analysis, [mine, review], author="ada")
    assert "Menu" not in cleaned.kept_lines


def test_tags_and_notes_come_from_the_authors_annotations() -> None:
    article, analysis = article_and_analysis()
    line = article.lines[1]
    note = Annotation.create(
        article_id=article.id,
        author="ada",
        motivation=Motivation.COMMENTING,
        target=make_target(article.text, line.start, line.start + 9),
        tags=["lede", "quote"],
        note="Worth *checking*.",
    )
    other = Annotation.create(
        article_id=article.id, author="bo", motivation=Motivation.TAGGING, tags=["theirs"]
    )
    cleaned = clean_with_annotations(article, analysis, [note, other], author="ada")
    assert cleaned.tags == ["lede", "quote"]
    [entry] = cleaned.notes
    assert (entry.quote, entry.author, entry.note) == ("The first", "ada", "Worth *checking*.")
