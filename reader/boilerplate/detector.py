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

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import compress, repeat
from operator import attrgetter, le
from typing import TypeVar

import numpy as np

from reader import collector
from reader.boilerplate import appended, cues, inline, learned, lists
from reader.boilerplate.features import GLUED_TEASER_REASON, LineInfo, line_infos
from reader.boilerplate.model import Analysis, InlineSpan, Kind, LineVerdict
from reader.boilerplate.span import (
    HEADLINE_LOOKBACK,
    META_CUES,
    STRONG_CUES,
    Span,
    caption_pairs,
    find_body,
    find_headline,
    headline_shaped,
    tokens,
)
from reader.corpus.model import Article

_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
"""A kept line needs a letter or a digit: "___", "* * *" or a lone zero-width space is not text."""

_SLASH_PAIR = re.compile(
    r"[A-Z][^\s/]*(?: [A-Z][^\s/]*){0,3} ?/ ?[A-Z][^\s/]*(?: [A-Z][^\s/]*){0,2}$"
)
"""Capitalized words on both sides of a slash and nothing else ("Jane Doe/Gazette"): inside
the body, a photo credit."""

SHARED_MIN_ARTICLES = 3
"""A line seen in this many articles of the corpus is treated as shared site chrome."""
SHARED_MAX_LENGTH = 200
SHARED_PROSE_LENGTH = 100
"""Sentences this long are never shared chrome, even when syndicated copies repeat them."""

_TEXT = attrgetter("text")
_Key = TypeVar("_Key")

_SCORES: dict[Kind, float] = {
    Kind.CONTENT: 0.1,
    Kind.HEADLINE: 0.05,
}


def detect(
    article: Article, corpus: Sequence[Article] | None = None, *, line_model: bool = True
) -> Analysis:
    """Classify every non-empty line of `article`; `corpus` supplies cross-article evidence.

    `line_model=False` gives the rules' verdicts alone, without the learned second opinion
    (`learned`): faster, and what the rules' own tests look at.
    """
    shared = None
    if corpus:
        others = [other for other in corpus if other is not article]
        shared = _shared(_line_counts([article, *others]))
    with collector.paused():
        return _analyse(article, shared, line_model)


def detect_corpus(articles: Sequence[Article], *, line_model: bool = True) -> list[Analysis]:
    """Analyze each article with the whole corpus as evidence (repeated lines are chrome)."""
    shared = _corpus_evidence(articles)
    with collector.paused():
        return [_analyse(article, shared, line_model) for article in articles]


def iter_detect_corpus(
    articles: Sequence[Article], *, line_model: bool = True
) -> Iterator[Analysis]:
    """`detect_corpus` one article at a time, in order, so a caller can show progress.

    The cross-article evidence (lines repeated across the corpus) is gathered up front,
    before the first analysis is yielded.
    """
    shared = _corpus_evidence(articles)
    for article in articles:
        with collector.paused():
            analysis = _analyse(article, shared, line_model)
        yield analysis


def count_short_lines(articles: Sequence[Article]) -> Counter[str]:
    """In how many of `articles` each short line occurs (once per article), by its
    normalized key: the cross-article evidence `detect_corpus` gathers, for callers that
    count a corpus in parts (one site, one partition) and add the parts up."""
    return _line_counts(articles)


def shared_lines(counts: Counter[_Key]) -> set[_Key]:
    """The keys of `counts` seen in enough articles to count as shared site chrome."""
    return _shared(counts)  # type: ignore[arg-type, return-value]


def detect_with_shared(
    article: Article, shared: set[str] | None, *, line_model: bool = True
) -> Analysis:
    """Classify `article` against lines already known to be shared (`shared_lines` of
    counts gathered elsewhere); `detect_corpus` is this with the counts of its own corpus."""
    with collector.paused():
        return _analyse(article, shared, line_model)


def _corpus_evidence(articles: Sequence[Article]) -> set[str] | None:
    if len(articles) < SHARED_MIN_ARTICLES:
        return None
    return _shared(_line_counts(articles))


