"""What the reader's keys do to the current article: line decisions, tags and notes.

The main screen's actions call an `Annotator`, which builds `Change`s from the shared
book for the current column's article and selection and asks the app's writer to save
them. It holds no state of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from reader.screens.saving import request_save, writable
from reader.state import READER, Change

if TYPE_CHECKING:
    from annotations.model import Annotation
    from reader.screens.main import MainScreen
    from reader.state import Book


class Annotator:
    """Decisions and annotations on the main screen's current article."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    @property
    def book(self) -> Book:
        return self.screen.book

    def save(self, change: Change) -> None:
        request_save(self.screen, self.book, change, READER)

    def writable(self) -> bool:
        return writable(self.screen, self.book)

    def decide(self, lines: Iterable[int], accept: bool, what: str) -> None:
        article = self.screen.current_article()
        view = self.screen.current_view()
        if article is None or view is None:
            return
        if article.id not in self.book.analyses:
            self.screen.notify("The detector is still running; try again in a moment.",
                               markup=False)
            return
        remove_lines, keep_lines = self.book.split_by_verdict(article, lines, accept)
        if not remove_lines and not keep_lines:
            self.screen.notify("Nothing to decide here (blank line).", markup=False)
            return
        if not self.writable():
            return
        change = self.book.decide(article, remove_lines, True, what)
        keep = self.book.decide(article, keep_lines, False, what)
        change.added += keep.added
        change.removed += keep.removed
        self.save(change)
        view.clear_selection()

    def _decide_here(self, accept: bool) -> None:
        view = self.screen.current_view()
        if view is not None:
            lines = view.target_lines()
            label = f"line {lines[0] + 1}" if len(lines) == 1 else f"{len(lines)} lines"
            self.decide(lines, accept, f"{'accepted' if accept else 'rejected'} {label}")

    def accept(self) -> None:
        self._decide_here(True)

    def reject(self) -> None:
        self._decide_here(False)

    def _decide_block(self, accept: bool) -> None:
        article, view = self.screen.current_article(), self.screen.current_view()
        lines = self.book.block(article, view.cursor_line) if article and view else []
        verb = "accepted" if accept else "rejected"
        self.decide(lines, accept, f"{verb} block of {len(lines)} lines")

    def accept_block(self) -> None:
        self._decide_block(True)

    def reject_block(self) -> None:
        self._decide_block(False)

    def accept_all(self) -> None:
        article = self.screen.current_article()
        if article is None or article.id not in self.book.analyses:
            return
        lines = self.book.undecided_suggestions(article)
        if not lines:
            self.screen.notify("No undecided suggestions in this article.", markup=False)
            return
        self.decide(lines, True, f"accepted all {len(lines)} suggestions")

    def open_editor(self, focus: str, annotation: Annotation | None = None) -> None:
        from reader.screens.editor import AnnotationEditor, EditorResult

        article = self.screen.current_article()
        view = self.screen.current_view()
        if article is None or view is None or not self.writable():
            return
        span = None
        if annotation is None:
            span = view.target_span()
            quote = article.text[span[0] : span[1]] if span else "(the whole article)"
        else:
            quote = annotation.target.exact if annotation.target else "(the whole article)"

        def saved(result: EditorResult | None) -> None:
            if result is None:
                return
            if annotation is None:
                change = self.book.annotate(article, span, result.tags, result.note)
            else:
                change = self.book.edit(annotation, result.tags, result.note)
            self.save(change)
            view.clear_selection()

        self.screen.app.push_screen(
            AnnotationEditor(
                quote=quote,
                tags=annotation.tags if annotation else [],
                note=annotation.note if annotation else "",
                known_tags=self.book.tags_by_use(),
                focus=focus,
            ),
            saved,
        )

    def tag(self) -> None:
        self.open_editor("tags")

    def note(self) -> None:
        self.open_editor("note")

    def quick_tag(self, number: int) -> None:
        article = self.screen.current_article()
        view = self.screen.current_view()
        if article is None or view is None:
            return
        tags = self.book.tags_by_use()
        if number > len(tags):
            self.screen.notify(f"No tag {number} yet: tag a span with t first.", markup=False)
            return
        span = view.target_span()
        if span is None:
            self.screen.notify("Nothing to tag on a blank line.", markup=False)
            return
        if not self.writable():
            return
        tag = tags[number - 1]
        change = self.book.annotate(article, span, [tag], "")
        change.description = f"tag #{tag}"
        self.save(change)
        view.clear_selection()

    def edit_annotation(self) -> None:
        from annotations.model import Motivation

        annotation = self.screen.panel.highlighted_annotation()
        if annotation is not None and annotation.motivation == Motivation.EDITING:
            self.screen.notify("A line decision has no tags or note: a or r on the line "
                               "changes it, d deletes it.", markup=False)
        elif annotation is not None:
            self.open_editor("note", annotation)

    def delete_annotation(self) -> None:
        annotation = self.screen.panel.highlighted_annotation()
        if annotation is not None and self.writable():
            self.save(Change(f"delete {self.describe(annotation)}", removed=[annotation]))

    def describe(self, annotation: Annotation) -> str:
        """What an annotation is, in a few words ("the decision on line 3", "tag #x")."""
        from annotations.model import Motivation
        from reader.corpus import strip_controls

        article = self.screen.current_article()
        if annotation.motivation == Motivation.EDITING:
            place = self.book.anchor_of(annotation, article) if article else None
            if article is not None and place is not None and place.attached:
                line = article.line_at(place.start).number + 1
                return f"the decision on line {line}"
            return "a line decision"
        tags = " ".join(f"#{strip_controls(tag)}" for tag in annotation.tags)
        kind = "note" if annotation.note.strip() else "tag"
        return f"{kind} {tags}".strip()

    def step_annotation(self, step: int) -> None:
        article, view = self.screen.current_article(), self.screen.current_view()
        if article is None or view is None:
            return
        starts = sorted(span.start for span in self.book.tagged_spans(article))
        if step > 0:
            following = [s for s in starts if s > view.cursor]
            target = following[0] if following else None
        else:
            earlier = [s for s in starts if s < view.cursor]
            target = earlier[-1] if earlier else None
        if target is None:
            self.screen.notify("No further annotation." if step > 0 else "No earlier annotation.",
                        markup=False)
        else:
            view.move_cursor(target, center=True)



