"""The one registry of actions: each is declared once (id, keys, description, palette
name, tooltip), and the bindings, the command palette and the help screen are all
generated from it, so the three cannot drift apart.

A screen takes its `BINDINGS` from `bindings(...)` and contributes its palette commands
through `commands_for(...)`, which names each action as declared here (a screen may
rename or hide one according to its state with a `command_name(action)` method).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, NamedTuple

from textual.binding import Binding

Command = tuple[str, Callable[[], object], str]
"""A palette entry: `category: action` name, what it runs, help text."""

QUICK_TAGS = 9
"""Keys 1..9 apply the most used tags."""
MAX_ANNOTATOR_KEYS = 9
"""Keys 1..9 take annotator N's decision in the curation view."""


class Action(NamedTuple):
    """One thing the user can do: its binding and its palette entry."""

    id: str
    """The binding id (what a keymap in the config file refers to)."""
    keys: str
    action: str
    """The Textual action string run by the key and by the palette entry."""
    description: str
    """What the footer and help call it."""
    command: str
    """The palette name, `category: action`; empty for no palette entry."""
    tooltip: str = ""
    """Shown in help beside the key, and as the palette entry's help."""
    show: bool = True
    """Whether the footer shows it."""
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.description, show=self.show,
                       priority=self.priority, tooltip=self.tooltip, id=self.id)


def bindings(actions: Iterable[Action]) -> list[Binding]:
    """The `BINDINGS` of a screen or the app."""
    return [action.binding() for action in actions]


def run(target: Any, action: str) -> Callable[[], object]:
    """A callback running `action` (e.g. `quick_tag(3)`) on `target`, as its key would."""
    return partial(target.run_action, action)


def commands_for(target: Any, actions: Iterable[Action]) -> Iterator[Command]:
    """Palette entries for `actions` on `target` (a screen or the app).

    `target.command_name(action)`, when defined, may rename an entry for the current
    state ("review: newest first") or return None to leave it out for now.
    """
    rename = getattr(target, "command_name", None)
    for action in actions:
        name = rename(action) if rename is not None else action.command
        if name:
            yield name, run(target, action.action), action.tooltip or action.description


A = Action

APP = (
    A("app.quit", "q", "quit", "Quit", "app: quit"),
    A("app.quit_anywhere", "ctrl+q", "quit", "Quit", "", "Also from a text box", show=False,
      priority=True),
    A("app.help", "question_mark", "help", "Help", "help: keys"),
    A("app.theme", "ctrl+t", "change_theme", "Theme", "app: change theme", show=False),
    A("app.review", "R", "review", "Review", "review: annotations by others",
      "Review annotations by others", show=False),
    A("app.command_palette", "ctrl+p", "command_palette", "palette", "",
      "Every command of this screen, by name", show=False, priority=True),
)
"""App-wide. `ctrl+q` is `q` again (one palette entry); the palette does not list itself."""

READER = (
    A("decide.accept", "a", "accept", "Accept", "decide: accept suggestion on this line",
      "Accept the suggestion on the line (or the selected lines)"),
    A("decide.reject", "r", "reject", "Reject", "decide: reject suggestion on this line",
      "Reject the suggestion on the line (or the selected lines)"),
    A("decide.accept_block", "b", "accept_block", "Accept block", "decide: accept this block",
      "The block: the run of non-blank lines around the cursor with the same kind and "
      "verdict (blank lines do not end it)", show=False),
    A("decide.reject_block", "B", "reject_block", "Reject block", "decide: reject this block",
      "Reject the suggestion on every line of the block", show=False),
    A("decide.accept_all", "A", "accept_all", "Accept all",
      "decide: accept all suggestions in the article", show=False),
    A("edit.undo", "u,ctrl+z", "undo", "Undo", "edit: undo"),
    A("annotate.tag", "t", "tag", "Tag", "annotate: tag the selection"),
    A("annotate.note", "e", "note", "Note", "annotate: write a note"),
    *(
        A(f"annotate.quick_{n}", str(n), f"quick_tag({n})", f"Quick tag {n}",
          f"annotate: quick tag {n}", "Tag the selection with the Nth most used tag",
          show=False)
        for n in range(1, QUICK_TAGS + 1)
    ),
    A("annotate.next", "right_curly_bracket", "next_annotation", "Next annotation",
      "annotate: next annotation", show=False),
    A("annotate.previous", "left_curly_bracket", "previous_annotation",
      "Previous annotation", "annotate: previous annotation", show=False),
    A("view.cycle_mode", "m", "cycle_mode", "Mode", "view: next mode",
      "Marked, cleaned, original, unique (what only this article prints)"),
    A("view.sync", "s", "toggle_sync", "Sync", "view: toggle synchronized scrolling",
      "Scroll the columns together, shared passages kept level"),
    A("view.legend", "K", "toggle_legend", "Legend", "view: toggle the boilerplate legend",
      "The kinds of boilerplate by family, each in its colour", show=False),
    A("view.line_details", "i", "line_details", "Line details", "view: details of this line",
      "Kind, family, score, full reason, decision and block of the line under the cursor",
      show=False),
    A("view.goto_line", "colon,ctrl+g", "goto_line", "Go to line", "view: go to line",
      "Move the cursor to a line number (1-based, as the status line counts)", show=False),
    A("shared.jump", "c", "jump_counterpart", "Counterpart", "shared: jump to the counterpart",
      "Go to the passage another article shares with this one (in another column)",
      show=False),
    A("shared.link", "C", "link_counterpart", "Link pair",
      "shared: link the passage and its counterpart as annotations",
      "Save the shared passage and its counterpart as a linked pair of annotations",
      show=False),
    A("columns.add", "plus", "add_column", "Add column", "columns: add a column", show=False),
    A("columns.remove", "minus", "remove_column", "Remove column",
      "columns: remove this column", show=False),
    A("columns.next", "w,greater_than_sign", "next_column", "Next column",
      "columns: next column", show=False),
    A("columns.previous", "W,less_than_sign", "previous_column", "Previous column",
      "columns: previous column", show=False),
    A("columns.next_article", "right_square_bracket", "next_article", "Next article",
      "columns: next article in this column",
      "Show the next article of the list in this column", show=False),
    A("columns.previous_article", "left_square_bracket", "previous_article",
      "Previous article", "columns: previous article in this column",
      "Show the previous article of the list in this column", show=False),
    A("panel.toggle", "p", "toggle_panel", "Annotations", "view: toggle annotations panel"),
    A("list.toggle", "L", "toggle_list", "List", "view: toggle article list", show=False),
    A("list.focus", "o", "focus_list", "Articles", "list: focus the article list", show=False),
    A("list.filter", "f", "filter", "Filter", "filter: edit the list filter", show=False),
    A("search.article", "slash", "search", "Search", "search: in this article"),
    A("search.next", "n", "next_match", "Next match", "search: next match", show=False),
    A("search.previous", "N", "previous_match", "Previous match", "search: previous match",
      show=False),
    A("search.corpus", "F", "search_corpus", "Search corpus", "search: corpus", show=False),
    A("export.dialog", "x", "export", "Export",
      "export: choose articles, format and directory"),
)
"""The reader's main screen."""

