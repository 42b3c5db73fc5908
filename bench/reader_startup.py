"""Reader speed on a real terminal: first paint, keys while a corpus loads, quitting.

Every figure comes from launching a process in a pseudo-terminal of a fixed size, as a
user's terminal would, and feeding what it writes to a terminal emulator (`pyte`), so a
line counts as painted only when it is actually on the emulated screen:

- **first paint**: from spawning the installed `copydesk` script on the demo corpus to a
  known line of the first demo article's body appearing on screen (Python start-up and
  every import included), against a minimal Textual app (an `App` showing one `Static`
  with the same article text) measured the same way, in the same run, interleaved;
  medians, and the ratio (target: the reader at most 1.3x the minimal app); also the
  process's CPU time (user + system, from /proc) when that output arrived, which the
  load of a shared machine disturbs less than wall time;
- **keys while a corpus loads**: `copydesk` on a 2,000-article corpus; while the sidebar
  still says "Loading…", `G` and `g` are pressed in turn and each is timed from the write
  to the first column's line number changing on screen (target: every key under 50 ms);
  the same keys while the detector runs afterwards, as it ends (the verdicts for the
  whole corpus drawn at once: list, columns, titles), and on the idle reader (the
  floor that this terminal, machine and emulator set, measured in the same run);
- **quit during detection**: `q` pressed while the detector runs, timed to process exit
  (and the minimal app's `q` to exit, the floor Textual's own shutdown sets);
- every latency is printed as median, p95 and max;
- then, in process (`App.run_test`), paging through a large article (CPU per key).

Both launches run with a bytecode cache (in a temporary directory, filled by a warm-up
launch of each), as an installed wheel's compiled modules would be, and copydesk with
its cache of parsed styles (`reader.style_cache`) filled by that warm-up too; copydesk
is also timed with that cache emptied before each launch, as at its very first launch,
and with a theme saved in its config file. Config, database and caches live in a
temporary directory.

Usage: `.venv/bin/python bench/reader_startup.py [--repeats 11] [--articles 2000]`
(needs the bench extra: `pip install -e ".[bench]"`, or `pip install pyte`).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import queue
import re
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyte

COLUMNS, LINES = 160, 45
COLD = "copydesk, styles unparsed"
"""copydesk launched with its cache of parsed styles emptied (as at its first launch)."""
THEMED = "copydesk, theme saved"
"""copydesk launched with a theme in its config file (as chosen from the palette)."""
SAVED_THEME = "dracula"
NEEDLE = "Speaking to reporters at Ben Gurion Airport"
"""The start of the first demo article's second body paragraph (the list's title of the
article is drawn from its first)."""
LINE_NUMBER = re.compile(r"(?<!\S)L(\d+) ")
"""The cursor's line number in a column's status line."""

MINIMAL_APP = '''\
"""A minimal Textual app: one Static with the text of an article."""
import sys

from textual.app import App
from textual.widgets import Static

TEXT = open(sys.argv[1], encoding="utf-8").read()


class Minimal(App):
    BINDINGS = [("q", "quit")]

    def compose(self):
        yield Static(TEXT, markup=False)


Minimal().run()
'''


def isolate(directory: Path) -> dict[str, str]:
    """The environment every launch gets: config, database, caches (parsed styles, the
    alignment) and bytecode cache in `directory`, a colour terminal of the bench's size."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        COPYDESK_CONFIG=str(directory / "config.toml"),
        COPYDESK_DB=str(directory / "annotations.json"),
        COPYDESK_DATA_DIR=str(directory / "data"),
        COPYDESK_CACHE_DIR=str(directory / "cache"),
        PYTHONPYCACHEPREFIX=str(directory / "pycache"),
        TERM="xterm-256color",
        COLUMNS=str(COLUMNS),
        LINES=str(LINES),
    )
    return env


