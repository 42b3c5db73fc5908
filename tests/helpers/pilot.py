"""Waiting in Pilot tests on conditions, never on time or a fixed number of rounds."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.worker import WorkerState

MAX_ROUNDS = 200
"""A bound, not a schedule: an app that never settles fails instead of hanging."""


def busy(pilot: Pilot) -> bool:
    """Whether a worker is pending or running, or a screen is still loading."""
    app = pilot.app
    if any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
        return True
    return any(getattr(screen, "loading", False) for screen in app.screen_stack)


async def settle(pilot: Pilot) -> None:
    """Wait until loading, detection and store writes have finished and their messages
    have been handled (a handler that starts another worker is waited for as well)."""
    for _ in range(MAX_ROUNDS):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not busy(pilot):
            return
    raise AssertionError("the app did not settle: a worker or a screen is still busy")
