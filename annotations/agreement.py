"""Inter-annotator agreement: Cohen's kappa per pair, Krippendorff's alpha for all, span F1.

Pure functions over plain mappings, so they serve the CLI, the review screen and the
tests alike. A "unit" is anything hashable (for boilerplate decisions: `(article_id,
line)`); a rating is a category (for boilerplate: `True` = remove, `False` = keep).
Units rated by only one annotator of a pair are left out of that pair's kappa.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

Ratings = Mapping[Hashable, Hashable]
"""One annotator's ratings: unit -> category."""


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Cohen's kappa for two annotators over the units both rated."""

    first: str
    second: str
    units: int
    observed: float
    """Share of shared units given the same category."""
    expected: float
    """Agreement expected by chance from each annotator's own category shares."""
    kappa: float | None
    """None when undefined: no shared units, or both used one and the same category only."""


def cohen_kappa(
    first: Ratings, second: Ratings, names: tuple[str, str] = ("a", "b")
) -> PairAgreement:
    """Cohen's kappa over the units both annotators rated."""
    shared = [unit for unit in first if unit in second]
    n = len(shared)
    if n == 0:
        return PairAgreement(names[0], names[1], 0, 0.0, 0.0, None)
    agree = sum(1 for unit in shared if first[unit] == second[unit])
    observed = agree / n
    counts_first = Counter(first[unit] for unit in shared)
    counts_second = Counter(second[unit] for unit in shared)
    expected = sum(counts_first[c] * counts_second[c] for c in counts_first) / (n * n)
    if math.isclose(expected, 1.0):
        return PairAgreement(names[0], names[1], n, observed, expected, None)
    kappa = (observed - expected) / (1.0 - expected)
    return PairAgreement(names[0], names[1], n, observed, expected, kappa)


def pairwise_kappa(ratings: Mapping[str, Ratings]) -> list[PairAgreement]:
    """Cohen's kappa for every pair of annotators, in name order."""
    return [
        cohen_kappa(ratings[a], ratings[b], (a, b))
        for a, b in itertools.combinations(sorted(ratings), 2)
    ]


def krippendorff_alpha(ratings: Mapping[str, Ratings]) -> float | None:
    """Krippendorff's alpha (nominal) for any number of annotators, missing ratings allowed.

    None when undefined: fewer than two annotators, no unit rated twice, or a single
    category in all the data.
    """
    if len(ratings) < 2:
        return None
    # numpy and krippendorff load only when alpha is asked for: start-up stays fast.
    import krippendorff
    import numpy as np

    units = sorted({unit for rated in ratings.values() for unit in rated}, key=repr)
    categories = sorted({value for rated in ratings.values() for value in rated.values()}, key=repr)
    if len(categories) < 2:
        return None
    code = {category: float(index) for index, category in enumerate(categories)}
    matrix = np.full((len(ratings), len(units)), np.nan)
    for row, name in enumerate(sorted(ratings)):
        rated = ratings[name]
        for column, unit in enumerate(units):
            if unit in rated:
                matrix[row, column] = code[rated[unit]]
    pairable = np.sum(~np.isnan(matrix), axis=0) >= 2
    if not pairable.any():
        return None
    return float(
        krippendorff.alpha(reliability_data=matrix[:, pairable], level_of_measurement="nominal")
    )


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    """A tagged span: article, character offsets, tag."""

    article_id: str
    start: int
    end: int
    tag: str


def _overlap(a: TaggedSpan, b: TaggedSpan) -> float:
    """Intersection over union of two spans' character ranges."""
    inter = min(a.end, b.end) - max(a.start, b.start)
    if inter <= 0:
        return 0.0
    union = max(a.end, b.end) - min(a.start, b.start)
    return inter / union


def span_f1(
    first: Iterable[TaggedSpan], second: Iterable[TaggedSpan], min_overlap: float = 0.5
) -> float | None:
    """F1 of tagged spans: a span matches one of the other side with the same article and tag
    overlapping by at least `min_overlap` (intersection over union); each matches once.

    Greedy, in `first`'s order: each span takes the best-scoring unused match (the
    earliest in `second` on a tie). The candidates come from `second` grouped by article
    and tag and sorted by start: an overlap of `min_overlap` or more puts the other
    span's start within `len * (1/min_overlap - 1)` of this one's, so only that window
    is searched. None when neither side tagged anything.
    """
    left = list(first)
    right = list(second)
    if not left and not right:
        return None
    return 2 * len(span_matches(left, right, min_overlap)) / (len(left) + len(right))


def span_matches(
    left: Sequence[TaggedSpan], right: Sequence[TaggedSpan], min_overlap: float = 0.5
) -> list[tuple[int, int]]:
    """`span_f1`'s matching: (position in `left`, position in `right`) of each match."""
    found: list[tuple[int, int]] = []
    groups: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    for position, other in enumerate(right):
        groups.setdefault((other.article_id, other.tag), []).append(
            (other.start, position, other.end)
        )
    for candidates in groups.values():
        candidates.sort()
    used: set[int] = set()
    for number, span in enumerate(left):
        candidates = groups.get((span.article_id, span.tag))
        if not candidates:
            continue
        start, end = span.start, span.end
        if min_overlap > 0:
            reach = int((end - start) * (1 / min_overlap - 1)) + 1
            low = bisect_left(candidates, (start - reach,))
            high = bisect_right(candidates, (start + reach, len(right)))
        else:
            low, high = 0, len(candidates)
        best_position, best_score = -1, 0.0
        for index in range(low, high):
            other_start, position, other_end = candidates[index]
            if position in used:
                continue
            # `_overlap`, inlined: the same arithmetic, so the same scores.
            inter = min(end, other_end) - max(start, other_start)
            if inter <= 0:
                continue
            score = inter / (max(end, other_end) - min(start, other_start))
            if score >= min_overlap and (
                score > best_score or (score == best_score and 0 <= position < best_position)
            ):
                best_position, best_score = position, score
        if best_position >= 0:
            found.append((number, best_position))
            used.add(best_position)
    return found
