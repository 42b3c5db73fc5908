"""Reader speed: first paint, a 2,000-article corpus, scrolling a 5 MB article.

Runs the real app headless (`App.run_test`) with its database and config in a temporary
directory, and prints:

- time to first paint on the demo corpus (an article drawn in the first column), in
  process, and from launching the installed `copydesk` script in a pseudo-terminal until
  the demo article's text reaches the terminal (Python start-up and imports included);
- time until a 2,000-article corpus is listed and navigable, and until detection is done;
- per-key time to page through a 5 MB article (mean, p99, max), and peak memory (RSS).

Targets: first paint < 0.5 s, 2,000 articles navigable < 2 s, no key > 50 ms.
Usage: `.venv/bin/python bench/reader_startup.py [--articles 2000] [--megabytes 5]`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path


def isolate(directory: Path) -> None:
    os.environ["COPYDESK_CONFIG"] = str(directory / "config.toml")
    os.environ["COPYDESK_DB"] = str(directory / "annotations.json")
    os.environ["COPYDESK_DATA_DIR"] = str(directory / "data")


def demo_texts() -> list[str]:
    from reader.paths import demo_corpus_dir

    return [p.read_text(encoding="utf-8") for p in sorted(demo_corpus_dir().glob("*.txt"))]


def make_corpus(directory: Path, count: int) -> Path:
    """`count` distinct articles built from the demo corpus."""
    corpus = directory / "corpus"
    corpus.mkdir()
    texts = demo_texts()
    for index in range(count):
        text = texts[index % len(texts)]
        (corpus / f"{index:05d}.txt").write_text(f"Story {index}\n\n{text}", encoding="utf-8")
    return corpus


def make_big_article(directory: Path, megabytes: float) -> Path:
    texts = "\n\n".join(demo_texts())
    target = int(megabytes * 1024 * 1024)
    repeats = target // len(texts.encode("utf-8")) + 1
    path = directory / "big.txt"
    path.write_text("\n\n".join([texts] * repeats)[:target], encoding="utf-8")
    return path


async def first_paint() -> tuple[float, float]:
    from reader.app import make_app

    started = time.perf_counter()
    app = make_app(inputs=[], user="bench", cursor_blink=False)
    painted = detected = 0.0
    async with app.run_test(size=(160, 45)) as pilot:
        screen = None
        while not painted or not detected:
            await pilot.pause(0.002)
            screen = app.screen
            columns = list(screen.query("ArticleColumn"))
            if not painted and columns and columns[0].view.article is not None:
                painted = time.perf_counter() - started
            session = getattr(screen, "book", None)
            if (
                not detected
                and session
                and session.articles
                and len(session.analyses) == len(session.articles)
            ):
                detected = time.perf_counter() - started
    return painted, detected


def console_script_paint(runs: int = 5, env: dict[str, str] | None = None) -> list[float]:
    """Seconds from spawning `copydesk` in a pty until the demo text is on the terminal."""
    import fcntl
    import pty
    import select
    import struct
    import subprocess
    import termios

    script = Path(sys.executable).with_name("copydesk")
    results = []
    for _ in range(runs):
        controller, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(script)],
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            env={**(os.environ if env is None else env), "TERM": "xterm-256color"},
            start_new_session=True,
        )
        os.close(terminal)
        seen = b""
        painted = None
        while process.poll() is None and time.perf_counter() - started < 30:
            if select.select([controller], [], [], 0.05)[0]:
                try:
                    seen += os.read(controller, 65536)
                except OSError:  # the app closed the terminal on its way out
                    break
                if painted is None and b"Netanyahu" in seen:
                    painted = time.perf_counter() - started
                    os.write(controller, b"q")
        process.kill()
        process.wait()
        os.close(controller)
        if painted is not None:
            results.append(painted)
    return results


async def big_corpus(corpus: Path, count: int) -> tuple[float, float, float]:
    from reader.app import make_app

    started = time.perf_counter()
    app = make_app(inputs=[str(corpus)], user="bench", cursor_blink=False)
    listed = detected = 0.0
    async with app.run_test(size=(160, 45)) as pilot:
        while not listed or not detected:
            await pilot.pause(0.005)
            screen = app.screen
            session = getattr(screen, "book", None)
            if session is None:
                continue
            if not listed and screen.article_list.option_count >= count:
                listed = time.perf_counter() - started
            if not detected and len(session.analyses) >= count:
                detected = time.perf_counter() - started
        # Navigable: moving through the list and opening an article responds at once.
        screen.article_list.focus()
        moved = time.perf_counter()
        for _ in range(20):
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        per_key = (time.perf_counter() - moved) / 21
    return listed, detected, per_key


async def scroll_big(path: Path) -> tuple[float, list[float], list[float], int]:
    from reader.app import make_app

    started = time.perf_counter()
    app = make_app(inputs=[str(path)], user="bench", cursor_blink=False)
    times: list[float] = []
    busy: list[float] = []
    async with app.run_test(size=(160, 45)) as pilot:
        while True:
            await pilot.pause(0.005)
            screen = app.screen
            session = getattr(screen, "book", None)
            if session and session.articles and session.analyses:
                break
        await pilot.pause()
        opened = time.perf_counter() - started
        view = screen.current_view()
        view.focus()
        rows = len(view._rows) if view._rows else 0
        keys = ["pagedown"] * 300 + ["j"] * 100 + ["G", "g"]
        for key in keys:
            before, cpu = time.perf_counter(), time.process_time()
            await pilot.press(key)
            times.append(time.perf_counter() - before)
            busy.append(time.process_time() - cpu)
    return opened, times, busy, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        directory = Path(temp)
        isolate(directory)
        painted, detected = asyncio.run(first_paint())
        print(
            f"demo corpus: first paint {painted * 1000:.0f} ms, "
            f"detection done {detected * 1000:.0f} ms"
        )
        spawned = console_script_paint()
        if spawned:
            print(
                f"demo corpus from launching `copydesk` in a pty: first paint "
                f"median {statistics.median(spawned) * 1000:.0f} ms, "
                f"best {min(spawned) * 1000:.0f} ms ({len(spawned)} runs)"
            )
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            # Then every launch above compiled the project's modules from source (an
            # installed wheel ships them compiled): also time it with a bytecode cache, kept
            # in the temporary directory so the source tree is left alone.
            cached_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            cached_env["PYTHONPYCACHEPREFIX"] = str(directory / "pycache")
            cached = console_script_paint(6, cached_env)[1:]  # the first run fills the cache
            if cached:
                print(
                    f"  the same with a bytecode cache (PYTHONDONTWRITEBYTECODE is set here): "
                    f"median {statistics.median(cached) * 1000:.0f} ms, "
                    f"best {min(cached) * 1000:.0f} ms ({len(cached)} runs)"
                )

        corpus = make_corpus(directory, args.articles)
        listed, analysed, per_key = asyncio.run(big_corpus(corpus, args.articles))
        print(
            f"{args.articles} articles: listed and navigable {listed:.2f} s, "
            f"detection done {analysed:.2f} s, list key + open {per_key * 1000:.1f} ms"
        )

        big = make_big_article(directory, args.megabytes)
        opened, times, busy, rows = asyncio.run(scroll_big(big))
        print(f"{args.megabytes:g} MB article ({rows} rows): opened and analysed {opened:.2f} s")
        for label, values in (("CPU (UI busy)", busy), ("wall, pilot round trip", times)):
            ms = sorted(t * 1000 for t in values)
            p99 = ms[int(len(ms) * 0.99) - 1]
            print(
                f"  per scroll key, {label}: mean {statistics.mean(ms):.1f} ms, "
                f"p99 {p99:.1f} ms, max {ms[-1]:.1f} ms"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024
    print(f"peak memory (RSS, whole run): {peak * scale / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
