"""Exports and listings written as the database is read equal the ones built in memory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.annotations_support import annotate, article
from hypothesis import given
from hypothesis import strategies as st

from annotations import review
from annotations.formats import (
    EXPORT_FORMATS,
    _dumps_indented,
    export_chunks,
    export_item,
    export_text,
)
from annotations.model import Annotation, Motivation, stored_record, validate_record
from annotations.ordered import OrderedTexts
from annotations.store import AnnotationStore, CorruptDatabaseError
from reader.cli_annotations import list_line

SHAPES = [(fmt, False) for fmt in EXPORT_FORMATS] + [("w3c", True)]


def varied(count: int = 60) -> list[Annotation]:
    """Annotations of every kind on several articles, with awkward text."""
    stories = [
        article(f"Story {n}\nThe mayor said «ça va» on Tuesday 😀.\nShare this\x9b article\n",
                source=f"corpus/story-{n}.txt")
        for n in range(7)
    ]
    made: list[Annotation] = []
    for number in range(count):
        story = stories[number % len(stories)]
        kind = number % 5
        if kind == 0:
            made.append(annotate(story, "mayor", author="ana", tags=("people", "=cmd"),
                                 note="Check *this*\nnext line \x1b[31m"))
        elif kind == 1:
            made.append(annotate(story, "Share this\x9b article", author="bo",
                                 motivation=Motivation.EDITING, decision="remove"))
        elif kind == 2 and made:
            made.append(review.accept_edited(made[-2], "me", ["x"], "fine"))
        elif kind == 3 and made:
            made.append(review.reply(made[-1], "chloe", "Why? 😀"))
        else:
            made.append(Annotation.create(article_id=story.id, author="dev",
                                          motivation=Motivation.HIGHLIGHTING, target=None))
    return made


@pytest.fixture
def store(db_path: Path) -> AnnotationStore:
    opened = AnnotationStore.open(db_path)
    opened.add_many(varied())
    return opened


def streamed(store: AnnotationStore, fmt: str, collection: bool, exported: str | None,
             **filters: str) -> str:
    texts = OrderedTexts(store.iter_records(**filters), export_item(fmt, collection=collection))
    return "".join(
        export_chunks(texts, len(texts), fmt, collection=collection, exported=exported)
    )


def exported_time(text: str, fmt: str) -> str | None:
    return json.loads(text)["exported"] if fmt == "json" else None


@pytest.mark.parametrize(("fmt", "collection"), SHAPES)
def test_streamed_export_equals_the_in_memory_one(
    store: AnnotationStore, fmt: str, collection: bool
) -> None:
    expected = export_text(store.all(), fmt, collection=collection)
    assert streamed(store, fmt, collection, exported_time(expected, fmt)) == expected


@pytest.mark.parametrize(("fmt", "collection"), SHAPES)
def test_streamed_export_of_nothing_and_of_a_filter(
    store: AnnotationStore, db_path: Path, fmt: str, collection: bool
) -> None:
    empty = AnnotationStore.open(db_path.with_name("empty.json"))
    expected = export_text([], fmt, collection=collection)
    assert streamed(empty, fmt, collection, exported_time(expected, fmt)) == expected
    expected = export_text(store.query(tag="people"), fmt, collection=collection)
    assert streamed(store, fmt, collection, exported_time(expected, fmt), tag="people") == (
        expected
    )
    expected = export_text(store.query(author="bo"), fmt, collection=collection)
    assert streamed(store, fmt, collection, exported_time(expected, fmt), author="bo") == (
        expected
    )


def test_streaming_keeps_no_bucket_it_had_not_read(store: AnnotationStore, db_path: Path) -> None:
    fresh = AnnotationStore.open(db_path, read_only=True)
    assert sum(1 for _ in fresh.iter_records()) == len(store.all())
    assert fresh._buckets == {}


def script() -> Path:
    found = Path(sys.executable).parent / "copydesk"
    if not found.exists():
        found = Path(shutil.which("copydesk") or "")
    if not found.is_file():
        pytest.skip("the copydesk console script is not installed (pip install -e .)")
    return found


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_the_installed_command_writes_what_export_text_builds(
    store: AnnotationStore, db_path: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    subprocess.run([str(script()), "annotations", "export", "-f", fmt, "-o", str(out),
                    "--db", str(db_path)], check=True, capture_output=True)
    written = out.read_bytes().decode("utf-8")
    expected = export_text(store.all(), fmt)
    if fmt == "json":
        expected = expected.replace(json.loads(expected)["exported"],
                                    json.loads(written)["exported"])
    assert written == expected


def test_the_installed_list_prints_every_annotation_oldest_first(
    store: AnnotationStore, db_path: Path
) -> None:
    listed = subprocess.run([str(script()), "annotations", "list", "--db", str(db_path)],
                            check=True, capture_output=True, text=True).stdout
    assert listed == "".join(list_line(a) + "\n" for a in store.all())


def test_a_record_as_the_store_writes_it_is_used_as_read(store: AnnotationStore) -> None:
    for annotation in store.all():
        record = validate_record(annotation.to_dict())
        assert stored_record(record) is record


@pytest.mark.parametrize(
    "change",
    [
        {"created": "2024-05-01T12:00:00+02:00"},
        {"note": 7},
        {"tags": ["ok", None]},
        {"note": "lone \ud800 surrogate"},
        {"motivation": "shouting"},
        {"decision": "remove"},
        {"extra": 1},
        {"target": {"exact": "x", "prefix": "", "suffix": "", "start": 5, "end": 2}},
        {"author": "  "},
    ],
)
def test_anything_else_gets_the_full_check(store: AnnotationStore, change: dict) -> None:
    record = validate_record(store.all()[0].to_dict())
    assert stored_record({**record, **change}) is None


def test_a_hand_edited_bucket_is_still_normalized_or_named(db_path: Path) -> None:
    story = article()
    saved = AnnotationStore.open(db_path).add(annotate(story, "central bank"))
    (bucket,) = sorted((db_path.parent / (db_path.name + ".d")).glob("*.json"))
    data = json.loads(bucket.read_text())
    (doc,) = data["annotations"].values()
    doc["created"] = "2024-05-01T12:00:00+02:00"
    bucket.write_text(json.dumps(data))
    (read,) = AnnotationStore.open(db_path, read_only=True).all()
    assert read.created == "2024-05-01T10:00:00.000000Z" and read.id == saved.id
    doc["note"] = "\ud800"
    bucket.write_text(json.dumps(data))
    with pytest.raises(CorruptDatabaseError, match="surrogate"):
        AnnotationStore.open(db_path).all()


def corpus_of_varied(directory: Path, store: AnnotationStore) -> Path:
    """The stories `varied` annotates, as files read back (without the control character,
    so with other ids: their annotations are found by file name and re-anchored), story
    1 edited since, story 6 missing; plus two annotations made on story 2 as read (found
    by id), one of them filed under story 3's name as well."""
    from reader.corpus import load_corpus

    folder = directory / "corpus"
    folder.mkdir()
    for n in range(6):
        text = f"Story {n}\nThe mayor said «ça va» on Tuesday 😀.\nShare this\x9b article\n"
        if n == 1:
            text = "An update.\n" + text
        (folder / f"story-{n}.txt").write_text(text, encoding="utf-8")
    read = {a.name: a for a in load_corpus([str(folder)]).articles}
    store.add_many([
        annotate(read["story-2"], "Tuesday", author="eve", tags=("when",)),
        replace(annotate(read["story-2"], "mayor", author="bo"), source_hint="corpus/story-3.txt"),
    ])
    return folder


