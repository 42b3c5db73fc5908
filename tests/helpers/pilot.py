"""Waiting in Pilot tests on conditions, never on a schedule: a test goes on as soon as
the app is idle, and only an app that never gets there meets the bound."""

from __future__ import annotations

import time

from textual.pilot import Pilot
from textual.worker import WorkerState

SETTLE_LIMIT = 60.0
"""Seconds an app may take to settle before the test fails instead of hanging. A bound
in time, not in rounds: the screen's own timers (keys held, hidden parts mounted in a
quiet moment, the store's wait) run on the clock, and on a loaded machine two hundred
quick rounds passed before a two-second timer fired."""

IDLE_ROUND = 0.01
"""Seconds between checks once a quick round found the app still busy, so that waiting
for a timer does not spin the event loop."""


def busy(pilot: Pilot) -> bool:
    """Whether a worker is pending or running, or a screen is still loading."""
    app = pilot.app
    if any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
        return True
    return any(getattr(screen, "loading", False) for screen in app.screen_stack)


async def settle(pilot: Pilot) -> None:
    """Wait until loading, detection and store writes have finished and their messages
    have been handled (a handler that starts another worker is waited for as well)."""
    deadline = time.monotonic() + SETTLE_LIMIT
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    while busy(pilot):
        if time.monotonic() > deadline:
            raise AssertionError("the app did not settle: a worker or a screen is still busy")
        await pilot.pause(IDLE_ROUND)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
