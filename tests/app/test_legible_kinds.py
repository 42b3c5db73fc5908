"""Boilerplate highlights are legible and tell the families apart in every built-in theme.

The styles are resolved as the article view resolves them when it draws a line: its
`COMPONENT_CLASSES`, through the stylesheet, with the theme's CSS variables. ANSI themes
leave colours to the terminal; they are judged with Rich's default terminal palette.
"""

from __future__ import annotations

import itertools

import pytest
from helpers.pilot import settle
from rich.color import Color as RichColor
from rich.style import Style
from rich.terminal_theme import DEFAULT_TERMINAL_THEME
from textual.theme import BUILTIN_THEMES

from reader.app import make_app
from reader.widgets.article_rendering import BOILERPLATE_KINDS, KIND_FAMILIES
from reader.widgets.article_view import ArticleView

AA = 4.5
"""WCAG 2 AA: the least contrast ratio for normal text on its background."""
DISTINCT = 25
"""Least RGB distance between the tints of two families drawn in the same text style."""
STANDS_OUT = 30
"""Least RGB distance between a family's tint and the article's own background."""
CLASSES = ("boilerplate", "inline", *BOILERPLATE_KINDS)


def rgb(colour: RichColor | None) -> tuple[int, int, int]:
    assert colour is not None, "a kind style without its own colour"
    triplet = colour.get_truecolor(DEFAULT_TERMINAL_THEME)
    return triplet.red, triplet.green, triplet.blue


def relative_luminance(colour: tuple[int, int, int]) -> float:
    def linear(value: int) -> float:
        value_f = value / 255
        return value_f / 12.92 if value_f <= 0.03928 else ((value_f + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(v) for v in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(style: Style) -> float:
    first, second = relative_luminance(rgb(style.color)), relative_luminance(rgb(style.bgcolor))
    return (max(first, second) + 0.05) / (min(first, second) + 0.05)


def text_style(style: Style) -> tuple[bool, bool, bool]:
    return bool(style.bold), bool(style.italic), bool(style.underline)


async def resolved_styles() -> dict[str, dict[str, Style]]:
    """Theme -> component class -> the style the view draws it with."""
    app = make_app(inputs=[], user="tester", cursor_blink=False)
    found: dict[str, dict[str, Style]] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(ArticleView)
        assert set(BUILTIN_THEMES) <= set(app.available_themes)
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            found[theme] = {
                name: view.get_component_rich_style(f"article-view--{name}") for name in CLASSES
            }
            found[theme][""] = view.rich_style
    return found


@pytest.fixture(scope="module")
def styles() -> dict[str, dict[str, Style]]:
    import asyncio

    return asyncio.run(resolved_styles())


def distance(one: Style, other: Style) -> float:
    """How far apart two styles' backgrounds are (RGB, Euclidean)."""
    pairs = zip(rgb(one.bgcolor), rgb(other.bgcolor), strict=True)
    return sum((x - y) ** 2 for x, y in pairs) ** 0.5


def test_every_kind_has_one_family() -> None:
    families = [kind for _, _, kinds in KIND_FAMILIES for kind in kinds]
    assert sorted(families) == sorted(BOILERPLATE_KINDS)


def test_every_kind_is_readable_in_every_builtin_theme(styles) -> None:
    too_faint = [
        f"{theme}: {name} {contrast_ratio(style):.2f}:1 ({style})"
        for theme, by_class in styles.items()
        for name, style in by_class.items()
        if name and contrast_ratio(style) < AA
    ]
    assert not too_faint, "\n".join(too_faint)
    assert len(styles) >= len(BUILTIN_THEMES)


def test_families_look_different_from_each_other_in_every_theme(styles) -> None:
    """Kinds of one family share a style; two families never look alike: they differ in
    text style (bold, italic, underline) or clearly in tint."""
    families = [("inline", ("inline",)), *((name, kinds) for name, _, kinds in KIND_FAMILIES)]
    alike = []
    for theme, by_class in styles.items():
        for name, kinds in families:
            looks = {(s.color, s.bgcolor, text_style(s)) for s in (by_class[k] for k in kinds)}
            assert len(looks) == 1, f"{theme}: the {name} family is not drawn alike"
        for (first, a), (second, b) in itertools.combinations(families, 2):
            one, other = by_class[a[0]], by_class[b[0]]
            if text_style(one) != text_style(other):
                continue
            apart = distance(one, other)
            if apart < DISTINCT:
                alike.append(f"{theme}: {first} and {second} ({apart:.0f} apart)")
    assert not alike, "\n".join(alike)


def test_every_kind_stands_out_from_the_text_around_it(styles) -> None:
    faint = [
        f"{theme}: {name} ({distance(style, by_class['']):.0f} from the background)"
        for theme, by_class in styles.items()
        for name, style in by_class.items()
        if name and distance(style, by_class[""]) < STANDS_OUT
    ]
    assert not faint, "\n".join(faint)
