"""The running reader shows what other processes write to the database."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

from helpers.annotations_support import STORY
from helpers.terminal import copydesk_script
from reader_helpers import main_screen, reader, settle, stored
from textual.pilot import Pilot

from annotations.store import AnnotationStore
from reader import messages

ROUNDS = 300
"""A bound on the wait (each round 0.05 s of app time), not a schedule."""


async def until(pilot: Pilot, condition) -> None:
    for _ in range(ROUNDS):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the reader never showed the other process's write")


async def test_the_reader_shows_annotations_the_cli_adds_edits_and_removes(
    db_path: Path, tmp_path: Path
) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    app = reader([str(story)], db_path=db_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        article = screen.current_article()
        await pilot.press("p")
        await settle(pilot)
        panel = screen.query_one("#annotation-list")
        assert panel.option_count == 0

        done = subprocess.run(
            [
                copydesk_script(),
                "annotate",
                str(story),
                "--quote",
                "Analysts had expected",
                "--tag",
                "fromcli",
                "--note",
                "From the CLI.",
                "--user",
                "colleague",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        entry = lambda: screen.article_list.entries[article.id]  # noqa: E731
        await until(pilot, lambda: entry().annotations == 1)
        assert entry().tags == ("fromcli",)
        assert entry().authors == ("colleague",)
        start = article.text.index("Analysts had expected")
        view = screen.current_view()
        assert any(h.start == start for h in view.highlights)
        assert panel.option_count == 1

        # Another process edits it: the reader shows the new note, and its own edit of
        # that note starts from the new version (no conflict).
        other = AnnotationStore.open(db_path)
        theirs = other.all()[0]
        other.apply(update=[(theirs, replace(theirs, note="Edited elsewhere."))])
        await until(pilot, lambda: screen.book.notes(article)[0].note == "Edited elsewhere.")
        mine = screen.book.notes(article)[0]
        edit = screen.book.edit(mine, ["fromcli", "checked"], "Edited elsewhere. Checked.")
        screen.post_message(messages.SaveRequested(edit))
        await settle(pilot)
        assert [a.note for a in stored(db_path)] == ["Edited elsewhere. Checked."]

        # Another process removes it: gone from the list counts, highlights and panel.
        other.apply(remove=other.all())
        await until(pilot, lambda: entry().annotations == 0)
        assert not any(h.start == start for h in view.highlights)
        assert panel.option_count == 0
        assert screen.book.histories["reader"][-1].description == "edit"  # not undoable


async def test_saving_an_edit_of_a_version_another_process_replaced_is_refused(
    db_path: Path, tmp_path: Path
) -> None:
    """The note editor holds the version it opened; another process saves a newer one;
    saving the editor is refused with a message, and the newer version is kept."""
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    app = reader([str(story)], db_path=db_path)
    failures: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, messages.ChangeFailed):
            failures.append(message.error)

    async with app.run_test(size=(160, 45), message_hook=hook) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("j", "j", "e")
        await pilot.pause()
        await pilot.press(*"Mine", "ctrl+s")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("e")  # the editor opens on the stored version
        await pilot.pause()
        other = AnnotationStore.open(db_path)
        theirs = other.all()[0]
        other.apply(update=[(theirs, replace(theirs, note="Theirs, newer."))])
        article = screen.current_article()
        await until(pilot, lambda: screen.book.notes(article)[0].note == "Theirs, newer.")
        await pilot.press("end", *" and more", "ctrl+s")
        await settle(pilot)
        assert [a.note for a in stored(db_path)] == ["Theirs, newer."]
        assert len(set(failures)) == 1  # one failure, handed to each open screen
        assert "was changed in the database" in failures[0]
        assert "nothing was saved and the newer version is kept" in failures[0]