@dataclass
class Terminal:
    """A process on a pty whose output goes through a terminal emulator.

    A thread reads the pty as fast as the process writes, stamping each chunk with the
    time it arrived; the emulator parses them afterwards. So pyte, much slower than a
    real terminal, never holds the process up (a full pty buffer would block its
    writes), and a figure is when the bytes reached the terminal.
    """

    fd: int
    process: subprocess.Popen[bytes]
    started: float
    screen: pyte.Screen = field(default_factory=lambda: pyte.Screen(COLUMNS, LINES))
    stream: pyte.ByteStream = field(init=False)
    chunks: queue.Queue[tuple[float, float | None, bytes]] = field(default_factory=queue.Queue)
    reader: threading.Thread = field(init=False)
    cpu: float | None = None
    """The process's CPU time (user + system) when the last chunk fed arrived."""

    def __post_init__(self) -> None:
        self.stream = pyte.ByteStream(self.screen)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:  # the process closed the terminal on its way out
                chunk = b""
            self.chunks.put((time.perf_counter(), process_cpu(self.process.pid), chunk))
            if not chunk:
                return

    def pump(self, timeout: float) -> float | None:
        """Feed the next chunk that arrives within `timeout` to the emulator; when it
        arrived."""
        try:
            read, cpu, chunk = self.chunks.get(timeout=timeout)
        except queue.Empty:
            return None
        if not chunk:
            self.chunks.put((read, cpu, chunk))  # the end stays the end
            time.sleep(timeout)
            return None
        self.stream.feed(chunk)
        self.cpu = cpu
        return read

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, seen: Callable[[str], bool], timeout: float = 30) -> float | None:
        """The time the output that made `seen(screen text)` true arrived, or None."""
        deadline = time.perf_counter() + timeout
        if seen(self.text()):
            return time.perf_counter()
        while time.perf_counter() < deadline:
            read = self.pump(0.05)
            if read is not None and seen(self.text()):
                return read
        return None

    def press(self, keys: bytes) -> float:
        os.write(self.fd, keys)
        return time.perf_counter()

    def wait_for_exit(self, timeout: float = 30) -> float | None:
        """When the process exited, or None on timeout (the reader thread keeps the
        pty drained meanwhile)."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        return time.perf_counter()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.join(5)
        os.close(self.fd)


TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a running process (Linux `/proc`), else None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def launch(argv: list[str], env: dict[str, str]) -> Terminal:
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, stdin=terminal, stdout=terminal, stderr=terminal, env=env,
        close_fds=True, start_new_session=True,
    )
    os.close(terminal)
    return Terminal(controller, process, started)


@dataclass
class Launch:
    painted: float | None = None
    """Seconds from spawning to NEEDLE on screen."""
    cpu: float | None = None
    """The process's CPU seconds when the output with NEEDLE arrived."""
    quit_s: float | None = None
    """Seconds from `q` to the process's exit."""


def first_paint(argv: list[str], env: dict[str, str]) -> Launch:
    """One launch: first paint, the CPU it took, and quitting."""
    terminal = launch(argv, env)
    try:
        painted = terminal.wait_for(lambda text: NEEDLE in text)
        if painted is None:
            return Launch()
        result = Launch(painted - terminal.started, terminal.cpu)
        pressed = terminal.press(b"q")
        exited = terminal.wait_for_exit()
        result.quit_s = None if exited is None else exited - pressed
        return result
    finally:
        terminal.close()


def line_number(text: str) -> int | None:
    """The first column's cursor line: the first number in the lowest status row."""
    for row in reversed(text.splitlines()):
        found = LINE_NUMBER.search(row)
        if found:
            return int(found.group(1))
    return None


def key_latency(terminal: Terminal, key: bytes, timeout: float = 5) -> float | None:
    """Seconds from writing `G` (to the end) or `g` (to line 1) to the line number showing it."""
    before = line_number(terminal.text())
    if key == b"g":
        def moved(text: str) -> bool:
            return line_number(text) == 1
    else:
        def moved(text: str) -> bool:
            number = line_number(text)
            return number is not None and number != before and number > 1
    pressed = terminal.press(key)
    shown = terminal.wait_for(moved, timeout)
    return None if shown is None else shown - pressed


@dataclass
class LoadRun:
    loading: list[float] = field(default_factory=list)
    detecting: list[float] = field(default_factory=list)
    missed: int = 0
    quit_s: float | None = None
    quit_in_detection: bool = False


def load_and_quit(argv: list[str], env: dict[str, str]) -> LoadRun:
    """Keys while the corpus loads and while it is detected, then `q` during detection."""
    run = LoadRun()
    terminal = launch(argv, env)
    try:
        if terminal.wait_for(lambda text: NEEDLE in text) is None:
            raise RuntimeError(f"the first article never appeared:\n{terminal.text()}")
        key = b"G"
        terminal.wait_for(lambda text: "Loading…" in text or "detecting…" in text)
        while "Loading…" in terminal.text() and terminal.process.poll() is None:
            latency = key_latency(terminal, key)
            if latency is None:
                run.missed += 1
            elif "Loading…" in terminal.text():  # still loading when the key showed
                run.loading.append(latency)
            key = b"g" if key == b"G" else b"G"
            terminal.wait_for(lambda text: False, 0.05)  # a user's pace between keys
        if terminal.wait_for(lambda text: "detecting…" in text, 10) is None:
            return run
        for _ in range(6):
            latency = key_latency(terminal, key)
            if latency is not None and "detecting…" in terminal.text():
                run.detecting.append(latency)
            key = b"g" if key == b"G" else b"G"
        run.quit_in_detection = "detecting…" in terminal.text()
        pressed = terminal.press(b"q")
        exited = terminal.wait_for_exit()
        run.quit_s = None if exited is None else exited - pressed
        return run
    finally:
        terminal.close()


