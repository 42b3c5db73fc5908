"""The boilerplate detector (Textual-free): a kind, reason and score for every line."""

from reader.boilerplate.detector import detect, detect_corpus, iter_detect_corpus
from reader.boilerplate.model import Analysis, InlineSpan, Kind, LineVerdict

__all__ = [
    "Analysis",
    "InlineSpan",
    "Kind",
    "LineVerdict",
    "detect",
    "detect_corpus",
    "iter_detect_corpus",
]
