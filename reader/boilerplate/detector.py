"""The boilerplate detector: entry points `detect` and `detect_corpus`."""

from __future__ import annotations

from collections.abc import Sequence

from reader.boilerplate.model import Analysis, Kind, LineVerdict
from reader.corpus.model import Article


def detect(article: Article, corpus: Sequence[Article] | None = None) -> Analysis:
    """Classify every non-empty line of `article`; `corpus` supplies cross-article evidence."""
    analysis = Analysis(article_id=article.id)
    for line in article.lines:
        if not line.is_blank:
            analysis.verdicts[line.number] = LineVerdict(
                line.number, False, Kind.CONTENT, "article text", 0.0
            )
    return analysis


def detect_corpus(articles: Sequence[Article]) -> list[Analysis]:
    """Analyze each article with the whole corpus as evidence (repeated lines are chrome)."""
    return [detect(article, articles) for article in articles]
