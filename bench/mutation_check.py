"""Do the tests catch what they guard? Apply each deliberate bug to a copy of the source
tree, run the tests that guard it, and say whether they failed (they must).

    python bench/mutation_check.py            # every mutation
    python bench/mutation_check.py kappa      # those whose name contains "kappa"

Each mutation is a textual replacement in one file of a temporary copy (the working tree
is never touched), made only if its text occurs exactly once, so a refactoring that moves
the code is reported as "not applied" instead of passing silently. The same tests first
run on the unmutated copy and must pass there. Subprocesses (the installed `copydesk`
console script the pty tests run) import the copy too, through PYTHONPATH.

Exit status: 0 when every mutation was applied and caught, 1 otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("reader", "annotations", "styles", "tests", "pyproject.toml")


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    replacements: tuple[tuple[str, str], ...]
    tests: tuple[str, ...]


MUTATIONS = (
    Mutation(
        "store: skip the fsync of a new bucket",
        "annotations/store.py",
        (("        os.fsync(fd)\n    except BaseException:",
          "        pass\n    except BaseException:"),),
        ("tests/unit/test_store_writes.py",),
    ),
    Mutation(
        "store: write a bucket in place instead of temp file + rename",
        "annotations/store.py",
        (
            ('    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")',
             "    tmp = path"),
            ("os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)",
             "os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)"),
        ),
        ("tests/unit/test_store_writes.py",),
    ),
    Mutation(
        "store: no mtime bump",
        "annotations/store.py",
        (("        mtime = max(now, previous.st_mtime_ns + 1) if previous else now",
          "        mtime = now"),),
        ("tests/unit/test_store_writes.py",),
    ),
    Mutation(
        "anchoring: fuzzy quote threshold 0.6 instead of 0.8",
        "annotations/anchoring.py",
        (("QUOTE_MIN = 0.8\n", "QUOTE_MIN = 0.6\n"),),
        ("tests/unit/test_anchoring.py",),
    ),
    Mutation(
        "agreement: kappa's chance agreement over all units, not the shared ones",
        "annotations/agreement.py",
        (
            ("    counts_first = Counter(first[unit] for unit in shared)\n"
             "    counts_second = Counter(second[unit] for unit in shared)\n"
             "    expected = sum(counts_first[c] * counts_second[c] for c in counts_first)"
             " / (n * n)",
             "    counts_first = Counter(first.values())\n"
             "    counts_second = Counter(second.values())\n"
             "    expected = sum(counts_first[c] * counts_second[c] for c in counts_first)"
             " / (len(first) * len(second))"),
        ),
        ("tests/unit/test_agreement.py", "tests/unit/test_review_stats.py"),
    ),
    Mutation(
        "detector: the standfirst rule disabled",
        "reader/boilerplate/detector.py",
        (('                kind, reason = Kind.STANDFIRST, "a summary or caption between headline'
          ' and body"\n                score = 0.7',
          "                continue"),),
        ("tests/unit/test_boilerplate_headline.py", "tests/unit/test_boilerplate.py"),
    ),
    Mutation(
        "reader: accept stores \"remove\" on a content line",
        "reader/state/book.py",
        (("            remove = verdict.boilerplate if accept else not verdict.boilerplate",
          "            remove = True if accept else not verdict.boilerplate"),),
        ("tests/app/test_reader_flows.py",),
    ),
)


def copy_tree(destination: Path) -> None:
    """The parts of the repository the tests need, without caches or the venv."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)


def apply(tree: Path, mutation: Mutation) -> str | None:
    """Apply the mutation in `tree`; the reason it could not be, or None."""
    path = tree / mutation.path
    text = path.read_text(encoding="utf-8")
    for old, new in mutation.replacements:
        count = text.count(old)
        if count != 1:
            return f"{mutation.path}: the text to replace occurs {count} times"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return None


def run_tests(tree: Path, tests: tuple[str, ...]) -> tuple[int, str]:
    """Run `tests` in `tree` (its own modules first on the path): exit status, last line."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
        cwd=tree, env=env, capture_output=True, text=True,
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    failed = [line.split(" - ")[0].removeprefix("FAILED ") for line in lines
              if line.startswith("FAILED ")]
    summary = lines[-1] if lines else result.stderr.strip()[-200:]
    return result.returncode, summary + (f"; first failure: {failed[0]}" if failed else "")


def main(argv: list[str]) -> int:
    chosen = [m for m in MUTATIONS if not argv or any(a in m.name for a in argv)]
    failures = 0
    print(f"{'mutation':<72} {'result':<12} tests")
    for mutation in chosen:
        with tempfile.TemporaryDirectory(prefix="copydesk-mutant-") as scratch:
            tree = Path(scratch)
            copy_tree(tree)
            started = time.perf_counter()
            status, summary = run_tests(tree, mutation.tests)
            if status != 0:
                verdict, failures = "BASELINE FAILS", failures + 1
            elif (problem := apply(tree, mutation)) is not None:
                verdict, summary, failures = "NOT APPLIED", problem, failures + 1
            else:
                status, summary = run_tests(tree, mutation.tests)
                if status == 1:
                    verdict = "caught"
                else:
                    verdict, failures = ("MISSED" if status == 0 else f"error {status}",
                                         failures + 1)
            seconds = time.perf_counter() - started
        print(f"{mutation.name:<72} {verdict:<12} {' '.join(mutation.tests)}")
        print(f"{'':<72} {'':<12} {summary} ({seconds:.0f} s)")
    print(f"{len(chosen) - failures} of {len(chosen)} mutations caught")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