def _line_counts(articles: Sequence[Article]) -> Counter[str]:
    """In how many articles each short line occurs (once per article), by lowercased text."""
    counts: Counter[str] = Counter()
    limit = SHARED_MAX_LENGTH
    for article in articles:
        # Only short lines are lowercased and counted (in C-level passes). Lowercasing
        # never shortens a line (it lengthens "İ"), so the short ones after lowercasing
        # are among the short ones before; they are measured again after it.
        stripped = list(map(str.strip, article.text.split("\n")))
        keys = set(map(str.lower, compress(stripped, map(le, map(len, stripped), repeat(limit)))))
        keys.discard("")
        counted = list(keys)
        counts.update(compress(counted, map(le, map(len, counted), repeat(limit))))
    return counts


def _shared(counts: Counter[str]) -> set[str]:
    return {key for key, count in counts.items() if count >= SHARED_MIN_ARTICLES}


def _analyse(article: Article, shared: set[str] | None, line_model: bool = True) -> Analysis:
    analysis = Analysis(article_id=article.id)
    draft = _rule_pass(article, shared)
    if draft is None:
        return analysis
    model = learned.shipped_model("html" if article.markup else "text") if line_model else None
    if model is not None:
        _second_opinion(draft, model, article.markup)
    return _finish(article, analysis, draft)


OVERRULE = 0.7
"""The line model overrules the rules when its probability is on the other side of this."""


WORDED_KINDS = frozenset(
    {
        Kind.ADVERTISEMENT,
        Kind.LEGAL,
        Kind.NEWSLETTER,
        Kind.CREDIT,
        Kind.READING_TIME,
        Kind.SHARED_CHROME,
        Kind.REPEATED_HEADLINE,
    }
)
"""Kinds the rules give from a line's own wording ("ADVERTISEMENT", "© 2024 ..."), or
from its repeating across the corpus or the page: the line model, which judges shape and
surroundings, does not overrule them."""


def _second_opinion(draft: Draft, model: learned.LineModel, markup: dict | None) -> None:
    """Let the line model overrule the rules where it disagrees (`learned`): never on a
    firm verdict, never to keep a settled removal, never to empty the body."""
    infos, kinds, reasons, scores = draft.infos, draft.kinds, draft.reasons, draft.scores
    firm = draft.firm_lines()
    features = learned.text_features(
        infos, kinds, scores, draft.headline, draft.body, draft.raw_body, firm
    )
    if markup is not None:
        features = np.hstack([features, learned.markup_features(infos, markup)])
    probabilities = model.probabilities(features)
    removed = features[:, learned.RULE_BOILERPLATE] > 0.5
    open_to_change = ~np.array(firm, dtype=bool)
    body = draft.body
    removing = open_to_change & ~removed & (probabilities > OVERRULE)
    if body is not None:
        inside = slice(body.start, body.end + 1)
        kept = ~removed[inside]
        if kept.any() and not (kept & ~removing[inside]).any():
            # It would remove every line the rules kept in the body: an empty article is
            # never the answer (a page unlike any it learned from), so the body stays.
            removing[inside] = False
    for index in np.flatnonzero(removing).tolist():
        found, reason = _model_kind(infos, index, body, markup)
        kinds[index] = found
        reasons[index] = f"{reason} (line model, {probabilities[index]:.2f})"
        if index == draft.headline:
            draft.headline = None
    keep = open_to_change & removed & (probabilities < 1.0 - OVERRULE)
    if draft.settled:
        keep[list(draft.settled)] = False
    for index in np.flatnonzero(keep).tolist():
        kinds[index] = Kind.CONTENT
        confidence, rules_said = 1.0 - probabilities[index], reasons[index]
        reasons[index] = (
            f"article text by its shape and surroundings (line model, {confidence:.2f}); "
            f"the rules said: {rules_said}"
        )
    scores[:] = np.round(probabilities, 3).tolist()


def _model_kind(
    infos: list[LineInfo], index: int, body: Span | None, markup: dict | None = None
) -> tuple[Kind, str]:
    """A kind and reason for a line only the line model flags: from its cue, from the
    markup around it (HTML input), else from its place."""
    info = infos[index]
    if info.cue is not None:
        return info.cue, info.cue_reason or "page furniture"
    if markup is not None and (found := markup.get(info.number)) is not None:
        named = _markup_kind(found.around)
        if named is not None:
            return named
    if body is None or index < body.start:
        return Kind.CHROME, "page furniture above the article"
    if index > body.end:
        if headline_shaped(info):
            return Kind.RELATED, "a teaser or link below the article"
        return Kind.CHROME, "page furniture below the article"
    if info.title:
        return Kind.RELATED, "a link title inside the article"
    if info.words <= 4 and not info.terminal:
        return Kind.SECTION_LABEL, "a short label inside the article"
    return Kind.CHROME, "furniture inside the article, by its shape and surroundings"


