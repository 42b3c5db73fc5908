"""The line model: a small learned second opinion on the rules' verdicts.

The rules (`detector`) find the body, the headline and the cue-marked furniture; the
line model reads what they decided together with each line's shape and its neighbours'
(and, for HTML input, the markup around it) and gives every line a probability of being
boilerplate. It is a two-layer perceptron trained by `bench/train_line_model.py` on
labelled pages from hundreds of sites (never the test pages); its weights ship as
`line_model.npz` beside this file and inference is a few numpy matrix products per
page. Where it overturns the rules, the verdict's reason says so.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from operator import attrgetter
from typing import TYPE_CHECKING

import numpy as np
from threadpoolctl import threadpool_limits

from reader.boilerplate.appended import STAMP_CUES, segments
from reader.boilerplate.features import ROW_FIELDS
from reader.boilerplate.model import Kind

if TYPE_CHECKING:
    from reader.boilerplate.features import LineInfo
    from reader.boilerplate.span import Span
    from reader.corpus.html import Markup

KINDS: tuple[Kind, ...] = tuple(kind for kind in Kind if kind not in (Kind.CONTENT, Kind.DATELINE))
"""Kinds with a column of their own (content is all zeros; datelines are set later)."""
_KIND_COLUMN = {kind: index for index, kind in enumerate(KINDS)}

TEXT_FEATURES: tuple[str, ...] = (
    "log_length",
    "log_words",
    "terminal",
    "colon",
    "title",
    "dateish",
    "bracketed",
    "blank_before",
    "blank_after",
    "span_score",
    "rule_boilerplate",
    "rule_score",
    "headline",
    "in_body",
    "before_body",
    "after_body",
    "from_body_start",
    "from_body_end",
    "position",
    "log_lines",
    "body_share",
    "no_body",
    *(f"kind:{kind.value}" for kind in KINDS),
    *(f"cue:{kind.value}" for kind in KINDS),
    *(
        f"{name}@{width}"
        for width in (1, 3, 8)
        for name in ("terminal", "log_length", "rule_boilerplate", "title", "blank_before")
    ),
    *(f"prose@{width}" for width in (3, 8, 20)),
    *(f"prose_vs_best@{width}" for width in (3, 8, 20)),
    "prose_before",
    "prose_after",
    "to_prose",
    "repeated_in_page",
    "upper",
    "length_vs_median",
    "stamped@3",
    "segment_gap",
    "firm",
)
"""Columns of the text feature matrix, in order."""

RULE_BOILERPLATE = TEXT_FEATURES.index("rule_boilerplate")
"""The column saying the rules removed the line (the headline is not removed)."""

_TEXT = attrgetter("text")
_CUE = attrgetter("cue")
_NO_KIND = -2
"""Code of no kind (or content) in `_KIND_CODE`; -1 is a kind without a column."""
_KIND_CODE: dict[Kind | None, int] = {
    None: _NO_KIND,
    **{kind: _KIND_COLUMN.get(kind, -1) for kind in Kind},
    Kind.CONTENT: _NO_KIND,
}
"""Kind (or cue) -> its column among `KINDS`."""
_HEADLINE_COLUMN = _KIND_COLUMN[Kind.HEADLINE]
_STAMPED_CODE = np.zeros(len(KINDS) + 2, dtype=bool)
_STAMPED_CODE[[_KIND_CODE[kind] for kind in STAMP_CUES]] = True
"""Cue code -> whether the cue stamps a line (a time stamp, a byline...), as
`appended.STAMP_CUES` (a negative code reads from the end: no cue, or a kind without a
column)."""
_WIDEST = 20
"""The widest window of neighbouring lines summed (`prose@20`)."""

_ROW = attrgetter("row")
_NUMBER = attrgetter("number")
_SCORE = attrgetter("score")


def text_features(
    infos: list[LineInfo],
    kinds: list[Kind | None],
    scores: list[float],
    headline: int | None,
    body: Span | None,
    raw_body: Span | None = None,
    firm: list[bool] | None = None,
) -> np.ndarray:
    """The feature matrix (one row per non-empty line) the text model reads.

    `body` is the article body the rules settled on, `raw_body` the densest run of prose
    before appended stories were cut from it; `firm` says which removals rest on exact
    evidence (`Draft.is_firm`).
    """
    count = len(infos)
    # The measures of the lines' text, packed once per text (`features.ROW`): one array.
    rows = np.frombuffer(b"".join(map(_ROW, infos)), dtype=np.float64).reshape(count, ROW_FIELDS)
    # Blank lines around each line, from the gaps between physical line numbers.
    numbers = np.fromiter(map(_NUMBER, infos), dtype=np.intp, count=count)
    apart = numbers[1:] - numbers[:-1] != 1
    out = np.zeros((count, len(TEXT_FEATURES)), dtype=np.float64)
    out[:, 0] = np.log1p(rows[:, 0])
    out[:, 1] = np.log1p(rows[:, 1])
    out[:, 2:7] = rows[:, 2:7]
    out[0, 7] = out[-1, 8] = 1.0
    out[1:, 7] = apart
    out[:-1, 8] = apart
    span_scores = np.fromiter(map(_SCORE, infos), dtype=np.float64, count=count)
    out[:, 9] = np.clip(span_scores, -4.0, 10.0) / 4.0
    # Kinds and cues as column codes, looked up in C-level passes over the lines.
    texts = list(map(_TEXT, infos))
    kind_codes = np.fromiter(map(_KIND_CODE.__getitem__, kinds), dtype=np.intp, count=count)
    cues = map(_CUE, infos)
    cue_codes = np.fromiter(map(_KIND_CODE.__getitem__, cues), dtype=np.intp, count=count)
    flags = np.zeros((count, 3))  # rule boilerplate, stamped, all capitals
    flags[:, 0] = (kind_codes > _NO_KIND) & (kind_codes != _HEADLINE_COLUMN)
    flags[:, 1] = _STAMPED_CODE[cue_codes] | (rows[:, 5] > 0)
    flags[:, 2] = rows[:, 7]
    boilerplate = flags[:, 0]
    out[:, 10] = boilerplate
    out[:, 11] = scores
    if headline is not None:
        out[headline, 12] = 1.0
    positions = np.arange(count, dtype=np.float64)
    if body is not None:
        out[body.start : body.end + 1, 13] = 1.0
        out[: body.start, 14] = 1.0
        out[body.end + 1 :, 15] = 1.0
        out[:, 16] = np.tanh((positions - body.start) / 10.0)
        out[:, 17] = np.tanh((positions - body.end) / 10.0)
        out[:, 20] = (body.end - body.start + 1) / count
    else:
        out[:, 21] = 1.0
    out[:, 18] = positions / max(1, count - 1)
    out[:, 19] = math.log1p(count) / 5.0
    base = 22
    for codes in (kind_codes, cue_codes):
        known = np.flatnonzero(codes >= 0)
        out[known, base + codes[known]] = 1.0
        base += len(KINDS)
    # Everything summed over windows of neighbouring lines, from one cumulative sum.
    lengths = rows[:, 0]
    prose = np.where((rows[:, 2] > 0) & (lengths >= 80), lengths, 0.0)
    windowed = np.stack(
        [out[:, 2], out[:, 0], boilerplate, out[:, 4], out[:, 7], prose, flags[:, 1]], axis=1
    )
    # The running sums padded with copies of their first and last rows, so the sum over
    # rows i - width .. i + width (clipped to the page) is a difference of two slices.
    pad = _WIDEST + 1
    sums = np.zeros((count + 1 + 2 * pad, windowed.shape[1]))
    np.cumsum(windowed, axis=0, out=sums[pad + 1 : pad + 1 + count])
    sums[pad + 1 + count :] = sums[pad + count]
    index = np.arange(count)
    window = {
        width: sums[pad + width + 1 :][:count] - sums[pad - width :][:count]
        for width in (1, 3, 8, _WIDEST)
    }
    for width in (1, 3, 8):
        others = np.maximum(
            np.minimum(index + width + 1, count) - np.maximum(index - width, 0) - 1, 1
        )
        out[:, base : base + 5] = (window[width][:, :5] - windowed[:, :5]) / others[:, None]
        base += 5
    # Where the page's prose is: sentence-like lines of paragraph length, by characters.
    total = prose.sum()
    for offset, width in enumerate((3, 8, 20)):
        around = window[width][:, 5]
        out[:, base + offset] = np.log1p(around) / 8.0
        out[:, base + 3 + offset] = around / around.max() if total else 0.0
    base += 6
    if total:
        before = np.cumsum(prose) - prose
        out[:, base] = before / total
        out[:, base + 1] = (total - before - prose) / total
        prose_rows = np.nonzero(prose)[0]
        nearest = np.searchsorted(prose_rows, positions)
        after = prose_rows[np.minimum(nearest, len(prose_rows) - 1)]
        previous = prose_rows[np.maximum(nearest - 1, 0)]
        gap = np.minimum(np.abs(after - positions), np.abs(positions - previous))
        out[:, base + 2] = np.tanh(gap / 5.0)
    else:
        out[:, base + 2] = 1.0
    if len(set(texts)) < count:
        seen = Counter(texts)
        out[:, base + 3] = np.fromiter(map(seen.__getitem__, texts), np.intp, count) > 1
    out[:, base + 4] = flags[:, 2]
    ordered = np.sort(lengths)
    middle = (ordered[(count - 1) // 2] + ordered[count // 2]) / 2.0
    out[:, base + 5] = np.tanh(np.log1p(lengths) - np.log1p(middle))
    base += 6
    # Stories glued under an article come stamped (a date, a byline) after a run of
    # furniture; the sections of a long guide follow each other without either.
    out[:, base] = window[3][:, 6] / 7.0
    if raw_body is not None and body is not None:
        for segment, gap in segments(infos, raw_body):
            out[segment.start : segment.end + 1, base + 1] = np.tanh(-gap / 8.0)
    if firm is not None:
        out[:, base + 2] = firm
    return out


_CONTAINER_COLUMNS = 4 * 10
"""`reader.corpus.html`'s container sizes times its measures per container (spelled out
here so text-only detection does not import the HTML parser)."""
MARKUP_FEATURES_COUNT = 47 + 47 + 3 + 4 + _CONTAINER_COLUMNS
"""Markup columns: every enclosing-element bit, the own block's bits, the main container
and link share around the line, whether it lies between the first and last lines of the
main container, then its link share, depth, in-main and whether it has markup at all,
then what its enclosing blocks hold (`reader.corpus.html.CONTAINER_SIZES`)."""
_NO_CONTAINERS = bytes(_CONTAINER_COLUMNS)


def markup_features(infos: list[LineInfo], markup: dict[int, Markup]) -> np.ndarray:
    """The markup columns for HTML input (rows as in `text_features`)."""
    from reader.corpus.html import ELEMENT_COUNT, WORD_COUNT

    count = len(infos)
    around = np.zeros(count, dtype=np.uint64)
    own = np.zeros(count, dtype=np.uint64)
    scalars = np.zeros((count, 4))
    packed: list[bytes] = [_NO_CONTAINERS] * count
    for index, info in enumerate(infos):
        found = markup.get(info.number)
        if found is None:
            continue
        around[index] = found.around
        own[index] = found.own
        scalars[index] = (found.link_share, min(found.depth, 40) / 20.0, found.in_main, 1.0)
        if len(found.containers) == _CONTAINER_COLUMNS:
            packed[index] = found.containers
    containers = np.frombuffer(b"".join(packed), dtype=np.uint8).reshape(count, -1) / 255.0
    element_shifts = np.arange(ELEMENT_COUNT, dtype=np.uint64)
    word_shifts = np.arange(32, 32 + WORD_COUNT, dtype=np.uint64)
    shifts = np.concatenate([element_shifts, word_shifts])
    around_bits = (around[:, None] >> shifts[None, :]) & np.uint64(1)
    own_bits = (own[:, None] >> shifts[None, :]) & np.uint64(1)
    nearby = np.zeros((count, 3))
    if count:
        sums = np.zeros((count + 1, 2))
        np.cumsum(scalars[:, [2, 0]], axis=0, out=sums[1:])
        index = np.arange(count)
        upper = np.minimum(index + 4, count)
        lower = np.maximum(index - 3, 0)
        nearby[:, :2] = (sums[upper] - sums[lower]) / (upper - lower)[:, None]
        main_rows = np.flatnonzero(scalars[:, 2])
        if len(main_rows):
            nearby[main_rows[0] : main_rows[-1] + 1, 2] = 1.0
    return np.concatenate(
        [around_bits.astype(np.float64), own_bits.astype(np.float64), nearby, scalars, containers],
        axis=1,
    )


@dataclass(frozen=True, slots=True)
class LineModel:
    """A two-layer perceptron over standardized features."""

    mean: np.ndarray
    scale: np.ndarray
    hidden_weights: np.ndarray
    hidden_bias: np.ndarray
    output_weights: np.ndarray
    output_bias: float
    input_weights: np.ndarray = field(init=False, repr=False, compare=False)
    """`hidden_weights` with the standardization folded in: `features @ input_weights +
    input_bias` is `(features - mean) / scale @ hidden_weights + hidden_bias`, without the
    two passes over the feature matrix."""
    input_bias: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        weights = self.hidden_weights / self.scale[:, None]
        object.__setattr__(self, "input_weights", weights)
        object.__setattr__(self, "input_bias", self.hidden_bias - self.mean @ weights)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(boilerplate) for each row of `features`."""
        hidden = features @ self.input_weights + self.input_bias
        np.maximum(hidden, 0.0, out=hidden)
        logits = hidden @ self.output_weights + self.output_bias
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))

    def save(self, path: str) -> None:
        np.savez_compressed(
            path,
            mean=self.mean,
            scale=self.scale,
            hidden_weights=self.hidden_weights,
            hidden_bias=self.hidden_bias,
            output_weights=self.output_weights,
            output_bias=np.array([self.output_bias]),
        )


@cache
def shipped_model(name: str) -> LineModel | None:
    """The model file `name` shipped in the package (`text` or `html`), if present.

    Loading it also keeps numpy's BLAS to one thread: the model multiplies matrices of a
    few hundred rows, where handing work to other threads costs ten times the work
    itself (and `copydesk clean --jobs` already keeps every core busy).
    """
    source = resources.files("reader.boilerplate").joinpath(f"line_model_{name}.npz")
    if not source.is_file():
        return None
    threadpool_limits(limits=1, user_api="blas")
    with source.open("rb") as handle, np.load(handle) as data:
        return LineModel(
            mean=data["mean"],
            scale=data["scale"],
            hidden_weights=data["hidden_weights"],
            hidden_bias=data["hidden_bias"],
            output_weights=data["output_weights"],
            output_bias=float(data["output_bias"][0]),
        )
