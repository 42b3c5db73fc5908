"""The import memory cap counts bytes: big or hostile files are refused before they are
read whole or built in memory (the peak memory of the `copydesk` process is measured)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.formats import MAX_IMPORT_BYTES

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="needs /proc for peak memory"
)
REPO = Path(__file__).resolve().parents[2]

MB = 1024 * 1024
PEAK_LIMIT_MB = 160
"""Far below the size of the files: reading one whole would pass it."""


HIGH_WATER = """
import atexit, sys
def report():
    status = open("/proc/self/status").read()
    peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    open(report_to, "w").write(peak)
report_to = sys.argv.pop(1)
atexit.register(report)
from reader.cli import main
sys.argv = ["copydesk", *sys.argv[1:]]
main()
"""
"""`copydesk` (its `main`) reporting its own peak resident memory (VmHWM, which, unlike
`ru_maxrss`, does not start from the parent's peak) when it exits."""


def import_peak(path: Path, db: Path) -> tuple[int, str, int]:
    """Exit status, stderr and peak resident memory (MB) of `copydesk annotations import`."""
    report = db.with_name("peak.txt")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            HIGH_WATER,
            str(report),
            "annotations",
            "import",
            str(path),
            "--db",
            str(db),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
    )
    return done.returncode, done.stderr, int(report.read_text()) // 1024


def sparse(path: Path, head: bytes, size: int) -> Path:
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


def test_a_file_over_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    big = sparse(tmp_path / "big.json", b'{"format": "copydesk-annotations"', MAX_IMPORT_BYTES + 1)
    status, error, peak = import_peak(big, tmp_path / "db.json")
    assert peak < PEAK_LIMIT_MB, f"peak {peak} MB"
    assert status == 1
    assert error == (
        f"copydesk: {big}: file too large ({MAX_IMPORT_BYTES + 1:,} bytes; "
        f"the limit is {MAX_IMPORT_BYTES:,})\n"
    )


def test_a_255_mb_file_of_non_annotations_is_refused_at_its_first_item(tmp_path: Path) -> None:
    hostile = sparse(tmp_path / "lists.json", b"[[],[],[],", 255 * MB)
    status, error, peak = import_peak(hostile, tmp_path / "db.json")
    assert peak < PEAK_LIMIT_MB, f"peak {peak} MB"
    assert status == 1
    assert error == f"copydesk: {hostile}: annotation 1: expected a JSON object, found an array\n"
    assert not (tmp_path / "db.json.d").exists()


def test_millions_of_empty_lists_inside_one_object_are_refused_while_streaming(
    tmp_path: Path,
) -> None:
    hostile = tmp_path / "nested.json"
    hostile.write_bytes(b'[{"x": [' + b"[]," * 8_000_000 + b"[]]}]")
    status, error, peak = import_peak(hostile, tmp_path / "db.json")
    assert peak < PEAK_LIMIT_MB, f"peak {peak} MB"
    assert status == 1
    assert "more than 12,000,000 JSON values" in error


def test_jsonl_lines_that_are_not_objects_are_refused(tmp_path: Path) -> None:
    hostile = tmp_path / "lines.jsonl"
    hostile.write_bytes(b'{"type": "Annotation"}\n' + b"[[],[],[]]\n" * 3_000_000)
    status, error, peak = import_peak(hostile, tmp_path / "db.json")
    assert peak < PEAK_LIMIT_MB, f"peak {peak} MB"
    assert status == 1
    assert error == (
        f"copydesk: {hostile}: JSON value 2: expected an annotation object, found an array\n"
    )
