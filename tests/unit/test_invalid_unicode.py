"""Lone surrogates never enter the store: every entry path names the field and refuses.

A lone surrogate cannot be encoded as UTF-8, so once stored it would break every export
format, `annotations list/stats` and the reader. These tests feed one through each way
into the database (an import file, the annotate command, the store's own API) and check
that it is refused and that everything downstream still works.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.annotations_support import STORY, annotate, article, bucket_files

from annotations.formats import EXPORT_FORMATS, ImportFormatError, dump_bundle, parse_annotations
from annotations.model import Annotation, AnnotationError
from annotations.store import AnnotationStore
from reader.cli import cli

LONE = "\ud800"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def valid_dict() -> dict:
    return annotate(article(), "central bank", tags=("economy",), note="a note").to_dict()


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("note", "note"),
        ("author", "author"),
        ("source_hint", "source_hint"),
        ("tags", "tags"),
        ("exact", "target.exact"),
        ("prefix", "target.prefix"),
    ],
)
def test_a_lone_surrogate_in_any_text_field_is_refused_by_name(field: str, expected: str) -> None:
    data = valid_dict()
    if field == "tags":
        data["tags"] = ["fine", "bad" + LONE]
    elif field in ("exact", "prefix"):
        data["target"][field] = "x" + LONE
    else:
        data[field] = "x" + LONE
    with pytest.raises(AnnotationError, match=rf"^{expected}: not valid Unicode"):
        Annotation.from_dict(data)


def test_proper_non_ascii_text_is_still_accepted() -> None:
    data = valid_dict()
    data["note"] = "café 東京 😀 \U0010fffd"
    data["tags"] = ["économie"]
    assert Annotation.from_dict(data).note == data["note"]


@pytest.mark.parametrize("escaped", [True, False])
def test_import_of_a_surrogate_tag_is_refused_and_names_the_field(
    story_file: Path, tmp_path: Path, db_path: Path, escaped: bool
) -> None:
    assert run("annotate", str(story_file), "--quote", "central bank").exit_code == 0
    before = {p: p.read_bytes() for p in [db_path, *bucket_files(db_path)]}
    bundle = json.loads(dump_bundle([annotate(article(), "Analysts")]))
    bundle["annotations"][0]["tags"] = ["ok", "evil" + LONE]
    hostile = tmp_path / "hostile.json"
    if escaped:  # JSON's \ud800 escape, the usual way such text arrives
        hostile.write_text(json.dumps(bundle), encoding="ascii")
    else:  # raw surrogate bytes (CESU-style), which are not UTF-8
        hostile.write_bytes(json.dumps(bundle, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    result = run("annotations", "import", str(hostile))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "nothing was imported" in result.stderr or "not UTF-8" in result.stderr
    if escaped:
        assert "tags: not valid Unicode" in result.stderr
    assert {p: p.read_bytes() for p in [db_path, *bucket_files(db_path)]} == before
    for fmt in EXPORT_FORMATS:
        assert run("annotations", "export", "-f", fmt).exit_code == 0
    assert run("annotations", "list").exit_code == 0
    assert run("annotations", "stats").exit_code == 0


def test_w3c_import_of_a_surrogate_note_is_refused() -> None:
    line = json.dumps(
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "id": "urn:uuid:" + valid_dict()["id"],
            "creator": {"name": "ana"},
            "created": "2024-05-01T12:00:00Z",
            "modified": "2024-05-01T12:00:00Z",
            "motivation": "commenting",
            "body": [{"type": "TextualBody", "value": "hi" + LONE, "purpose": "commenting"}],
            "target": {"source": "urn:sha256:" + article().id},
        }
    )
    with pytest.raises(ImportFormatError, match="not valid Unicode"):
        parse_annotations(line + "\n" + line)


@pytest.mark.parametrize(
    "option", [("--tag", "bad" + LONE), ("--note", "bad" + LONE), ("--user", "an" + LONE)]
)
def test_annotate_refuses_a_surrogate_with_one_line(
    story_file: Path, db_path: Path, option: tuple[str, str]
) -> None:
    result = run("annotate", str(story_file), "--quote", "Analysts", *option)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "not valid Unicode" in result.stderr
    assert not bucket_files(db_path)


def test_store_add_update_merge_refuse_a_surrogate(db_path: Path) -> None:
    store = AnnotationStore.open(db_path)
    kept = store.add(annotate(article(), "central bank"))
    bad = annotate(article(), "Analysts")
    bad.note = "x" + LONE  # a caller that skipped validation
    with pytest.raises(AnnotationError, match="note"):
        store.add(bad)
    with pytest.raises(AnnotationError, match="note"):
        store.add_many([bad])
    with pytest.raises(AnnotationError, match="note"):
        store.merge([bad])
    kept.tags = ["t" + LONE]
    with pytest.raises(AnnotationError, match="tags"):
        store.update(kept)
    fresh = AnnotationStore.open(db_path).all()
    assert [a.id for a in fresh] == [kept.id] and fresh[0].tags == []
    for fmt in EXPORT_FORMATS:
        from annotations.formats import export_text

        export_text(fresh, fmt).encode("utf-8")
