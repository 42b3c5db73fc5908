"""The state every screen shares (Textual-free): the `Book` of corpus, verdicts and
annotations, the `Change`s made to it, and the blocking reads workers run for it."""

from reader.state.book import Book, TaggedSpan
from reader.state.changes import READER, REVIEW, Change, ChangeQueue, apply_change

__all__ = ["READER", "REVIEW", "Book", "Change", "ChangeQueue", "TaggedSpan", "apply_change"]
