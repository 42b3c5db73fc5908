"""Parsed styles kept between launches: a second launch parses nothing it parsed before,
and draws exactly what the first drew; a changed, damaged or foreign cache costs a parse,
never a wrong style or a failed start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from reader_helpers import reader, settle
from rich.color import Color as RichColor
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.css import stylesheet as textual_stylesheet
from textual.css.stylesheet import Stylesheet
from textual.filter import ANSIToTruecolor

from reader.config import load_settings
from reader.paths import cache_dir
from reader.style_cache import ParsedStyles, cache_file

SIZE = (120, 36)
RULES = "#probe { color: $probe; }\n"


@pytest.fixture
def parsed_sources(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Each source Textual's parser reads (its location), in order, from now on."""
    seen: list[tuple[str, str]] = []
    real_parse: Callable = textual_stylesheet.parse

    def parse(scope: str, css: str, read_from: tuple[str, str], **options: object):
        seen.append(read_from)
        return real_parse(scope, css, read_from, **options)

    monkeypatch.setattr(textual_stylesheet, "parse", parse)
    return seen


async def launch() -> str:
    """Open the reader on the demo corpus, wait for it to settle; the screen as SVG."""
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        return app.export_screenshot()


async def test_a_second_launch_parses_no_stylesheet_and_draws_the_same(
    parsed_sources: list[tuple[str, str]],
) -> None:
    first_screen = await launch()
    first_parsed = list(parsed_sources)
    assert any(path.endswith("main.tcss") for path, _ in first_parsed)
    assert any(name == "Input.DEFAULT_CSS" for _, name in first_parsed)
    assert list(cache_dir().glob("styles-*.pickle"))

    parsed_sources.clear()
    second_screen = await launch()

    assert parsed_sources == []
    assert second_screen == first_screen


async def test_a_damaged_cache_is_ignored_and_replaced(
    parsed_sources: list[tuple[str, str]],
) -> None:
    first_screen = await launch()
    (cached,) = cache_dir().glob("styles-*.pickle")
    cached.write_bytes(b"\x80\x05not a pickle at all")
    parsed_sources.clear()

    assert await launch() == first_screen
    assert any(path.endswith("main.tcss") for path, _ in parsed_sources)

    parsed_sources.clear()
    assert await launch() == first_screen
    assert parsed_sources == []


def ansi_red(app: App) -> tuple[int, int, int]:
    """What the app's ANSI-to-truecolor filter paints ANSI red as."""
    (ansi,) = (f for f in app.get_line_filters() if isinstance(f, ANSIToTruecolor))
    style = ansi.truecolor_style(Style(color="red"), RichColor.parse("#000000"))
    assert style.color is not None
    return tuple(style.color.get_truecolor())


@pytest.mark.parametrize(("theme", "mode"), [("dracula", "-dark-mode"),
                                             ("textual-light", "-light-mode")])
async def test_a_saved_theme_is_in_place_before_anything_is_parsed_and_draws_as_if_set_later(
    parsed_sources: list[tuple[str, str]], theme: str, mode: str
) -> None:
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = theme  # the palette's way: remembered in the config file
        await settle(pilot)
        set_while_running = app.export_screenshot()
        red_while_running = ansi_red(app)
    assert load_settings().theme == theme

    parsed_sources.clear()
    app = reader()
    assert app.theme == theme
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.has_class(f"-theme-{theme}", mode)
        assert app.export_screenshot() == set_while_running
        assert ansi_red(app) == red_while_running
    main_styles = [path for path, _ in parsed_sources if path.endswith("main.tcss")]
    assert len(main_styles) == 1  # parsed once, with the theme's variables

    parsed_sources.clear()
    assert await launch() == set_while_running
    assert parsed_sources == []


def sheet(css: str, probe: str = "red") -> Stylesheet:
    stylesheet = Stylesheet(variables={"probe": probe})
    stylesheet.add_source(css, read_from=("probe.tcss", ""))
    return stylesheet


def probe_colour(stylesheet: Stylesheet) -> Color:
    (rule,) = stylesheet.rules
    return rule.styles.color


def test_a_changed_source_is_parsed_again_not_taken_from_the_cache(
    tmp_path: Path, parsed_sources: list[tuple[str, str]]
) -> None:
    first = sheet(RULES)
    cache = ParsedStyles(tmp_path)
    assert cache.restore(first) == 0
    assert probe_colour(first) == Color.parse("red")
    assert cache.store(first)

    changed = sheet(RULES.replace("color", "background"))
    assert ParsedStyles(tmp_path).restore(changed) == 1
    parsed_sources.clear()
    (rule,) = changed.rules
    assert parsed_sources == [("probe.tcss", "")]
    assert rule.styles.background == Color.parse("red")


def test_rules_parsed_with_other_variables_are_kept_apart(tmp_path: Path) -> None:
    red = sheet(RULES, probe="red")
    cache = ParsedStyles(tmp_path)
    cache.restore(red)
    assert probe_colour(red) == Color.parse("red")
    assert cache.store(red)
    assert cache_file({"probe": "red"}, tmp_path) != cache_file({"probe": "blue"}, tmp_path)

    blue = sheet(RULES, probe="blue")
    assert ParsedStyles(tmp_path).restore(blue) == 0
    assert probe_colour(blue) == Color.parse("blue")


def test_nothing_is_written_when_nothing_new_was_parsed(tmp_path: Path) -> None:
    first = sheet(RULES)
    cache = ParsedStyles(tmp_path)
    cache.restore(first)
    first.parse()
    assert cache.store(first)
    (written,) = tmp_path.glob("styles-*.pickle")
    stamp = written.stat().st_mtime_ns

    again = sheet(RULES)
    cache = ParsedStyles(tmp_path)
    assert cache.restore(again) == 1
    again.parse()
    assert not cache.store(again)
    assert written.stat().st_mtime_ns == stamp


def test_an_unwritable_cache_directory_costs_nothing_but_the_cache(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the directory should be", encoding="utf-8")
    stylesheet = sheet(RULES)
    cache = ParsedStyles(blocked)
    assert cache.restore(stylesheet) == 0
    assert probe_colour(stylesheet) == Color.parse("red")
    assert not cache.store(stylesheet)


def test_a_textual_without_the_parse_cache_starts_the_reader_without_ours(
    tmp_path: Path,
) -> None:
    class RenamedInternals:
        """A stylesheet whose parse cache is no longer where this module looks."""

        _variables: dict[str, str] = {}  # noqa: RUF012

    cache = ParsedStyles(tmp_path / "styles")
    assert cache.restore(RenamedInternals()) == 0  # type: ignore[arg-type]
    assert not cache.store(RenamedInternals())  # type: ignore[arg-type]
    assert not (tmp_path / "styles").exists()
