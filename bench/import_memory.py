"""Peak memory of `copydesk annotations import` on big and hostile files.

For each file, the real `copydesk annotations import` runs in a child process and its
exit status and peak resident memory (`os.wait4`) are printed, next to the peer that
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

PEER = "import json, sys; json.loads(open(sys.argv[1], 'rb').read())"


def peak(command: list[str]) -> tuple[int, int]:
    """Exit status and peak resident memory in MB of `command`."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss // 1024


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
    script = str(Path(sys.executable).with_name("copydesk"))
    for label, path in files(base, options.count):
        db = base / f"db-{path.stem}" / "annotations.json"
        status, mine = peak([script, "annotations", "import", str(path), "--db", str(db)])
        peer_status, theirs = peak([sys.executable, "-c", PEER, str(path)])
        print(
            f"{label:<38} copydesk import: exit {status}, peak {mine:5d} MB | "
            f"peer read + json.loads: exit {peer_status}, peak {theirs:5d} MB"
        )


if __name__ == "__main__":
    main()