_MARKUP_KINDS: tuple[tuple[str, Kind, str], ...] = (
    ("word:consent", Kind.CHROME, "inside a cookie or consent notice"),
    ("word:advert", Kind.ADVERTISEMENT, "inside an element marked as an advertisement"),
    ("word:newsletter", Kind.NEWSLETTER, "inside a newsletter or subscription box"),
    ("word:comment", Kind.COMMENTS, "inside the comment section"),
    ("word:share", Kind.CHROME, "inside a share or follow widget"),
    ("word:related", Kind.RELATED, "inside a related-stories box"),
    ("word:promo", Kind.RELATED, "inside a promotion or teaser box"),
    ("figcaption", Kind.CAPTION, "a figure caption"),
    ("word:caption", Kind.CAPTION, "inside a caption or credit"),
    ("nav", Kind.CHROME, "inside the page's navigation"),
    ("word:navigation", Kind.CHROME, "inside the page's navigation"),
    ("word:breadcrumb", Kind.CHROME, "a breadcrumb trail"),
    ("footer", Kind.CHROME, "inside the page footer"),
    ("word:footer", Kind.CHROME, "inside the page footer"),
    ("aside", Kind.RELATED, "inside a sidebar"),
    ("word:sidebar", Kind.RELATED, "inside a sidebar"),
    ("word:author", Kind.CHROME, "inside an author box"),
    ("word:tags", Kind.SECTION_LABEL, "a tag or category list"),
    ("word:modal", Kind.CHROME, "inside a pop-up or dialog"),
    ("word:hidden", Kind.CHROME, "text the page hides from view"),
    ("header", Kind.CHROME, "inside the page header"),
    ("form", Kind.CHROME, "inside a form"),
    ("button", Kind.CHROME, "a button"),
)
"""Markup evidence that names what a line is, most telling first (`reader.corpus.html`)."""


@cache
def _markup_bits() -> tuple[tuple[int, Kind, str], ...]:
    from reader.corpus.html import ELEMENT_BITS, WORD_BITS

    def bit(name: str) -> int:
        return WORD_BITS[name[5:]] if name.startswith("word:") else ELEMENT_BITS[name]

    return tuple((bit(name), kind, reason) for name, kind, reason in _MARKUP_KINDS)


def _markup_kind(around: int) -> tuple[Kind, str] | None:
    """The kind and reason the enclosing elements give a line, if they name one."""
    for bit, kind, reason in _markup_bits():
        if around & bit:
            return kind, f"{reason}, by the page's markup"
    return None


@dataclass(slots=True)
class Draft:
    """The rules' verdicts on an article's lines, before they become `LineVerdict`s."""

    infos: list[LineInfo]
    kinds: list[Kind | None]
    reasons: list[str]
    scores: list[float]
    headline: int | None
    body: Span | None
    """The body the rules settled on (after appended stories were cut), if any."""
    raw_body: Span | None = None
    """The densest run of prose, before appended stories were cut from it."""
    firm: set[int] = field(default_factory=set)
    """Lines judged on exact evidence (the same text printed twice, a label row, an item
    of a dated list), which the line model does not overrule; nor lines removed for
    their own wording."""
    settled: set[int] = field(default_factory=set)
    """Removals the line model may not undo although it reads them as open to change
    (it was fitted so: marking them firm in its columns made it no better and its
    in-body figures worse), such as lines with nothing to read."""

    def firm_lines(self) -> list[bool]:
        """`is_firm` for every line, in order."""
        firm, content, headline = self.firm, Kind.CONTENT, Kind.HEADLINE
        return [
            index in firm
            or (
                kind is not None
                and kind is not content
                and kind is not headline
                and (kind in WORDED_KINDS or kind is info.cue)
            )
            for index, (kind, info) in enumerate(zip(self.kinds, self.infos, strict=True))
        ]

    def is_firm(self, index: int) -> bool:
        """Whether the rules' verdict on this line rests on evidence the model must not
        overrule."""
        return self.firm_lines()[index]


