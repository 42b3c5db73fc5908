"""How long other writers wait while a big import runs, next to an import holding the lock.

Imports N annotations (default 15,000, 20 to an article) into a fresh database with the
real `copydesk annotations import`, while another process saves one annotation every
50 ms with the default 30 s lock timeout, and prints the import's time and the other
writer's save times (p50 / p95 / max) and failures. The peer is the same import holding
the write lock from start to end (what an import did before it released the lock
between batches), measured the same way in the same run.

    .venv/bin/python bench/import_lock.py [--count N] [--dir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotations.anchoring import make_target
from annotations.formats import dump_bundle
from annotations.model import Annotation

TEXT = "The council met on Monday to discuss the budget and the new harbour."

WRITER = textwrap.dedent(
    """
    import hashlib, sys, time
    from annotations.anchoring import make_target
    from annotations.model import Annotation
    from annotations.store import AnnotationStore, StoreError
    db, stop = sys.argv[1], sys.argv[2]
    text = "A story only the other writer annotates."
    article = hashlib.sha256(text.encode()).hexdigest()
    store = AnnotationStore.open(db)
    import os
    while not os.path.exists(stop):
        started = time.perf_counter()
        try:
            store.add(Annotation.create(article_id=article, author="other",
                motivation="commenting", target=make_target(text, 2, 7), note="x"))
            print(f"ok {time.perf_counter() - started:.4f}", flush=True)
        except StoreError as error:
            print(f"failed {time.perf_counter() - started:.4f} {error}", flush=True)
        time.sleep(0.05)
    """
)

HOLDING = textwrap.dedent(
    """
    import sys
    from annotations.formats import parse_annotations
    from annotations.store import AnnotationStore
    db, bundle = sys.argv[1], sys.argv[2]
    incoming = parse_annotations(open(bundle, "rb").read())
    store = AnnotationStore.open(db)
    with store._lock, store._locked():  # the whole import in one lock hold
        store.merge(incoming)
    """
)


def bundle(path: Path, count: int) -> None:
    items = []
    for n in range(count):
        article = hashlib.sha256(f"article {n // 20}".encode()).hexdigest()
        items.append(
            Annotation.create(
                article_id=article,
                author="colleague",
                motivation="commenting",
                target=make_target(TEXT, 4, 11),
                note=f"note {n}",
            )
        )
    path.write_text(dump_bundle(items))


def measure(label: str, importer: list[str], db: Path, work: Path) -> None:
    repo = str(Path(__file__).resolve().parents[1])
    stop = work / f"stop-{label}"
    env = {**os.environ, "PYTHONPATH": repo}
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from annotations.store import AnnotationStore as S;S.open({str(db)!r}).count()",
        ],
        env=env,
        check=True,
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    time.sleep(0.5)
    started = time.perf_counter()
    done = subprocess.run(importer, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    time.sleep(0.3)
    stop.touch()
    out, _ = writer.communicate(timeout=120)
    if done.returncode != 0:
        print(f"{label}: import failed: {done.stderr.strip()}")
    saves = [float(line.split()[1]) for line in out.splitlines() if line.startswith("ok")]
    failed = [line for line in out.splitlines() if line.startswith("failed")]
    q = statistics.quantiles(saves, n=20) if len(saves) >= 2 else [0.0] * 19
    print(
        f"{label:<34} import {took:6.1f} s | other writer: {len(saves)} saves, "
        f"p50 {statistics.median(saves) * 1000:.0f} ms, p95 {q[18] * 1000:.0f} ms, "
        f"max {max(saves) * 1000:.0f} ms, {len(failed)} timed out"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=15_000)
    parser.add_argument("--dir", type=Path, help="where the databases go (default: a temp dir)")
    options = parser.parse_args()
    base = options.dir or Path(tempfile.mkdtemp(prefix="copydesk-import-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    source = base / "bundle.json"
    bundle(source, options.count)
    print(f"{options.count:,} annotations, {source.stat().st_size / 1e6:.1f} MB bundle, in {base}")
    script = str(Path(sys.executable).with_name("copydesk"))
    db = base / "batched" / "annotations.json"
    measure(
        "copydesk import (batched lock)",
        [script, "annotations", "import", str(source), "--db", str(db)],
        db,
        base,
    )
    db = base / "holding" / "annotations.json"
    measure(
        "peer: one lock for the import",
        [sys.executable, "-c", HOLDING, str(db), str(source)],
        db,
        base,
    )


if __name__ == "__main__":
    main()
