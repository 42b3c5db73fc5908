"""The family tints' text colour: whichever of black and white contrasts more."""

from __future__ import annotations

import itertools

from textual.color import Color

from reader.widgets.kind_palette import FAMILY_TINTS, contrast, kind_variables, text_for


def test_black_or_white_text_meets_aa_on_any_opaque_tint() -> None:
    levels = range(0, 256, 15)
    worst = min(
        contrast(Color(r, g, b), text_for(Color(r, g, b)))
        for r, g, b in itertools.product(levels, levels, levels)
    )
    assert worst >= 4.5


def test_every_family_gets_a_tint_and_a_text_colour_even_from_a_broken_theme() -> None:
    names = {f"kind-{family}-{part}" for family in FAMILY_TINTS for part in ("background", "text")}
    assert set(kind_variables({"surface": "#1e1e1e", "warning": "not a colour"})) == names
    blue = {name: "#0000ff" for name, _ in FAMILY_TINTS.values()}
    made = kind_variables({"surface": "#ffffff", **blue})
    assert made["kind-site-text"] == "#000000"  # a light tint of blue over white
