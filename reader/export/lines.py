"""Which article lines the cleaned text keeps, in the order export writes them."""

from __future__ import annotations

from collections.abc import Mapping

from reader.boilerplate.model import Analysis
from reader.corpus.model import Article
from reader.export.writers import clean_article


def cleaned_line_numbers(
    article: Article, analysis: Analysis, decisions: Mapping[int, bool] | None = None
) -> list[int]:
    """Article line numbers of exactly what export writes (`clean_article`'s kept lines).

    Blank runs collapse to one blank line between kept lines, as in the export.
    """
    cleaned = clean_article(article, analysis, decisions)
    removed = set(cleaned.removed)
    numbers: list[int] = []
    lines = article.lines
    for line in lines:
        if line.is_blank:
            if numbers and not lines[numbers[-1]].is_blank:
                numbers.append(line.number)
            continue
        if line.number not in removed:
            numbers.append(line.number)
    while numbers and lines[numbers[-1]].is_blank:
        numbers.pop()
    return numbers
