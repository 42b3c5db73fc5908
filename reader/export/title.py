"""An article's title: the one rule the reader and the exports share (Textual-free).

A title is never a line the detector itself flagged ("LIVE TV", a photo caption): the
detector's headline comes first, then the title the input gave (an HTML `<title>`, a
jsonl `title`, else the first line), unless that is a flagged line, in which case the
first content line stands in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.boilerplate.model import Analysis
    from reader.corpus.model import Article

TITLE_LIMIT = 200
"""The longest title kept (as for the first-line title a loaded article gets)."""


def _flat(text: str) -> str:
    return " ".join(text.split())


def article_title(article: Article, analysis: Analysis | None) -> str:
    """The best title for `article` given the detector's `analysis` (None: not run yet)."""
    if analysis is None:
        return article.title
    lines = article.lines
    flagged = {
        _flat(lines[number].text)
        for number, verdict in analysis.verdicts.items()
        if verdict.boilerplate and number < len(lines)
    }
    headline = _flat(analysis.headline or "")
    if headline and headline not in flagged:
        return analysis.headline or headline
    if _flat(article.title) not in flagged:
        return article.title
    for number in sorted(analysis.verdicts):
        if analysis.verdicts[number].boilerplate or number >= len(lines):
            continue
        text = _flat(lines[number].text)
        if text:
            return text[:TITLE_LIMIT]
    return article.title
