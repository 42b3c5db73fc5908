"""Boilerplate decisions from editing annotations: which lines to remove or keep.

The export and the reader both ask "what did this author decide about each line?";
the answer comes from here so they never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotations.anchoring import anchor
from annotations.model import Annotation, Motivation, latest_verdicts, order_key

if TYPE_CHECKING:
    from reader.corpus.model import Article


def rejected_ids(annotations: Iterable[Annotation]) -> set[str]:
    """Ids whose latest assessing annotation says "reject" (a reviewer overruled them)."""
    latest = latest_verdicts(annotations)
    return {target for target, verdict in latest.items() if verdict.decision == "reject"}


def line_decisions(
    annotations: Iterable[Annotation],
    article: Article,
    author: str | None = None,
    *,
    honor_reviews: bool = True,
) -> dict[int, bool]:
    """Line number -> remove? from the editing annotations on `article`.

    Only `author`'s decisions count when one is given (else everyone's). Each decision
    covers every line its target touches after re-anchoring to the article's current text;
    orphaned decisions are ignored. The latest decision per line wins. With
    `honor_reviews`, decisions a reviewer rejected (see `rejected_ids`) are ignored.
    Lines without a decision are left to the detector.
    """
    annotations = list(annotations)
    skip = rejected_ids(annotations) if honor_reviews else set()
    edits = [
        a
        for a in annotations
        if a.motivation is Motivation.EDITING
        and a.target is not None
        and a.id not in skip
        and (author is None or a.author == author)
        and (a.article_id == article.id or a.source_hint == article.source)
    ]
    decided: dict[int, tuple[tuple[object, ...], bool]] = {}
    for annotation in edits:
        _decide(decided, annotation, article)
    return {number: remove for number, (_, remove) in sorted(decided.items())}


def decisions_by_author(
    annotations: Iterable[Annotation], article: Article, authors: Iterable[str]
) -> dict[str, dict[int, bool]]:
    """`line_decisions(..., author=name, honor_reviews=False)` for each of `authors`, in
    one pass over the annotations: author -> (line -> remove?)."""
    tables: dict[str, dict[int, tuple[tuple[object, ...], bool]]] = {
        name: {} for name in authors
    }
    for annotation in annotations:
        decided = tables.get(annotation.author)
        if (
            decided is not None
            and annotation.motivation is Motivation.EDITING
            and annotation.target is not None
            and (annotation.article_id == article.id or annotation.source_hint == article.source)
        ):
            _decide(decided, annotation, article)
    return {
        name: {number: remove for number, (_, remove) in sorted(decided.items())}
        for name, decided in tables.items()
    }


def _decide(
    decided: dict[int, tuple[tuple[object, ...], bool]], annotation: Annotation, article: Article
) -> None:
    """Record one decision on every line its re-anchored target touches, where it is the
    latest; an orphaned decision records nothing."""
    assert annotation.target is not None
    where = anchor(annotation.target, article.text)
    if not where.attached:
        return
    first = article.line_at(where.start).number
    last = article.line_at(max(where.start, where.end - 1)).number
    key = order_key(annotation)
    remove = annotation.decision == "remove"
    for number in range(first, last + 1):
        if number not in decided or key > decided[number][0]:
            decided[number] = (key, remove)
