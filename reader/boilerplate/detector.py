"""The boilerplate detector: entry points `detect` and `detect_corpus`.

Pipeline, per article:

1. features: cheap per-line measurements and cue kinds (`features`);
2. body: the densest run of prose (`span.find_body`) and the headline above it;
3. outside the body everything is boilerplate, with a kind from cues and position;
4. inside the body, only lines with a clear cue (ad markers, captions, credits,
   "Read more" links, bylines) are boilerplate;
5. unrelated stories appended after the body are cut off (`appended`);
6. inline furniture inside kept lines becomes `InlineSpan`s (`inline`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from reader.boilerplate import appended, inline
from reader.boilerplate.features import LineInfo, line_infos
from reader.boilerplate.model import Analysis, InlineSpan, Kind, LineVerdict
from reader.boilerplate.span import (
    META_CUES,
    STRONG_CUES,
    Span,
    caption_pair,
    find_body,
    find_headline,
    headline_shaped,
    tokens,
)
from reader.corpus.model import Article

SHARED_MIN_ARTICLES = 3
"""A line seen in this many articles of the corpus is treated as shared site chrome."""
SHARED_MAX_LENGTH = 200
SHARED_PROSE_LENGTH = 100
"""Sentences this long are never shared chrome, even when syndicated copies repeat them."""

_SCORES: dict[Kind, float] = {
    Kind.CONTENT: 0.1,
    Kind.HEADLINE: 0.05,
}


def detect(article: Article, corpus: Sequence[Article] | None = None) -> Analysis:
    """Classify every non-empty line of `article`; `corpus` supplies cross-article evidence."""
    if not corpus:
        return _analyse(article, None)
    others = [other for other in corpus if other is not article]
    counts = _line_counts([article, *others])
    return _analyse(article, _shared(counts))


def detect_corpus(articles: Sequence[Article]) -> list[Analysis]:
    """Analyze each article with the whole corpus as evidence (repeated lines are chrome)."""
    shared = _shared(_line_counts(articles)) if len(articles) >= SHARED_MIN_ARTICLES else None
    return [_analyse(article, shared) for article in articles]


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def _line_counts(articles: Sequence[Article]) -> Counter[str]:
    """In how many articles each short line occurs (once per article)."""
    counts: Counter[str] = Counter()
    for article in articles:
        counts.update(
            {
                _key(line.text)
                for line in article.lines
                if len(line.text) <= SHARED_MAX_LENGTH and not line.is_blank
            }
        )
    return counts


def _shared(counts: Counter[str]) -> set[str]:
    return {key for key, count in counts.items() if count >= SHARED_MIN_ARTICLES}


class _Verdicts:
    """Collects one verdict per line index, first decision wins unless overridden."""

    def __init__(self, infos: list[LineInfo]) -> None:
        self.infos = infos
        self.kinds: list[Kind | None] = [None] * len(infos)
        self.reasons: list[str] = [""] * len(infos)
        self.scores: list[float] = [0.0] * len(infos)

    def set(self, index: int, kind: Kind, reason: str, score: float) -> None:
        self.kinds[index] = kind
        self.reasons[index] = reason
        self.scores[index] = score


def _analyse(article: Article, shared: set[str] | None) -> Analysis:
    infos = line_infos(article)
    analysis = Analysis(article_id=article.id)
    if not infos:
        return analysis
    if shared:
        for info in infos:
            prose = info.terminal and len(info.text) >= SHARED_PROSE_LENGTH
            if not prose and len(info.text) <= SHARED_MAX_LENGTH and _key(info.text) in shared:
                info.cue = Kind.SHARED_CHROME
                info.cue_reason = "repeats across several articles of the corpus"
    verdicts = _Verdicts(infos)
    body = find_body(infos)
    if body is None:
        for index, info in enumerate(infos):
            kind = info.cue or Kind.CHROME
            verdicts.set(index, kind, info.cue_reason or "no article prose on this page", 0.8)
        return _finish(article, analysis, verdicts, None, 0)

    first_lines = range(body.start, min(body.end + 1, body.start + 12))
    body_text = " ".join(infos[i].text[:400] for i in first_lines)
    body_tokens = tokens(body_text, 4000)
    headline = find_headline(infos, body, body_tokens)

    headline_text = infos[headline].text if headline is not None else None
    body, cuts = appended.trim(infos, body, headline_text)
    for cut in cuts:
        for index in range(cut.start, cut.end + 1):
            info = infos[index]
            if index == headline:
                continue
            if info.cue is not None:
                verdicts.set(index, info.cue, info.cue_reason, 0.85)
            else:
                verdicts.set(index, cut.kind, cut.reason, 0.75)

    headline_key = " ".join(infos[headline].text.lower().split()) if headline is not None else None
    headline_size = len(headline_key) if headline_key is not None else 0
    for index in _label_runs(infos, body):
        verdicts.set(index, Kind.SECTION_LABEL, "a short label row inside the article", 0.6)
    kinds = verdicts.kinds
    first, last = body.start, body.end
    for index, info in enumerate(infos):
        if kinds[index] is not None:
            continue
        if index == headline:
            verdicts.set(index, Kind.HEADLINE, "the article's headline", 0.05)
        elif (
            headline_key is not None
            and 20 <= len(info.text) <= headline_size + 10
            and _same_headline(info.text, headline_key)
        ):
            verdicts.set(index, Kind.REPEATED_HEADLINE, "the headline printed again", 0.9)
        elif first <= index <= last:
            if info.cue is None:
                verdicts.set(index, Kind.CONTENT, "article text", _content_score(info))
            else:
                _inside(index, info, verdicts)
        elif index < first:
            _before(index, info, verdicts, headline, first)
        else:
            _after(index, info, verdicts)
    return _finish(article, analysis, verdicts, headline, body.start)


def _same_headline(text: str, headline_key: str) -> bool:
    key = " ".join(text.lower().split())
    if key == headline_key:
        return True
    if key.endswith(("…", "...")) and len(key) > 20:
        return headline_key.startswith(key.rstrip(".…").rstrip())
    return False


def _label_runs(infos: list[LineInfo], body: Span) -> set[int]:
    """Short label rows inside the body ("Politics" / "Live story" between paragraphs).

    Two or three packed lines, each short and unpunctuated, with a blank line before and
    after and an ordinary paragraph (not a list intro) just above: section labels or
    widget titles that landed in the story, not a list and not a subheading.
    """
    found: set[int] = set()
    index = body.start + 1
    while index < body.end:
        info = infos[index]
        if not info.blank_before or info.blank_after:
            index += 1
            continue
        end = index
        while end < body.end and not infos[end].blank_after:
            end += 1
        run = range(index, end + 1)
        above = infos[index - 1]
        if (
            2 <= len(run) <= 3
            and end < body.end
            and above.length >= PARAGRAPH_LENGTH
            and not above.colon
            and all(infos[i].length < 30 and not infos[i].terminal for i in run)
        ):
            found.update(run)
        index = end + 1
    return found


PARAGRAPH_LENGTH = 80


def _inside(index: int, info: LineInfo, verdicts: _Verdicts) -> None:
    """A line inside the body: content unless a cue says otherwise."""
    if info.cue in STRONG_CUES:
        verdicts.set(index, info.cue, info.cue_reason + " inside the article", 0.85)
    elif info.cue in META_CUES and info.words <= 12:
        verdicts.set(index, info.cue, info.cue_reason, 0.8)
    else:
        verdicts.set(index, Kind.CONTENT, "article text", _content_score(info))


def _content_score(info: LineInfo) -> float:
    """Boilerplate confidence of a kept body line: low, lower the more prose-like it is."""
    return round(max(0.0, min(0.5, 0.3 - info.score / 20)), 3)


def _before(
    index: int, info: LineInfo, verdicts: _Verdicts, headline: int | None, body_start: int
) -> None:
    """A line above the body: page header, or metadata between headline and body."""
    if info.length >= 12 and index >= body_start - 40 and caption_pair(verdicts.infos, index):
        verdicts.set(index, Kind.CAPTION, "a photo caption printed twice", 0.85)
    elif info.cue is not None:
        verdicts.set(index, info.cue, info.cue_reason or "page furniture above the article", 0.9)
    elif headline is not None and index > headline:
        if info.terminal and info.words >= 6:
            reason = "a summary or caption between headline and body"
            verdicts.set(index, Kind.STANDFIRST, reason, 0.7)
        else:
            verdicts.set(index, Kind.CAPTION, "a short line between headline and body", 0.75)
    elif headline is not None and index == headline - 1 and info.words <= 4:
        verdicts.set(index, Kind.SECTION_LABEL, "a section label above the headline", 0.85)
    else:
        verdicts.set(index, Kind.CHROME, "page header and navigation above the article", 0.9)


def _after(index: int, info: LineInfo, verdicts: _Verdicts) -> None:
    """A line below the body: footer, teasers, comments."""
    if info.cue is not None:
        verdicts.set(index, info.cue, info.cue_reason or "page furniture below the article", 0.9)
    elif headline_shaped(info):
        verdicts.set(index, Kind.RELATED, "a teaser or link below the article", 0.85)
    else:
        verdicts.set(index, Kind.CHROME, "page footer below the article", 0.9)


def _finish(
    article: Article,
    analysis: Analysis,
    verdicts: _Verdicts,
    headline: int | None,
    body_start: int,
) -> Analysis:
    """Turn the collected kinds into verdicts, inline spans and metadata."""
    infos = verdicts.infos
    text = article.text
    lines = article.lines
    kept = (Kind.CONTENT, Kind.HEADLINE)
    out = analysis.verdicts
    for index, info in enumerate(infos):
        kind = verdicts.kinds[index] or Kind.CONTENT
        reason = verdicts.reasons[index] or "article text"
        boilerplate = kind not in kept
        spans: tuple[InlineSpan, ...] = ()
        if not boilerplate:
            line = lines[info.number]
            if inline.may_have_spans(text, line.start, line.end):
                spans = inline.find_spans(text, line.start, line.end)
        elif kind is Kind.BYLINE:
            if analysis.author is None:
                analysis.author = _author(info.text)
        elif (
            kind is Kind.TIMESTAMP
            and analysis.date is None
            and index < body_start
            and (headline is None or abs(index - headline) <= 12)
        ):
            analysis.date = info.text
            kind = Kind.DATELINE
            reason = "the article's date line (kept as its date)"
        out[info.number] = LineVerdict(
            info.number, boilerplate, kind, reason, verdicts.scores[index], spans
        )
    if headline is not None:
        analysis.headline = infos[headline].text
    return analysis


def _author(text: str) -> str:
    words = text.split()
    lowered = [w.lower() for w in words[:2]]
    if lowered[:1] and lowered[0] in ("by", "von", "por", "par", "di", "door"):
        words = words[1:]
    elif lowered[:2] in (["written", "by"], ["words", "by"], ["story", "by"]):
        words = words[2:]
    return " ".join(words).strip(" |,-—") or text
