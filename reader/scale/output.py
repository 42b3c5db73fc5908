"""Where cleaned articles go, written as they arrive, and how an interrupted run resumes.

Outputs are written in input order by one process. Every file appears under its final
name only once it is complete: a single article's file is written beside it and renamed;
a jsonl stream (a shard of `--shard-size` records, or one input corpus) grows in a
hidden temporary file that is renamed when it is full or its corpus ends.

One article's files are written by a few threads of the main process (creating a file
can wait on the file system's journal for a millisecond or more while other programs
write; the threads wait side by side, and the main thread goes on receiving results); the
names are given in input order all the same. After each block of input whose files are
all written, the output directory's journal (`.copydesk-clean/`) records
how far the run got: the names given so far, and the open stream's temporary file and
its length. `--resume` reads it back, cuts the open stream to the recorded length
(dropping anything written after the last record of the journal), and carries on with
the next block; the journal and the state are removed when the run completes.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from annotations.text import clean_line
from reader.corpus.text import strip_controls
from reader.files import atomic_write, replaceable_target
from reader.scale.work import Output

STATE_DIR = ".copydesk-clean"
WRITERS = 4
"""Threads writing one article's files (`DirSink`)."""
BLOCKS_WRITING = 4
"""Blocks whose files may still be being written before the main thread waits for the
oldest: what it holds meanwhile is their rendered text."""


class ResumeError(Exception):
    """The output directory has no run to resume, or one started with other options."""


def output_name(name: str, article_id: str, suffix: str, taken: set[str]) -> str:
    """`NAME.suffix`, made unique within one run as `reader.export.output_name` does
    (control characters left out of the name)."""
    name = clean_line(name) or article_id[:8]
    candidate = f"{name}.{suffix}"
    if candidate in taken:
        candidate = f"{name}-{article_id[:8]}.{suffix}"
    taken.add(candidate)
    return candidate


@dataclass
class RunState:
    """What pass 1 found, kept so a resumed run does not count again."""

    fingerprint: dict[str, Any]
    articles: int
    text_bytes: int
    sites: int
    blocks: int = 0


class StdoutSink:
    """Outputs on stdout: several txt or md articles each under a `==> SOURCE <==` line
    (jsonl records and --labels lines need none)."""

    def __init__(self, fmt: str, several: bool, labels: bool = False) -> None:
        self.headers = several and fmt != "jsonl" and not labels
        self.written = 0
        self.stream = sys.stdout

    def write(self, output: Output) -> None:
        if self.headers:
            self.stream.write(f"==> {strip_controls(output.source)} <==\n")
        self.stream.write(output.rendered)
        self.written += 1

    def block_done(self, index: int) -> None:
        self.stream.flush()

    def close(self) -> str:
        self.stream.flush()
        return ""


@dataclass
class _Stream:
    target: str
    key: str
    """What the stream collects: a corpus stem, an article's file, or "shard"."""
    handle: IO[str]
    records: int = 0


