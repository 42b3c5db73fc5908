"""Review's first page: the deferred loading path gives what the eager one gives, and the
store's faster parser accepts and refuses exactly what json does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.review_support import USER, corpus_articles, seed, write_corpus

from annotations.review import Order, QueueFilter
from annotations.store import CorruptDatabaseError, _load_bucket_file, _read_json, bucket_of
from reader.state.review import curation_analyses, load_first_page, load_review


def verdict_lines(analyses: dict) -> dict[str, dict[int, tuple[bool, str]]]:
    return {
        ident: {line: (v.boilerplate, str(v.kind)) for line, v in analysis.verdicts.items()}
        for ident, analysis in analyses.items()
    }


@pytest.mark.parametrize("order", list(Order))
def test_the_first_page_path_equals_the_eager_load(
    tmp_path: Path, db_path: Path, order: Order
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    seed(db_path, corpus)
    eager = load_review([str(corpus)], db_path, 10**7)
    wanted = (QueueFilter(), order)
    data, queue = load_first_page([str(corpus)], db_path, 10**7, USER, wanted)
    assert data.analyses == {}
    assert [a.id for a in data.annotations] == [a.id for a in eager.annotations]
    expected = eager.index.queue(USER, known_articles=eager.index.locate.known_articles(
        eager.index.by_id.values()), order=order)
    assert [i.annotation.id for i in queue.items] == [i.annotation.id for i in expected.items]
    assert queue.items[0] == expected.items[0]
    later = curation_analyses(data.index.locate, data.annotations)
    assert eager.analyses  # the council story has line decisions
    assert verdict_lines(later) == verdict_lines(eager.analyses)


def test_curation_analyses_skips_articles_already_analysed(
    tmp_path: Path, db_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    seed(db_path, corpus)
    council = corpus_articles(corpus)["council"]
    data, _ = load_first_page([str(corpus)], db_path, 10**7, USER, (QueueFilter(), Order.NEWEST))
    assert set(curation_analyses(data.index.locate, data.annotations)) == {council.id}
    assert curation_analyses(data.index.locate, data.annotations, [council.id]) == {}


def bucket_text(record: dict, doc: str = "1") -> str:
    return json.dumps({"annotations": {doc: record}})


def outcome(path: Path, bucket: str, *, fast: bool) -> object:
    try:
        state = _load_bucket_file(path, bucket, fast=fast)
    except CorruptDatabaseError as error:
        return str(error)
    return state.records


@pytest.mark.parametrize("change", [
    {},  # as the store writes it
    {"target": {"start": 2**70, "end": 2**70 + 5}},  # integers past 64 bits
    {"note": "\ud800"},  # a lone surrogate escape (not UTF-8 once decoded)
    {"tags": [1.5]},
])
def test_buckets_read_as_json_reads_them(tmp_path: Path, db_path: Path, change: dict) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    stored = next(iter(seed(db_path, corpus).values()))
    record = stored.to_dict()
    for name, value in change.items():
        record[name] = {**record[name], **value} if isinstance(value, dict) else value
    text = bucket_text(record)  # json.dumps escapes a lone surrogate as \ud800
    path = tmp_path / "bucket.json"
    path.write_text(text, encoding="utf-8")
    bucket = bucket_of(record)
    assert outcome(path, bucket, fast=True) == outcome(path, bucket, fast=False)


@pytest.mark.parametrize(("payload", "reason"), [
    (b'{"a": NaN}', "NaN is not JSON"),
    (b'{"a": 1', "not JSON: Expecting ',' delimiter"),
    (b'{"a": "\xff"}', "not UTF-8 text"),
])
def test_refused_buckets_keep_json_s_reasons(tmp_path: Path, payload: bytes, reason: str) -> None:
    path = tmp_path / "bucket.json"
    path.write_bytes(payload)
    with pytest.raises(CorruptDatabaseError, match=reason):
        _read_json(path, fast=True)
