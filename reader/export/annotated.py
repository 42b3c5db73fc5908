"""Cleaned text with one author's stored decisions, tags and notes applied.

The one place that joins annotations to the export writers, so `copydesk export`, the
reader's cleaned view and its in-app export always write the same text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from annotations.decisions import line_decisions
from annotations.model import Annotation, Motivation
from reader.boilerplate.model import Analysis
from reader.corpus.model import Article
from reader.export.writers import CleanedArticle, NoteEntry, clean_article

_NOTE_MOTIVATIONS = frozenset({Motivation.TAGGING, Motivation.COMMENTING, Motivation.HIGHLIGHTING})


def clean_with_annotations(
    article: Article,
    analysis: Analysis,
    annotations: Iterable[Annotation],
    *,
    author: str | None,
    drop_inline_spans: bool = False,
) -> CleanedArticle:
    """Clean `article` applying `author`'s decisions (everyone's when None).

    `annotations` are those on the article, by anyone: reviews (assessing annotations) by
    anyone count, so a decision a reviewer rejected falls back to the detector. Tags
    (most used first) and notes come from `author`'s tagging and commenting annotations.
    """
    annotations = list(annotations)
    decisions = line_decisions(annotations, article, author=author)
    cleaned = clean_article(article, analysis, decisions, drop_inline_spans=drop_inline_spans)
    own = [
        a
        for a in annotations
        if a.motivation in _NOTE_MOTIVATIONS and (author is None or a.author == author)
    ]
    cleaned.tags = [tag for tag, _ in Counter(t for a in own for t in a.tags).most_common()]
    cleaned.notes = [
        NoteEntry(
            quote=a.target.exact if a.target else "",
            author=a.author,
            note=a.note,
            tags=tuple(a.tags),
        )
        for a in own
        if a.note.strip() or a.tags
    ]
    return cleaned
