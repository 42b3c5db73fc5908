"""Passages that outlets share: text reuse between articles, found sentence by sentence.

Textual-free. `align_pair` finds, for two articles, the content sentences of one that
the other prints too (verbatim or lightly reworded), with both sides' character
offsets and a similarity score; `similarity_matrix` measures a whole corpus.
"""

from reader.align.passages import (
    Match,
    PairAlignment,
    Sentence,
    align_corpus,
    align_pair,
    content_sentences,
    similarity_matrix,
)

__all__ = [
    "Match",
    "PairAlignment",
    "Sentence",
    "align_corpus",
    "align_pair",
    "content_sentences",
    "similarity_matrix",
]
