"""Unrelated stories and teaser lists glued to the article body.

Found by shape and topic, never by wording: the body span is cut into segments at
runs of furniture (gaps), and into blocks at headline-shaped lines. A segment or
trailing block is dropped when its vocabulary barely overlaps the article's core (the
headline and the main segment) or when it is a run of teasers (a title, one
paragraph, a stamp or byline, again and again). A segment beside the article (behind a
short gap) is cut only when the gap holds furniture that says the story ended ("More
stories", a share row, a byline) or when it is clearly off topic: an ad box or a list
between two parts of an article does not end it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter

from reader.boilerplate.features import ABOUT_REASON, LineInfo, line_words, topic_words
from reader.boilerplate.model import Kind
from reader.boilerplate.span import STRONG_CUES, Span, headline_shaped

GAP = 4.0
"""A run of non-prose lines scoring this low (summed) separates two segments."""
OFF_TOPIC = 0.16
"""Below this share of words shared with the core, a block is about something else."""
TEASER_OFF_TOPIC = 0.3
"""A teaser-shaped block is cut below this (higher) similarity."""
PARAGRAPH = 80
"""Effective length of a paragraph-like line."""

CORE_LINES = 400
"""How many prose lines of a part of the article its key words are taken from."""


def key_words(infos: list[LineInfo], start: int, end: int, headline: set[str]) -> set[str]:
    """The article's own vocabulary: headline words and words its lines use twice or more."""
    seen: set[str] = set()
    repeated = set(headline)
    used = 0
    for index in range(start, end + 1):
        if infos[index].length >= 40:
            words = line_words(infos[index])
            repeated |= words & seen
            seen |= words
            used += 1
            if used >= CORE_LINES:
                break
    return repeated


def similarity(words: set[str], core: set[str]) -> float:
    """Share of a block's content words that the article core also uses."""
    if not words:
        return 1.0
    return len(words & core) / len(words)


@dataclass(frozen=True, slots=True)
class Cut:
    """Lines (indices into the non-empty lines) removed from the body, and why."""

    start: int
    end: int
    kind: Kind
    reason: str
    firm: bool = False
    """Cut on exact evidence (another story's own dateline, an "About <author>" heading
    closing the body), which the line model does not overrule."""


def trim(infos: list[LineInfo], body: Span, headline_text: str | None) -> tuple[Span, list[Cut]]:
    """Shrink `body` to the article proper; return the new span and what was cut."""
    cuts: list[Cut] = []
    body, wire = _wire_story(infos, body)
    if wire is not None:
        cuts.append(wire)
    gapped = segments(infos, body)
    parts = [segment for segment, _ in gapped]
    if len(parts) == 1:
        main = parts[0]  # most pages: no need to weigh the only segment
    else:
        main = max(
            parts, key=lambda seg: _mass(infos, seg) * (0.25 if _teaser_run(infos, seg) else 1)
        )
    position = parts.index(main)
    main_mass = _mass(infos, main) if position + 1 < len(parts) else 0.0
    cache: list[set[str]] = []

    def core() -> set[str]:
        """Key words of the main segment, computed on first use (many pages never need it)."""
        if not cache:
            cache.append(key_words(infos, main.start, main.end, topic_words(headline_text or "")))
        return cache[0]

    start, end = main.start, main.end
    for segment, gap in gapped[position + 1 :]:
        comments = _comment_heading(infos, Span(end + 1, segment.end))
        if comments is not None:
            cuts.append(Cut(comments, body.end, Kind.COMMENTS, "the comment section"))
            end = max(end, comments - 1)
            break
        if gap > -2 * GAP and not _named_gap(infos, end + 1, segment.start):
            # Beside the article, behind furniture that does not announce other stories
            # (an ad box, a credit, a list): more of the article unless clearly off topic.
            if _clearly_off_topic(infos, segment, core()):
                cuts.append(_cut(infos, segment.start, body.end, core()))
                break
            end = segment.end
            continue
        minor = gap <= -2 * GAP and _mass(infos, segment) < 0.1 * main_mass
        if minor or _drop(infos, segment, core()):
            cuts.append(_cut(infos, segment.start, body.end, core()))
            break
        end = segment.end
    for segment in reversed(parts[:position]):
        if _drop(infos, segment, core(), before=True):
            cuts.append(_cut(infos, body.start, segment.end, core()))
            break
        start = segment.start
    span = Span(start, end)
    span, tail_cut = _trailing_blocks(infos, span, topic_words(headline_text or ""))
    if tail_cut is not None:
        cuts.append(tail_cut)
    span, box = _author_box(infos, span)
    if box is not None:
        cuts.append(box)
    span = _tighten(infos, span)
    if not cuts:
        span = _extend(infos, span, core)
    return span, cuts


