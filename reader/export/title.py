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


def _among(flat: str, lines: list[str]) -> bool:
    """Whether `flat` (whitespace already collapsed) is one of `lines` once collapsed.

    Only a line at least as long that holds `flat`'s first word verbatim can be: that
    rules most lines out without splitting them."""
    first = flat.split(" ", 1)[0]
    size = len(flat)
    return any(len(line) >= size and first in line and _flat(line) == flat for line in lines)


def article_title(article: Article, analysis: Analysis | None) -> str:
    """The best title for `article` given the detector's `analysis` (None: not run yet)."""
    if analysis is None:
        return article.title
    # The lines as plain strings: `article.lines` would build a `Line` object for every
    # line of the article, which costs more than the rest of choosing the title.
    lines = article.text.split("\n")
    count = len(lines)
    verdicts = analysis.verdicts
    flagged = [
        lines[number]
        for number, verdict in verdicts.items()
        if verdict.boilerplate and number < count
    ]
    headline = _flat(analysis.headline or "")
    if headline and not _among(headline, flagged):
        return analysis.headline or headline
    if not _among(_flat(article.title), flagged):
        return article.title
    for number in sorted(verdicts):
        if verdicts[number].boilerplate or number >= count:
            continue
        text = _flat(lines[number])
        if text:
            return text[:TITLE_LIMIT]
    return article.title
