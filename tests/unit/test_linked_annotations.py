"""A shared passage as a linked pair of annotations: the model, the store, W3C export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.formats import dump_bundle, dump_w3c_collection, dump_w3c_jsonl, parse_annotations
from annotations.model import Annotation, AnnotationError, Motivation
from annotations.store import AnnotationStore
from reader.corpus.model import Article
from reader.state import Book, apply_change

LEFT = Article(
    text="Intro line.\nThe pier reopens in two years, the commission said.\n", source="a", name="a"
)
RIGHT = Article(
    text="The pier reopens in two years, officials said.\nMore.\n", source="b", name="b"
)


def pair() -> tuple[Annotation, Annotation]:
    book = Book("ada", Path("unused.json"))
    start = LEFT.text.index("The pier")
    change = book.link(LEFT, (start, len(LEFT.text) - 1), RIGHT, (0, RIGHT.text.index("\n")))
    here, there = change.added
    return here, there


def test_each_half_names_the_other() -> None:
    here, there = pair()
    assert here.motivation is there.motivation is Motivation.LINKING
    assert here.link.annotation_id == there.id and there.link.annotation_id == here.id
    assert here.link.article_id == RIGHT.id and there.link.article_id == LEFT.id
    assert here.link.target == there.target and there.link.target == here.target
    assert here.target.exact.startswith("The pier") and "officials" in there.target.exact


def test_the_pair_survives_the_store_and_the_lossless_bundle(tmp_path: Path) -> None:
    here, there = pair()
    store = AnnotationStore.open(tmp_path / "db.json")
    apply_change(store, _change(here, there))
    again = {a.id: a for a in AnnotationStore.open(tmp_path / "db.json", read_only=True).all()}
    assert again[here.id].link == here.link and again[there.id].link == there.link
    assert {a.id: a.link for a in parse_annotations(dump_bundle([here, there]))} == {
        here.id: here.link,
        there.id: there.link,
    }


def _change(*added: Annotation):
    from reader.state import Change

    return Change("linked pair", added=list(added))


def test_w3c_export_keeps_both_targets_and_imports_back() -> None:
    here, there = pair()
    record = json.loads(dump_w3c_jsonl([here]))
    assert record["motivation"] == "linking"
    own, other = record["target"]
    assert own["source"] == f"urn:sha256:{LEFT.id}"
    assert other["source"] == f"urn:sha256:{RIGHT.id}"
    assert other["copydesk:linkedAnnotation"] == f"urn:uuid:{there.id}"
    quotes = [
        next(s for s in t["selector"] if s["type"] == "TextQuoteSelector") for t in (own, other)
    ]
    assert [q["exact"] for q in quotes] == [here.target.exact, there.target.exact]
    back = parse_annotations(dump_w3c_collection([here, there]))
    assert [(a.id, a.article_id, a.target, a.link) for a in back] == [
        (a.id, a.article_id, a.target, a.link) for a in (here, there)
    ]


def test_only_a_linking_annotation_carries_a_link() -> None:
    here, _ = pair()
    data = here.to_dict()
    data["motivation"] = "tagging"
    with pytest.raises(AnnotationError, match="link"):
        Annotation.from_dict(data)
    data = here.to_dict()
    data["link"]["annotation_id"] = "not-a-uuid"
    with pytest.raises(AnnotationError, match=r"link\.annotation_id"):
        Annotation.from_dict(data)
    # Annotations without a link keep their stored shape (no "link" key at all).
    assert (
        "link"
        not in Annotation.create(
            article_id=LEFT.id, author="ada", motivation="tagging", tags=["x"]
        ).to_dict()
    )