_WIRE_DATELINE = re.compile(
    r"[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Za-z.'-]*){0,5} ?\([A-Z][A-Za-z]{1,15}(?: [A-Z][a-z]+)?\)"
    r" ?[—–-]{1,2} "
)
"""A wire story's opening dateline: a place in capitals, the agency in brackets, a dash
("HONG KONG (AP) — ...", "PARIS, France (Reuters) - ...")."""
WIRE_HEAD = 80
"""How much of a line's head the dateline pattern reads."""
WIRE_PROSE_BEFORE = 3
"""Paragraphs of the article that come before a dateline that opens another story."""
WIRE_TITLE_LOOKBACK = 4
"""How far above the new story's dateline its title and stamps are looked for."""


def wire_dateline(info: LineInfo) -> bool:
    """Whether a paragraph opens with a wire dateline (a story carries only one)."""
    return (
        info.length >= PARAGRAPH
        and "(" in info.text[:WIRE_HEAD]
        and _WIRE_DATELINE.match(info.text[:WIRE_HEAD]) is not None
    )


def _wire_story(infos: list[LineInfo], body: Span) -> tuple[Span, Cut | None]:
    """Cut another wire story glued under the article, from its title down.

    A story opens with its dateline once; a paragraph that opens with a dateline after
    several paragraphs of the article starts a new story, and so does everything below
    it (the next teasers of the same feed). Its title and stamps just above go with it.
    """
    paragraphs = 0
    for index in range(body.start, body.end + 1):
        info = infos[index]
        if info.length < PARAGRAPH:
            continue
        if paragraphs >= WIRE_PROSE_BEFORE and wire_dateline(info):
            start = index
            for above in range(index - 1, max(body.start, index - WIRE_TITLE_LOOKBACK) - 1, -1):
                line = infos[above]
                if line.length >= PARAGRAPH and line.terminal:
                    break
                if headline_shaped(line) or line.dateish or line.cue in STAMP_CUES:
                    start = above
            if start <= body.start:
                return body, None
            cut = Cut(start, body.end, Kind.APPENDED_STORY, _WIRE_REASON, firm=True)
            return Span(body.start, start - 1), cut
        paragraphs += 1
    return body, None


_WIRE_REASON = "another story, opening with its own dateline, after the article"


AUTHOR_BOX_LINES = 3
"""An "About <author>" heading this close to the end of the body (two lines of bio at
most below it) opens an author box."""


def _author_box(infos: list[LineInfo], span: Span) -> tuple[Span, Cut | None]:
    """ "About Jane Doe" and a short bio closing the body: the author box, not the story."""
    for index in range(span.end, max(span.start, span.end - AUTHOR_BOX_LINES), -1):
        info = infos[index]
        if info.cue is Kind.CHROME and info.cue_reason == ABOUT_REASON:
            cut = Cut(index, span.end, Kind.CHROME, _AUTHOR_BOX_REASON, firm=True)
            return Span(span.start, index - 1), cut
    return span, None


_AUTHOR_BOX_REASON = "an author box after the article"


_STOPPERS = frozenset(
    {
        Kind.CHROME,
        Kind.RELATED,
        Kind.NEWSLETTER,
        Kind.LEGAL,
        Kind.COMMENTS,
        Kind.SHARED_CHROME,
        Kind.BYLINE,
        Kind.TIMESTAMP,
    }
)
STAMP_CUES = frozenset(
    {Kind.TIMESTAMP, Kind.DATELINE, Kind.BYLINE, Kind.CREDIT, Kind.RELATED, Kind.SHARED_CHROME}
)
"""What marks a teaser block: a time stamp, a byline or agency credit, a "Read more"."""
ON_TOPIC = 0.4
"""A list after the body that shares this much vocabulary with it belongs to it."""


