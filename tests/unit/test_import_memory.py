"""The import memory cap counts bytes: big or hostile files are refused before they are
read whole or built in memory (peak memory of the real `copydesk` process is measured)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from helpers.terminal import copydesk_script

from annotations.formats import MAX_IMPORT_BYTES

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4")

MB = 1024 * 1024
PEAK_LIMIT_MB = 160
"""Far below the size of the files: reading one whole would pass it."""


def import_peak(path: Path, db: Path) -> tuple[int, str, int]:
    """Exit status, stderr and peak resident memory (MB) of `copydesk annotations import`."""
    child = subprocess.Popen(
        [copydesk_script(), "annotations", "import", str(path), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read().decode() if child.stderr else ""
    peak = usage.ru_maxrss // 1024 if os.uname().sysname != "Darwin" else usage.ru_maxrss // MB
    return child.returncode, error, peak


def sparse(path: Path, head: bytes, size: int) -> Path:
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


def test_a_file_over_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    big = sparse(tmp_path / "big.json", b'{"format": "copydesk-annotations"', MAX_IMPORT_BYTES + 1)
    status, error, peak = import_peak(big, tmp_path / "db.json")
    assert status == 1
    assert error == (
        f"copydesk: {big}: file too large ({MAX_IMPORT_BYTES + 1:,} bytes; "
        f"the limit is {MAX_IMPORT_BYTES:,})\n"
    )
    assert peak < PEAK_LIMIT_MB


def test_a_255_mb_file_of_non_annotations_is_refused_at_its_first_item(tmp_path: Path) -> None:
    hostile = sparse(tmp_path / "lists.json", b"[[],[],[],", 255 * MB)
    status, error, peak = import_peak(hostile, tmp_path / "db.json")
    assert status == 1
    assert error == f"copydesk: {hostile}: annotation 1: expected a JSON object, found an array\n"
    assert peak < PEAK_LIMIT_MB
    assert not (tmp_path / "db.json.d").exists()


def test_millions_of_empty_lists_inside_one_object_are_refused_while_streaming(
    tmp_path: Path,
) -> None:
    hostile = tmp_path / "nested.json"
    hostile.write_bytes(b'[{"x": [' + b"[]," * 8_000_000 + b"[]]}]")
    status, error, peak = import_peak(hostile, tmp_path / "db.json")
    assert status == 1
    assert "more than 12,000,000 JSON values" in error
    assert peak < PEAK_LIMIT_MB


def test_jsonl_lines_that_are_not_objects_are_refused(tmp_path: Path) -> None:
    hostile = tmp_path / "lines.jsonl"
    hostile.write_bytes(b'{"type": "Annotation"}\n' + b"[[],[],[]]\n" * 3_000_000)
    status, error, peak = import_peak(hostile, tmp_path / "db.json")
    assert status == 1
    assert error == (
        f"copydesk: {hostile}: JSON value 2: expected an annotation object, found an array\n"
    )
    assert peak < PEAK_LIMIT_MB