@dataclass
class DirSink:
    """Outputs in a directory, with a journal for `--resume`.

    txt, md and labels: one file per article (`NAME.txt`, `NAME.pred.jsonl`). jsonl: one
    file per input corpus (`STEM.jsonl`, other articles `NAME.jsonl`), or with
    `shard_size` shards of that many records (`part-00000.jsonl`, ...).
    """

    out_dir: Path
    fmt: str
    labels: bool = False
    shard_size: int | None = None
    taken: set[str] = field(default_factory=set)
    files: int = 0
    blocks_done: int = 0
    _stream: _Stream | None = None
    _new_names: list[str] = field(default_factory=list)
    _journal: IO[str] | None = None
    _shards: int = 0
    _writer: ThreadPoolExecutor | None = None
    _writing: list[Future] = field(default_factory=list)
    """The files of the current block being written."""
    _unjournaled: deque[tuple[list[Future], dict[str, Any]]] = field(default_factory=deque)
    """Finished blocks whose files may not all be written yet, with their journal entry."""

    @property
    def state_dir(self) -> Path:
        return self.out_dir / STATE_DIR

    # -- starting ---------------------------------------------------------------------

    def start_fresh(self) -> None:
        """Begin a new run: forget any earlier interrupted one and its temporary files."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._remove_stream_leftover()
        shutil.rmtree(self.state_dir, ignore_errors=True)

    def save_state(self, state: RunState, shared: np.ndarray) -> str:
        """Record pass 1's result; returns the path of the shared keys (workers load it)."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        keys_path = self.state_dir / "shared.npy"
        tmp = self.state_dir / ".shared.npy.tmp"
        with tmp.open("wb") as handle:
            np.save(handle, shared)
        os.replace(tmp, keys_path)
        body = json.dumps(
            {
                "fingerprint": state.fingerprint,
                "articles": state.articles,
                "text_bytes": state.text_bytes,
                "sites": state.sites,
                "blocks": state.blocks,
            }
        )
        atomic_write(self.state_dir / "state.json", body)
        self._journal = (self.state_dir / "journal.jsonl").open("a", encoding="utf-8")
        return str(keys_path)

    def load_state(self, fingerprint: dict[str, Any]) -> tuple[RunState, str] | None:
        """An interrupted run's pass-1 result, positioned after its last finished block;
        None when pass 1 itself had not finished (it is then done again)."""
        state_file = self.state_dir / "state.json"
        if not state_file.exists():
            if self.state_dir.exists():
                return None
            raise ResumeError(f"no interrupted run to resume in {self.out_dir}")
        saved = json.loads(state_file.read_text(encoding="utf-8"))
        if saved["fingerprint"] != fingerprint:
            raise ResumeError(
                "the interrupted run in this directory was started with other inputs or "
                "options; rerun without --resume to start again"
            )
        state = RunState(
            saved["fingerprint"],
            saved["articles"],
            saved["text_bytes"],
            saved["sites"],
            saved["blocks"],
        )
        self._replay_journal()
        self._journal = (self.state_dir / "journal.jsonl").open("a", encoding="utf-8")
        return state, str(self.state_dir / "shared.npy")

    def _replay_journal(self) -> None:
        journal = self.state_dir / "journal.jsonl"
        entries = []
        if journal.exists():
            raw = journal.read_bytes()
            complete = raw[: raw.rfind(b"\n") + 1]
            if len(complete) != len(raw):  # a line cut short by the kill: drop it
                journal.write_bytes(complete)
            entries = [json.loads(line) for line in complete.decode("utf-8").splitlines()]
        for entry in entries:
            self.taken.update(entry["names"])
        last = entries[-1] if entries else None
        self.blocks_done = last["blocks"] if last else 0
        self.files = last["files"] if last else 0
        self._shards = last["shards"] if last else 0
        stream = last.get("stream") if last else None
        self._remove_stream_leftover(keep=stream)
        if stream is not None:
            tmp = self.out_dir / stream["tmp"]
            finished = self.out_dir / stream["target"]
            if not tmp.exists() and finished.exists():  # renamed just before the kill
                os.replace(finished, tmp)
            handle = tmp.open("r+", encoding="utf-8", newline="\n")
            handle.truncate(stream["size"])
            handle.seek(stream["size"])
            self._stream = _Stream(stream["target"], stream["key"], handle, stream["records"])

    def _remove_stream_leftover(self, keep: dict[str, Any] | None = None) -> None:
        """Delete temporary stream files left by an interrupted run (but the one resumed)."""
        if not self.out_dir.exists():
            return
        for leftover in self.out_dir.glob(".*.jsonl.tmp"):
            if keep is None or leftover.name != keep["tmp"]:
                leftover.unlink(missing_ok=True)

    # -- writing ----------------------------------------------------------------------

    def write(self, output: Output) -> None:
        if self.fmt != "jsonl" or self.labels:
            suffix = "pred.jsonl" if self.labels else self.fmt
            name = output_name(output.name, output.article_id, suffix, self.taken)
            self._new_names.append(name)
            if self._writer is None:
                self._writer = ThreadPoolExecutor(WRITERS, thread_name_prefix="clean-writer")
            self._writing.append(
                self._writer.submit(atomic_write, self.out_dir / name, output.rendered)
            )
            self.files += 1
            return
        key = "shard" if self.shard_size else (output.corpus or f"\0{output.source}")
        if self._stream is not None and self._stream.key != key:
            self._close_stream()
        if self._stream is None:
            target = self._new_target(output)
            handle = (self.out_dir / f".{target}.tmp").open("w", encoding="utf-8", newline="\n")
            self._stream = _Stream(target, key, handle)
        self._stream.handle.write(output.rendered)
        self._stream.records += 1
        if self.shard_size and self._stream.records >= self.shard_size:
            self._close_stream()

    def _new_target(self, output: Output) -> str:
        if self.shard_size:
            return f"part-{self._shards:05d}.jsonl"
        if output.corpus is None:
            name = output_name(output.name, output.article_id, "jsonl", self.taken)
        else:
            # A corpus stem seen again (two folders' `pages.jsonl`) gets a name of its own.
            name = output_name(output.corpus, f"{len(self.taken):08d}", "jsonl", self.taken)
        self._new_names.append(name)
        return name

    def _close_stream(self) -> None:
        stream = self._stream
        if stream is None:
            return
        stream.handle.close()
        final = replaceable_target(self.out_dir / stream.target)
        os.replace(self.out_dir / f".{stream.target}.tmp", final)
        self.files += 1
        if self.shard_size:
            self._shards += 1
        self._stream = None

    def block_done(self, index: int) -> None:
        """Journal that every output of blocks up to `index` is written."""
        self.blocks_done = index + 1
        stream = None
        if self._stream is not None:
            self._stream.handle.flush()
            stream = {
                "target": self._stream.target,
                "key": self._stream.key,
                "tmp": f".{self._stream.target}.tmp",
                "size": self._stream.handle.tell(),
                "records": self._stream.records,
            }
        entry = {
            "blocks": self.blocks_done,
            "files": self.files,
            "shards": self._shards,
            "names": self._new_names,
            "stream": stream,
        }
        self._new_names = []
        self._unjournaled.append((self._writing, entry))
        self._writing = []
        self._journal_written(wait=len(self._unjournaled) > BLOCKS_WRITING)

    def _journal_written(self, wait: bool = False, everything: bool = False) -> None:
        """Journal, in order, the blocks whose files are all written (waiting for the
        oldest with `wait`, for all with `everything`); a write that failed raises here."""
        while self._unjournaled:
            writes, entry = self._unjournaled[0]
            if not (wait or everything) and not all(write.done() for write in writes):
                return
            for write in writes:
                write.result()
            self._unjournaled.popleft()
            wait = False
            if self._journal is not None:
                self._journal.write(json.dumps(entry) + "\n")
                self._journal.flush()

    def close(self) -> str:
        """Finish the last stream and remove the journal: the run is complete."""
        self._journal_written(everything=True)
        self._stop_writers()
        self._close_stream()
        if self._journal is not None:
            self._journal.close()
        shutil.rmtree(self.state_dir, ignore_errors=True)
        return f"wrote {self.files} file(s) to {self.out_dir}"

    def abandon(self) -> None:
        """Stop writing after an interruption, leaving the journal for `--resume` (files
        being written are finished; blocks not yet journaled are done again)."""
        self._stop_writers()
        if self._stream is not None:
            self._stream.handle.close()
        if self._journal is not None:
            self._journal.close()


    def _stop_writers(self) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True, cancel_futures=True)
            self._writer = None


def skip_done(blocks: Iterable[tuple[int, list]], done: int) -> Iterable[tuple[int, list]]:
    """The blocks after the first `done` (which a resumed run has already written)."""
    for index, block in blocks:
        if index >= done:
            yield index, block
