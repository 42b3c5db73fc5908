"""`copydesk clean` at corpus scale: two passes over a stream of input blocks.

Pass 1 loads every article and counts its short lines per site (a reduction: keys spilled
to disk in partitions and counted one partition at a time, or merged on a Dask cluster);
the keys seen in enough articles of their site are its shared chrome. Pass 2 loads each
article again, classifies it against its site's shared lines, and renders it; the main
process writes the outputs in input order. Only a bounded window of blocks is in flight,
so memory stays flat however large the corpus.

A small input (one block) runs in this process with no pool; otherwise `jobs` worker
processes, or a Dask cluster with `engine="dask"`. The output is the same byte for byte
whichever runs it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reader.scale import sources
from reader.scale.early import default_jobs, forkserver_context
from reader.scale.output import DirSink, ResumeError, RunState, StdoutSink, skip_done
from reader.scale.work import KEY_DTYPE, Counted, Options, classify_block, count_block, shared_of

__all__ = ["Plan", "ResumeError", "Summary", "default_jobs", "run"]

SPILL_PARTITIONS = 32
"""Pass 1's keys go to this many files by key, counted one file at a time."""
SPILL_BUFFER = 1 << 18
"""Keys held in memory before they are spilled (2 MB)."""


@dataclass
class Plan:
    """One `copydesk clean` run."""

    inputs: list[str]
    out_dir: Path | None = None
    options: Options = field(default_factory=Options)
    shard_size: int | None = None
    jobs: int = 1
    engine: str = "local"
    scheduler: str | None = None
    resume: bool = False
    progress: bool = False
    stdin_data: bytes | None = None


@dataclass
class Summary:
    articles: int = 0
    text_bytes: int = 0
    sites: int = 0
    problems: int = 0
    seconds: float = 0.0
    detector_seconds: float = 0.0
    """CPU seconds of the detector over every article cleaned in this run (all processes)."""
    written: str = ""
    nothing: bool = False

    def line(self, jobs: int, engine: str) -> str:
        mb = self.text_bytes / 1e6
        rate = mb / self.seconds if self.seconds else 0.0
        per_second = self.articles / self.seconds if self.seconds else 0.0
        where = "dask" if engine == "dask" else f"{jobs} job(s)"
        parts = [
            f"cleaned {self.articles} article(s), {mb:.1f} MB of text from {self.sites} "
            f"site(s), in {self.seconds:.1f} s ({per_second:.0f} articles/s, "
            f"{rate:.1f} MB/s, {where})"
        ]
        if self.problems:
            parts.append(f"{self.problems} input(s) skipped")
        if self.written:
            parts.append(self.written)
        return "; ".join(parts)


def fingerprint(plan: Plan) -> dict[str, Any]:
    """What must match for `--resume` to continue a run: inputs and output shape."""
    return {
        "inputs": [raw if raw == "-" else str(Path(raw).resolve()) for raw in plan.inputs],
        "fmt": plan.options.fmt,
        "labels": plan.options.labels,
        "drop_inline": plan.options.drop_inline,
        "line_model": plan.options.line_model,
        "shard_size": plan.shard_size,
        "block": [sources.BLOCK_ITEMS, sources.BLOCK_BYTES],
        "site_key": True,  # the shared keys hold each site's article count (`SITE_KEY`)
    }


