"""Curation of boilerplate decisions: each annotator's keep/remove per line, where they
agree and disagree, and the settled result.

The curated result is an author of its own, `CURATED_AUTHOR`: settling a line stores an
ordinary editing annotation by that author, so the export (`copydesk export --curated`),
the formats and the agreement statistics treat it like anyone else's decisions. Settling
a line again replaces the curated decision on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from annotations.anchoring import anchor, make_target
from annotations.decisions import decisions_by_author, line_decisions
from annotations.model import Annotation, Motivation

if TYPE_CHECKING:
    from reader.boilerplate.model import Analysis
    from reader.corpus.model import Article

CURATED_AUTHOR = "curated"
"""The reserved author name of the curated (settled) result."""


class LineState(StrEnum):
    """How the annotators' decisions on one line relate."""

    AGREED = "agreed"
    """At least two annotators decided, all the same way."""
    DISAGREED = "disagreed"
    SINGLE = "single"
    """Only one annotator decided."""
    UNDECIDED = "undecided"


@dataclass(frozen=True, slots=True)
class CurationLine:
    """One non-blank line of the article as the curation view shows it."""

    number: int
    text: str
    votes: Mapping[str, bool | None]
    """Annotator -> remove? (None: that annotator did not decide the line)."""
    suggestion: bool | None
    """The detector's verdict: remove? (None without an analysis)."""
    curated: bool | None
    """The settled decision, if the line has been settled."""
    state: LineState
    filled: frozenset[str] = frozenset()
    """Annotators whose vote here is the detector's suggestion (`fill_with_suggestions`)."""

    @property
    def agreed_value(self) -> bool | None:
        """The shared decision when the line is agreed (or decided by one annotator)."""
        values = {v for v in self.votes.values() if v is not None}
        return next(iter(values)) if len(values) == 1 else None


@dataclass
class CurationChange:
    """Curated decisions to add and the earlier curated ones they replace."""

    description: str
    added: list[Annotation] = field(default_factory=list)
    removed: list[Annotation] = field(default_factory=list)


def annotators(annotations: Iterable[Annotation], article: Article) -> list[str]:
    """Authors with line decisions on the article (the curated author excluded), by name."""
    return sorted(
        {
            a.author
            for a in annotations
            if a.motivation is Motivation.EDITING
            and a.author != CURATED_AUTHOR
            and (a.article_id == article.id or a.source_hint == article.source)
        }
    )


def annotator_decisions(
    annotations: Iterable[Annotation], article: Article, authors: Sequence[str] | None = None
) -> dict[str, dict[int, bool]]:
    """Annotator -> (line -> remove?) as each one decided, reviews not applied."""
    everything = list(annotations)
    names = list(authors) if authors is not None else annotators(everything, article)
    return decisions_by_author(everything, article, names)


def curated_decisions(annotations: Iterable[Annotation], article: Article) -> dict[int, bool]:
    """Line -> remove? as settled by curation."""
    return line_decisions(annotations, article, author=CURATED_AUTHOR, honor_reviews=False)


def suggestions(article: Article, analysis: Analysis | None) -> dict[int, bool]:
    """The detector's remove? for every non-blank line (empty without an analysis)."""
    if analysis is None:
        return {}
    return {
        line.number: analysis.is_boilerplate(line.number)
        for line in article.lines
        if not line.is_blank
    }


def state_of(votes: Iterable[bool | None]) -> LineState:
    decided = [v for v in votes if v is not None]
    if not decided:
        return LineState.UNDECIDED
    if len(set(decided)) > 1:
        return LineState.DISAGREED
    return LineState.AGREED if len(decided) >= 2 else LineState.SINGLE


def curation_table(
    annotations: Iterable[Annotation],
    article: Article,
    analysis: Analysis | None = None,
    *,
    authors: Sequence[str] | None = None,
    fill_with_suggestions: bool = False,
) -> list[CurationLine]:
    """Every non-blank line with each annotator's vote, the suggestion and the settled value.

    With `fill_with_suggestions`, a line an annotator never decided counts as the
    detector's suggestion for that annotator (listed in `filled`).
    """
    everything = list(annotations)
    per_author = annotator_decisions(everything, article, authors)
    settled = curated_decisions(everything, article)
    suggested = suggestions(article, analysis)
    rows: list[CurationLine] = []
    for line in article.lines:
        if line.is_blank:
            continue
        votes: dict[str, bool | None] = {}
        filled: set[str] = set()
        for name, decided in per_author.items():
            vote = decided.get(line.number)
            if vote is None and fill_with_suggestions and line.number in suggested:
                vote = suggested[line.number]
                filled.add(name)
            votes[name] = vote
        rows.append(
            CurationLine(
                number=line.number,
                text=line.text,
                votes=votes,
                suggestion=suggested.get(line.number),
                curated=settled.get(line.number),
                state=state_of(votes.values()),
                filled=frozenset(filled),
            )
        )
    return rows


def agreed_lines(
    table: Iterable[CurationLine], *, include_settled: bool = False
) -> dict[int, bool]:
    """Line -> remove? for every agreed line (not yet settled that way, unless asked)."""
    result: dict[int, bool] = {}
    for row in table:
        value = row.agreed_value
        if row.state is not LineState.AGREED or value is None:
            continue
        if include_settled or row.curated != value:
            result[row.number] = value
    return result


def settle(
    annotations: Iterable[Annotation],
    article: Article,
    decisions: Mapping[int, bool],
    description: str = "settle",
) -> CurationChange:
    """Curated decisions for `decisions` (line -> remove?), replacing earlier ones there.

    Blank lines and lines already settled the same way are skipped.
    """
    everything = list(annotations)
    current = curated_decisions(everything, article)
    change = CurationChange(description)
    wanted = {
        number: remove
        for number, remove in decisions.items()
        if 0 <= number < len(article.lines)
        and not article.lines[number].is_blank
        and current.get(number) != remove
    }
    if not wanted:
        return change
    for existing in everything:
        if (
            existing.author != CURATED_AUTHOR
            or existing.motivation is not Motivation.EDITING
            or existing.target is None
            or not (existing.article_id == article.id or existing.source_hint == article.source)
        ):
            continue
        where = anchor(existing.target, article.text)
        if where.attached and article.line_at(where.start).number in wanted:
            change.removed.append(existing)
    for number, remove in sorted(wanted.items()):
        line = article.lines[number]
        change.added.append(
            Annotation.create(
                article_id=article.id,
                source_hint=article.source,
                author=CURATED_AUTHOR,
                motivation=Motivation.EDITING,
                target=make_target(article.text, line.start, line.end),
                decision="remove" if remove else "keep",
            )
        )
    return change


def curated_annotations(annotations: Iterable[Annotation]) -> list[Annotation]:
    """The curated author's annotations (for exporting the curated result as annotations)."""
    return [a for a in annotations if a.author == CURATED_AUTHOR]
