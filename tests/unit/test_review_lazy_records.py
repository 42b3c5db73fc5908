"""Review read from the store's records, building annotations as they are read, answers
exactly as review built from every annotation up front."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.review_support import USER, corpus_articles, on_line, on_quote, write_corpus

from annotations import review
from annotations.lazy import ArticleAnnotations, ReadOnDemand, StoredAnnotations
from annotations.model import Annotation, Link, Motivation, TextTarget, order_key
from annotations.review import NewestFirst, Order, QueueFilter, ReviewIndex, Status
from annotations.store import AnnotationStore
from reader.state.review import Locator

QUOTES = ["approved the budget", "council approved", "The mayor", "six-hour debate",
          "library hours", "parking fees", "sea wall", "Fishing crews"]
AUTHORS = ["ana", "bo", "chloe"]


def made(corpus: Path, count: int = 160) -> list[Annotation]:
    """Tags, notes, highlights and line decisions by three authors on overlapping quotes
    of both articles, the reviewer's verdicts and replies on some, a linked pair, and
    one span stored at offsets that no longer hold its quote (it is anchored)."""
    articles = corpus_articles(corpus)
    council, harbour = articles["council"], articles["harbour"]
    rng = random.Random(14)
    found: list[Annotation] = []
    for number in range(count):
        quote = rng.choice(QUOTES)
        article = harbour if quote in harbour.text else council
        author = rng.choice(AUTHORS)
        if found and rng.random() < 0.25:
            about = rng.choice(found[:number // 2 + 1])
            response = rng.choice([review.accept(about, USER), review.reject(about, USER),
                                   review.reply(about, rng.choice([USER, "ana"]), "why?")])
            stamp = f"2024-05-01T10:{number // 60:02d}:{number % 60:02d}.000000Z"
            found.append(replace(response, id=f"00000000-0000-4000-9000-{number:012d}",
                                 created=stamp, modified=stamp))
        elif rng.random() < 0.2:
            found.append(on_line(council, rng.choice([0, 2, 4, 8]), author, rng.random() < 0.5,
                                 number))
        else:
            found.append(on_quote(article, quote, author, number,
                                  tags=rng.sample(["a", "b", "c"], rng.randint(0, 2)),
                                  note="a note" if rng.random() < 0.3 else ""))
    moved = on_quote(council, "The mayor", "bo", count + 1, tags=["moved"])
    target = moved.target
    assert target is not None
    found.append(replace(moved, target=TextTarget(target.exact, target.prefix, target.suffix,
                                                  target.start + 3, target.end + 3)))
    first = on_quote(council, "six-hour debate", "chloe", count + 2, tags=["shared"])
    second = on_quote(harbour, "sea wall", "chloe", count + 3, tags=["shared"])
    assert first.target is not None and second.target is not None
    found.append(replace(first, motivation=Motivation.LINKING,
                         link=Link(second.id, harbour.id, second.target)))
    found.append(replace(second, motivation=Motivation.LINKING,
                         link=Link(first.id, council.id, first.target)))
    return found


@pytest.fixture
def stored(tmp_path: Path, db_path: Path) -> tuple[Path, AnnotationStore]:
    corpus = write_corpus(tmp_path / "corpus")
    store = AnnotationStore.open(db_path)
    store.add_many(made(corpus))
    return corpus, store


def test_an_annotation_built_on_demand_equals_the_one_built_eagerly(stored) -> None:
    _, store = stored
    records = store.records()
    eager = sorted((Annotation.from_dict(r) for r in records), key=lambda a: (a.created, a.id))
    assert eager == store.all()
    lazy = StoredAnnotations(records)
    assert lazy.built == 0
    some = eager[len(eager) // 2]
    assert lazy[some.id] == some and lazy[some.id] is lazy[some.id]
    assert lazy.built == 1
    assert [lazy[a.id] for a in eager] == eager
    assert list(lazy) == eager  # oldest first, as all() gives them
    assert any(a.link is not None for a in lazy)


def test_the_books_lists_built_per_article_equal_a_dict_filled_eagerly(stored) -> None:
    _, store = stored
    eager: dict[str, list[Annotation]] = {}
    for annotation in store.all():
        eager.setdefault(annotation.article_id, []).append(annotation)
    lazy = StoredAnnotations(store.records()).by_article()
    assert isinstance(lazy, ArticleAnnotations) and lazy.built == 0
    first = next(iter(eager))
    assert lazy.get(first) == eager[first] and lazy.built == 1
    assert list(lazy) == list(eager)
    assert {k: list(v) for k, v in lazy.items()} == eager
    assert lazy.get("nowhere") is None and "nowhere" not in lazy
    lazy.setdefault("new", []).append(eager[first][0])
    lazy[first] = eager[first][1:]
    assert list(lazy) == [*eager, "new"] and lazy[first] == eager[first][1:]


def indexes(corpus: Path, store: AnnotationStore) -> tuple[ReviewIndex, ReviewIndex]:
    """(built from every annotation, built from the records), placed in the corpus."""
    articles = list(corpus_articles(corpus).values())
    eager = ReviewIndex(store.all(), locate=Locator(articles))
    locator = Locator(articles)
    lazy = ReviewIndex.from_stored(StoredAnnotations(store.records()), locate=locator,
                                   texts=locator.texts)
    return eager, lazy


FILTERS = [QueueFilter(), QueueFilter(include_decisions=True), QueueFilter(author="bo"),
           QueueFilter(tag="a"), QueueFilter(status=Status.UNREVIEWED),
           QueueFilter(status=Status.ACCEPTED, include_decisions=True)]


@pytest.mark.parametrize("order", list(Order))
@pytest.mark.parametrize("chosen", FILTERS, ids=str)
def test_an_index_of_records_answers_as_one_of_annotations(
    stored, order: Order, chosen: QueueFilter
) -> None:
    corpus, store = stored
    eager, lazy = indexes(corpus, store)
    known = set(eager.locate.by_id)  # type: ignore[attr-defined]
    assert lazy.locate.known_in(lazy) == eager.locate.known_articles(  # type: ignore[attr-defined]
        eager.by_id.values())
    expected = eager.queue(USER, known_articles=known, queue_filter=chosen, order=order)
    found = lazy.queue(USER, known_articles=known, queue_filter=chosen, order=order)
    assert lazy.stored is not None and lazy.stored.built < len(lazy) // 2  # replies, verdicts
    assert found.items.unreviewed() == sum(
        1 for item in expected.items if item.status is Status.UNREVIEWED)
    assert found.hidden_decisions == eager.hidden_decisions(USER, chosen)
    assert found.unknown_articles == expected.unknown_articles
    assert list(found.items.annotations) == list(expected.items.annotations)
    assert list(found.items) == list(expected.items)  # status, verdict, others, replies
    assert found.items.authors() == {a.author for a in expected.items.annotations}


def test_spans_are_placed_as_the_locator_places_them(stored) -> None:
    corpus, store = stored
    eager, lazy = indexes(corpus, store)
    for annotation in store.all():
        assert lazy.others(annotation) == eager.others(annotation)
        assert lazy.thread(annotation.id) == eager.thread(annotation.id)
        assert lazy.verdict(annotation.id) == eager.verdict(annotation.id)
    moved = next(a for a in store.all() if a.tags == ["moved"])
    assert lazy._spans[moved.article_id].span(moved.id) == eager.locate(moved) != (
        moved.target.start, moved.target.end)  # type: ignore[union-attr]


def test_changes_to_an_index_of_records_answer_as_an_index_built_after_them(stored) -> None:
    corpus, store = stored
    eager, lazy = indexes(corpus, store)
    queued = eager.queue(USER).items.annotations
    verdict = review.accept(queued[3], USER)
    edited = replace(queued[7], tags=["edited"], modified="2030-01-01T00:00:00.000000Z")
    lazy.add(verdict)
    lazy.remove(queued[5].id)
    lazy.add(edited)
    now = [a for a in store.all() if a.id not in (queued[5].id, edited.id)]
    after = ReviewIndex([*now, verdict, edited], locate=Locator(corpus_articles(corpus).values()))
    expected = after.queue(USER)
    found = lazy.queue(USER)
    accepted = next(i for i in found.items if i.annotation.id == queued[3].id)
    assert accepted.status is Status.ACCEPTED
    assert list(found.items) == list(expected.items)
    assert found.items[0].annotation.tags == ["edited"]
    assert lazy.annotation(queued[5].id) == queued[5]  # a queue still shown may read it


def test_newest_first_orders_the_first_page_before_the_rest(stored) -> None:
    _, store = stored
    records = list(store.records())
    ordered = [r["id"] for r in sorted(
        records, key=lambda r: order_key(Annotation._trusted(r)), reverse=True)]
    ids = NewestFirst(records, head=10)
    assert [ids[n] for n in range(10)] == ordered[:10] and not ids.sorted
    assert ids.index(ordered[4]) == 4 and not ids.sorted
    assert ids[40] == ordered[40] and ids.sorted
    assert list(ids) == ordered and ids.index(ordered[-1]) == len(ordered) - 1
    assert sorted(ids.unordered()) == sorted(ordered)


def test_an_update_leaves_the_record_a_reader_holds_as_it_was(stored, db_path: Path) -> None:
    store = AnnotationStore.open(db_path)  # records as read from the files
    held = {r["id"]: r for r in store.records()}
    before = {ident: dict(record) for ident, record in held.items()}
    annotation = store.all()[0]
    store.update(replace(annotation, tags=["changed"]))
    assert held == before
    now = {r["id"]: r for r in store.records()}
    assert now[annotation.id]["tags"] == ["changed"]



def test_an_items_overlaps_are_built_as_they_are_read(stored) -> None:
    corpus, store = stored
    eager, lazy = indexes(corpus, store)
    annotation = max(eager.queue(USER).items.annotations, key=lambda a: len(eager.others(a)))
    assert lazy.stored is not None
    before = lazy.stored.built
    item = lazy.item(lazy.annotation(annotation.id))
    others = eager.item(annotation).others
    assert len(item.others) == len(others) > 3 and lazy.stored.built <= before + 1
    assert item.others[2] == others[2] and lazy.stored.built <= before + 2
    assert item.others == others and item.disagreement is eager.item(annotation).disagreement


def test_the_book_answers_from_records_as_from_annotations(stored, db_path: Path) -> None:
    """Opened on stored annotations, the book finds an article's annotations (by id or by
    source path) and the tags in use as when opened on every annotation, building only
    what it gives back."""
    from reader.corpus import load_corpus
    from reader.state import Book

    corpus, store = stored
    eager, lazy = Book(USER, db_path), Book(USER, db_path)
    eager.open(store, store.all(), read_only=False)
    built = StoredAnnotations(store.records())
    lazy.open(store, built, read_only=False)
    assert lazy.tags_in_use() == eager.tags_in_use() and built.built == 0
    (corpus / "council.txt").write_text(
        (corpus / "council.txt").read_text(encoding="utf-8") + "Updated later.\n",
        encoding="utf-8")
    changed = next(a for a in load_corpus([str(corpus)]).articles if a.name == "council")
    harbour = corpus_articles(corpus)["harbour"]
    assert lazy.on_article(harbour) == eager.on_article(harbour) != []
    assert 0 < built.built < len(built) // 2  # the harbour's alone
    assert lazy.on_article(changed) == eager.on_article(changed) != []  # by source path
    assert lazy.annotations.built == 0  # type: ignore[attr-defined]
    lazy.annotations.setdefault(harbour.id, []).append(store.all()[0])
    eager.annotations.setdefault(harbour.id, []).append(store.all()[0])
    assert lazy.on_article(harbour) == eager.on_article(harbour)
    assert lazy.tags_in_use() == eager.tags_in_use()


def test_the_book_adopts_a_change_without_building_the_articles_lists(
    stored, db_path: Path
) -> None:
    from reader.state import Book, Change

    _, store = stored
    everything = store.all()
    eager, lazy = Book(USER, db_path), Book(USER, db_path)
    eager.open(store, everything, read_only=False)
    lazy.open(store, StoredAnnotations(store.records()), read_only=False)
    council, harbour = (next(a for a in everything if a.article_id == ident)
                        for ident in dict.fromkeys(a.article_id for a in everything))
    lazy.annotations[harbour.article_id]  # one list built, the other not
    edited = replace(council, tags=["edited"], modified="2030-01-01T00:00:00.000000Z")
    change = Change("test", added=[review.accept(council, USER), review.reply(harbour, USER, "ok")],
                    removed=[everything[5]], before=[council], after=[edited])
    for book in (eager, lazy):
        book.adopt(change)
    assert lazy.annotations.built == 1  # type: ignore[attr-defined]
    assert {k: list(v) for k, v in lazy.annotations.items()} == eager.annotations
    assert lazy.all_annotations() == eager.all_annotations()


class Squares(ReadOnDemand[int]):
    """The squares of 0..size-1, each noted as it is read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read: list[int] = []

    def __len__(self) -> int:
        return self.size

    def _read(self, position: int) -> int:
        self.read.append(position)
        return position * position


def test_read_on_demand_reads_only_what_is_asked_from_either_end_and_slices() -> None:
    squares = Squares(5)
    assert squares[1] == 1 and squares[-1] == 16 and squares[-5] == 0
    assert squares.read == [1, 4, 0]
    assert squares[1:4] == [1, 4, 9] and squares[::-2] == [16, 4, 0]
    assert list(squares) == [0, 1, 4, 9, 16]
    for past in (5, -6):
        with pytest.raises(IndexError):
            squares[past]
