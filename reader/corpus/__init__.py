"""Corpus loading (Textual-free): files, directories, jsonl and stdin into `Article`s."""

from reader.corpus.loader import LoadProblem, LoadResult, iter_corpus, load_corpus, load_file
from reader.corpus.model import Article, Line, content_id
from reader.corpus.text import DecodeError, decode_bytes, normalize, strip_controls

__all__ = [
    "Article",
    "DecodeError",
    "Line",
    "LoadProblem",
    "LoadResult",
    "content_id",
    "decode_bytes",
    "iter_corpus",
    "load_corpus",
    "load_file",
    "normalize",
    "strip_controls",
]
