"""Untrusted text shows literally; a corrupt database is never written; config is honoured."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import main_screen, reader, settle, stored

from reader.config import load_settings
from reader.widgets.article_view import ArticleView

HOSTILE = (
    "[bold]Headline[/] with [/] and [link=https://example.com]a link[/link]\n"
    "\n"
    "Values [true, false] and [@click=app.quit]click me[/] and \x1b[31mred\x1b[0m and "
    "\x1b]0;title\x07 and \x9b2J done.\n"
)


def screen_text(app) -> str:
    """Everything drawn on the screen, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def test_markup_and_escapes_in_articles_notes_and_names_stay_literal(
    tmp_path: Path, db_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "[bold]x[-].txt").write_text(HOSTILE, encoding="utf-8")
    (corpus / "[red]broken[.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    app = reader([str(corpus)])
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert len(screen.book.articles) == 1
        text = screen_text(app)
        assert "[bold]Headline[/] with [/]" in text
        assert "[true, false]" in text
        assert "[@click=app.quit]click me[/]" in text
        assert "\x1b" not in text and "\x9b" not in text
        assert "[bold]x[-].txt" in text
        problems = [n for n in app._notifications if "could not be loaded" in (n.title or "")]
        assert problems and "[red]broken[.txt" in problems[0].message

        # A note full of markup is saved and listed verbatim.
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"[b]x[/] [true, false] [/]", "ctrl+s")
        await settle(pilot)
        assert [r.note for r in stored(db_path)] == ["[b]x[/] [true, false] [/]"]
        await pilot.press("p")
        await pilot.pause()
        assert "[b]x[/] [true, false] [/]" in screen_text(app)
        assert app.is_running


async def test_corrupt_database_opens_read_only_and_is_not_touched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.write_text("{ this is not json", encoding="utf-8")
    before = db_path.read_bytes()
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.book.read_only
        messages = [n.message for n in app._notifications]
        assert any(str(db_path) in m and "read-only" in m for m in messages)
        await pilot.press("a")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("read-only" in m and "nothing was saved" in m for m in messages)
        assert isinstance(app.focused, ArticleView)
    assert db_path.read_bytes() == before


async def test_keymap_from_config_and_theme_remembered(isolated_paths: Path) -> None:
    config = isolated_paths / "config.toml"
    config.write_text('[keymap]\n"decide.accept" = "y"\n"view.cycle_mode" = "M"\n',
                      encoding="utf-8")
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("M")
        assert screen.current_view().mode == "cleaned"
        await pilot.press("m")
        assert screen.current_view().mode == "cleaned"
        app.theme = "dracula"
        await pilot.pause()
    assert load_settings().theme == "dracula"
    assert load_settings().keymap == {"decide.accept": "y", "view.cycle_mode": "M"}

    again = reader()
    async with again.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert again.theme == "dracula"


async def test_help_lists_every_binding_and_palette_names_are_categorised(
    db_path: Path,
) -> None:
    from reader.commands import ReaderCommands
    from reader.screens.help import HelpScreen, binding_groups

    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for _, bindings in binding_groups(app, app.screen.target):
            for binding in bindings:
                assert binding.id, binding
                assert binding.description, binding
        assert "Accept" in text and "Reject" in text
        await pilot.press("escape")
        await pilot.pause()
        provider = ReaderCommands(app.screen)
        names = [name for name, _, _ in provider.commands()]
        assert "export: cleaned text of all articles" in names
        assert "view: cleaned" in names
        assert all(": " in name for name in names)


async def test_duplicate_articles_are_shown_once_and_named(tmp_path: Path, db_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "A headline\n\n" + "The same report, word for word, saved twice. " * 5 + "\n"
    (corpus / "first.txt").write_text(text, encoding="utf-8")
    (corpus / "second copy.txt").write_text(text, encoding="utf-8")
    app = reader([str(corpus)], db_path=db_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert len(screen.book.articles) == 1
        [note] = [n for n in app._notifications if "duplicate" in (n.title or "")]
        assert "second copy.txt" in note.message and "first.txt" in note.message


async def test_editor_fields_drop_control_characters_however_set(db_path: Path) -> None:
    """Code that sets a value, an insert and a reload: none leaves a control character in
    the tag field or the note editor (both draw what they hold)."""
    from textual.widgets import Input, TextArea

    app = reader()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v", "l", "e")
        await pilot.pause()
        tags = app.screen.query_one("#editor-tags", Input)
        note = app.screen.query_one("#editor-note", TextArea)
        tags.value = "a\x1b]0;x\x07b"
        note.insert("n\x1b[2Jo\x9b\tp\nq")
        note.load_text(note.text + "\x07r")
        await pilot.pause()
        assert tags.value == "a]0;xb"
        assert note.text == "n[2Jo\tp\nqr"