def _rule_pass(article: Article, shared: set[str] | None) -> Draft | None:
    """Run the rules: a kind, a reason and a score for every non-empty line."""
    infos = line_infos(article)
    if not infos:
        return None
    if shared:
        # Short lines whose lowercased text repeats across the corpus, found in C-level passes.
        texts = list(map(_TEXT, infos))
        fits = map(le, map(len, texts), repeat(SHARED_MAX_LENGTH))
        short = list(compress(range(len(texts)), fits))
        keys = map(str.lower, map(texts.__getitem__, short))
        for index in compress(short, map(shared.__contains__, keys)):
            info = infos[index]
            if info.terminal and len(info.text) >= SHARED_PROSE_LENGTH:
                continue
            info.cue = Kind.SHARED_CHROME
            info.cue_reason = "repeats across several articles of the corpus"
    count = len(infos)
    kinds: list[Kind | None] = [None] * count
    reasons: list[str] = [""] * count
    scores: list[float] = [0.0] * count
    body = find_body(infos)
    if body is None:
        for index, info in enumerate(infos):
            kinds[index] = info.cue or Kind.CHROME
            reasons[index] = info.cue_reason or "no article prose on this page"
            scores[index] = 0.8
        return Draft(infos, kinds, reasons, scores, None, None)

    first_lines = range(body.start, min(body.end + 1, body.start + 12))
    body_text = " ".join(infos[i].text[:400] for i in first_lines)
    body_tokens = tokens(body_text, 4000)
    captions = caption_pairs(infos, max(0, body.start - HEADLINE_LOOKBACK), body.start)
    headline = find_headline(infos, body, body_tokens, captions)

    headline_text = infos[headline].text if headline is not None else None
    raw_body = body
    body, cuts = appended.trim(infos, body, headline_text)
    firm: set[int] = set()
    settled: set[int] = set()
    for cut in cuts:
        for index in range(cut.start, cut.end + 1):
            info = infos[index]
            if index == headline:
                continue
            if cut.firm:
                firm.add(index)
            if info.cue is not None:
                kinds[index], reasons[index], scores[index] = info.cue, info.cue_reason, 0.85
            else:
                kinds[index], reasons[index], scores[index] = cut.kind, cut.reason, 0.75

    for index in lists.quantity_runs(infos):
        if kinds[index] is None and infos[index].cue is None:
            firm.add(index)  # the ingredients of a recipe: kept on their shape
            kinds[index] = Kind.CONTENT
            reasons[index] = "an item of a list of quantities (a recipe's ingredients)"
            scores[index] = _content_score(infos[index])
    for index in lists.dated_runs(infos, body):
        if infos[index].cue is None or infos[index].cue in META_CUES:
            firm.add(index)  # a schedule or tour dates: kept on its shape
            kinds[index] = Kind.CONTENT
            reasons[index] = "an item of a dated list (a schedule, tour dates)"
            scores[index] = _content_score(infos[index])
    for index in lists.label_runs(infos, body):
        firm.add(index)
        kinds[index] = Kind.SECTION_LABEL
        reasons[index] = "a short label row inside the article"
        scores[index] = 0.6
    if headline is not None:
        kinds[headline] = Kind.HEADLINE
        reasons[headline] = "the article's headline"
        scores[headline] = 0.05
        headline_key = " ".join(headline_text.lower().split())  # type: ignore[union-attr]
        _repeated_headlines(infos, headline_key, kinds, reasons, scores)
    first, last = body.start, body.end
    for index in range(first, last + 1):
        if kinds[index] is not None:
            continue
        info = infos[index]
        cue = info.cue
        if cue is None:
            if info.length <= 40 and _LETTER_OR_DIGIT.search(info.text) is None:
                # No letter or digit: nothing to read (all 1,272 such lines of train/ and
                # dev/ are labelled boilerplate), so the line model does not keep it.
                settled.add(index)
                kinds[index], reasons[index] = Kind.CHROME, "a separator or stray symbol"
                scores[index] = 0.7
                continue
            if info.length <= 50 and "/" in info.text and _SLASH_PAIR.match(info.text):
                kinds[index], reasons[index] = Kind.CREDIT, "a Name/Outlet photo credit"
                scores[index] = 0.7
                continue
            if _printed_twice(infos, index, first, last):
                firm.add(index)
                kinds[index], reasons[index] = Kind.CAPTION, "a caption, printed again below"
                scores[index] = 0.7
                continue
            kinds[index], reasons[index] = Kind.CONTENT, "article text"
            scores[index] = _content_score(info)
        elif cue is Kind.RELATED and _lone_glued_line(infos, index, first, last):
            kinds[index], reasons[index] = Kind.CONTENT, "article text (words run together)"
            scores[index] = _content_score(info)
        elif cue in STRONG_CUES:
            kinds[index], reasons[index] = cue, info.cue_reason + " inside the article"
            scores[index] = 0.85
            if cue is Kind.CHROME and info.length <= 30:
                _contents_links(infos, index, last, kinds, reasons, scores, settled)
        elif cue in META_CUES and info.words <= 12:
            if lists.in_list(infos, index, first, last):
                firm.add(index)  # an item of a schedule or a timeline: kept on its shape
                kinds[index], reasons[index] = Kind.CONTENT, "an item of a dated list"
                scores[index] = _content_score(info)
            else:
                kinds[index], reasons[index], scores[index] = cue, info.cue_reason, 0.8
        else:
            kinds[index], reasons[index] = Kind.CONTENT, "article text"
            scores[index] = _content_score(info)
    firm.update(index for index in captions if kinds[index] is None)
    _before(infos, first, headline, captions, kinds, reasons, scores)
    _after(infos, last, kinds, reasons, scores)
    return Draft(infos, kinds, reasons, scores, headline, body, raw_body, firm, settled)


