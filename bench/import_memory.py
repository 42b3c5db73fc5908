"""Peak memory of `copydesk annotations import` on big and hostile files.

For each file, `copydesk annotations import` (the CLI's `main`) runs in a child process
and its exit status and peak resident memory (VmHWM) are printed, next to the peer that
reads the file whole and `json.loads` it (what an import did before it checked the
file's size and shape first), measured the same way in the same run. Files: a sparse
255 MB array of empty lists, 24 MB of empty lists inside one object, and a valid bundle
of N annotations (default 15,000).

    .venv/bin/python bench/import_memory.py [--count N] [--dir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotations.anchoring import make_target
from annotations.formats import dump_bundle
from annotations.model import Annotation

REPO = Path(__file__).resolve().parents[1]
REPORTING = """
import atexit, sys
report_to = sys.argv.pop(1)
def report():
    status = open("/proc/self/status").read()
    peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    open(report_to, "w").write(peak)
atexit.register(report)
"""
"""Each child writes its own peak resident memory (VmHWM) when it exits: `ru_maxrss` of a
child starts from its parent's peak."""
COPYDESK = REPORTING + "from reader.cli import main\nsys.argv[0] = 'copydesk'\nmain()\n"
PEER = REPORTING + "import json\njson.loads(open(sys.argv[1], 'rb').read())\n"


def peak(code: str, args: list[str], report: Path) -> tuple[int, int]:
    """Exit status and peak resident memory in MB of `python -c code args`."""
    done = subprocess.run(
        [sys.executable, "-c", code, str(report), *args],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    return done.returncode, int(report.read_text()) // 1024


def files(base: Path, count: int) -> list[tuple[str, Path]]:
    lists = base / "lists-255mb.json"
    with lists.open("wb") as handle:
        handle.write(b"[[],[],[],")
        handle.truncate(255 * 1024 * 1024)
    nested = base / "nested-24mb.json"
    nested.write_bytes(b'[{"x": [' + b"[]," * 8_000_000 + b"[]]}]")
    text = "The council met on Monday to discuss the budget and the new harbour."
    valid = base / f"bundle-{count}.json"
    valid.write_text(
        dump_bundle(
            Annotation.create(
                article_id=hashlib.sha256(f"article {n // 20}".encode()).hexdigest(),
                author="colleague",
                motivation="commenting",
                target=make_target(text, 4, 11),
                note=f"note {n}",
            )
            for n in range(count)
        )
    )
    return [
        ("sparse 255 MB array of empty lists", lists),
        ("24 MB of empty lists in one object", nested),
        (f"valid bundle, {count:,} annotations", valid),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=15_000)
    parser.add_argument("--dir", type=Path)
    options = parser.parse_args()
    base = options.dir or Path(tempfile.mkdtemp(prefix="copydesk-import-memory-"))
    base.mkdir(parents=True, exist_ok=True)
    report = base / "peak.txt"
    for label, path in files(base, options.count):
        db = base / f"db-{path.stem}" / "annotations.json"
        command = ["annotations", "import", str(path), "--db", str(db)]
        status, mine = peak(COPYDESK, command, report)
        peer_status, theirs = peak(PEER, [str(path)], report)
        print(
            f"{label:<38} copydesk import: exit {status}, peak {mine:5d} MB | "
            f"peer read + json.loads: exit {peer_status}, peak {theirs:5d} MB"
        )


if __name__ == "__main__":
    main()
