"""Killed writers and concurrent writers never lose a saved annotation."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from helpers.annotations_support import bucket_files

from annotations.model import is_uuid
from annotations.store import AnnotationStore

REPO = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent(
    """
    import hashlib, sys
    from annotations.anchoring import make_target
    from annotations.model import Annotation
    from annotations.store import AnnotationStore

    db, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    texts = [f"Article {n}: the council met on Monday to discuss the budget." for n in range(6)]
    texts.append(f"An article only {name} writes about, with its own words.")
    store = AnnotationStore.open(db)
    for n in range(count):
        text = texts[n % len(texts)]
        annotation = Annotation.create(
            article_id=hashlib.sha256(text.encode()).hexdigest(),
            author=name,
            motivation="commenting",
            target=make_target(text, 10, 30),
            tags=[f"t{n % 7}"],
            note=f"note {n} " * (n % 40),
        )
        store.add(annotation)
        print(annotation.id, flush=True)
    """
)


def writer(db: Path, name: str, count: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), name, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_sigkill_never_loses_a_reported_save(db_path: Path) -> None:
    rng = random.Random(20240501)
    reported: set[str] = set()
    for round_number in range(24):
        child = writer(db_path, f"w{round_number}", 100_000)
        first = child.stdout.readline().strip()  # it is in its write loop now
        assert is_uuid(first), child.stderr.read()
        time.sleep(rng.uniform(0.0, 0.08))
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()
        assert child.returncode == -signal.SIGKILL
        # A line cut short by the kill is not a report; every whole id is.
        reported.add(first)
        reported.update(line for line in rest.split("\n") if is_uuid(line))
    store = AnnotationStore.open(db_path)
    assert store.check() == []
    stored = {a.id for a in store.all()}
    assert reported <= stored
    assert len(reported) > 24
    leftovers = [
        p for p in (db_path.parent / (db_path.name + ".d")).iterdir() if p.suffix == ".tmp"
    ]
    assert leftovers == []  # cleaned when the store was opened for writing


def test_two_processes_writing_at_once_keep_everything(db_path: Path) -> None:
    children = [writer(db_path, name, 250) for name in ("left", "right")]
    outputs = [child.communicate(timeout=300) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    written = {line for out, _ in outputs for line in out.split()}
    assert len(written) == 500
    store = AnnotationStore.open(db_path)
    assert {a.id for a in store.all()} == written
    assert dict(store.authors()) == {"left": 250, "right": 250}
    assert len(bucket_files(db_path)) >= 2
