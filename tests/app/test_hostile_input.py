"""Hostile text on every channel into the reader never reaches the terminal as a control
sequence, and nothing stored or written keeps one.

Each test runs the installed `copydesk` in a real pty, pastes or feeds the payload (an OSC
title, an OSC 52 clipboard write, `ESC[2J`, C1 CSI/OSC, BEL...) through one channel, reads
every byte the program wrote to the terminal, and checks the store and the files on disk.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.hostile import PAYLOAD, SHOWN, controls_in, leaks, stored_controls, text_fields
from helpers.review_support import USER
from helpers.terminal import copydesk_in_pty, copydesk_script

from annotations.store import AnnotationStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

CTRL_S = b"\x13"
CTRL_P = b"\x10"
ENTER = b"\r"
ESCAPE = b"\x1b"

ARTICLE = (
    "Harbour bridge reopens after repairs\n\n"
    "The harbour bridge reopened on Monday after eight months of repairs.\n\n"
    "Engineers replaced the deck and repainted the towers.\n"
)


def corpus_with(
    directory: Path, name: str = "bridge.txt", *, tag: str = "seen", note: str = "",
    user: str = "bo",
) -> Path:
    """A one-article corpus with one annotation, made by the real CLI `annotate` (the
    reader shows `✎1` once its store is open: the sign it is ready for keys)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(ARTICLE, encoding="utf-8")
    subprocess.run(
        [copydesk_script(), "annotate", str(path), "--quote", "bridge reopened",
         "--tag", tag, "--note", note, "--user", user],
        check=True, capture_output=True,
    )
    return directory


CLI_PAYLOAD = PAYLOAD.replace("\x00", "")
"""The payload as a command-line argument (which cannot hold NUL)."""


def stored(db_path: Path) -> list:
    """Every annotation, read back through a fresh store (the database must still open)."""
    return AnnotationStore.open(db_path, read_only=True).all()


def assert_clean_store(db_path: Path) -> list:
    """No control character in the files on disk, and the database still opens."""
    assert stored_controls(db_path) == []
    annotations = stored(db_path)
    assert [f for a in annotations for f in controls_in(text_fields(a))] == []
    return annotations


def mine(annotations: list) -> list:
    return [a for a in annotations if a.author == USER]


def assert_no_leaks(output: bytes) -> None:
    assert leaks(output) == [], f"escape sequences reached the terminal: {leaks(output)!r}"


def opened(terminal) -> None:
    """Wait until the article is shown, the detector has counted its boilerplate lines
    (`⌫N`) and the store has opened (`✎N`: the seeded annotation is counted)."""
    terminal.wait_for_text(r"Engineers replaced(.|\n)*⌫\d+\s+✎[1-9]")


def quit_app(terminal, *, close: bool = False) -> None:
    """Quit with q (after Esc closes a dialog: read in between, or ESC q is alt+q; the
    palette's first Esc may only clear its search)."""
    if close:
        for _ in range(2):
            terminal.press(ESCAPE)
            terminal.drain()
    terminal.press(b"q")
    assert terminal.wait_for_exit() == 0


def test_note_editor(tmp_path: Path, db_path: Path) -> None:
    """A note written by `copydesk annotate --note`, opened in the editor from the panel,
    then more pasted into it and saved."""
    corpus = corpus_with(tmp_path / "corpus", note=CLI_PAYLOAD, user=USER)
    with copydesk_in_pty("open", str(corpus), "--user", USER) as terminal:
        opened(terminal)
        terminal.press_until(b"p", r"Annotations · 1")
        terminal.press_until(b"e", r"Save \(ctrl\+s\)")
        mark = terminal.mark()
        terminal.paste(PAYLOAD + "\nsecond line")
        terminal.wait_for_text("second line", since=mark)
        terminal.press_until(CTRL_S, "Saved")
        quit_app(terminal)
    assert_no_leaks(bytes(terminal.transcript))
    (note,) = mine(assert_clean_store(db_path))
    assert SHOWN in note.note and "second line" in note.note


def test_tag_input_and_its_notification(tmp_path: Path, db_path: Path) -> None:
    """The tag comes in three ways: `copydesk annotate --tag` (the seed), the tag input,
    and the quick-tag key whose notification says "Saved: tag #..."."""
    hostile_tag = "evil" + CLI_PAYLOAD
    corpus = corpus_with(tmp_path / "corpus", tag=hostile_tag)
    with copydesk_in_pty("open", str(corpus), "--user", USER) as terminal:
        opened(terminal)
        terminal.press_until(b"vllllt", "Tags")
        mark = terminal.mark()
        terminal.paste(hostile_tag)
        terminal.press(ENTER)
        terminal.wait_for_text("Saved: annotation", since=mark)
        terminal.press_until(b"jvll1", "Saved: tag #evil")
        mark = terminal.mark()
        terminal.press(CTRL_P)
        terminal.paste("evil")
        terminal.wait_for_text("PWNED", since=mark)
        quit_app(terminal, close=True)
    assert_no_leaks(bytes(terminal.transcript))
    everything = assert_clean_store(db_path)
    assert len(everything) == 3
    assert all(len(a.tags) == 1 and SHOWN in a.tags[0] for a in everything)


