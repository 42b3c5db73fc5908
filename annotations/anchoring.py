"""Find an annotation's text again after the article changed.

Order of attempts, cheapest and surest first:

1. **exact**: the quote is still at the recorded offsets (and its context agrees).
2. **moved**: the quote occurs elsewhere (a paragraph was inserted above it). With several
   occurrences the one whose prefix/suffix match best, then the nearest, wins; a lone
   occurrence of a short quote must also agree with its context.
3. **fuzzy**: the quote changed a little (re-encoded quotes, a fixed typo). Candidates come
   from rapidfuzz alignments of the quote over the whole text and around the old position,
   and from where the stored prefix and suffix still occur; each is scored on the quote's
   similarity, the prefix's, the suffix's and the distance from the old position.
4. **orphaned**: no candidate passes the thresholds. The annotation is kept and listed,
   never attached to the wrong place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from annotations.model import DEFAULT_CONTEXT, TextTarget

Status = Literal["exact", "moved", "fuzzy", "orphaned"]

QUOTE_MIN = 0.8
"""A fuzzy candidate's quote must be at least this similar (normalized Levenshtein)."""
SCORE_MIN = 0.75
"""Weighted score a candidate needs (quote, prefix, suffix, position)."""
UNIQUE_QUOTE_CHARS = 20
"""A quote at least this long that occurs exactly once is trusted without context."""
_WEIGHTS = (0.6, 0.17, 0.17, 0.06)
"""Quote, prefix, suffix, position: the quote dominates; context decides ties."""
_MAX_OCCURRENCES = 1_000
_REFINE_MAX_CHARS = 2_000


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a target lies in a text now: `start`/`end` are -1 when orphaned."""

    status: Status
    start: int
    end: int
    score: float = 1.0

    @property
    def attached(self) -> bool:
        return self.status != "orphaned"


ORPHANED = Anchor("orphaned", -1, -1, 0.0)


def make_target(text: str, start: int, end: int, context: int = DEFAULT_CONTEXT) -> TextTarget:
    """The target for `text[start:end]`, with `context` characters of prefix and suffix."""
    if not 0 <= start < end <= len(text):
        raise ValueError(
            f"span {start}..{end} is empty or outside a text of {len(text)} characters"
        )
    return TextTarget(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def stays_in_place(exact: str, prefix: str, suffix: str, start: int, end: int, text: str) -> bool:
    """Whether `anchor` finds a target of these fields exactly where it was made (its
    first test) with the same end: read from a stored record without building the
    target (a whole-database read places 100,000)."""
    middle = start + len(exact)
    return (
        bool(exact)
        and middle == end
        and text.startswith(exact, start)
        and text.startswith(suffix, middle)
        and start >= len(prefix)
        and text.startswith(prefix, start - len(prefix))
    )


def anchor(target: TextTarget, text: str) -> Anchor:
    """Locate `target` in `text`: exact, moved, fuzzy, or orphaned (never a wrong place)."""
    exact = target.exact
    if not exact:
        return ORPHANED
    start, end = target.start, target.start + len(exact)
    if (
        text.startswith(exact, start)
        and text.startswith(target.suffix, end)
        and start >= len(target.prefix)
        and text.startswith(target.prefix, start - len(target.prefix))
    ):
        return Anchor("exact", start, end)
    occurrences = _occurrences(text, exact)
    if occurrences:
        best = max(
            occurrences,
            key=lambda s: (_context_score(target, text, s, s + len(exact)), -abs(s - start)),
        )
        score = _score(target, text, best, best + len(exact), quote=1.0)
        trusted = len(occurrences) == 1 and len(exact) >= UNIQUE_QUOTE_CHARS
        if trusted or score >= SCORE_MIN:
            return Anchor("exact" if best == start else "moved", best, best + len(exact), score)
    return _fuzzy(target, text)


def _occurrences(text: str, needle: str) -> list[int]:
    found: list[int] = []
    position = text.find(needle)
    while position != -1 and len(found) < _MAX_OCCURRENCES:
        found.append(position)
        position = text.find(needle, position + 1)
    return found


def _fuzzy(target: TextTarget, text: str) -> Anchor:
    exact = target.exact
    if len(text) == 0:
        return ORPHANED
    candidates: set[tuple[int, int]] = set()
    cutoff = QUOTE_MIN * 100 - 5
    alignment = fuzz.partial_ratio_alignment(exact, text, score_cutoff=cutoff)
    if alignment is not None:
        candidates.add((alignment.dest_start, alignment.dest_end))
    reach = len(exact) + 2 * DEFAULT_CONTEXT
    lo = max(0, min(target.start, len(text)) - reach)
    hi = min(len(text), target.end + reach)
    if hi > lo:
        local = fuzz.partial_ratio_alignment(exact, text[lo:hi], score_cutoff=cutoff)
        if local is not None:
            candidates.add((lo + local.dest_start, lo + local.dest_end))
    candidates.update(_between_context(target, text))
    best: Anchor = ORPHANED
    for start, end in candidates:
        start, end = _refine(exact, text, start, end)
        if start >= end:
            continue
        quote = Levenshtein.normalized_similarity(exact, text[start:end])
        if quote < QUOTE_MIN:
            continue
        score = _score(target, text, start, end, quote=quote)
        if score >= SCORE_MIN and score > best.score:
            best = Anchor("fuzzy", start, end, score)
    return best


def _between_context(target: TextTarget, text: str) -> list[tuple[int, int]]:
    """Spans that sit between an exact prefix and the next exact suffix after it."""
    if len(target.prefix) < 8 or len(target.suffix) < 8:
        return []
    spans: list[tuple[int, int]] = []
    limit = 2 * len(target.exact) + 16
    for position in _occurrences(text, target.prefix)[:50]:
        start = position + len(target.prefix)
        end = text.find(target.suffix, start, start + limit + len(target.suffix))
        if end > start:
            spans.append((start, end))
    return spans


def _refine(exact: str, text: str, start: int, end: int) -> tuple[int, int]:
    """Nudge a candidate's ends (a few characters) to the best-matching boundaries."""
    if len(exact) > _REFINE_MAX_CHARS:
        return start, end
    slack = min(8, max(1, len(exact) // 4))
    best = (Levenshtein.normalized_similarity(exact, text[start:end]), start, end)
    for new_start in range(max(0, start - slack), min(len(text), start + slack) + 1):
        for new_end in range(max(new_start + 1, end - slack), min(len(text), end + slack) + 1):
            similarity = Levenshtein.normalized_similarity(exact, text[new_start:new_end])
            if similarity > best[0]:
                best = (similarity, new_start, new_end)
    return best[1], best[2]


def _context_score(target: TextTarget, text: str, start: int, end: int) -> float:
    return _prefix_similarity(target, text, start) + _suffix_similarity(target, text, end)


def _prefix_similarity(target: TextTarget, text: str, start: int) -> float:
    if not target.prefix:
        # The quote began the text; it should still begin it (or nearly).
        return 1.0 if start == 0 else 0.5
    before = text[max(0, start - len(target.prefix)) : start]
    return Levenshtein.normalized_similarity(target.prefix, before)


def _suffix_similarity(target: TextTarget, text: str, end: int) -> float:
    if not target.suffix:
        return 1.0 if end == len(text) else 0.5
    after = text[end : end + len(target.suffix)]
    return Levenshtein.normalized_similarity(target.suffix, after)


def _score(target: TextTarget, text: str, start: int, end: int, *, quote: float) -> float:
    w_quote, w_prefix, w_suffix, w_position = _WEIGHTS
    distance = abs(start - target.start) / max(len(text), 1)
    return (
        w_quote * quote
        + w_prefix * _prefix_similarity(target, text, start)
        + w_suffix * _suffix_similarity(target, text, end)
        + w_position * (1.0 - min(1.0, distance))
    )
