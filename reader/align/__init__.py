"""Passages that outlets share: text reuse between articles, found sentence by sentence.

Textual-free. `align_pair` finds, for two articles, the content sentences of one that
the other prints too (verbatim or lightly reworded), with both sides' character
offsets and a similarity score; `similarity_matrix` measures a whole corpus.
`align_cached` gives the reader an `Alignment` (each article's shared passages),
reading what it can from the disk cache.
"""

from reader.align.cache import AlignmentCache, align_cached, content_key
from reader.align.passages import (
    Match,
    PairAlignment,
    Sentence,
    align_corpus,
    align_pair,
    content_lines,
    content_sentences,
    similarity_matrix,
)
from reader.align.shared import NEAR_DUPLICATE, Alignment, Shared

__all__ = [
    "NEAR_DUPLICATE",
    "Alignment",
    "AlignmentCache",
    "Match",
    "PairAlignment",
    "Sentence",
    "Shared",
    "align_cached",
    "align_corpus",
    "align_pair",
    "content_key",
    "content_lines",
    "content_sentences",
    "similarity_matrix",
]
