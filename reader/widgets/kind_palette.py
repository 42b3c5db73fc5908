"""Theme variables for the boilerplate families: a tint and a text colour per family.

The stylesheet cannot say "the text colour that contrasts most with this tint", and
Textual's `auto` text colour judges brightness its own way (some mid-tone tints came out
below WCAG AA), so the app adds these variables to each theme's: for every family, the
theme colour of the family blended over `$surface` at the family's share
(`$kind-site-background`), and black or white text, whichever has the higher WCAG
contrast ratio with it (`$kind-site-text`, at least 4.58:1 on any opaque colour). An
ANSI theme leaves colours to the terminal: the family's ANSI colour itself, with ANSI
black or bright white text.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.color import Color

FAMILY_TINTS: dict[str, tuple[str, float]] = {
    "site": ("warning", 0.35),
    "promotion": ("error", 0.45),
    "media": ("secondary", 0.50),
    "legal": ("accent", 0.35),
    "other-story": ("foreground", 0.22),
    "metadata": ("primary", 0.40),
    "inline": ("warning", 0.55),
}
"""Family (as in the variable names) -> the theme colour it is tinted with, and how much
of it is laid over `$surface`."""

BLACK = Color(0, 0, 0)
WHITE = Color(255, 255, 255)


def luminance(colour: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        value_f = value / 255
        return value_f / 12.92 if value_f <= 0.03928 else ((value_f + 0.055) / 1.055) ** 2.4

    red, green, blue = colour.rgb
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: Color, second: Color) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 to 21)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_for(background: Color) -> Color:
    """Black or white, whichever contrasts more with `background`."""
    return BLACK if contrast(background, BLACK) >= contrast(background, WHITE) else WHITE


def kind_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """`kind-FAMILY-background` and `kind-FAMILY-text` for a theme's `variables`."""
    found: dict[str, str] = {}
    surface_name = variables.get("surface", "")
    for family, (name, share) in FAMILY_TINTS.items():
        tint_name = variables.get(name, "")
        try:
            tint = Color.parse(tint_name)
            surface = Color.parse(surface_name)
        except Exception:  # a theme without a usable colour: a plain grey tint
            found[f"kind-{family}-background"] = "#808080"
            found[f"kind-{family}-text"] = "#000000"
            continue
        if tint.ansi is not None or surface.ansi is not None or surface.a == 0:
            # The terminal decides what ANSI colours look like; judge by the usual palette.
            # The default colour is no tint at all: grey stands in for it.
            if tint.ansi == -1:
                tint_name, tint = "ansi_bright_black", Color.parse("ansi_bright_black")
            background_text = tint_name
            text = "ansi_black" if text_for(tint) is BLACK else "ansi_bright_white"
        else:
            background = surface.blend(tint.with_alpha(1.0), share * tint.a)
            background_text = background.hex
            text = text_for(background).hex
        found[f"kind-{family}-background"] = background_text
        found[f"kind-{family}-text"] = text
    return found