def _extend(infos: list[LineInfo], span: Span, core: Callable[[], set[str]]) -> Span:
    """Take in a list that ends the article: after a colon line, or clearly on topic."""
    count = len(infos)
    end = span.end
    first = end + 1
    if first < count and infos[first].colon and infos[first].cue is None:
        first += 1
    introduced = infos[first - 1].colon
    stop = first
    while stop < count and stop - first < 300:
        info = infos[stop]
        if introduced:
            if info.cue in STRONG_CUES or info.length > 400:
                break
        elif info.cue in _STOPPERS or info.dateish or info.length > 400:
            break
        if introduced and stop > first and info.blank_before:
            break
        stop += 1
    if stop - first < 2:
        return span
    run = Span(first, stop - 1)
    if introduced:
        return Span(span.start, run.end)
    if _teaser_run(infos, run) or similarity(segment_words(infos, run), core()) < ON_TOPIC:
        return span
    return Span(span.start, run.end)


def segments(infos: list[LineInfo], body: Span) -> list[tuple[Span, float]]:
    """Split `body` at gaps (runs of non-positive lines adding up to -GAP or less).

    Each segment comes with the score of the gap before it (0 for the first).
    """
    found: list[tuple[Span, float]] = []
    seg_start = body.start
    gap_before = 0.0
    run_start = -1
    run_sum = 0.0
    for index in range(body.start, body.end + 1):
        score = infos[index].score
        if score <= 0.0:
            if run_start < 0:
                run_start = index
                run_sum = 0.0
            run_sum += score
            continue
        if run_start >= 0 and run_sum <= -GAP and run_start > seg_start:
            found.append((Span(seg_start, run_start - 1), gap_before))
            seg_start = index
            gap_before = run_sum
        run_start = -1
    found.append((Span(seg_start, body.end), gap_before))
    return found


NAMING_CUES = frozenset(
    {
        Kind.RELATED,
        Kind.NEWSLETTER,
        Kind.COMMENTS,
        Kind.LEGAL,
        Kind.CHROME,
        Kind.SHARED_CHROME,
        Kind.BYLINE,
        Kind.TIMESTAMP,
    }
)
"""Furniture that closes a story or announces others ("More stories", "Subscribe", a
share row, the next story's byline or stamp). Ads, captions and credits are not among
them: they interrupt stories as often as they end them."""
CLEARLY_OFF_TOPIC = OFF_TOPIC / 3
"""Below this share of words shared with the core, a block beside the article is another
story even with nothing between them that says so."""


def _named_gap(infos: list[LineInfo], start: int, stop: int) -> bool:
    """Whether the gap `start`..`stop - 1` holds furniture that says the article ended."""
    return any(infos[index].cue in NAMING_CUES for index in range(start, stop))


def _clearly_off_topic(infos: list[LineInfo], segment: Span, core: set[str]) -> bool:
    """Whether a segment shares almost none of the article core's words."""
    words = segment_words(infos, segment)
    return bool(words) and similarity(words, core) < CLEARLY_OFF_TOPIC


def _comment_heading(infos: list[LineInfo], span: Span) -> int | None:
    """First comment-section heading in `span` ("12 thoughts on ...", "Comments")."""
    for index in range(span.start, span.end + 1):
        if infos[index].cue is Kind.COMMENTS:
            return index
    return None


def _mass(infos: list[LineInfo], span: Span) -> float:
    """The positive scores of the span's lines, summed in order (C-level passes)."""
    return sum(map(max, repeat(0.0), map(_SCORE, infos[span.start : span.end + 1])))


_SCORE = attrgetter("score")


def segment_words(infos: list[LineInfo], span: Span) -> set[str]:
    words: set[str] = set()
    for index in range(span.start, span.end + 1):
        if infos[index].length >= 40:
            words |= line_words(infos[index])
    return words