REVIEW = (
    A("review.accept", "a", "accept", "Accept", "review: accept annotation",
      "Accept the annotation"),
    A("review.reject", "r", "reject", "Reject", "review: reject annotation",
      "Reject the annotation"),
    A("review.edit", "e", "edit", "Edit", "review: edit", "Accept with changed tags or note"),
    A("review.reply", "c", "reply", "Reply", "review: reply",
      "Write a Markdown reply threaded under the annotation"),
    A("review.undo", "u,ctrl+z", "undo", "Undo", "review: undo",
      "Undo the last verdict, reply or settlement"),
    A("review.next", "down,j", "next_item", "Next", "review: next in queue", show=False),
    A("review.previous", "up,k", "previous_item", "Previous", "review: previous in queue",
      show=False),
    A("review.order", "o", "toggle_order", "Order", "review: disagreements first",
      "Newest first or disagreements first"),
    A("review.filter", "f,slash", "filter", "Filter", "filter: edit the queue filter",
      "@author #tag is:unreviewed|accepted|rejected art:ID decisions"),
    A("review.stats", "s", "toggle_stats", "Agreement", "review: show agreement",
      "Agreement between annotators (kappa, alpha)"),
    A("review.curate", "C", "curate", "Curate", "review: open curation view",
      "Curation view of this article's line decisions"),
    A("review.back", "escape", "leave", "Back", "review: back to the reader",
      "Back to the reader, or from the filter box to the queue; never quits "
      "`copydesk review` (q does)"),
)
"""The review queue."""

CURATION = (
    A("curation.remove", "x", "settle(True)", "Remove", "curation: remove this line",
      "Settle the line as boilerplate (removed)"),
    A("curation.keep", "o", "settle(False)", "Keep", "curation: keep this line",
      "Settle the line as content (kept)"),
    *(
        A(f"curation.take_{n}", str(n), f"take({n})", f"Take annotator {n}",
          f"curation: take annotator {n}'s decision",
          "Settle the line as annotator N decided it (numbers in the title)", show=False)
        for n in range(1, MAX_ANNOTATOR_KEYS + 1)
    ),
    A("curation.suggestion", "S", "take_suggestion", "Take suggestion",
      "curation: take the suggestion", "Settle the line as the detector suggests",
      show=False),
    A("curation.accept_agreed", "A", "accept_agreed", "Accept all agreed",
      "curation: accept all agreed", "Settle every line the annotators agree on"),
    A("curation.next", "n", "next_disagreement", "Next disagreement",
      "curation: next disagreement", "Move to the next line the annotators disagree on"),
    A("curation.previous", "N", "previous_disagreement", "Previous disagreement",
      "curation: previous disagreement",
      "Move to the previous line the annotators disagree on", show=False),
    A("curation.next_article", "right_square_bracket", "next_article", "Next article",
      "curation: next article", "The next article with line decisions"),
    A("curation.previous_article", "left_square_bracket", "previous_article",
      "Previous article", "curation: previous article",
      "The previous article with line decisions", show=False),
    A("curation.fill", "f", "toggle_fill", "Fill", "curation: show suggestions for "
      "undecided lines", "Show undecided lines as the detector's suggestion (~)"),
    A("curation.undo", "u,ctrl+z", "undo", "Undo", "curation: undo",
      "Undo the last change (one undo history with the review screen)"),
    A("curation.back", "escape", "back", "Back", "curation: back to review",
      "Back to the review screen"),
)
"""The curation view."""

PANEL = (
    A("panel.down", "down,j", "cursor_down", "Down", "", show=False),
    A("panel.up", "up,k", "cursor_up", "Up", "", show=False),
    A("panel.edit", "e", "screen.edit_annotation", "Edit", "annotate: edit the annotation"),
    A("panel.delete", "d,delete", "screen.delete_annotation", "Delete",
      "annotate: delete the annotation"),
)
"""The annotations panel (its cursor keys are the list's own, not palette commands)."""
