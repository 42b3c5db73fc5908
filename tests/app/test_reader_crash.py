"""The real reader, killed between the steps of a changed decision, keeps a decision.

The installed app runs in a pty with a hook that SIGKILLs it at the Nth write, fsync,
rename or unlink the annotation store makes once a file says so (the first decision is
saved before it is armed). For each N, the reopened database holds the old decision or
the new one, never neither, and the new one whenever the reader said it was saved.
"""

from __future__ import annotations

import signal
import sys
import textwrap
from pathlib import Path

import pytest
from helpers.annotations_support import STORY
from helpers.terminal import copydesk_in_pty

from annotations.store import AnnotationStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

HOOKED_READER = textwrap.dedent(
    """
    import os, signal, sys
    arm = os.environ["KILL_ARM_FILE"]
    state = {"at": None, "calls": 0}

    def killing(function):
        def wrapped(*args, **kwargs):
            if sys._getframe(1).f_globals.get("__name__") == "annotations.store":
                if state["at"] is None and os.path.exists(arm):
                    state["at"] = int(open(arm).read())
                if state["at"] is not None:
                    state["calls"] += 1
                    if state["calls"] == state["at"]:
                        os.kill(os.getpid(), signal.SIGKILL)
            return function(*args, **kwargs)
        return wrapped

    for name in ("write", "fsync", "replace", "rename", "unlink"):
        setattr(os, name, killing(getattr(os, name)))
    from reader.cli import main
    sys.argv = ["copydesk", *sys.argv[1:]]
    main()
    """
)


@pytest.mark.parametrize("kill_at", [1, 2, 3, 4, 5, 6, 7, 9, 12])
def test_a_reader_killed_midway_through_a_changed_decision_keeps_one(
    tmp_path: Path, db_path: Path, kill_at: int
) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    arm = tmp_path / "arm"
    config = tmp_path / "config.toml"
    config.write_text('user = "ana"\n')
    hooked = {"KILL_ARM_FILE": str(arm), "COPYDESK_CONFIG": str(config)}
    with copydesk_in_pty(
        str(story), command=[sys.executable, "-c", HOOKED_READER], env=hooked
    ) as terminal:
        # The detector's verdict on line 1 is shown: decisions can be made.
        terminal.wait_for_text("site navigation", timeout=60)
        for _ in range(50):  # until the store has opened (before that nothing is saved)
            terminal.press(b"a")
            if terminal.shows("Saved: accepted line 1", timeout=1):
                break
        else:
            raise AssertionError("the first decision was never saved")
        arm.write_text(str(kill_at))
        terminal.press(b"r")
        told_saved = terminal.shows("Saved: rejected line 1", timeout=30)
        if terminal.process.poll() is None:
            terminal.press(b"q")
        status = terminal.wait_for_exit()
    store = AnnotationStore.open(db_path)
    assert store.check() == []
    decisions = [a.decision for a in store.all() if a.decision]
    assert decisions in (["remove"], ["keep"]), (kill_at, decisions, status)
    if told_saved:
        assert decisions == ["keep"]
    else:
        assert status == -signal.SIGKILL
