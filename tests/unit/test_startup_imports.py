"""Opening the reader imports only what its first frame needs.

The annotation and review commands, the detector (and numpy), the annotation store (and
TinyDB), the export writers, the other screens, the footer and the libraries of other
input formats load on first use (a subcommand, detection after the first article is
drawn, the store opening, an export, a .gz or .html input), which keeps `copydesk` quick
to paint. These tests check the imports, not the clock.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

from click.testing import CliRunner

from reader.boilerplate import Kind
from reader.cli import EXPORT_FORMATS, LAZY_COMMANDS, cli
from reader.export import FORMATS
from reader.paths import styles_dir
from reader.widgets.article_view import BOILERPLATE_KINDS

NOT_FOR_THE_FIRST_FRAME = (
    # the commands and the domain the first article does not need
    "reader.cli_annotations",
    "reader.cli_review",
    "reader.cli_compare",
    "reader.boilerplate",
    "reader.export",
    "reader.align",
    "reader.scale",
    "annotations.store",
    "annotations.model",  # no annotation is read before the store opens
    "annotations.anchoring",
    "annotations.formats",
    "annotations.review",
    "annotations.review_stats",
    "annotations.agreement",
    "annotations.curation",
    # the screens and widgets that open later
    "reader.screens.review",
    "reader.screens.curation",
    "reader.screens.help",
    "reader.screens.editor",
    "reader.screens.search",
    "reader.screens.export",
    "reader.widgets.annotations_panel",  # the hidden parts, mounted after the first frame
    "reader.widgets.kind_legend",
    "reader.widgets.search_bar",
    "textual.widgets._footer",
    "textual.widgets._markdown",
    "textual.widgets._text_area",
    "textual.widgets._data_table",
    # libraries: the detector's numpy, the store's, the notes', other formats'
    "numpy",
    "threadpoolctl",
    "rapidfuzz",
    "tinydb",
    "filelock",
    "markdown_it",
    "krippendorff",
    "selectolax",
    "charset_normalizer",
    "zstandard",
    "warcio",
    "gzip",
    "tomllib",  # parsed only when there is a config file (the tests have none)
)


def imported_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_opening_the_reader_imports_nothing_it_needs_later() -> None:
    modules = imported_after(
        "import reader.cli, reader.app, reader.screens.main, reader.commands"
    )
    loaded = sorted(
        name
        for name in modules
        if any(name == lazy or name.startswith(lazy + ".") for lazy in NOT_FOR_THE_FIRST_FRAME)
    )
    assert loaded == []


def test_help_still_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    listed = re.findall(r"^  (\S+)", result.output.split("Commands:", 1)[1], re.MULTILINE)
    assert sorted(listed) == sorted({"clean", "open", *LAZY_COMMANDS})


def test_a_lazy_command_runs_and_its_first_argument_is_not_taken_for_a_path() -> None:
    result = CliRunner().invoke(cli, ["annotations", "--help"])
    assert result.exit_code == 0, result.output
    assert "List, export, import and count annotations" in result.output
    result = CliRunner().invoke(cli, ["review", "--help"])
    assert result.exit_code == 0 and "import-db" in result.output


def test_clean_offers_the_writers_formats() -> None:
    assert EXPORT_FORMATS == FORMATS


def test_every_boilerplate_kind_has_a_colour_in_step_with_the_detector() -> None:
    """The view names the kinds itself (so it draws before the detector loads): no stale
    names, and every kind the stylesheet colours is declared (a new kind without a rule
    is drawn in the generic boilerplate colour)."""
    kinds = {kind.value for kind in Kind} - {Kind.CONTENT.value, Kind.HEADLINE.value}
    assert set(BOILERPLATE_KINDS) <= kinds
    css = (styles_dir() / "main.tcss").read_text(encoding="utf-8")
    styled = set(re.findall(r"\.article-view--([a-z-]+)", css))
    assert kinds & styled <= set(BOILERPLATE_KINDS)
    assert set(BOILERPLATE_KINDS) <= styled


FIRST_FRAME_PROBE = """
import asyncio, json, sys
from reader.app import make_app
from reader.screens.main import MainScreen
from reader.widgets.article_view import ArticleView

LAZY = {lazy!r}
events = []

def lazy(name):
    return any(name == n or name.startswith(n + ".") for n in LAZY)

def record_imports(event, args):
    # Audit events fire on whichever thread imports, before the module runs.
    if event == "import" and lazy(args[0]) and args[0] not in sys.modules:
        events.append("import " + args[0])

sys.addaudithook(record_imports)
original = ArticleView.render_line

def render_line(self, y):
    if self.article is not None and "painted" not in events:
        events.append("painted")
    return original(self, y)

ArticleView.render_line = render_line

async def main():
    app = make_app(inputs=[], user="probe", cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = next(s for s in app.screen_stack if isinstance(s, MainScreen))
        # Conditions, not time: the store has been read and the detector has run.
        while not (screen.book.analyses and screen.book.store is not None):
            await app.workers.wait_for_complete()
            await pilot.pause()

asyncio.run(main())
print(json.dumps(events))
"""


def test_the_first_article_is_drawn_before_the_detector_and_store_load() -> None:
    """The first article is painted before anything it does not need is imported (the
    footer's bindings included), and the detector and the store are imported after it."""
    code = FIRST_FRAME_PROBE.format(lazy=NOT_FOR_THE_FIRST_FRAME)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout.strip().splitlines()[-1])
    assert events[0] == "painted", events
    imported = set(events[1:])
    assert {"import reader.boilerplate", "import annotations.store"} <= imported, events
