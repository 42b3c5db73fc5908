"""Finding the article body and its headline.

The body is the densest run of long, sentence-like lines: each line gets a score
(positive for prose, negative for furniture and short link-like lines) and the body is
the maximum-sum contiguous run (Kadane), which tolerates the odd caption or ad marker
inside the story and stops where menus, teasers and footers take over. The headline is
the best title-shaped line shortly above the body.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from operator import attrgetter, methodcaller

from reader.boilerplate import cues
from reader.boilerplate.features import LineInfo, title_case
from reader.boilerplate.model import Kind

STRONG_CUES = frozenset(
    {
        Kind.CHROME,
        Kind.ADVERTISEMENT,
        Kind.RELATED,
        Kind.NEWSLETTER,
        Kind.LEGAL,
        Kind.COMMENTS,
        Kind.CAPTION,
        Kind.CREDIT,
        Kind.READING_TIME,
        Kind.SHARED_CHROME,
    }
)
SOFT_CUES = frozenset({Kind.ADVERTISEMENT, Kind.CAPTION})
"""Furniture that often sits inside a story: one such line does not end the body."""
META_CUES = frozenset({Kind.BYLINE, Kind.TIMESTAMP, Kind.DATELINE})

LIST_INTRO_WORDS = 4
LIST_ITEMS = 30
"""A line of this many words ending in a colon introduces a list: up to `LIST_ITEMS` of
the short lines after it are neutral evidence, neither prose nor furniture."""

HEADLINE_LOOKBACK = 40
"""How many non-empty lines above the body a headline may sit."""

_LATIN_TOKEN, _TOKEN = cues.word_pattern(3)


_CUE_SCORES: dict[Kind, float] = {
    **{kind: -3.0 for kind in STRONG_CUES},
    **{kind: -2.0 for kind in META_CUES},
    **{kind: -1.5 for kind in SOFT_CUES},
}


def score_lines(infos: list[LineInfo], spaced: bool) -> None:
    """Set each line's body evidence: prose is positive, furniture and link text negative.

    `spaced` says the page separates paragraphs with blank lines; there, a short line
    packed between other lines is most likely a menu or link-list item.
    """
    cue_scores = _CUE_SCORES
    listing = 0
    for info in infos:
        if info.cue is not None:
            info.score = cue_scores.get(info.cue, 0.0)
            listing = 0
            if info.score:
                continue
        length = info.length
        sentence = info.terminal or info.colon
        if listing and length < 150 and not (length >= 80 and info.terminal):
            info.score = 0.0  # an item of a list the text introduced
            listing -= 1
            continue
        listing = LIST_ITEMS if info.colon and info.words >= LIST_INTRO_WORDS else 0
        if "\t" in info.text and length < 150:
            info.score = 0.0  # a table row
            continue
        if length >= 150:
            info.score = min(length / 50.0, 10.0) if sentence else min(length / 90.0, 4.0)
            continue
        if info.title:
            info.score = -0.6  # a title in a list of links
            continue
        packed = spaced and not info.blank_before and not info.blank_after
        if length >= 80:
            if sentence:
                info.score = 2.0
            else:
                info.score = 0.0 if packed else 0.3
        elif length >= 40:
            if sentence:
                info.score = 0.5
            else:
                info.score = -0.6 if packed else -0.3
        elif packed:
            info.score = -0.6
        else:
            info.score = -0.25 if info.blank_before and info.blank_after else -0.5


@dataclass(frozen=True, slots=True)
class Span:
    """Indices into the list of non-empty lines (inclusive)."""

    start: int
    end: int

    def __contains__(self, index: int) -> bool:
        return self.start <= index <= self.end


def best_run(scores: list[float]) -> Span | None:
    """Maximum-sum contiguous run of `scores` (Kadane); None when nothing is positive."""
    best = 0.0
    best_start = best_end = -1
    total = 0.0
    start = 0
    for index, value in enumerate(scores):
        if total <= 0.0:
            total = value
            start = index
        else:
            total += value
        if total > best:
            best = total
            best_start, best_end = start, index
    return Span(best_start, best_end) if best_end >= 0 else None


def find_body(infos: list[LineInfo]) -> Span | None:
    """The article body as a span of non-empty lines, or None for a page with no prose."""
    long_lines = [info for info in infos if info.length >= 80]
    apart = sum(1 for info in long_lines if info.blank_before or info.blank_after)
    spaced = bool(long_lines) and apart >= 0.5 * len(long_lines)
    score_lines(infos, spaced)
    return best_run([info.score for info in infos])


def tokens(text: str, limit: int = 400) -> set[str]:
    """Lowercased words of three letters or more from the first `limit` characters."""
    head = text[:limit].lower()
    return set((_LATIN_TOKEN if cues.latin(head) else _TOKEN).findall(head))


def headline_shaped(info: LineInfo) -> bool:
    """Could this line be a headline: a few words, no sentence period, no furniture cue."""
    if info.cue is not None or info.dateish:
        return False
    if not 12 <= info.length <= 260 or info.words < 2 or info.words > 32:
        return False
    return not info.text.endswith((".", ",", ";", ":"))


def find_headline(
    infos: list[LineInfo],
    body: Span,
    body_tokens: set[str],
    captions: set[int] | None = None,
) -> int | None:
    """Index (into `infos`) of the headline above `body`, or None when none is convincing.

    Candidates are title-shaped lines shortly above the body, scored by how many of their
    words the body uses, whether the page prints them again (title tag, breadcrumb,
    footer), title case, and closeness; an item of a packed link list scores low.
    `captions` are the indices `caption_pairs` found above the body (computed if None).
    """
    first = max(0, body.start - HEADLINE_LOOKBACK)
    if captions is None:
        captions = caption_pairs(infos, first, body.start)
    texts = list(map(_TEXT, infos))
    counts = Counter(texts)
    cut_short = [text.rstrip(".…").rstrip() for text in filter(_CUT_SHORT, texts) if len(text) > 20]
    best_index: int | None = None
    best_score = 1.0
    candidates: dict[int, float] = {}
    # "Date, title, body" with nothing between: the title right above the body is the
    # headline, and a line above the date is a kicker or a section title.
    lead_title = body.start > 0 and headline_shaped(infos[body.start - 1])
    for index in range(body.start - 1, first - 1, -1):
        info = infos[index]
        if not headline_shaped(info) or index in captions:
            continue
        text = info.text
        if info.words <= 2 and info.length < 3 * len(text):
            continue  # one or two words (of Latin script): a label, not a headline
        words = tokens(text)
        overlap = len(words & body_tokens) / (len(words) + 1) if words else 0.0
        score = 3.0 * overlap - 0.03 * (body.start - index)
        if (12 <= len(text) <= 260 and counts[text] > 1) or _truncated_copy(cut_short, text):
            score += 1.0
        if info.blank_before or info.blank_after:
            score += 0.3
        else:
            score -= 0.5
        letters = text[:200]
        if letters.isupper():
            score -= 2.0
        elif title_case(text):
            score += 0.4
        if info.words <= 3:
            score -= 0.8
        if info.terminal and text[-1] not in "!?\"”’'»":
            score -= 0.5
        meta = _metadata_below(infos, index, body.start)
        if meta >= 0 and not (lead_title and meta == body.start - 2):
            score += META_BONUS
        candidates[index] = score
        if score > best_score:
            best_score = score
            best_index = index
    if best_index is not None:
        # A headline and its dek often sit one above the other: the upper one is the title.
        above = best_index - 1
        if (
            above in candidates
            and candidates[above] >= best_score - 1.0
            and infos[above].text != infos[best_index].text
        ):
            best_index = above
        else:
            best_index = _first_variant(infos, candidates, best_index, best_score)
    return best_index


VARIANT_SHARE = 0.6
"""Share of words two candidates must have in common to be variants of one headline."""


def _first_variant(
    infos: list[LineInfo], candidates: dict[int, float], best: int, best_score: float
) -> int:
    """The topmost close-scoring variant of the best candidate ("'We Got Her!': Video Shows
    ... Fort Worth Girl" above a video titled "'We Got Her!' Video Shows ... Girl"): the
    page's own headline comes first, teasers and player titles repeat it further down."""
    words = tokens(infos[best].text)
    chosen = best
    for index, score in candidates.items():
        if index >= chosen or score < best_score - 1.0:
            continue
        text = infos[index].text
        if text == infos[best].text:
            continue
        other = tokens(text)
        if words and other and len(words & other) >= VARIANT_SHARE * len(words | other):
            chosen = index
    return chosen


_ELLIPSES = ("…", "...")
_TEXT = attrgetter("text")
_CUT_SHORT = methodcaller("endswith", _ELLIPSES)

META_BONUS = 1.0
"""Score for a headline candidate with a byline or date line just below it."""
META_REACH = 3
"""How many non-empty lines below a candidate its byline or date line may sit."""


def _metadata_below(infos: list[LineInfo], index: int, limit: int) -> int:
    """Index of a byline or date line within `META_REACH` lines below `index` (and above
    `limit`), or -1: the metadata block that follows a headline (and its dek) on most
    article pages."""
    for other in range(index + 1, min(index + 1 + META_REACH, limit)):
        info = infos[other]
        if info.cue in META_CUES or info.dateish:
            return other
    return -1


def _ellipsis(text: str) -> bool:
    return len(text) > 20 and text.endswith(("…", "..."))


def _truncated_copy(stems: list[str], text: str) -> bool:
    """Another line is this one cut short with an ellipsis (a teaser or breadcrumb)."""
    return any(stem != text and text.startswith(stem) for stem in stems if stem)


def caption_pair(infos: list[LineInfo], index: int) -> bool:
    """A caption printed twice: one of two neighbouring lines repeats the other plus a credit."""
    text = infos[index].text
    if text.endswith("…") or len(text) < 12:
        return False
    head = text[:12]
    for other in (index - 2, index - 1, index + 1, index + 2):
        if other < 0 or other >= len(infos):
            continue
        neighbour = infos[other].text
        if not neighbour.startswith(head) or neighbour.endswith("…"):
            continue
        if len(neighbour) > len(text) and neighbour.startswith(text):
            return True
        if len(text) > len(neighbour) and text.startswith(neighbour):
            return True
    return False


def caption_pairs(infos: list[LineInfo], start: int, end: int) -> set[int]:
    """Indices in `start:end` whose line is one half of a caption printed twice."""
    return {index for index in range(start, end) if caption_pair(infos, index)}
