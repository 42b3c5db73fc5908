"""The cyclic garbage collector held off while the reader starts.

Until its first frame the reader allocates the objects it keeps for good (Textual's
classes and stylesheets, the widgets, the first article), and the collections they set
off walk all of them again and again: about a quarter of its CPU time before the first
paint. Then the corpus loads, and a full collection walked every article loaded so far
(about 80 ms, a key's worth of delay, every few batches). `hold()` pauses the collector
at process start; `release()` (once the first frame is drawn and the corpus loaded, or
at once for a command that is not the reader) moves what survived into the permanent
generation, which later collections skip, and resumes collecting.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_held = False


def hold() -> None:
    """Pause the collector (if it runs) until `release()`."""
    global _held
    if gc.isenabled() and not _held:
        gc.disable()
        _held = True


def release(*, freeze: bool = True) -> None:
    """Resume what `hold()` paused; with `freeze`, what is alive now is never scanned
    again (it lives as long as the process)."""
    global _held
    if not _held:
        return
    _held = False
    if freeze:
        gc.freeze()
    gc.enable()


def held() -> bool:
    """Whether `hold()` has paused the collector and `release()` not yet resumed it."""
    return _held


@contextlib.contextmanager
def paused(*, freeze: bool = False) -> Iterator[None]:
    """Pause the collector while a burst of objects without reference cycles is made (an
    analysis, a review index): each burst would set off collections that walk every live
    object again. With `freeze`, what was made is moved out of the collector's sight
    before it runs again (it lives as long as the session). A collector already off
    (`hold()`, an outer `paused`) is left as it was found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if freeze:
                gc.freeze()
            gc.enable()