def test_review_edit_dialog(tmp_path: Path, db_path: Path) -> None:
    """Someone else's tags and note, made by `copydesk annotate`, loaded into the review
    edit dialog; more pasted into it and saved as the reviewer's edit."""
    corpus = corpus_with(tmp_path / "corpus", tag="t" + CLI_PAYLOAD, note=CLI_PAYLOAD)
    with copydesk_in_pty("review", str(corpus), "--user", USER) as terminal:
        terminal.wait_for_text("bridge reopened")
        terminal.press_until(b"e", r"Save \(ctrl\+s\)")
        mark = terminal.mark()
        terminal.paste(", t" + PAYLOAD)
        terminal.press(ENTER)
        terminal.wait_for_text("Saved", since=mark)
        quit_app(terminal)
    assert_no_leaks(bytes(terminal.transcript))
    (edit,) = mine(assert_clean_store(db_path))
    assert SHOWN in edit.note and any(SHOWN in tag for tag in edit.tags)


def test_file_name_in_list_header_and_export_notification(tmp_path: Path, db_path: Path) -> None:
    hostile_name = "evil\x1b]0;PWNED-TITLE\x07\x9b2J"
    corpus = corpus_with(tmp_path / "corpus", name=hostile_name + ".txt")
    with copydesk_in_pty("open", str(corpus), "--user", USER, cwd=tmp_path) as terminal:
        opened(terminal)
        terminal.press_until(b"a", "Saved")
        mark = terminal.mark()
        terminal.press(CTRL_P)
        terminal.paste("export: cleaned text of current")
        terminal.wait_for_text("of current article", since=mark)
        terminal.press(ENTER)
        terminal.wait_for_text(r"Exported", since=mark)
        quit_app(terminal)
    assert_no_leaks(bytes(terminal.transcript))
    assert_clean_store(db_path)
    (written,) = (tmp_path / "cleaned").iterdir()
    assert written.name == "evil]0;PWNED-TITLE2J.txt"  # the name without its controls
    assert controls_in([written.read_text(encoding="utf-8")]) == []


def test_imported_annotations_list_and_reader(tmp_path: Path, db_path: Path) -> None:
    corpus = corpus_with(tmp_path / "corpus")
    from annotations.anchoring import make_target
    from annotations.formats import dump_bundle
    from annotations.model import Annotation, Motivation
    from reader.corpus import load_corpus

    (article,) = load_corpus([str(corpus)]).articles
    start = article.text.index("Engineers")
    clean = Annotation.create(
        article_id=article.id, source_hint=article.source, author="bo",
        motivation=Motivation.COMMENTING, target=make_target(article.text, start, start + 9),
        tags=["safe"], note="placeholder",
    )
    bundle = json.loads(dump_bundle([clean]))
    record = bundle["annotations"][0]
    record.update(author="bo" + PAYLOAD, note=PAYLOAD, tags=["t" + PAYLOAD])
    record["source_hint"] = PAYLOAD
    incoming = tmp_path / "incoming.json"
    incoming.write_text(json.dumps(bundle), encoding="utf-8")

    with copydesk_in_pty("annotations", "import", str(incoming)) as terminal:
        assert terminal.wait_for_exit() == 0
    imported = bytes(terminal.transcript)
    with copydesk_in_pty("annotations", "list") as terminal:
        terminal.wait_for_text(SHOWN)
        assert terminal.wait_for_exit() == 0
    listed = bytes(terminal.transcript)
    with copydesk_in_pty("annotations", "export", "-f", "csv") as terminal:
        terminal.wait_for_text(SHOWN)
        assert terminal.wait_for_exit() == 0
    exported = bytes(terminal.transcript)
    with copydesk_in_pty("open", str(corpus), "--user", USER) as terminal:
        opened(terminal)
        terminal.press_until(b"p", SHOWN)
        quit_app(terminal)
    for output in (imported, listed, exported, bytes(terminal.transcript)):
        assert_no_leaks(output)
    imported = [a for a in assert_clean_store(db_path) if SHOWN in a.note]
    assert len(imported) == 1 and imported[0].author.startswith("bo")


def test_config_values(tmp_path: Path, isolated_paths: Path, db_path: Path) -> None:
    corpus = corpus_with(tmp_path / "corpus")
    config = isolated_paths / "config.toml"
    escaped = json.dumps(PAYLOAD)  # a TOML basic string takes JSON's \\u escapes
    config.write_text(
        f"user = {json.dumps('me' + PAYLOAD)}\n"
        f"theme = {escaped}\n"
        f"columns = {escaped}\n"
        "[keymap]\n"
        f'"decide.accept" = {json.dumps("a," + PAYLOAD)}\n',
        encoding="utf-8",
    )
    with copydesk_in_pty("clean", str(corpus)) as terminal:
        terminal.wait_for_text("columns")
        terminal.wait_for_exit()
    cli = bytes(terminal.transcript)
    with copydesk_in_pty("open", str(corpus)) as terminal:
        opened(terminal)
        terminal.wait_for_text("columns")
        terminal.press_until(b"a", "Saved")
        quit_app(terminal)
    for output in (cli, bytes(terminal.transcript)):
        assert_no_leaks(output)
    (decision,) = [a for a in assert_clean_store(db_path) if a.author != "bo"]
    assert decision.author.startswith("me") and SHOWN in decision.author
