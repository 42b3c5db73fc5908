"""The annotations panel: the current article's tags and notes, in text order, then its
line decisions (accept/reject of the detector's suggestions) by line, with the orphaned
ones (their text is gone) under their own heading.

It draws what the book holds for the article it is given and posts `Jump` when one is
chosen; `e` and `d` ask the screen to edit or delete the highlighted one (`u` undoes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader import actions
from reader.actions import bindings
from reader.corpus import Article, strip_controls
from reader.corpus.text import one_line
from reader.state import Book

if TYPE_CHECKING:
    from annotations.model import Annotation

NOTE_PREVIEW_CHARS = 80
QUOTE_PREVIEW_CHARS = 60


def annotation_prompt(annotation: Annotation, status: str) -> Content:
    """Author and anchoring status, tags, the quote and the note, as literal content."""
    note = one_line(annotation.note, NOTE_PREVIEW_CHARS)
    quote = one_line(annotation.target.exact if annotation.target else "", QUOTE_PREVIEW_CHARS)
    tags = " ".join("#" + strip_controls(tag) for tag in annotation.tags)
    parts: list[tuple[str, str] | str] = [
        (strip_controls(annotation.author), "bold"),
        (f"  {status}", "dim" if status == "exact" else "$warning"),
    ]
    if tags:
        parts += ["\n", (tags, "italic $secondary")]
    if quote:
        parts += ["\n", (f"“{quote}”", "dim")]
    if note:
        parts += ["\n", note]
    return Content.assemble(*parts)


def decision_prompt(annotation: Annotation, line: int | None, you: str) -> Content:
    """Line, what was decided and by whom, and the line's text, as literal content."""
    removed = annotation.decision == "remove"
    author = "you" if annotation.author == you else strip_controls(annotation.author)
    quote = one_line(annotation.target.exact if annotation.target else "", QUOTE_PREVIEW_CHARS)
    where = f"L{line + 1}" if line is not None else "L?"
    return Content.assemble(
        (where, "bold"),
        (f"  {'removed' if removed else 'kept'}", "bold $error" if removed else "bold $success"),
        (f"  by {author}", "dim"),
        "\n",
        (f"“{quote}”", "dim"),
    )


class AnnotationPanel(OptionList):
    """The list of annotations (its keys: move, edit, delete)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(actions.PANEL)


class AnnotationsPanel(Vertical):
    """Title and list of the current article's annotations."""

    class Jump(Message):
        """Move the cursor to this annotation's place in the article."""

        def __init__(self, annotation: Annotation, start: int) -> None:
            super().__init__()
            self.annotation = annotation
            self.start = start

    def __init__(self, book: Book, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.book = book
        self.article: Article | None = None

    def on_mount(self) -> None:
        self.display = False  # until `p`

    def compose(self) -> ComposeResult:
        yield Static(Content("Annotations"), id="panel-title", markup=False)
        yield AnnotationPanel(id="annotation-list")

    @property
    def options(self) -> AnnotationPanel:
        return self.query_one(AnnotationPanel)

    def show(self, article: Article | None) -> None:
        """List `article`'s annotations (drawn only while the panel is displayed)."""
        self.article = article
        if not self.display:
            return
        book = self.book
        options: list[Option | None] = []
        orphans: list[Option] = []
        title = "Annotations"
        if article is not None:
            notes = book.notes(article)
            decisions = book.line_decision_annotations(article)
            title = f"Annotations · {len(notes)}"
            if decisions:
                title += f" · {len(decisions)} line decision{'s' if len(decisions) != 1 else ''}"
            placed = []
            for annotation in notes:
                found = book.anchor_of(annotation, article)
                option = Option(annotation_prompt(annotation, found.status), id=annotation.id)
                if found.attached:
                    placed.append((found.start, option))
                else:
                    orphans.append(option)
            options.extend(option for _, option in sorted(placed, key=lambda p: p[0]))
            decided = []
            for annotation in decisions:
                found = book.anchor_of(annotation, article)
                line = article.line_at(found.start).number if found.attached else None
                option = Option(decision_prompt(annotation, line, book.user), id=annotation.id)
                if line is None:
                    orphans.append(option)
                else:
                    decided.append((line, option))
            if decided:
                if options:
                    options.append(None)
                options.append(Option(Content.styled("Line decisions", "bold"), disabled=True))
                options.extend(option for _, option in sorted(decided, key=lambda p: p[0]))
            if orphans:
                options.append(None)
                options.append(Option(Content.styled("Orphaned (text not found)", "bold $error"),
                                      disabled=True))
                options.extend(orphans)
        self.query_one("#panel-title", Static).update(Content(title))
        panel = self.options
        highlighted = panel.highlighted
        panel.set_options(options)
        if panel.option_count:
            panel.highlighted = min(highlighted or 0, panel.option_count - 1)

    def annotation(self, ident: str | None) -> Annotation | None:
        """The annotation `ident` on the article shown."""
        if self.article is None or ident is None:
            return None
        return next((a for a in self.book.for_article(self.article.id) if a.id == ident), None)

    def highlighted_annotation(self) -> Annotation | None:
        panel = self.options
        if panel.highlighted is None:
            return None
        return self.annotation(panel.get_option_at_index(panel.highlighted).id)

    @on(OptionList.OptionSelected, "#annotation-list")
    def jump(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        annotation = self.annotation(event.option.id)
        if annotation is None or self.article is None:
            return
        found = self.book.anchor_of(annotation, self.article)
        if found.attached:
            self.post_message(self.Jump(annotation, found.start))
