"""Control characters never enter the store, however an annotation is made or read, and
never leave in an export; CSV cells that a spreadsheet would run stay inert."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest
from helpers.annotations_support import annotate, article
from helpers.hostile import PAYLOAD, controls_in, stored_controls, text_fields

from annotations.formats import csv_safe, dump_csv, parse_annotations
from annotations.model import Annotation
from annotations.store import AnnotationStore
from annotations.text import clean_line, clean_note, strip_controls


def test_the_cleaners_keep_what_belongs() -> None:
    assert strip_controls("a\x1b[2Jb\x9bc\td\ne\x00") == "a[2Jbc\td\ne"
    assert clean_note("one\r\ntwo\rthree\x07\tend") == "one\ntwo\nthree\tend"
    assert clean_line("a\nb\tc\x1b]0;t\x07d\x85") == "a b c]0;td"
    assert controls_in([strip_controls(PAYLOAD), clean_note(PAYLOAD), clean_line(PAYLOAD)]) == []


@pytest.mark.parametrize("control", ["\x1b", "\x07", "\x00", "\x7f", "\x0b", "\r"])
def test_lines_of_ascii_text_lose_their_controls_and_keep_tabs_and_newlines(
    control: str,
) -> None:
    plain = "first line\n\tsecond[2J line\n\nlast\n"
    text = plain.replace("second", f"second{control}")
    assert strip_controls(plain) == plain
    assert strip_controls(text) == plain
    assert clean_note(text) == (plain.replace("second", "second\n") if control == "\r" else plain)


def test_every_way_of_making_an_annotation_cleans_its_text() -> None:
    made = annotate(article(), "central bank", author="ana" + PAYLOAD, tags=("t" + PAYLOAD,),
                    note=PAYLOAD + "\nline two")
    assert controls_in(text_fields(made)) == []
    assert made.note.endswith("\nline two") and "PWNED-TITLE" in made.note
    edited = dataclasses.replace(made, note="edited " + PAYLOAD)
    assert controls_in(text_fields(edited)) == []
    raw = made.to_dict() | {"note": PAYLOAD, "author": "x\x9b", "source_hint": "a\x1bb"}
    raw["target"] = raw["target"] | {"prefix": "p\x1b[2J"}
    read = Annotation.from_dict(raw)
    assert controls_in(text_fields(read)) == []
    assert (read.author, read.source_hint, read.target.prefix) == ("x", "ab", "p[2J")


def test_an_import_stores_no_control_character(db_path: Path) -> None:
    made = annotate(article(), "central bank", note="placeholder")
    bundle = made.to_dict() | {"note": PAYLOAD, "tags": ["x" + PAYLOAD]}
    text = json.dumps({"format": "copydesk-annotations", "version": 1, "annotations": [bundle]})
    AnnotationStore.open(db_path).merge(parse_annotations(text))
    assert stored_controls(db_path) == []
    (stored,) = AnnotationStore.open(db_path, read_only=True).all()
    assert "PWNED-TITLE" in stored.note


@pytest.mark.parametrize("lead", ["", " ", "\u00a0", "\u200b", "\ufeff", "\u2060", " \u200d\t"])
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_guards_formulas_after_invisible_leading_characters(lead: str, start: str) -> None:
    cell = lead + start + "HYPERLINK(\"http://x\")"
    assert csv_safe(cell).startswith("'")


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("\tx", "'\tx"), ("\r=x", "'=x"), ("\rx", "x"), ("plain", "plain"), ("a=b", "a=b"),
     ("3 - 2", "3 - 2")],
)
def test_csv_guard_quotes_a_leading_tab_drops_cr_and_leaves_ordinary_cells(
    cell: str, safe: str
) -> None:
    assert csv_safe(cell) == safe


def test_csv_cells_hold_no_control_character() -> None:
    made = annotate(article(), "central bank", note="placeholder")
    made.note = PAYLOAD  # as if it had come in before the model cleaned notes
    rows = list(csv.reader(io.StringIO(dump_csv([made]))))
    assert controls_in([cell for row in rows for cell in row]) == []


def test_output_names_leave_out_control_characters(tmp_path: Path) -> None:
    from reader.boilerplate import detect
    from reader.corpus import load_corpus
    from reader.export import clean_article, write_outputs

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "ev\x1b]0;x\x07il\x9b.txt").write_text(
        "A headline for the page\n\nSome text of the article, long enough to be the body.\n",
        encoding="utf-8",
    )
    (loaded,) = load_corpus([str(corpus)]).articles
    for fmt in ("txt", "md", "jsonl"):
        (path,) = write_outputs([clean_article(loaded, detect(loaded))], tmp_path / fmt, fmt)
        assert path.name == f"ev]0;xil.{fmt}"
        assert controls_in([path.read_text(encoding="utf-8")]) == []