END_WINDOW = 1.0
"""Seconds either side of the end of detection in which a key counts as "as detection
ends" (`keys_through_detection_end`)."""


def keys_through_detection_end(argv: list[str], env: dict[str, str]) -> list[float]:
    """Keys pressed at a user's pace from the middle of detection until well after its
    end, as the verdicts for the whole corpus arrive and are drawn: the latencies of
    those pressed within `END_WINDOW` of the moment the sidebar stopped saying
    "detecting…" (the list, the columns and the titles all change then)."""
    terminal = launch(argv, env)
    try:
        if terminal.wait_for(lambda text: NEEDLE in text) is None:
            return []
        if terminal.wait_for(lambda text: "detecting…" in text, 30) is None:
            return []
        presses: list[tuple[float, float]] = []
        ended: float | None = None
        key = b"G"
        while terminal.process.poll() is None:
            pressed = time.perf_counter()
            latency = key_latency(terminal, key)
            if latency is not None:
                presses.append((pressed, latency))
            if ended is None and "detecting…" not in terminal.text():
                ended = time.perf_counter()
            if ended is not None and time.perf_counter() - ended > END_WINDOW:
                break
            key = b"g" if key == b"G" else b"G"
            terminal.wait_for(lambda text: False, 0.05)
        if ended is None:
            return []
        return [latency for pressed, latency in presses if abs(pressed - ended) <= END_WINDOW]
    finally:
        terminal.close()


def idle_keys(argv: list[str], env: dict[str, str], count: int = 12) -> list[float]:
    """The same keys on the reader with nothing left to do (demo corpus, detection done):
    the floor that terminal, machine and emulator set for `key_latency` in this run."""
    terminal = launch(argv, env)
    try:
        if terminal.wait_for(lambda text: NEEDLE in text) is None:
            return []
        terminal.wait_for(lambda text: "articles" in text and "detecting…" not in text)
        terminal.wait_for(lambda text: False, 0.5)
        latencies = []
        key = b"G"
        for _ in range(count):
            latency = key_latency(terminal, key)
            if latency is not None:
                latencies.append(latency)
            key = b"g" if key == b"G" else b"G"
            terminal.wait_for(lambda text: False, 0.05)
        return latencies
    finally:
        terminal.close()


def make_corpus(directory: Path, count: int) -> Path:
    """`count` distinct articles built from the demo corpus (the first is demo article 0)."""
    from reader.paths import demo_corpus_dir

    texts = [p.read_text(encoding="utf-8") for p in sorted(demo_corpus_dir().glob("*.txt"))]
    corpus = directory / "corpus"
    corpus.mkdir()
    for index in range(count):
        text = texts[index % len(texts)]
        (corpus / f"{index:05d}.txt").write_text(f"{text}\n\nStory {index}.\n", encoding="utf-8")
    return corpus


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered)) - 1))]


def ms(values: list[float]) -> str:
    if not values:
        return "none"
    values = sorted(values)
    return (
        f"median {statistics.median(values) * 1000:.0f} ms, "
        f"p95 {percentile(values, 0.95) * 1000:.0f} ms, "
        f"max {values[-1] * 1000:.0f} ms ({len(values)})"
    )


