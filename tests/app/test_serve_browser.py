"""`copydesk serve` in a real browser: the installed script serves the reader on a free
local port, headless Chromium (Debian's `chromium`, driven by Playwright) opens the page,
and the demo corpus shows up in the terminal the page draws; stopping the server with the
tab open ends its session too.

textual-serve's page draws with xterm.js on a canvas, so the text is read the way a screen
reader gets it: xterm.js's screen-reader mode keeps an accessibility tree of the rows in the
DOM. The page keeps its xterm.js instance to itself; an init script catches it when the page
assigns it (`this.terminal = new Terminal(...)`) and turns that mode on. The screenshot is
kept beside the test's other files (its path is printed).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.terminal import copydesk_script

from reader.paths import demo_corpus_dir

CHROMIUM = os.environ.get("COPYDESK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

DEMO_FILES = [path.name for path in sorted(demo_corpus_dir().glob("*.txt"))]
"""The demo articles' file names, which the article list shows under each title."""

CATCH_THE_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal",
      {value, writable: true, configurable: true, enumerable: true});
    if (value && value.options && value.buffer) {
      window.copydeskTerminal = value;
      value.options.screenReaderMode = true;
    }
  },
});
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_page(url: str, server: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """Poll `url` until it answers (a bounded number of local requests)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read().decode(errors="replace") if server.stdout else ""
            raise AssertionError(f"copydesk serve exited ({server.returncode}): {output}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@pytest.fixture
def served(isolated_paths: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`copydesk serve` on a free port of 127.0.0.1: its URL and process. Stopped (with
    every session it started, one process group) when the test ends."""
    port = free_port()
    env = {**os.environ, "COPYDESK_LOG_DIR": str(isolated_paths / "log")}
    server = subprocess.Popen(
        [copydesk_script(), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_page(url, server)
        yield url, server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # sessions still running, if any
        server.wait()


def group_alive(leader: int) -> bool:
    """Whether any process is left in the process group `leader` started."""
    try:
        os.killpg(leader, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_shows_the_demo_corpus_in_a_browser(
    served: tuple[str, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    url, server = served

    screenshot = tmp_path / "copydesk-serve.png"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.add_init_script(CATCH_THE_TERMINAL)
            page.goto(url)
            rows = page.locator(".xterm-accessibility-tree")
            for name in (DEMO_FILES[0], DEMO_FILES[-1]):  # the first drawn, then all loaded
                rows.get_by_text(name).first.wait_for(timeout=45_000)
            screen = rows.inner_text()
            page.screenshot(path=str(screenshot))
            print(f"screenshot of the served reader: {screenshot}")
            # Stopping the server with a tab still open ends its session too.
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=30) == 0
            assert not group_alive(server.pid)
        finally:
            browser.close()
    assert len(DEMO_FILES) == 5
    assert all(name in screen for name in DEMO_FILES), screen
    assert screenshot.stat().st_size > 10_000