def _repeated_headlines(
    infos: list[LineInfo],
    headline_key: str,
    kinds: list[Kind | None],
    reasons: list[str],
    scores: list[float],
) -> None:
    """Mark lines that print the headline again (exactly, or cut short with an ellipsis)."""
    size = len(headline_key) + 10
    initial = headline_key[:1]
    for index, info in enumerate(infos):
        text = info.text
        if (
            20 <= len(text) <= size
            and text[:1].lower() == initial
            and kinds[index] is None
            and _same_headline(text, headline_key)
        ):
            kinds[index] = Kind.REPEATED_HEADLINE
            reasons[index] = "the headline printed again"
            scores[index] = 0.9


def _same_headline(text: str, headline_key: str) -> bool:
    key = " ".join(text.lower().split())
    if key == headline_key:
        return True
    if key.endswith(("…", "...")) and len(key) > 20:
        return headline_key.startswith(key.rstrip(".…").rstrip())
    return False


CONTENTS_ITEM_LENGTH = 120


def _contents_links(
    infos: list[LineInfo],
    heading: int,
    last: int,
    kinds: list[Kind | None],
    reasons: list[str],
    scores: list[float],
    settled: set[int],
) -> None:
    """Under a table-of-contents heading ("Table of Contents", "In this article"), the
    packed run of short unpunctuated lines is its links: furniture, like the heading.
    On the English pages of train/ and dev/, 66 of 71 such lines are labelled boilerplate;
    resting on the heading's wording, the removal is settled (the line model keeps out)."""
    if cues.line_key(infos[heading].text) not in cues.CONTENTS_HEADINGS:
        return
    index = heading + 1
    while index <= last and kinds[index] is None:
        info = infos[index]
        if info.terminal or info.length > CONTENTS_ITEM_LENGTH or info.cue is not None:
            break
        if index > heading + 1 and info.blank_before:
            break
        kinds[index], reasons[index] = Kind.CHROME, "a link of the table of contents above"
        scores[index] = 0.75
        settled.add(index)
        index += 1


def _lone_glued_line(infos: list[LineInfo], index: int, first: int, last: int) -> bool:
    """A body line that looks like a title run into its blurb, with no link line beside it.

    Teaser lists come in runs; a single such line between paragraphs is most often a
    sentence whose words lost a space in scraping ("...in ChinaThe firm said..."). Of the
    lone ones on train/ and dev/ (English), 114 are labelled article text, 24 boilerplate."""
    if infos[index].cue_reason != GLUED_TEASER_REASON:
        return False
    neighbours = (infos[other] for other in (index - 1, index + 1) if first <= other <= last)
    return all(neighbour.cue is not Kind.RELATED for neighbour in neighbours)


