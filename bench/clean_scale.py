"""Whole-process throughput and peak memory of `copydesk clean` as the corpus grows.

    python bench/clean_scale.py [--factors 1,10,50] [--forms dir,jsonl.gz]
                                [--configs jobs1,jobs2,dask] [--work DIR] [--skip-justext]
                                [--repeat N]

The dev and train pages (`shared/corpus/{dev,train}/*.txt`) are laid out 1x, 10x and
50x, as a directory tree (copy K in `copyK/dev/`, `copyK/train/`, hard links) and as one
`pages.jsonl.gz` (records with the manifest's URL, the host prefixed `cK.`): each copy is
its own set of sites, so every article is classified as at 1x and only the corpus grows.
Each configuration runs the installed `copydesk clean` as a fresh process (directory in,
one txt file per article out; jsonl.gz in, jsonl shards of 10,000 out) and reports wall
time, MB/s of article text (UTF-8) and the peak resident memory of the whole process
tree (the main process plus its pool or Dask workers), sampled every 20 ms, and the
one-minute load average as the run ends (the machine may be shared: read the rows of one
invocation together). On a busy machine wall time says more about the others than about
the run, so each row also gives the CPU seconds of the whole tree (each process's last
/proc sample, taken with the memory's, or the system's count of the main process and
its reaped descendants when that is larger) and MB per CPU second, which hold across
loads.

jusText runs in the same invocation over the 1x text (each line wrapped in <p>, English
stop list, one process, as `detector_speed.py` does), and each row prints its ratio to it.

So does the detector alone: a fresh process loads the 1x pages, counts each folder's
shared lines as `clean` does, analyses one page to load the line models, then times
`detect_with_shared` on every page (CPU seconds, one core). Each row also reads the
detector's own CPU seconds inside that run (`copydesk -v clean` sums them over every
worker) and gives `det MB/CPU s`, the detector's rate in that run; `x ideal`, the run's
MB/s over (jobs x that rate): the share of the speed the detector alone would reach on
that many free cores (the others' load on a shared machine lowers it too); and `det CPU
%`, the detector's share of the tree's CPU seconds, which the load touches less: the
rest is start-up, reading, the first pass, shipping work, writing and progress.

With `--repeat N` every measurement runs N times and each row prints the medians.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = next(
    (parent / "shared" / "corpus" for parent in ROOT.parents if (parent / "shared").is_dir()),
    ROOT.parent / "shared" / "corpus",
)
"""`shared/corpus` beside the checkout (or beside any folder above it: a worktree)."""
SCRIPT = Path(sys.executable).with_name("copydesk")
CONFIGS = {
    "jobs1": ["--jobs", "1"],
    "jobs2": ["--jobs", "2"],
    "dask": ["--engine", "dask", "--jobs", "2"],
}


def pages(corpus: Path) -> list[tuple[str, str, str, str]]:
    """(split, name, url, text) of every labelled page of dev and train."""
    found = []
    for split in ("dev", "train"):
        urls = {}
        manifest = corpus / split / "manifest.jsonl"
        if manifest.exists():
            for line in manifest.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                urls[record["name"]] = record.get("url", "")
        for path in sorted((corpus / split).glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            found.append((split, path.stem, urls.get(path.stem, ""), text))
    return found


def text_megabytes(texts: list[tuple[str, str, str, str]]) -> float:
    from reader.corpus.text import normalize

    return sum(len(normalize(text).encode("utf-8")) for *_, text in texts) / 1e6


def lay_out_dir(work: Path, corpus: Path, factor: int) -> Path:
    top = work / f"dir-{factor}x"
    if top.exists():
        return top
    building = work / f".dir-{factor}x"
    shutil.rmtree(building, ignore_errors=True)
    for copy in range(factor):
        for split in ("dev", "train"):
            target = building / f"copy{copy:02d}" / split
            target.mkdir(parents=True)
            for path in sorted((corpus / split).glob("*.txt")):
                os.link(path, target / path.name)
    building.rename(top)
    return top


def lay_out_jsonl(work: Path, texts: list[tuple[str, str, str, str]], factor: int) -> Path:
    path = work / f"jsonl-{factor}x" / "pages.jsonl.gz"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(".pages.jsonl.gz.tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=1) as handle:
        for copy in range(factor):
            for split, name, url, text in texts:
                moved = url.replace("://", f"://c{copy}.", 1) if url else ""
                record = {"id": f"{split}-{name}-{copy}", "url": moved, "text": text}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.rename(path)
    return path


def tree_usage(pid: int, cpu: dict[int, float]) -> int:
    """Resident bytes of `pid` and all its descendants (Linux /proc); each one's CPU
    seconds so far (user + system) are recorded in `cpu` by process id."""
    total = 0
    stack = [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    ticks = os.sysconf("SC_CLK_TCK")
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * page
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            cpu[current] = (int(fields[11]) + int(fields[12])) / ticks
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def measured(command: list[str]) -> tuple[float, int, float, float]:
    """Run `command`; (wall seconds, peak tree RSS, CPU seconds of the tree, CPU seconds
    of the detector as `copydesk -v clean` reports them, or 0 when it does not).

    The CPU time is the larger of two counts: every process's last sample (every 20 ms;
    a process's last 20 ms go unsampled) summed, and what the operating system counts for
    the main process and every descendant reaped below it (which misses descendants left
    running or reaped by another). Adding the two would count a reaped descendant, such
    as a Dask worker, twice.
    """
    peak = 0
    cpu: dict[int, float] = {}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_usage(process.pid, cpu))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode(errors='replace')}")
    found = re.search(r"detector: ([0-9.]+) CPU s", err.decode(errors="replace"))
    tree_cpu = max(sum(cpu.values()), reaped)
    return wall, peak, tree_cpu, float(found.group(1)) if found else 0.0


def justext_command(texts_file: Path) -> list[str]:
    code = (
        "import html, json, sys, justext\n"
        "stoplist = justext.get_stoplist('English')\n"
        "for line in open(sys.argv[1], encoding='utf-8'):\n"
        "    text = json.loads(line)['text']\n"
        "    body = ''.join(f'<p>{html.escape(l)}</p>' for l in text.split('\\n') if l.strip())\n"
        "    justext.justext(f'<html><body>{body}</body></html>', stoplist)\n"
    )
    return [sys.executable, "-c", code, str(texts_file)]


DETECTOR_ALONE = """
import sys, time
from pathlib import Path
from reader.boilerplate.detector import count_short_lines, detect_with_shared, shared_lines
from reader.corpus.loader import load_file
from reader.corpus.model import Article
pages = []
for split in ("dev", "train"):
    paths = sorted(Path(sys.argv[1], split).glob("*.txt"))
    found = [a for path in paths for a in load_file(path) if isinstance(a, Article)]
    shared = shared_lines(count_short_lines(found))
    pages += [(article, shared) for article in found]
