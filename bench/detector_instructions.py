"""Instructions the boilerplate detector executes per pass over a folder, under valgrind.

Usage:
    python bench/detector_instructions.py [DIR] [--rules] [--top 25]

CPU seconds on a shared machine drift by a third between runs; the count of executed
instructions much less (same code, same pages, same hash seed: within about 1% here).
It is a proxy for time, blind to cache misses and to how many instructions a cycle
retires, so compare two versions of the code with it and confirm a gain with
`detector_speed.py`.

DIR holds .txt pages (default: ../shared/corpus/dev beside the repository). The script
runs itself twice under `valgrind --tool=callgrind`: both runs load the pages and make
one warm-up pass of `detect` (`--rules`: `line_model=False`); the second makes one more
pass. The difference is one pass: its instruction total, instructions per page and per
byte of text, and, with `--top N`, the N C functions (the interpreter loop, the regular
expression engine, BLAS, malloc...) that execute most of them. Needs valgrind (about a
minute per run on the 123 dev pages).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpus" / "dev"


def passes(directory: Path, count: int, line_model: bool) -> None:
    """Load the pages, make a warm-up pass of `detect`, then `count` more."""
    sys.path.insert(0, str(ROOT))
    from reader.boilerplate import detect
    from reader.corpus.model import Article
    from reader.corpus.text import normalize

    articles = []
    for path in sorted(directory.glob("*.txt")):
        text = normalize(path.read_text(encoding="utf-8", errors="replace"))
        articles.append(Article(text=text, source=path.stem, name=path.stem))
    for article in articles:
        _ = article.lines
    for _ in range(1 + count):
        for article in articles:
            detect(article, line_model=line_model)


def measured(directory: Path, count: int, rules: bool, out: Path) -> Counter[str]:
    """Instructions per C function of a run of `passes` under callgrind."""
    command = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
        sys.executable, __file__, str(directory), "--passes", str(count),
    ]  # fmt: skip
    if rules:
        command.append("--rules")
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run(command, check=True, capture_output=True, env=env)
    report = subprocess.run(
        ["callgrind_annotate", "--threshold=100", str(out)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return function_counts(report)


_ROW = re.compile(r"\s*([\d,]+) \([ \d.]+%\)\s+(\S.*)$")


def function_counts(report: str) -> Counter[str]:
    """Instructions per function name in a `callgrind_annotate` report (the rows
    "  1,234 ( 0.5%)  file.c:name [library]"; the program total left out)."""
    found: Counter[str] = Counter()
    for line in report.splitlines():
        row = _ROW.match(line)
        if row is None or "PROGRAM TOTALS" in line:
            continue
        name = row.group(2).split(" [")[0].rsplit(":", 1)[-1]
        found[name] += int(row.group(1).replace(",", ""))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEV)
    parser.add_argument("--rules", action="store_true", help="detect(..., line_model=False)")
    parser.add_argument("--top", type=int, default=0, help="list the N costliest C functions")
    parser.add_argument("--passes", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.passes is not None:  # the run under valgrind
        passes(args.directory, args.passes, not args.rules)
        return
    pages = sorted(args.directory.glob("*.txt"))
    size = sum(len(path.read_bytes()) for path in pages)
    with tempfile.TemporaryDirectory() as tmp:
        before = measured(args.directory, 0, args.rules, Path(tmp) / "zero.out")
        after = measured(args.directory, 1, args.rules, Path(tmp) / "one.out")
    one_pass = Counter({name: after[name] - before[name] for name in after})
    total = sum(one_pass.values())
    mode = "rules alone" if args.rules else "detector"
    print(
        f"{mode}, one pass over {len(pages)} pages of {args.directory} ({size / 1e6:.2f} MB): "
        f"{total / 1e6:.1f} M instructions, {total / len(pages) / 1e6:.2f} M a page, "
        f"{total / size:.0f} a byte"
    )
    for name, value in one_pass.most_common(args.top):
        print(f"{value / total:6.1%} {value / 1e6:8.1f} M  {name}")


if __name__ == "__main__":
    main()