def run(
    plan: Plan,
    *,
    problem: Callable[[str], None],
    explain: Callable[[str], None],
) -> Summary:
    """Clean `plan.inputs`; `problem` gets each input that could not be loaded (in pass 1)
    and `explain` each removed line with `Options.explain` (in pass 2)."""
    started = time.perf_counter()
    summary = Summary()
    max_bytes = plan.options.max_file_bytes
    fresh_blocks: Callable[[], Iterator[tuple[int, list]]] = lambda: sources.blocks(  # noqa: E731
        sources.iter_items(plan.inputs, stdin_data=plan.stdin_data, max_record_bytes=max_bytes)
    )
    sink: DirSink | StdoutSink | None = None
    state: RunState | None = None
    shared_ref: str | None = None
    if plan.out_dir is not None:
        sink = DirSink(
            plan.out_dir, plan.options.fmt, plan.options.labels, plan.shard_size
        )
        if plan.resume:
            loaded = sink.load_state(fingerprint(plan))
            if loaded is not None:
                state, shared_ref = loaded
        if state is None:
            sink.start_fresh()
    engine = _engine(plan)
    progress = _Progress(plan.progress)
    scratch = tempfile.TemporaryDirectory(prefix="copydesk-clean-")
    try:
        if state is None:
            state, shared = _pass_one(
                plan, engine, fresh_blocks(), problem, progress, summary, scratch
            )
            if state.articles == 0:
                summary.nothing = True
                return summary
            if isinstance(sink, DirSink):
                shared_ref = sink.save_state(state, shared)
            else:
                shared_ref = str(Path(scratch.name) / "shared.npy")
                np.save(shared_ref, shared)
        summary.articles, summary.text_bytes, summary.sites = (
            state.articles,
            state.text_bytes,
            state.sites,
        )
        if sink is None:
            sink = StdoutSink(plan.options.fmt, state.articles > 1, plan.options.labels)
        done = sink.blocks_done if isinstance(sink, DirSink) else 0
        if isinstance(engine, LocalEngine):
            remaining = engine.blocks_left(fresh_blocks, done, state.blocks)
        else:
            remaining = skip_done(fresh_blocks(), done)
        progress.start("cleaning", total=state.articles)
        assert shared_ref is not None
        for index, outputs in engine.classify(remaining, shared_ref, plan.options, state.blocks):
            for output in outputs:
                sink.write(output)
                for line in output.explain:
                    explain(line)
                progress.advance(1, output.text_bytes)
                summary.detector_seconds += output.detector_seconds
            sink.block_done(index)
        summary.written = sink.close()
    except BaseException:
        if isinstance(sink, DirSink):
            sink.abandon()
        raise
    finally:
        progress.stop()
        engine.close()
        scratch.cleanup()
        summary.seconds = time.perf_counter() - started
    return summary


def _pass_one(
    plan: Plan,
    engine: _Engine,
    blocks: Iterator[tuple[int, list]],
    say: Callable[[str], None],
    progress: _Progress,
    summary: Summary,
    scratch: tempfile.TemporaryDirectory,
) -> tuple[RunState, np.ndarray]:
    progress.start("counting", total=None)
    articles = text_bytes = count = 0
    sites: set[str] = set()

    def tally(counted: Counted) -> None:
        nonlocal articles, text_bytes
        for problem in counted.problems:
            say(problem)
        summary.problems += len(counted.problems)
        articles += counted.articles
        text_bytes += counted.text_bytes
        sites.update(counted.sites)
        progress.advance(counted.articles, counted.text_bytes)

    def numbered() -> Iterator[list]:
        nonlocal count
        for index, block in blocks:
            count = index + 1
            yield block

    shared = engine.count(numbered(), plan.options.max_file_bytes, tally, Path(scratch.name))
    progress.stop()
    state = RunState(fingerprint(plan), articles, text_bytes, len(sites), count)
    return state, shared


