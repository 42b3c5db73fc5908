"""Boilerplate highlight legibility in every built-in theme.

Runs the real app headless, resolves each kind's style as the article view draws it
(`COMPONENT_CLASSES` through the stylesheet and the theme's variables; ANSI colours with
Rich's default terminal palette) and prints, per theme: the lowest WCAG contrast ratio of
text on its tint (and which family), how far the faintest tint is from the article's
own background, and how close two families drawn in the same text style come (RGB
distance). Targets: contrast >= 4.5 (AA), tint >= 30 from the background, families >= 25
apart (`tests/app/test_legible_kinds.py` asserts the same).

Usage: `.venv/bin/python bench/kind_contrast.py`
"""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import tempfile
from pathlib import Path

from rich.terminal_theme import DEFAULT_TERMINAL_THEME


def rgb(colour) -> tuple[int, int, int]:
    triplet = colour.get_truecolor(DEFAULT_TERMINAL_THEME)
    return triplet.red, triplet.green, triplet.blue


def luminance(colour: tuple[int, int, int]) -> float:
    def linear(value: int) -> float:
        value_f = value / 255
        return value_f / 12.92 if value_f <= 0.03928 else ((value_f + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(v) for v in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ratio(style) -> float:
    first, second = luminance(rgb(style.color)), luminance(rgb(style.bgcolor))
    return (max(first, second) + 0.05) / (min(first, second) + 0.05)


def apart(one, other) -> float:
    pairs = zip(rgb(one.bgcolor), rgb(other.bgcolor), strict=True)
    return sum((x - y) ** 2 for x, y in pairs) ** 0.5


async def measure() -> None:
    from reader.app import make_app
    from reader.widgets.article_rendering import KIND_FAMILIES
    from reader.widgets.article_view import ArticleView

    families = [*((name, kinds[0]) for name, _, kinds in KIND_FAMILIES), ("inline", "inline")]
    app = make_app(inputs=[], user="bench", cursor_blink=False)
    print(f"{'theme':22} {'contrast':>8} {'family':12} {'tint':>5} {'alike':>6}")
    lowest = []
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            base = view.rich_style
            styles = {
                name: view.get_component_rich_style(f"article-view--{kind}")
                for name, kind in families
            }
            worst = min(styles, key=lambda name: ratio(styles[name]))
            tint = min(apart(style, base) for style in styles.values())
            alike = min(
                (apart(a, b) for a, b in itertools.combinations(styles.values(), 2)
                 if (a.bold, a.italic, a.underline) == (b.bold, b.italic, b.underline)),
                default=float("inf"),
            )
            lowest.append(ratio(styles[worst]))
            print(f"{theme:22} {ratio(styles[worst]):8.2f} {worst:12} {tint:5.0f} {alike:6.0f}")
    print(f"lowest contrast over {len(lowest)} themes: {min(lowest):.2f}:1")


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        home = Path(directory)
        os.environ["COPYDESK_CONFIG"] = str(home / "config.toml")
        os.environ["COPYDESK_DB"] = str(home / "annotations.json")
        os.environ["COPYDESK_DATA_DIR"] = str(home / "data")
        os.environ["COPYDESK_CACHE_DIR"] = str(home / "cache")
        asyncio.run(measure())


if __name__ == "__main__":
    sys.exit(main())
