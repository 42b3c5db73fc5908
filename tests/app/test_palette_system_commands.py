"""The palette keeps Textual's system commands beside copydesk's and shows each command's
keys, as bound now."""

from __future__ import annotations

from pathlib import Path

from helpers.pilot import settle
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import HelpPanel

from reader.app import make_app


async def palette_entries(pilot: Pilot, query: str) -> dict[str, str]:
    """Open the palette, type `query`: {command name: its help line}."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    await settle(pilot)
    hits = pilot.app.screen.query_one(CommandList)
    entries = {}
    for index in range(hits.option_count):
        name, _, help_line = str(hits.get_option_at_index(index).prompt).partition("\n")
        entries[name] = help_line
    return entries


async def close_palette(pilot: Pilot) -> None:
    await pilot.press("escape")
    await pilot.pause()


async def test_palette_offers_textual_system_commands_beside_copydesks(db_path: Path) -> None:
    app = make_app(inputs=[], db_path=db_path, user="ada", cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        entries = await palette_entries(pilot, "app:")
        for name in ("app: keys", "app: screenshot", "app: maximize", "app: change theme",
                     "app: quit"):
            assert name in entries, (name, sorted(entries))
        # Textual's "Theme" and "Quit" are the registry's entries, not listed twice.
        assert not {"Theme", "Quit", "app: theme"} & set(entries)
        await close_palette(pilot)
        await palette_entries(pilot, "app: keys")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query(HelpPanel)  # Textual's keys panel, from the palette


async def test_palette_entries_show_their_keys(db_path: Path) -> None:
    app = make_app(inputs=[], db_path=db_path, user="ada", cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        entries = await palette_entries(pilot, "accept suggestion")
        assert entries["decide: accept suggestion on this line"].startswith("a  Accept the ")
        await close_palette(pilot)
        entries = await palette_entries(pilot, "undo")
        assert entries["edit: undo"].startswith("u ^z  ")
        await close_palette(pilot)
        entries = await palette_entries(pilot, "app:")
        assert "q" in entries["app: quit"].split("  ")[0].split()  # q (and ctrl+q)
        assert entries["app: change theme"].startswith("^t  ")
        assert not entries["app: screenshot"].startswith("^")  # no key: the help alone


async def test_palette_keys_follow_the_keymap(isolated_paths: Path, db_path: Path) -> None:
    (isolated_paths / "config.toml").write_text('[keymap]\n"decide.accept" = "y"\n')
    app = make_app(inputs=[], db_path=db_path, user="ada", cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        entries = await palette_entries(pilot, "accept suggestion")
        assert entries["decide: accept suggestion on this line"].startswith("y  ")
