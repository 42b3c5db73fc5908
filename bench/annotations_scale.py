"""Whole-database annotation commands at 10k, 50k and 100k annotations.

For each size and two layouts (spread over 20 articles; crowded onto 5), builds a
database of seven annotators' line decisions, tags, notes and highlights on random,
overlapping spans (plus the reviewer's verdicts and replies, see `annotation_data`) and
prints, for each of:

- review open: `make_app(start="review")` under `App.run_test` in a child process, from
  entering the app until the compositor has drawn the queue's first page (its last row
  on screen rendered with items);
- `copydesk review stats CORPUS`, `copydesk annotations list` (and `list CORPUS`:
  re-anchored to the articles, by article),
  `copydesk annotations export -f json` and `-f w3c` (to a file): the installed console
  script run as a child process;

the wall-clock time, the child's CPU time (user + system, the whole process: on a
shared machine, the figure the load does not change; for review open also the app's
CPU from entering it to the first page, printed below the table) and its peak RSS (from `os.wait4`;
databases are built in another child, so this process stays small and its size does not
leak into the figures), then the growth of the time from the
smallest to the largest size (10.0x is linear). A command still running after
`--timeout` seconds is killed and shown as `>T`.

    .venv/bin/python bench/annotations_scale.py [--sizes 10000,50000,100000] [--timeout 120]
        [--layouts spread,crowded] [--commands "review open,export w3c"]

`--commands` measures only the commands named (the others show as "-").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotation_data import REVIEWER

AUTHORS = ["ana", "bo", "chloe", "dev", "eve", "fay", "gus"]
LAYOUTS = {"spread": 20, "crowded": 5}
"""Layout name -> articles the annotations are spread over."""
COMMANDS = ["review open", "review stats", "list", "list paths", "export json", "export w3c"]
TIMED_OUT = -1.0


def copydesk() -> str:
    """The console script installed beside this interpreter."""
    return str(Path(sys.executable).with_name("copydesk"))


def run_child(
    argv: list[str], timeout: float, env: dict[str, str]
) -> tuple[float, float, float, str]:
    """Run `argv`; (wall seconds or TIMED_OUT, CPU seconds, peak RSS MiB, stdout's last
    line)."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, env=env,
                                 start_new_session=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(child.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(child.pid, 0)
                child.returncode = -9
                return TIMED_OUT, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, ""
            time.sleep(0.01)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"{argv} failed with status {child.returncode}")
        # Only the tail: reading a big listing here would grow this process, and a child
        # forked from it starts with its peak RSS.
        out.seek(max(0, out.seek(0, os.SEEK_END) - 4096))
        lines = out.read().decode("utf-8", "replace").splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, lines[-1] if lines else ""


async def first_page(db_path: Path, corpus: Path) -> float:
    """Seconds from entering the review app until the compositor has drawn the queue's
    first page: the queue's last row on screen (or its last item) rendered with items in
    it. The queue's `render_line` is wrapped to note that moment (no polling loop that
    would take turns with the loader)."""
    from reader.app import make_app
    from reader.widgets.review_queue import QueueList

    drawn = asyncio.Event()
    render_line = QueueList.render_line

    def noting_render_line(self: QueueList, y: int):  # type: ignore[no-untyped-def]
        strip = render_line(self, y)
        rows = min(len(self.items), self.scrollable_content_region.height)
        if rows and y == rows - 1 and self.id == "review-queue":
            drawn.set()
        return strip

    QueueList.render_line = noting_render_line  # type: ignore[method-assign]
    app = make_app([str(corpus)], db_path, REVIEWER, cursor_blink=False, start="review")
    started, cpu = time.perf_counter(), time.process_time()
    async with app.run_test(size=(160, 45)):
        await drawn.wait()
        elapsed = time.perf_counter() - started
        # Both threads' CPU over the same stretch: what a quiet machine would take, the
        # loader and the UI taking turns for the interpreter.
        print(f"{elapsed:.3f} {time.process_time() - cpu:.3f}", flush=True)
        os._exit(0)  # the figure is out: do not wait for workers still filling in
    return elapsed


def build(directory: Path, layout: str, size: int) -> tuple[Path, Path]:
    """The corpus folder and database for one layout and size, built in this process."""
    from annotation_data import build_annotations, write_corpus

    from annotations.store import AnnotationStore
    from reader.corpus import load_corpus

    corpus = directory / f"corpus-{layout}"
    if not corpus.exists():
        write_corpus(corpus, random.Random(LAYOUTS[layout]), LAYOUTS[layout])
    articles = load_corpus([str(corpus)]).articles
    db_path = directory / f"{layout}-{size}" / "annotations.json"
    made = build_annotations(articles, size, seed=size, others=AUTHORS, elsewhere=[])
    AnnotationStore.open(db_path).add_many(made)
    return corpus, db_path


