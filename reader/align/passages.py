"""Shared passages between articles: a shingle index for candidates, rapidfuzz to verify.

Only content counts: lines the detector removed (and the headline, which every outlet
words its own way) are never aligned, so repeated site chrome never shows up as
"shared". Each content line is cut into sentences; every sentence gets word 4-gram
shingles, and a shingle printed by most articles of the corpus is dropped as a common
phrase. Two sentences that share shingles are compared with rapidfuzz, in full or, when
one is much shorter (a sentence split in two, a clause dropped), as the best partial
match, so lightly reworded wire copy ("said Thursday" for "said on Thursday", a changed
attribution) still aligns.
"""

from __future__ import annotations

import gc
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from rapidfuzz import fuzz

from reader.boilerplate.model import Analysis, Kind
from reader.corpus.model import Article

SHINGLE = 4
"""Words per shingle: short enough to survive light rewording, long enough to be rare."""
MIN_WORDS = 8
"""Sentences shorter than this ("Here are a few reasons why:") are too generic to count
as shared."""
MIN_SHARED_SHINGLES = 2
"""Two sentences are compared only when they share this many shingles (five words in a
row, or two separate four-word runs)."""
THRESHOLD = 72.0
"""Similarity (0..100) from which two sentences count as the same passage."""
PARTIAL_BELOW = 0.7
"""When the shorter sentence is under this share of the longer one's length, the best
partial match is used (one sentence split in two, a clause added)."""
COMMON_SHARE = 0.5
"""A shingle in more than this share of the articles (and in more than two) is a common
phrase, not evidence of reuse."""
MAX_ARTICLES = 30
"""Nor is one printed by more articles than this, whatever the corpus size (as text-reuse
tools cap document frequency): pairing every article that prints it would grow with
the square of its count."""

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A content sentence of an article, with its character offsets into `Article.text`."""

    line: int
    """0-based physical line number."""
    start: int
    end: int
    text: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """A sentence of A printed in B too (verbatim or reworded)."""

    a: Sentence
    b: Sentence
    score: float
    """rapidfuzz similarity, 0..100."""


@dataclass
class PairAlignment:
    """What two articles share, and what each prints alone."""

    a: Article
    b: Article
    matches: list[Match] = field(default_factory=list)
    a_sentences: list[Sentence] = field(default_factory=list)
    b_sentences: list[Sentence] = field(default_factory=list)

    def _share(self, sentences: list[Sentence], matched: set[int]) -> float:
        total = sum(s.end - s.start for s in sentences)
        shared = sum(s.end - s.start for s in sentences if s.start in matched)
        return shared / total if total else 0.0

    @property
    def a_shared(self) -> float:
        """Share of A's content (by characters) that B prints too."""
        return self._share(self.a_sentences, {m.a.start for m in self.matches})

    @property
    def b_shared(self) -> float:
        """Share of B's content (by characters) that A prints too."""
        return self._share(self.b_sentences, {m.b.start for m in self.matches})

    @property
    def a_unique(self) -> list[Sentence]:
        """A's content sentences that B does not print."""
        matched = {m.a.start for m in self.matches}
        return [s for s in self.a_sentences if s.start not in matched]

    @property
    def b_unique(self) -> list[Sentence]:
        """B's content sentences that A does not print."""
        matched = {m.b.start for m in self.matches}
        return [s for s in self.b_sentences if s.start not in matched]


def content_lines(
    analysis: Analysis, decisions: Mapping[int, bool] | None = None
) -> list[int]:
    """The lines aligned: those the detector keeps (not the headline), with the user's
    decisions on top (`True` removes a line, `False` keeps a flagged one)."""
    decisions = decisions or {}
    kept = []
    for number, verdict in sorted(analysis.verdicts.items()):
        decision = decisions.get(number)
        if decision is True or verdict.kind is Kind.HEADLINE:
            continue
        if verdict.boilerplate and decision is not False:
            continue
        kept.append(number)
    return kept


def content_sentences(
    article: Article, analysis: Analysis, decisions: Mapping[int, bool] | None = None
) -> list[Sentence]:
    """The sentences of the article's content lines (not the headline), with offsets."""
    return sentences_of(article, content_lines(analysis, decisions))


def sentences_of(article: Article, lines: Sequence[int]) -> list[Sentence]:
    """The sentences of the given lines of the article, with offsets."""
    found: list[Sentence] = []
    text = article.text
    for number in lines:
        line_start, line_end = article.lines.bounds(number)
        for start, end in _sentence_bounds(text, line_start, line_end):
            piece = text[start:end]
            words = tuple(_WORD.findall(piece.lower()))
            if len(words) >= MIN_WORDS:
                found.append(Sentence(number, start, end, piece, words))
    return found