async def scroll_big(path: Path) -> tuple[list[float], int]:
    """CPU per key paging through a large article, in process."""
    from reader.app import make_app

    app = make_app(inputs=[str(path)], user="bench", cursor_blink=False)
    busy: list[float] = []
    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        while True:
            await pilot.pause(0.005)
            book = getattr(app.screen, "book", None)
            if book and book.articles and book.analyses:
                break
        await pilot.pause()
        view = app.screen.current_view()
        view.focus()
        rows = len(view._rows) if view._rows else 0
        for key in ["pagedown"] * 300 + ["j"] * 100 + ["G", "g"]:
            cpu = time.process_time()
            await pilot.press(key)
            busy.append(time.process_time() - cpu)
    return busy, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=11, help="launches of each app")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--load-runs", type=int, default=3, help="launches on the corpus")
    parser.add_argument("--megabytes", type=float, default=5.0, help="0 skips the scroll test")
    args = parser.parse_args()
    script = str(Path(sys.executable).with_name("copydesk"))
    with tempfile.TemporaryDirectory() as temp:
        directory = Path(temp)
        env = isolate(directory)
        os.environ.update({k: env[k] for k in ("COPYDESK_CONFIG", "COPYDESK_DB",
                                                "COPYDESK_DATA_DIR", "COPYDESK_CACHE_DIR")})
        from reader.paths import demo_corpus_dir

        first = sorted(demo_corpus_dir().glob("*.txt"))[0]
        minimal = directory / "minimal_app.py"
        minimal.write_text(MINIMAL_APP, encoding="utf-8")
        apps = {
            "copydesk": [script],
            "minimal Textual app": [sys.executable, str(minimal), str(first)],
            COLD: [script],
            THEMED: [script],
        }
        cold_cache = directory / "cold-cache"
        envs = {name: env for name in apps}
        envs[COLD] = {**env, "COPYDESK_CACHE_DIR": str(cold_cache)}
        themed_config = directory / "themed.toml"
        themed_config.write_text(f'theme = "{SAVED_THEME}"\n', encoding="utf-8")
        envs[THEMED] = {**env, "COPYDESK_CONFIG": str(themed_config),
                        "COPYDESK_CACHE_DIR": str(directory / "themed-cache")}
        print(
            f"First paint: process start to {NEEDLE!r} (first demo article's body) on a "
            f"{COLUMNS}x{LINES} pty read through pyte; `copydesk` (demo corpus) against a "
            f"minimal Textual app (one Static with the same article), interleaved, "
            f"{args.repeats} launches each after a warm-up that fills the bytecode cache "
            "and copydesk's cache of parsed styles, as every launch after the first finds "
            f"them; {COLD!r}: the same with that cache emptied before each launch; "
            f"{THEMED!r}: with theme = {SAVED_THEME!r} in its config file."
        )
        for name, argv in apps.items():
            first_paint(argv, envs[name])
        paints: dict[str, list[float]] = {name: [] for name in apps}
        cpus: dict[str, list[float]] = {name: [] for name in apps}
        quits: dict[str, list[float]] = {name: [] for name in apps}
        for repeat in range(args.repeats):
            order = list(apps) if repeat % 2 == 0 else list(reversed(apps))
            for name in order:
                if name == COLD:
                    shutil.rmtree(cold_cache, ignore_errors=True)
                result = first_paint(apps[name], envs[name])
                for values, value in ((paints, result.painted), (cpus, result.cpu),
                                      (quits, result.quit_s)):
                    if value is not None:
                        values[name].append(value)
        for name in apps:
            print(f"  {name:>26}: first paint {ms(paints[name])}; CPU by then "
                  f"{ms(cpus[name])}; q to exit {ms(quits[name])}")
        for label, values in (("first paint", paints), ("CPU to first paint", cpus)):
            for name in ("copydesk", COLD, THEMED):
                if values[name] and values["minimal Textual app"]:
                    ratio = statistics.median(values[name]) / statistics.median(
                        values["minimal Textual app"]
                    )
                    print(f"  {label}, ratio of medians {name} / minimal: {ratio:.2f}x"
                          + (" (target <= 1.3x)" if (label, name) == ("first paint",
                                                                      "copydesk") else ""))

        corpus = make_corpus(directory, args.articles)
        print(
            f"{args.articles} articles, {args.load_runs} launches: G/g pressed in turn, each "
            "timed from the write to the first column's line number changing on screen "
            "(target < 50 ms while loading); then q while the detector runs, timed to exit."
        )
        loading: list[float] = []
        detecting: list[float] = []
        exits: list[float] = []
        missed = 0
        not_detecting = 0
        for _ in range(args.load_runs):
            run = load_and_quit([script, str(corpus)], env)
            loading += run.loading
            detecting += run.detecting
            missed += run.missed
            if run.quit_s is not None:
                exits.append(run.quit_s)
            not_detecting += not run.quit_in_detection
        ending: list[float] = []
        for _ in range(args.load_runs):
            ending += keys_through_detection_end([script, str(corpus)], env)
        idle = idle_keys([script], env)
        print(f"  key while loading:   {ms(loading)}; keys not shown within 5 s: {missed}")
        print(f"  key while detecting: {ms(detecting)}")
        print(f"  key as detection ends (within {END_WINDOW:g} s of it): {ms(ending)}")
        print(f"  key on the idle reader (demo corpus, detection done; the floor here): "
              f"{ms(idle)}")
        print(f"  q during detection to process exit: {ms(exits)}"
              + (f" ({not_detecting} run(s) had finished detecting)" if not_detecting else ""))

        if args.megabytes > 0:
            texts = "\n\n".join(p.read_text(encoding="utf-8")
                                for p in sorted(demo_corpus_dir().glob("*.txt")))
            target = int(args.megabytes * 1024 * 1024)
            big = directory / "big.txt"
            big.write_text(("\n\n".join([texts] * (target // len(texts) + 1)))[:target],
                           encoding="utf-8")
            busy, rows = asyncio.run(scroll_big(big))
            values = sorted(t * 1000 for t in busy)
            print(
                f"{args.megabytes:g} MB article ({rows} rows), in process: CPU per scroll key "
                f"mean {statistics.mean(values):.1f} ms, "
                f"p99 {values[int(len(values) * 0.99) - 1]:.1f} ms, max {values[-1]:.1f} ms"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory of the bench process (RSS): {peak * 1024 / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
