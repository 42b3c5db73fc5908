"""Builders for annotation tests: real articles, real annotations, a real store."""

from __future__ import annotations

from pathlib import Path

from annotations.anchoring import make_target
from annotations.model import Annotation, Motivation
from reader.corpus import Article, normalize

STORY = normalize(
    "Skip to content\n"
    "Markets rally as central bank holds rates\n"
    "By Jane Doe\n"
    "\n"
    "The central bank left its key rate unchanged on Tuesday, citing easing inflation.\n"
    "Analysts had expected the decision after a run of softer price data.\n"
    "\n"
    "Share this article\n"
    "Sign up for our newsletter\n"
)


def article(text: str = STORY, source: str = "corpus/story.txt") -> Article:
    return Article(text=text, source=source, name=Path(source).stem)


def annotate(
    target_article: Article,
    quote: str,
    *,
    author: str = "ana",
    motivation: Motivation | str = Motivation.COMMENTING,
    tags: tuple[str, ...] = (),
    note: str = "",
    decision: str | None = None,
    refers_to: str | None = None,
) -> Annotation:
    """An annotation on the first occurrence of `quote` in the article."""
    start = target_article.text.index(quote)
    return Annotation.create(
        article_id=target_article.id,
        source_hint=target_article.source,
        author=author,
        motivation=motivation,
        target=make_target(target_article.text, start, start + len(quote)),
        tags=tags,
        note=note,
        decision=decision,
        refers_to=refers_to,
    )


def bucket_files(db: Path) -> list[Path]:
    """The bucket files of the database at `db`."""
    return sorted((db.parent / (db.name + ".d")).glob("*.json"))


def build_queue(annotations, reviewer: str, **options):
    """A one-off review queue: what the review screen asks its `ReviewIndex` for."""
    from annotations.review import ReviewIndex

    return ReviewIndex(annotations).queue(reviewer, **options)