def build_in_child(directory: Path, layout: str, size: int) -> tuple[Path, Path]:
    """`build` in a child process (the generated annotations never enter this one)."""
    subprocess.run([sys.executable, __file__, "--build", str(directory), layout, str(size)],
                   check=True)
    return directory / f"corpus-{layout}", directory / f"{layout}-{size}" / "annotations.json"


def measure(
    directory: Path, corpus: Path, db_path: Path, timeout: float, commands: list[str]
) -> dict[str, tuple[float, float, float]]:
    """Command name -> (seconds, CPU seconds of the whole child, peak MiB)."""
    env = {**os.environ, "COPYDESK_CONFIG": str(directory / "no-config.toml"),
           "COPYDESK_CACHE_DIR": str(directory / "cache")}
    db = ["--db", str(db_path), "--user", REVIEWER]
    out = directory / "export.out"
    argvs = {
        "review open": [sys.executable, __file__, "--first-page", str(db_path), str(corpus)],
        "review stats": [copydesk(), "review", "stats", str(corpus), *db],
        "list": [copydesk(), "annotations", "list", *db],
        "list paths": [copydesk(), "annotations", "list", str(corpus), *db],
        "export json": [copydesk(), "annotations", "export", "-f", "json", "-o", str(out), *db],
        "export w3c": [copydesk(), "annotations", "export", "-f", "w3c", "-o", str(out), *db],
    }
    figures = {}
    for name, argv in argvs.items():
        if name not in commands:
            continue
        wall, cpu, peak, last = run_child(argv, timeout, env)
        if name == "review open" and wall != TIMED_OUT:
            wall = float(last.split()[0])  # measured inside, from entering the app
            OPEN_CPU[db_path] = float(last.split()[1])
        figures[name] = (wall, cpu, peak)
    return figures


OPEN_CPU: dict[Path, float] = {}
"""Database -> CPU seconds of the review app from entering it to the first page drawn."""


def shown(seconds: float, timeout: float) -> str:
    return f">{timeout:.0f}" if seconds == TIMED_OUT else f"{seconds:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds before a command is killed")
    parser.add_argument("--commands", default=",".join(COMMANDS),
                        help="the commands to measure, comma-separated (default: all)")
    parser.add_argument("--dir", type=Path, help="where to build the databases (default: temp)")
    parser.add_argument("--first-page", nargs=2, type=Path, metavar=("DB", "CORPUS"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=3, metavar=("DIR", "LAYOUT", "SIZE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_page:
        asyncio.run(first_page(*args.first_page))
        return
    if args.build:
        build(Path(args.build[0]), args.build[1], int(args.build[2]))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    layouts = args.layouts.split(",")
    commands = args.commands.split(",")
    unknown = set(commands) - set(COMMANDS)
    if unknown:
        parser.error(f"unknown commands {sorted(unknown)}: choose from {COMMANDS}")
    header = f"{'layout':8} {'annotations':>11}" + "".join(
        f" {name + ' s':>15} {'cpu':>6} {'MiB':>5}" for name in COMMANDS
    )
    with tempfile.TemporaryDirectory(prefix="copydesk-scale-", dir=args.dir) as tmp:
        directory = Path(tmp)
        results: dict[tuple[str, int], dict[str, tuple[float, float, float]]] = {}
        print(header, flush=True)
        for layout in layouts:
            for size in sizes:
                corpus, db_path = build_in_child(directory, layout, size)
                figures = results[layout, size] = measure(directory, corpus, db_path,
                                                          args.timeout, commands)
                print(f"{layout:8} {size:>11,}" + "".join(
                    f" {shown(figures[n][0], args.timeout):>15} {figures[n][1]:>6.2f}"
                    f" {figures[n][2]:>5.0f}" if n in figures else f" {'-':>15} {'-':>6} {'-':>5}"
                    for n in COMMANDS
                ), flush=True)
        if OPEN_CPU:
            print("\nreview open, CPU seconds of the app (both threads) from entering it to "
                  "the first page drawn:")
            for layout in layouts:
                databases = [directory / f"{layout}-{size}" / "annotations.json" for size in sizes]
                cells = [f"{size:,}: {OPEN_CPU[db]:.2f}"
                         for size, db in zip(sizes, databases, strict=True) if db in OPEN_CPU]
                print(f"{layout:8} " + "  ".join(cells))
        low, high = sizes[0], sizes[-1]
        print(f"\ngrowth of the time from {low:,} to {high:,} annotations "
              f"({high / low:.1f}x would be linear)")
        for layout in layouts:
            cells = []
            for name in COMMANDS:
                if name not in commands:
                    cells.append("-")
                    continue
                first, last = results[layout, low][name][0], results[layout, high][name][0]
                cells.append("n/a" if TIMED_OUT in (first, last) else f"{last / first:.1f}x")
            pairs = zip(COMMANDS, cells, strict=True)
            print(f"{layout:8} " + "  ".join(f"{n}: {c}" for n, c in pairs))


if __name__ == "__main__":
    main()