def _sentence_bounds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of `text[start:end]`: cut after . ! ? … that follow a lowercase letter,
    a digit or a bracket, so "U.S. Secretary" stays whole."""
    bounds: list[tuple[int, int]] = []
    begin = start
    while begin < end and text[begin].isspace():
        begin += 1
    for found in _SENTENCE_END.finditer(text, begin, end):
        before = text[found.start() - 1] if found.start() > begin else ""
        if not (before.islower() or before.isdigit() or before in ")%"):
            continue
        stop = found.end()
        while stop > found.start() and text[stop - 1].isspace():
            stop -= 1
        if stop > begin:
            bounds.append((begin, stop))
        begin = found.end()
    tail = end
    while tail > begin and text[tail - 1].isspace():
        tail -= 1
    if tail > begin:
        bounds.append((begin, tail))
    return bounds


def _shingles(words: tuple[str, ...]) -> set[int]:
    """Hashes of the sentence's word 4-grams (a collision only adds a candidate, which
    rapidfuzz then rejects)."""
    if len(words) < SHINGLE:
        return {hash(words)}
    return {hash(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def sentence_similarity(a: Sentence, b: Sentence) -> float:
    """0..100: how alike two sentences read, in full or as the best partial match."""
    left, right = " ".join(a.words), " ".join(b.words)
    shorter, longer = sorted((len(left), len(right)))
    if shorter < PARTIAL_BELOW * longer:
        return fuzz.partial_ratio(left, right)
    return fuzz.ratio(left, right)


def align_corpus(
    articles: Sequence[Article],
    analyses: Sequence[Analysis],
    decisions: Sequence[Mapping[int, bool]] | None = None,
    *,
    only: Collection[int] | None = None,
) -> dict[tuple[int, int], PairAlignment]:
    """Every pair of articles (by index, i < j) that shares at least one passage.

    Candidate sentence pairs come from the shingle index only, so the work grows with
    what is shared, not with the square of the corpus. `decisions` (one mapping per
    article) adds the user's line decisions to the detector's; with `only`, just the
    pairs with at least one of those articles are verified (the rest are known, e.g.
    from a cache), against an index of the whole corpus.
    """
    enabled = gc.isenabled()
    gc.disable()  # many small objects, no cycles: collections would walk them again and again
    try:
        return _align_corpus(articles, analyses, decisions, only)
    finally:
        if enabled:
            gc.enable()


def _align_corpus(
    articles: Sequence[Article],
    analyses: Sequence[Analysis],
    decisions: Sequence[Mapping[int, bool]] | None,
    only: Collection[int] | None,
) -> dict[tuple[int, int], PairAlignment]:
    each = decisions if decisions is not None else [{} for _ in articles]
    sentences = [
        content_sentences(a, x, d) for a, x, d in zip(articles, analyses, each, strict=True)
    ]
    return {
        (ai, bj): PairAlignment(articles[ai], articles[bj], matches, sentences[ai], sentences[bj])
        for (ai, bj), matches in align_sentences(sentences, only).items()
    }


def align_sentences(
    sentences: Sequence[list[Sentence]], only: Collection[int] | None = None
) -> dict[tuple[int, int], list[Match]]:
    """The matches of every pair of articles (by index, i < j) given their content
    sentences; with `only`, just the pairs with at least one of those articles."""
    wanted = None if only is None else set(only)
    index: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for article_index, found in enumerate(sentences):
        for sentence_index, sentence in enumerate(found):
            for shingle in _shingles(sentence.words):
                index[shingle].append((article_index, sentence_index))
    common = min(MAX_ARTICLES, max(2, int(COMMON_SHARE * len(sentences))))
    candidates: dict[tuple[int, int], Counter[tuple[int, int]]] = defaultdict(Counter)
    for postings in index.values():
        if len({article for article, _ in postings}) > common and len(sentences) > 2:
            continue
        for (ai, si), (bj, sj) in combinations(postings, 2):
            if ai == bj:
                continue
            if wanted is not None and ai not in wanted and bj not in wanted:
                continue
            if ai > bj:
                ai, si, bj, sj = bj, sj, ai, si
            candidates[(ai, bj)][(si, sj)] += 1
    _release(index)
    pairs: dict[tuple[int, int], list[Match]] = {}
    for ai, bj in sorted(candidates):
        sentence_pairs = candidates.pop((ai, bj))  # freed pair by pair, as it is verified
        # Each sentence's best counterpart, seen from both sides: a sentence one outlet
        # split in two matches both halves.
        best_a: dict[int, tuple[float, int]] = {}
        best_b: dict[int, tuple[float, int]] = {}
        for (si, sj), shared in sentence_pairs.items():
            if shared < MIN_SHARED_SHINGLES:
                continue
            score = sentence_similarity(sentences[ai][si], sentences[bj][sj])
            if score < THRESHOLD:
                continue
            if si not in best_a or score > best_a[si][0]:
                best_a[si] = (score, sj)
            if sj not in best_b or score > best_b[sj][0]:
                best_b[sj] = (score, si)
        kept = {(si, sj, score) for si, (score, sj) in best_a.items()}
        kept |= {(si, sj, score) for sj, (score, si) in best_b.items()}
        if kept:
            pairs[(ai, bj)] = [
                Match(sentences[ai][si], sentences[bj][sj], round(score, 1))
                for si, sj, score in sorted(kept)
            ]
    return pairs


def _release(index: dict[int, list[tuple[int, int]]]) -> None:
    """Empty the shingle index a posting list at a time: freed in one go (when the
    function returns), its hundreds of thousands of lists would hold the interpreter for
    a tenth of a second, and the reader aligns in a thread beside the one drawing."""
    for shingle in list(index):
        del index[shingle]


def align_pair(
    a: Article, b: Article, a_analysis: Analysis, b_analysis: Analysis
) -> PairAlignment:
    """What `a` and `b` share, passage by passage, and what each prints alone."""
    found = align_corpus([a, b], [a_analysis, b_analysis]).get((0, 1))
    if found is None:
        found = PairAlignment(
            a, b, [], content_sentences(a, a_analysis), content_sentences(b, b_analysis)
        )
    return found


def similarity_matrix(
    articles: Sequence[Article], analyses: Sequence[Analysis]
) -> list[list[float]]:
    """`matrix[i][j]`: the share of article i's content that article j prints too."""
    count = len(articles)
    matrix = [[1.0 if i == j else 0.0 for j in range(count)] for i in range(count)]
    for (i, j), pair in align_corpus(articles, analyses).items():
        matrix[i][j] = pair.a_shared
        matrix[j][i] = pair.b_shared
    return matrix
