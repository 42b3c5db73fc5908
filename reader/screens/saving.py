"""Asking the app's writer for a change, and undo, the same way on every screen."""

from __future__ import annotations

from textual.screen import Screen

from reader import messages
from reader.corpus import strip_controls
from reader.corpus.text import one_line
from reader.state import Book, Change

TITLE_CHARS = 50
"""How much of an article's title a notification repeats."""


def article_label(book: Book, article_id: str) -> str:
    """“Title” (file name or host): which article a message is about."""
    from reader.widgets.article_list import outlet

    article = book.by_id.get(article_id)
    if article is None:
        return "an article not loaded"
    title = one_line(book.title(article), TITLE_CHARS)
    return f"“{title}” ({strip_controls(outlet(article))})"


def change_place(book: Book, change: Change) -> str:
    """Where a change was made, for its notification: the article and its file."""
    ids = sorted(change.article_ids)
    if not ids:
        return ""
    if len(ids) == 1:
        return f" in {article_label(book, ids[0])}"
    return f" in {len(ids)} articles"


def writable(screen: Screen, book: Book) -> bool:
    """Whether changes can be saved; when not, the user is told why."""
    if book.writable:
        return True
    if not book.opened:
        screen.notify(
            "The annotation database is still opening (it opens as the corpus loads): "
            "nothing was saved; try again in a moment.",
            severity="warning",
            markup=False,
        )
        return False
    screen.notify(
        f"The annotation database {book.db_path} is read-only: nothing was saved.",
        severity="warning",
        markup=False,
    )
    return False


def request_save(
    screen: Screen, book: Book, change: Change, history: str, *, undo: bool = False
) -> None:
    """Post the change to the app's writer (it answers with `ChangeSaved`/`ChangeFailed`)."""
    if not writable(screen, book):
        return
    change.history = history
    screen.post_message(messages.SaveRequested(change, undo=undo))


def request_undo(screen: Screen, book: Book, history: str) -> None:
    """Undo the last saved change of `history` by saving its inverse."""
    stack = book.undo_history(history)
    if not stack:
        screen.notify("Nothing to undo.", markup=False)
        return
    if not writable(screen, book):
        return
    request_save(screen, book, stack.pop().inverse(), history, undo=True)
