"""`copydesk clean --engine dask`: the same two passes on a Dask distributed cluster.

Pass 1 is a reduction: each block is counted on a worker into (distinct keys, counts),
the partial counts are merged on the cluster in a tree, and only the shared keys (those
seen in enough articles of their site) come back. Pass 2 is a map over the blocks with
the shared keys broadcast to every worker once; results come back in input order and
this process writes them, so the output is the one the local engine writes.

Workers read "file" items by path: on a real cluster the input must be at the same path
on every worker (a shared file system); jsonl lines and WARC pages travel inside the
blocks. Without a scheduler address a `LocalCluster` of `jobs` worker processes starts.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from reader.scale.work import (
    Counted,
    Options,
    classify_block,
    count_block,
    merge_counts,
    shared_of,
    unique_counts,
)

MERGE_FAN_IN = 8
"""Partial counts merged together in one reduction task."""
PARTITIONS = 8
"""Keys are counted in this many partitions (by key), merged one after another inside a
task, so a merge's working memory is an eighth of its data."""


def _count_partial(block: list, max_bytes: int) -> Counted:
    counted = count_block(block, max_bytes)
    keys = counted.keys
    part = (keys % PARTITIONS).astype(np.uint8)
    partial = tuple(unique_counts(keys[part == number]) for number in range(PARTITIONS))
    return counted._replace(keys=partial)


def _summary_of(counted: Counted) -> Counted:
    return counted._replace(keys=None)


def _counts_of(counted: Counted) -> tuple:
    return counted.keys


def _merge(*partials: tuple) -> tuple:
    """Merge partial counts partition by partition."""
    return tuple(
        merge_counts(*(partial[number] for partial in partials)) for number in range(PARTITIONS)
    )


def _shared(*partials: tuple) -> np.ndarray:
    """The last merge: each partition merged and cut to its shared keys before the next."""
    found = [
        shared_of(merge_counts(*(partial[number] for partial in partials)))
        for number in range(PARTITIONS)
    ]
    return np.sort(np.concatenate(found))


class DaskEngine:
    """Runs the blocks on a Dask cluster, a bounded window of them at a time."""

    def __init__(self, jobs: int, scheduler: str | None) -> None:
        from distributed import Client, LocalCluster

        self.cluster: Any = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=max(1, jobs),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster)
        workers = len(self.client.scheduler_info().get("workers", {})) or max(1, jobs)
        self.window = max(4, workers * 3)

    def count(
        self,
        blocks: Iterable[list],
        max_bytes: int,
        tally: Callable[[Counted], None],
        scratch: Path,
    ) -> np.ndarray:
        client = self.client
        pending: deque = deque()
        levels: list[list] = []

        def reduce(partial: Any, level: int = 0) -> None:
            """Add a partial count to the tree: every MERGE_FAN_IN of a level merge into one
            of the next, so each key is merged about log(blocks) times."""
            if len(levels) <= level:
                levels.append([])
            levels[level].append(partial)
            if len(levels[level]) >= MERGE_FAN_IN:
                merged = client.submit(_merge, *levels[level], pure=False)
                levels[level] = []
                reduce(merged, level + 1)

        for block in blocks:
            # Scattered, not embedded in the task: the scheduler keeps a task's arguments
            # as long as anything computed from it is held (to recompute it if a worker
            # dies), which for the counts is until the end of pass 1: the whole corpus.
            [data] = client.scatter([block], hash=False)
            counted = client.submit(_count_partial, data, max_bytes, pure=False)
            del data
            pending.append(client.submit(_summary_of, counted, pure=False))
            reduce(client.submit(_counts_of, counted, pure=False))
            if len(pending) >= self.window:
                tally(pending.popleft().result())
        while pending:
            tally(pending.popleft().result())
        rest = [partial for level in levels for partial in level]
        if not rest:
            return np.empty(0, "<u8")
        return client.submit(_shared, *rest, pure=False).result()

    def classify(
        self, blocks: Iterable[tuple[int, list]], shared: str, options: Options, total: int
    ) -> Iterator[tuple[int, list]]:
        client = self.client
        keys = np.load(shared)
        [shared_future] = client.scatter([keys], broadcast=True)
        pending: deque = deque()
        for index, block in blocks:
            future = client.submit(classify_block, block, shared_future, options, pure=False)
            pending.append((index, future))
            if len(pending) >= self.window:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
