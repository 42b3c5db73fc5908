"""Where a write that replaces a file may land: never over a symlink, FIFO or device.

Every writer here replaces its target atomically (a temporary file beside it, then a
rename). A rename replaces whatever has the name: a symlink would become a regular
file (the link's target left stale), a FIFO or a device (`-o /dev/null`, `/dev/full`)
would be swapped for a file. `replaceable_target` says which file to replace instead:
a symlink's final target, or an error for anything that is not a regular file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def replaceable_target(path: Path) -> Path:
    """The regular file (maybe not yet there) that a write to `path` should replace.

    A symlink (or a chain of them) is followed, so the write goes to the file it names
    and the link stays a link. Raises `OSError` naming `path` if it (or its target) is
    anything but a regular file, or the links loop.
    """
    try:
        resolved = Path(os.path.realpath(path, strict=False))
    except (OSError, RuntimeError) as error:
        raise OSError(errno.ELOOP, "cannot follow the symlink (a loop?)", str(path)) from error
    try:
        info = os.stat(resolved)
    except FileNotFoundError:
        if os.path.islink(resolved):  # realpath stopped at a link it could not follow
            raise OSError(errno.ELOOP, "cannot follow the symlink (a loop?)", str(path)) from None
        return resolved
    if stat.S_ISREG(info.st_mode):
        return resolved
    kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
    raise OSError(errno.EINVAL, f"{kind}, not a regular file; it was left as is", str(path))


def atomic_write(target: Path, content: str) -> None:
    """Write `content` beside `target` and rename it into place, so nobody sees half a file.

    No fsync: outputs are regenerated from their sources in a moment, and syncing each of
    thousands of files would dominate a run. A symlink is written through, a FIFO or
    device refused (`replaceable_target`); an error names the user's file, never the
    temporary one.
    """
    target = replaceable_target(target)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        os.replace(tmp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OSError(error.errno, error.strerror or str(error), str(target)) from error