detect_with_shared(*pages[0])
start = time.process_time()
for article, shared in pages:
    detect_with_shared(article, shared)
print(time.process_time() - start)
"""
"""Times the detector alone over the 1x pages; prints its CPU seconds."""


def detector_alone(corpus: Path) -> float:
    """CPU seconds of `detect_with_shared` over the 1x pages, in a fresh process."""
    found = subprocess.run(
        [sys.executable, "-c", DETECTOR_ALONE, str(corpus)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(found.stdout.split()[-1])


def rate_of_jobs(config: str) -> int:
    """How many cores a configuration's workers may keep busy."""
    return 1 if config == "jobs1" else 2


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", default="1,10,50")
    parser.add_argument("--forms", default="dir,jsonl.gz")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--work", type=Path, help="where to lay the corpora out (kept)")
    parser.add_argument("--skip-justext", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs per row (medians)")
    args = parser.parse_args()
    factors = [int(value) for value in args.factors.split(",")]
    forms = args.forms.split(",")
    configs = args.configs.split(",")

    texts = pages(args.corpus)
    base_mb = text_megabytes(texts)
    print(f"{len(texts)} pages, {base_mb:.1f} MB of text at 1x; {os.cpu_count()} cores")
    scratch = None
    if args.work is None:
        scratch = tempfile.TemporaryDirectory(prefix="clean-scale-")
        work = Path(scratch.name)
    else:
        work = args.work
        work.mkdir(parents=True, exist_ok=True)

    justext_rate = justext_cpu_rate = None
    if not args.skip_justext:
        records = work / "justext-1x.jsonl"
        with records.open("w", encoding="utf-8") as handle:
            for *_, text in texts:
                handle.write(json.dumps({"text": text}) + "\n")
        runs = [measured(justext_command(records)) for _ in range(args.repeat)]
        wall, peak, cpu, _ = (median([run[field] for run in runs]) for field in range(4))
        justext_rate = base_mb / wall
        justext_cpu_rate = base_mb / cpu
        print(
            f"jusText, 1x, one process: {wall:.1f} s, {justext_rate:.2f} MB/s, "
            f"{cpu:.1f} CPU s ({justext_cpu_rate:.2f} MB per CPU s), "
            f"peak {peak / 2**20:.0f} MiB (load average {os.getloadavg()[0]:.1f})"
        )

    detector_cpu = median([detector_alone(args.corpus) for _ in range(args.repeat)])
    detector_rate = base_mb / detector_cpu
    print(
        f"detector alone, 1x, one process: {detector_cpu:.2f} CPU s, "
        f"{detector_rate:.2f} MB per CPU s (load average {os.getloadavg()[0]:.1f})"
    )

    print()
    print(
        "| input | size | MB | config | wall s | MB/s | x jusText | det MB/CPU s | x ideal "
        "| CPU s | MB/CPU s | x jusText CPU | det CPU % | peak RSS MiB | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for factor in factors:
        for form in forms:
            if form == "dir":
                source = lay_out_dir(work, args.corpus, factor)
                shape = ["-f", "txt"]
            else:
                source = lay_out_jsonl(work, texts, factor)
                shape = ["-f", "jsonl", "--shard-size", "10000"]
            for config in configs:
                out = work / "out"
                shutil.rmtree(out, ignore_errors=True)
                command = [str(SCRIPT), "-v", "clean", str(source), "-o", str(out), *shape]
                runs = []
                for _ in range(args.repeat):
                    shutil.rmtree(out, ignore_errors=True)
                    runs.append(measured([*command, *CONFIGS[config]]))
                wall, peak, cpu, detector = (
                    median([run[field] for run in runs]) for field in range(4)
                )
                megabytes = base_mb * factor
                in_run = megabytes / detector if detector else float("nan")
                ideal = rate_of_jobs(config) * in_run
                rate, cpu_rate = megabytes / wall, megabytes / cpu
                ratio = f"{rate / justext_rate:.1f}" if justext_rate else "-"
                cpu_ratio = f"{cpu_rate / justext_cpu_rate:.1f}" if justext_cpu_rate else "-"
                print(
                    f"| {form} | {factor}x | {megabytes:.0f} | {config} | {wall:.1f} | "
                    f"{rate:.2f} | {ratio} | {in_run:.2f} | {rate / ideal:.2f} | {cpu:.1f} | "
                    f"{cpu_rate:.2f} | {cpu_ratio} | {100 * detector / cpu:.0f} | "
                    f"{peak / 2**20:.0f} | {os.getloadavg()[0]:.1f} |",
                    flush=True,
                )
                shutil.rmtree(out, ignore_errors=True)
    if scratch is not None:
        scratch.cleanup()


if __name__ == "__main__":
    main()
