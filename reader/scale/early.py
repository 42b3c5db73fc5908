"""The workers' forkserver, started before the main process imports the cleaning code.

`copydesk clean --jobs N` runs its workers from a forkserver that imports the cleaning
code (`reader.scale.work`: the detector, the loaders, the writers) once for all of them.
Started when the pool is first needed, that import begins only after the main process
has imported the same code itself; started first, the two imports run side by side. It
is started early only for an input that will likely fill more than one block, since a
one-block input is cleaned in the main process with no pool.

This module imports nothing of the cleaning code, so that it can run first.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from typing import Any

WORKER_MODULES = ["reader.scale.work"]
"""What the forkserver imports once for every worker it forks."""
SEVERAL_BLOCKS_FILES = 65
"""Input files that surely make more than one block (`sources.BLOCK_ITEMS` files each)."""
SEVERAL_BLOCKS_BYTES = 1 << 20
"""A file this large likely holds more than one block of records (64 pages of a jsonl or
WARC file make about a megabyte)."""


def default_jobs() -> int:
    """Every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def forkserver_context() -> Any:
    """The multiprocessing context the pool's workers come from, preloading the work."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)
    return context


def likely_several_blocks(inputs: Iterable[str]) -> bool:
    """Whether the inputs will likely make more than one block: a large file, or more
    files than a block holds (directories counted only that far)."""
    files = 0
    for raw in inputs:
        try:
            info = os.stat(raw)
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(info.st_mode):
            if info.st_size >= SEVERAL_BLOCKS_BYTES:
                return True
            files += 1
        elif stat.S_ISDIR(info.st_mode):
            files += _count_files(raw, SEVERAL_BLOCKS_FILES - files)
        if files >= SEVERAL_BLOCKS_FILES:
            return True
    return False


def _count_files(top: str, limit: int) -> int:
    """Regular files under `top`, counted up to `limit` (symlinked folders not followed)."""
    found = 0
    pending = [top]
    while pending and found < limit:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    elif entry.is_file():
                        found += 1
                        if found >= limit:
                            break
        except OSError:
            continue
    return found


def start_workers_early(inputs: Iterable[str], jobs: int, engine: str) -> bool:
    """Start the workers' forkserver now if a local pool of `jobs` will likely be needed;
    whether it was started."""
    if engine != "local" or jobs < 2 or not likely_several_blocks(inputs):
        return False
    from multiprocessing import forkserver

    forkserver_context()
    forkserver.ensure_running()
    return True