class _Progress:
    """Articles/s, MB/s and an ETA on stderr (rich), only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None
        self.text_bytes = 0
        self.started = 0.0

    def start(self, label: str, total: int | None) -> None:
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.stop()
        self.text_bytes = 0
        self.started = time.perf_counter()
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rates]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task(label, total=total, rates="")

    def advance(self, articles: int, text_bytes: int) -> None:
        if self.bar is None:
            return
        self.text_bytes += text_bytes
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        task = self.bar.tasks[0]
        rates = (
            f"{(task.completed + articles) / elapsed:.0f} art/s "
            f"{self.text_bytes / 1e6 / elapsed:.1f} MB/s"
        )
        self.bar.update(self.task, advance=articles, rates=rates)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


class _Engine:
    def count(
        self,
        blocks: Iterable[list],
        max_bytes: int,
        tally: Callable[[Counted], None],
        scratch: Path,
    ) -> np.ndarray:
        raise NotImplementedError

    def classify(
        self, blocks: Iterable[tuple[int, list]], shared: str, options: Options, total: int
    ) -> Iterator[tuple[int, list]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


def _engine(plan: Plan) -> _Engine:
    if plan.engine == "dask":
        from reader.scale.dask_engine import DaskEngine

        return DaskEngine(plan.jobs, plan.scheduler)
    return LocalEngine(plan.jobs)


class LocalEngine(_Engine):
    """This process for a one-block input, else a pool of `jobs` worker processes fed a
    bounded window of blocks, results taken in order."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self.pool: Any = None
        self.kept: Path | None = None
        """Where pass 1 leaves each block's rendered HTML articles for pass 2."""

    def _pool(self) -> Any:
        if self.pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(
                self.jobs, mp_context=forkserver_context(), initializer=_start_worker
            )
        return self.pool

    def _ordered(self, function: Callable, calls: Iterable[tuple]) -> Iterator[Any]:
        calls = iter(calls)
        first = next(calls, None)
        if first is None:
            return
        second = next(calls, None)
        if second is None or self.jobs == 1:
            yield function(*first)
            if second is not None:
                yield function(*second)
                for call in calls:
                    yield function(*call)
            return
        pool = self._pool()
        window: deque = deque([pool.submit(function, *first), pool.submit(function, *second)])
        for call in calls:
            window.append(pool.submit(function, *call))
            if len(window) >= self.jobs * 3:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def count(self, blocks, max_bytes, tally, scratch):  # type: ignore[no-untyped-def]
        spill = KeySpill(scratch / "keys")
        self.kept = scratch / "kept"
        self.kept.mkdir(exist_ok=True)
        calls = (
            (block, max_bytes, self._kept_file(index)) for index, block in enumerate(blocks)
        )
        for counted in self._ordered(count_block, calls):
            tally(counted)
            spill.add(counted.keys)
        return spill.shared()

    def _kept_file(self, index: int) -> str | None:
        return None if self.kept is None else str(self.kept / f"{index:08d}.pickle")

    def blocks_left(
        self, fresh: Callable[[], Iterable[tuple[int, list]]], done: int, total: int
    ) -> Iterable[tuple[int, list | None]]:
        """Pass 2's blocks after the first `done` of `total`. A block whose articles
        pass 1 kept goes as None: its file says it all, so the input is not walked, read or
        decompressed again (only up to a block whose file is missing, if one is). A resumed
        run kept nothing and reads the input."""
        if self.kept is None:
            return skip_done(fresh(), done)
        return self._kept_or_read(fresh, done, total)

    def _kept_or_read(
        self, fresh: Callable[[], Iterable[tuple[int, list]]], done: int, total: int
    ) -> Iterator[tuple[int, list | None]]:
        walker: Iterator[tuple[int, list]] | None = None
        for index in range(done, total):
            if os.path.exists(self._kept_file(index)):  # type: ignore[arg-type]
                yield index, None
                continue
            if walker is None:
                walker = iter(skip_done(fresh(), index))
            for found, block in walker:
                if found == index:
                    yield index, block
                    break

    def classify(self, blocks, shared, options, total):  # type: ignore[no-untyped-def]
        indexes: deque[int] = deque()

        def calls() -> Iterator[tuple]:
            for index, block in blocks:
                indexes.append(index)
                yield block, shared, options, self._kept_file(index)

        for outputs in self._ordered(classify_block, calls()):
            yield indexes.popleft(), outputs

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _start_worker() -> None:
    """Workers leave ctrl+c to the main process, which stops them and saves the journal;
    what the forkserver imported lives as long as the worker, so it is moved out of the
    collector's sight (`gc.freeze`) instead of being walked by every full collection."""
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()


class KeySpill:
    """Pass 1's keys on disk, partitioned by key, so counting needs one partition in memory."""

    def __init__(
        self, directory: Path, partitions: int = SPILL_PARTITIONS, buffer_keys: int = SPILL_BUFFER
    ) -> None:
        self.directory = directory
        self.buffer_keys = buffer_keys
        directory.mkdir(parents=True, exist_ok=True)
        self.partitions = partitions
        self.buffer: list[np.ndarray] = []
        self.buffered = 0
        self.written = False

    def add(self, keys: np.ndarray) -> None:
        if len(keys):
            self.buffer.append(keys)
            self.buffered += len(keys)
        if self.buffered >= self.buffer_keys:
            self._spill()

    def _spill(self) -> None:
        if not self.buffer:
            return
        keys = np.concatenate(self.buffer)
        self.buffer, self.buffered = [], 0
        # One pass per partition with a byte mask: a few bytes per key at a time, where
        # sorting by partition would hold several copies of the buffer.
        part = (keys % self.partitions).astype(np.uint8)
        for number in range(self.partitions):
            chunk = keys[part == number]
            if len(chunk):
                with (self.directory / f"{number:03d}.u8").open("ab") as handle:
                    chunk.tofile(handle)
        self.written = True

    def shared(self) -> np.ndarray:
        """Keys counted often enough to be shared, sorted."""
        if not self.written:  # everything still in memory: no files needed
            keys = np.concatenate(self.buffer) if self.buffer else np.empty(0, KEY_DTYPE)
            return shared_of(np.unique(keys, return_counts=True))
        self._spill()
        found = [
            shared_of(np.unique(np.fromfile(path, KEY_DTYPE), return_counts=True))
            for path in sorted(self.directory.glob("*.u8"))
        ]
        return np.sort(np.concatenate(found)) if found else np.empty(0, KEY_DTYPE)