def _drop(infos: list[LineInfo], segment: Span, core: set[str], before: bool = False) -> bool:
    """Whether a segment beside the main one is something else (off topic, or teasers).

    Above the main segment the bar is higher: the start of a story often differs in
    vocabulary from its longest part (an intro before a list of items).
    """
    sim = similarity(segment_words(infos, segment), core)
    if sim < (OFF_TOPIC / 3 if before else OFF_TOPIC):
        return True
    return _teaser_run(infos, segment) and sim < (OFF_TOPIC if before else TEASER_OFF_TOPIC)


def _teaser_run(infos: list[LineInfo], span: Span) -> bool:
    """Most paragraphs stand alone under a title, with stamps/bylines around: teasers."""
    paragraphs = 0
    teasers = 0
    for index in range(span.start, span.end + 1):
        info = infos[index]
        if info.length < PARAGRAPH or not info.terminal:
            continue
        paragraphs += 1
        before = infos[index - 1] if index > span.start else None
        after = infos[index + 1] if index < span.end else None
        titled = before is not None and (
            headline_shaped(before) or before.dateish or before.cue is not None
        )
        closed = after is None or after.length < PARAGRAPH or not after.terminal
        if titled and closed:
            teasers += 1
    return teasers >= 2 and teasers * 2 >= paragraphs


def _cut(infos: list[LineInfo], start: int, end: int, core: set[str]) -> Cut:
    """Name what was cut: whole unrelated stories, or teasers/links to other stories."""
    paragraphs = [
        infos[i]
        for i in range(start, end + 1)
        if infos[i].length >= PARAGRAPH and infos[i].terminal
    ]
    off = sum(1 for info in paragraphs if similarity(line_words(info), core) < OFF_TOPIC)
    if paragraphs and off * 2 > len(paragraphs):
        return Cut(start, end, Kind.APPENDED_STORY, "an unrelated story after the article")
    return Cut(start, end, Kind.RELATED, "teasers for other stories")


def _trailing_blocks(
    infos: list[LineInfo], span: Span, headline_words: set[str]
) -> tuple[Span, Cut | None]:
    """Cut off-topic story blocks (title, a paragraph or two, stamp/byline) off the end.

    Each block is compared with the opening of the article (headline plus its first
    lines), so a run of wire teasers on one subject cannot vouch for each other.
    """
    length = span.end - span.start + 1
    opening_end = span.start + max(5, (2 * length) // 5)
    core: set[str] | None = None
    cut_from: int | None = None
    end = span.end
    while end > opening_end:
        # Walk up to the block's title, giving up once it holds more than two paragraphs.
        start = end
        paragraphs = 0
        while start > opening_end:
            info = infos[start]
            if info.length >= PARAGRAPH:
                paragraphs += 1
                if paragraphs > 2:
                    break
            if headline_shaped(info) and info.length < 200:
                break
            start -= 1
        if start <= opening_end or paragraphs > 2:
            break
        if infos[start].text.isupper():
            break  # an all-capitals subhead opens a section of the story, not a teaser
        # The stamp or byline of the last block may sit just past the span's end.
        reach = end + 4 if end == span.end else end + 1
        near = range(start, min(len(infos), reach))
        stamped = any(infos[i].cue in STAMP_CUES or infos[i].dateish for i in near)
        if not (stamped or (cut_from is not None and paragraphs <= 1)):
            break
        if core is None:
            core = key_words(infos, span.start, min(opening_end, span.end), headline_words)
        words = segment_words(infos, Span(start, end))
        if words and similarity(words, core) >= OFF_TOPIC:
            break
        cut_from = start
        end = start - 1
    if cut_from is None:
        return span, None
    cut = Cut(cut_from, span.end, Kind.APPENDED_STORY, "an unrelated story after the article")
    return Span(span.start, cut_from - 1), cut


def _tighten(infos: list[LineInfo], span: Span) -> Span:
    """Drop non-prose lines at either end of the span (furniture between parts)."""
    start, end = span.start, span.end
    while end > start and infos[end].score <= 0.0:
        end -= 1
    while start < end and infos[start].score <= 0.0:
        start += 1
    return Span(start, end)