def _printed_twice(infos: list[LineInfo], index: int, first: int, last: int) -> bool:
    """The first of a body line printed twice in a row: an image's alt text or a video's
    title over its own caption, a table header over the table. The second copy stays:
    it may be the story's own sentence or header, which the first one repeats."""
    return index < last and infos[index + 1].text == infos[index].text


def _content_score(info: LineInfo) -> float:
    """Boilerplate confidence of a kept body line: low, lower the more prose-like it is."""
    found = _CONTENT_SCORES.get(info.score)
    if found is None:
        found = _CONTENT_SCORES[info.score] = round(max(0.0, min(0.5, 0.3 - info.score / 20)), 3)
    return found


_CONTENT_SCORES: dict[float, float] = {}
"""Body score -> content score. Body scores take a few hundred values (constants, or a
line's length over a constant, capped), so the table stays small."""


def _before(
    infos: list[LineInfo],
    body_start: int,
    headline: int | None,
    captions: set[int],
    kinds: list[Kind | None],
    reasons: list[str],
    scores: list[float],
) -> None:
    """Lines above the body: page header, or metadata between headline and body."""
    for index in range(body_start):
        if kinds[index] is not None:
            continue
        info = infos[index]
        if index in captions:
            kind, reason, score = Kind.CAPTION, "a photo caption printed twice", 0.85
        elif info.cue is not None:
            kind, reason, score = info.cue, info.cue_reason, 0.9
            reason = reason or "page furniture above the article"
        elif headline is not None and index > headline:
            if info.terminal and info.words >= 6:
                kind, reason = Kind.STANDFIRST, "a summary or caption between headline and body"
                score = 0.7
            else:
                kind, reason = Kind.CAPTION, "a short line between headline and body"
                score = 0.75
        elif headline is not None and index == headline - 1 and info.words <= 4:
            kind, reason, score = Kind.SECTION_LABEL, "a section label above the headline", 0.85
        else:
            kind, reason, score = Kind.CHROME, "page header and navigation above the article", 0.9
        kinds[index], reasons[index], scores[index] = kind, reason, score


def _after(
    infos: list[LineInfo],
    body_end: int,
    kinds: list[Kind | None],
    reasons: list[str],
    scores: list[float],
) -> None:
    """Lines below the body: footer, teasers, comments."""
    for index in range(body_end + 1, len(infos)):
        if kinds[index] is not None:
            continue
        info = infos[index]
        if info.cue is not None:
            kind, reason = info.cue, info.cue_reason or "page furniture below the article"
        elif headline_shaped(info):
            kinds[index], reasons[index] = Kind.RELATED, "a teaser or link below the article"
            scores[index] = 0.85
            continue
        else:
            kind, reason = Kind.CHROME, "page footer below the article"
        kinds[index], reasons[index], scores[index] = kind, reason, 0.9


def _finish(article: Article, analysis: Analysis, draft: Draft) -> Analysis:
    """Turn the collected kinds into verdicts, inline spans and metadata."""
    infos, kinds, reasons, scores = draft.infos, draft.kinds, draft.reasons, draft.scores
    headline = draft.headline
    body_start = draft.body.start if draft.body is not None else 0
    text = article.text
    content, headline_kind = Kind.CONTENT, Kind.HEADLINE
    byline, timestamp = Kind.BYLINE, Kind.TIMESTAMP
    find_spans = inline.find_spans
    out = analysis.verdicts
    new = tuple.__new__  # LineVerdict is a named tuple: skip its keyword-handling __new__
    verdict = LineVerdict
    rows = zip(infos, kinds, reasons, scores, strict=True)
    for index, (info, kind, reason, score) in enumerate(rows):
        number = info.number
        if kind is None or kind is content or kind is headline_kind:
            spans: tuple[InlineSpan, ...] = ()
            if info.bracketed:
                spans = find_spans(text, *article.lines.bounds(number))
            kind, reason = kind or content, reason or "article text"
            out[number] = new(verdict, (number, False, kind, reason, score, spans))
            continue
        if kind is byline:
            if analysis.author is None:
                analysis.author = _author(info.text)
        elif (
            kind is timestamp
            and analysis.date is None
            and index < body_start
            and (headline is None or abs(index - headline) <= 12)
        ):
            analysis.date = info.text
            kind = Kind.DATELINE
            reason = "the article's date line (kept as its date)"
        out[number] = new(verdict, (number, True, kind, reason, score, ()))
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