def listed_in_memory(store: AnnotationStore, directory: Path, **filters: str) -> list[str]:
    """`annotations list PATH` as it was built before it streamed: every annotation in
    memory, grouped by article id or source path, each group sorted."""
    from annotations.anchoring import anchor
    from reader.cli_annotations import describe
    from reader.corpus import load_corpus
    from reader.corpus.text import one_line

    everything = store.query(**filters)
    lines = []
    for story in load_corpus(["corpus"]).articles:
        mine = {a.id: a for a in everything
                if a.article_id == story.id or a.source_hint == story.source}
        own = sorted(mine.values(), key=lambda a: (a.created, a.id))
        if own:
            lines.append(f"==> {one_line(story.source)} <==")
        for a in own:
            status = "article" if a.target is None else anchor(a.target, story.text).status
            lines.append(describe(a, status))
    return lines


def installed_list(db_path: Path, directory: Path, *arguments: str) -> list[str]:
    return subprocess.run(
        [str(script()), "annotations", "list", *arguments, "--db", str(db_path)],
        check=True, capture_output=True, text=True, cwd=directory,
    ).stdout.splitlines()


def test_the_installed_list_of_paths_prints_what_the_in_memory_grouping_did(
    store: AnnotationStore, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus_of_varied(tmp_path, store)
    monkeypatch.chdir(tmp_path)
    expected = listed_in_memory(store, tmp_path)
    assert sum(line.startswith("==> ") for line in expected) == 6
    assert any(" moved " in line or " fuzzy " in line for line in expected)
    assert sum("  eve  " in line for line in expected) == 1
    assert sum("'mayor'" in line and "  bo  " in line for line in expected) == 2
    assert installed_list(db_path, tmp_path, "corpus") == expected
    assert installed_list(db_path, tmp_path, "corpus", "--author", "bo") == (
        listed_in_memory(store, tmp_path, author="bo")
    )


def test_list_pages_with_offset_and_limit_add_up_to_the_whole_listing(
    store: AnnotationStore, db_path: Path, tmp_path: Path
) -> None:
    corpus_of_varied(tmp_path, store)
    for paths in (["corpus"], []):
        whole = installed_list(db_path, tmp_path, *paths)
        annotations = [line for line in whole if not line.startswith("==> ")]
        pages = [installed_list(db_path, tmp_path, *paths, "--offset", str(start),
                                "--limit", "7") for start in range(0, len(annotations), 7)]
        assert [line for page in pages for line in page if not line.startswith("==> ")] == (
            annotations
        )
        assert all(len([x for x in page if not x.startswith("==> ")]) == 7
                   for page in pages[:-1])
        if paths:
            # Each page says whose annotations it starts with, even in mid-article.
            assert all(page[0].startswith("==> ") for page in pages)
            headers = [line for line in whole if line.startswith("==> ")]
            assert [h for h in dict.fromkeys(x for p in pages for x in p if x.startswith("==> "))
                    ] == headers
        assert installed_list(db_path, tmp_path, *paths, "--offset", str(len(annotations))
                              ) == []
        assert installed_list(db_path, tmp_path, *paths, "--limit", "0") == []


def test_grouped_texts_come_back_by_group_then_oldest_first(store: AnnotationStore) -> None:
    from annotations.ordered import GroupedTexts

    everything = store.all()
    grouped = GroupedTexts(
        store.iter_records(),
        lambda a: [(len(a.author) % 3, a.id), (7, a.id)] if a.author == "bo"
        else [(len(a.author) % 3, a.id)],
    )
    expected = sorted(
        [(len(a.author) % 3, a.created, a.id) for a in everything]
        + [(7, a.created, a.id) for a in everything if a.author == "bo"]
    )
    assert len(grouped) == len(expected)
    assert list(grouped.items()) == [(group, ident) for group, _, ident in expected]
    again = GroupedTexts(store.iter_records(), lambda a: [(0, a.id)])
    assert [text for _, text in again.items(3, 8)] == [a.id for a in everything[3:8]]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


@given(value=json_values, pad=st.sampled_from(["", " ", "   "]))
def test_an_item_is_indented_as_json_dumps_indents_it(value: object, pad: str) -> None:
    """The bundle's items are `json.dumps(indent=1)` byte for byte, at any depth, with
    strings holding newlines, spaces and controls, and with integers orjson refuses."""
    expected = pad + json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + pad)
    assert _dumps_indented(value, pad) == expected
