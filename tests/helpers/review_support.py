"""Deterministic data for the review tests: a two-article corpus and two annotators."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from annotations.anchoring import make_target
from annotations.model import Annotation, Motivation
from annotations.store import AnnotationStore
from reader.corpus import Article, load_corpus

USER = "me"

COUNCIL = (
    "Menu Home World Sport\n"
    "Council approves new budget after long debate\n"
    "By Sam Reporter\n"
    "\n"
    "The city council approved the budget on Tuesday after a six-hour debate.\n"
    "Opponents said the plan cuts library hours and raises parking fees.\n"
    "The mayor called the vote a step toward balanced books.\n"
    "\n"
    "Share this article\n"
    "Sign up for our newsletter\n"
)
HARBOUR = (
    "Skip to content\n"
    "Harbour reopens after storm repairs\n"
    "\n"
    "The harbour reopened on Friday after three weeks of repairs to the sea wall.\n"
    "Fishing crews returned to the docks before dawn.\n"
    "\n"
    "Related: Storm season begins early\n"
)


def write_corpus(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "council.txt").write_text(COUNCIL, encoding="utf-8")
    (directory / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    return directory


def corpus_articles(directory: Path) -> dict[str, Article]:
    return {a.name: a for a in load_corpus([str(directory)]).articles}


def fixed(annotation: Annotation, number: int) -> Annotation:
    """A fixed id and fixed times, so queues and snapshots never change."""
    stamp = f"2024-05-01T09:{number // 60:02d}:{number % 60:02d}.000000Z"
    return replace(
        annotation,
        id=f"00000000-0000-4000-8000-{number:012d}",
        created=stamp,
        modified=stamp,
    )


def on_quote(article: Article, quote: str, author: str, number: int, **fields) -> Annotation:
    start = article.text.index(quote)
    motivation = fields.pop("motivation", None) or (
        Motivation.COMMENTING if fields.get("note") else Motivation.TAGGING
    )
    return fixed(
        Annotation.create(
            article_id=article.id,
            source_hint=article.source,
            author=author,
            motivation=motivation,
            target=make_target(article.text, start, start + len(quote)),
            **fields,
        ),
        number,
    )


def on_line(article: Article, line: int, author: str, remove: bool, number: int) -> Annotation:
    row = article.lines[line]
    return fixed(
        Annotation.create(
            article_id=article.id,
            source_hint=article.source,
            author=author,
            motivation=Motivation.EDITING,
            target=make_target(article.text, row.start, row.end),
            decision="remove" if remove else "keep",
        ),
        number,
    )


def seed(db_path: Path, corpus: Path) -> dict[str, Annotation]:
    """ana and bo tag and decide lines of the council story; bo notes the harbour one."""
    articles = corpus_articles(corpus)
    council, harbour = articles["council"], articles["harbour"]
    made = {
        "ana_budget": on_quote(council, "approved the budget", "ana", 1, tags=["politics"]),
        "bo_budget": on_quote(council, "council approved the budget", "bo", 2,
                              tags=["economy"], note="Is **six hours** right?"),
        "ana_mayor": on_quote(council, "The mayor", "ana", 3, tags=["quote"]),
        "bo_harbour": on_quote(harbour, "sea wall", "bo", 4, tags=["infrastructure"],
                               note="Check the [source](https://example.org)."),
    }
    decisions = [
        # line 0 menu: both remove (agreed); 2 byline: ana keep, bo remove (disagreed);
        # 4 body: both keep (agreed); 8 share: both remove (agreed); 9 newsletter: ana only.
        on_line(council, 0, "ana", True, 10), on_line(council, 0, "bo", True, 11),
        on_line(council, 2, "ana", False, 12), on_line(council, 2, "bo", True, 13),
        on_line(council, 4, "ana", False, 14), on_line(council, 4, "bo", False, 15),
        on_line(council, 8, "ana", True, 16), on_line(council, 8, "bo", True, 17),
        on_line(council, 9, "ana", True, 18),
    ]
    store = AnnotationStore.open(db_path)
    store.add_many([*made.values(), *decisions])
    return made


def fixed_analysis(article: Article):
    """Detector verdicts written by hand, so views that show suggestions do not change
    when the detector does."""
    from reader.boilerplate import Analysis, Kind, LineVerdict

    kinds = {
        "Menu": (True, Kind.CHROME, "site navigation"),
        "By ": (False, Kind.BYLINE, "a byline (kept as the author)"),
        "Share": (True, Kind.CHROME, "a share widget"),
        "Sign up": (True, Kind.NEWSLETTER, "a newsletter call to action"),
        "Skip": (True, Kind.CHROME, "a skip link"),
        "Related": (True, Kind.RELATED, "a related link"),
    }
    verdicts = {}
    for line in article.lines:
        if line.is_blank:
            continue
        found = next((v for k, v in kinds.items() if line.text.startswith(k)), None)
        boilerplate, kind, reason = found or (False, Kind.CONTENT, "article text")
        verdicts[line.number] = LineVerdict(
            line.number, boilerplate, kind, reason, 0.9 if boilerplate else 0.1
        )
    return Analysis(article_id=article.id, verdicts=verdicts)


def review_app(corpus: Path, db_path: Path):
    """`copydesk review CORPUS` as the CLI builds it, for USER, with steady cursors."""
    from reader.app import make_app

    return make_app([str(corpus)], db_path, USER, cursor_blink=False, start="review")
