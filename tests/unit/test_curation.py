"""Curation of line decisions: votes per annotator, agreement states, settling."""

from __future__ import annotations

from pathlib import Path

from annotations.anchoring import make_target
from annotations.curation import (
    CURATED_AUTHOR,
    LineState,
    agreed_lines,
    curated_decisions,
    curation_table,
    settle,
)
from annotations.decisions import line_decisions
from annotations.model import Annotation, Motivation
from annotations.store import AnnotationStore
from reader.boilerplate import detect
from reader.corpus import Article

TEXT = "Menu Home World\nThe council voted on Tuesday.\n\nIt passed easily.\nShare this\n"


def story() -> Article:
    return Article(text=TEXT, source="corpus/council.txt", name="council")


def decide(article: Article, line: int, author: str, remove: bool) -> Annotation:
    row = article.lines[line]
    return Annotation.create(
        article_id=article.id,
        source_hint=article.source,
        author=author,
        motivation=Motivation.EDITING,
        target=make_target(article.text, row.start, row.end),
        decision="remove" if remove else "keep",
    )


def seed(db_path: Path) -> AnnotationStore:
    art = story()
    store = AnnotationStore.open(db_path)
    store.add_many(
        [
            decide(art, 0, "ana", True),
            decide(art, 0, "bo", True),  # agreed: remove
            decide(art, 1, "ana", False),
            decide(art, 1, "bo", True),  # disagreed
            decide(art, 3, "ana", False),  # single
            decide(art, 4, "ana", True),
            decide(art, 4, "bo", True),  # agreed: remove
        ]
    )
    return store


def test_table_states(db_path: Path) -> None:
    store = seed(db_path)
    table = {row.number: row for row in curation_table(store.all(), story())}
    assert sorted(table) == [0, 1, 3, 4]  # blank line 2 left out
    assert table[0].state is LineState.AGREED and table[0].votes == {"ana": True, "bo": True}
    assert table[1].state is LineState.DISAGREED
    assert table[3].state is LineState.SINGLE and table[3].votes == {"ana": False, "bo": None}
    assert table[4].state is LineState.AGREED
    assert agreed_lines(table.values()) == {0: True, 4: True}


def test_fill_with_suggestions_marks_filled_votes(db_path: Path) -> None:
    store = seed(db_path)
    art = story()
    table = {
        row.number: row
        for row in curation_table(store.all(), art, detect(art), fill_with_suggestions=True)
    }
    assert table[3].filled == frozenset({"bo"})
    assert table[3].votes["bo"] is not None


def test_settle_stores_curated_author_and_replaces(db_path: Path) -> None:
    store = seed(db_path)
    art = story()
    change = settle(store.all(), art, {1: True, 2: True})  # blank line 2 skipped
    assert [a.author for a in change.added] == [CURATED_AUTHOR] and not change.removed
    store.add_many(change.added)
    assert curated_decisions(store.all(), art) == {1: True}
    again = settle(store.all(), art, {1: False})
    assert [a.id for a in again.removed] == [change.added[0].id]
    for gone in again.removed:
        store.delete(gone.id)
    store.add_many(again.added)
    assert curated_decisions(store.all(), art) == {1: False}
    assert settle(store.all(), art, {1: False}).added == []  # already settled that way
    # The curated result is an author like any other for the export's line decisions.
    assert line_decisions(store.all(), art, author=CURATED_AUTHOR) == {1: False}


def test_accept_all_agreed_then_nothing_left(db_path: Path) -> None:
    store = seed(db_path)
    art = story()
    change = settle(store.all(), art, agreed_lines(curation_table(store.all(), art)))
    store.add_many(change.added)
    assert curated_decisions(store.all(), art) == {0: True, 4: True}
    assert agreed_lines(curation_table(store.all(), art)) == {}
