"""In-app export of cleaned text: the dialog's last choices, and the export worker.

The main screen owns one `Exporter`. The text written is `Book.cleaned` (the same code
as `copydesk export`), from a snapshot of the book taken on the UI thread; the worker
posts `ExportProgress` and `ExportFinished` (with any verdicts it had to compute, for
the book to keep) back to the screen.
"""

from __future__ import annotations

import contextlib
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from reader import messages
from reader.screens.saving import article_label

if TYPE_CHECKING:
    from annotations.model import Annotation
    from reader.boilerplate import Analysis
    from reader.corpus import Article
    from reader.screens.main import MainScreen


def default_export_dir() -> Path:
    """Where in-app exports go unless the user picks another directory."""
    return Path.cwd() / "cleaned"


class Exporter:
    """The export dialog's last format and directory, and the exports they start."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.format = "txt"
        """The format last chosen in the export dialog; palette exports use it too."""
        self.directory: Path | None = None
        """The directory last chosen in the export dialog (None: `default_export_dir()`)."""
        self.exported: list[str] = []
        """Which articles the running export writes (named when it finishes)."""

    def open_dialog(self) -> None:
        from reader.screens.export import ExportDialog, ExportRequest

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.format = request.fmt
                self.directory = request.directory
                self.export(request.scope)

        self.screen.app.push_screen(
            ExportDialog(
                marked=len(self.screen.article_list.marked),
                default_dir=self.directory or default_export_dir(),
                default_format=self.format,
            ),
            chosen,
        )

    def destination(self) -> str:
        """"FORMAT to DIRECTORY" as an export without a dialog writes (for the palette)."""
        directory = self.directory or default_export_dir()
        shown = str(directory)
        with contextlib.suppress(ValueError):
            shown = f"./{directory.relative_to(Path.cwd())}"
        return f"{self.format} to {shown}"

    def articles_for(self, scope: str) -> list[Article]:
        """The articles an export covers: "current", "selected" (marked) or "all"."""
        screen = self.screen
        if scope == "current":
            article = screen.current_article()
            return [article] if article else []
        if scope == "selected":
            marked = screen.article_list.marked
            return [a for a in screen.book.articles if a.id in marked]
        return list(screen.book.articles)

    def export(self, scope: str, fmt: str | None = None, directory: Path | None = None) -> None:
        """Export the cleaned text of `scope` in the background: in `fmt` to `directory`,
        by default the format and directory last chosen in the export dialog."""
        screen = self.screen
        articles = self.articles_for(scope)
        if not articles:
            screen.notify(
                "Nothing to export: mark articles with space in the list."
                if scope == "selected"
                else "Nothing to export yet.",
                markup=False,
            )
            return
        screen.sidebar.show_progress(f"Exporting {len(articles)}…", 0, len(articles))
        self.exported = [article_label(screen.book, article.id) for article in articles]
        book = screen.book
        annotations = {a.id: list(book.for_article(a.id)) for a in articles}
        job = partial(
            self._write, articles, dict(book.analyses), list(book.articles), annotations,
            fmt or self.format, directory or self.directory or default_export_dir(),
        )
        screen.run_worker(job, thread=True, exclusive=True, exit_on_error=False, group="export")

    def _write(
        self,
        articles: list[Article],
        known: dict[str, Analysis],
        corpus: list[Article],
        annotations: dict[str, list[Annotation]],
        fmt: str,
        directory: Path,
    ) -> None:
        """The worker: verdicts for articles without any, cleaned text, the files."""
        from reader.boilerplate import detect_corpus
        from reader.export import write_outputs

        screen, book = self.screen, self.screen.book
        computed: dict[str, Analysis] = {}
        try:
            if any(a.id not in known for a in articles):
                computed = {
                    a.article_id: a for a in detect_corpus(corpus) if a.article_id not in known
                }
            cleaned = []
            for index, article in enumerate(articles, start=1):
                analysis = known.get(article.id) or computed.get(article.id)
                cleaned.append(book.cleaned(article, analysis, annotations[article.id]))
                if index % 50 == 0:
                    screen.post_message(messages.ExportProgress(index, len(articles)))
            written = write_outputs(cleaned, directory, fmt)
        except Exception as error:
            screen.post_message(messages.ExportFinished(error=str(error)))
            return
        screen.post_message(messages.ExportFinished(paths=written, analyses=computed))

    def finished(self, event: messages.ExportFinished) -> None:
        """Keep the verdicts the export computed and say what was written."""
        screen = self.screen
        for ident, analysis in event.analyses.items():
            screen.book.analyses.setdefault(ident, analysis)
        count = len(screen.book.articles)
        screen.sidebar.show_progress(f"{count} article{'s' if count != 1 else ''}")
        if event.error:
            screen.notify(f"Export failed: {event.error}", severity="error", markup=False)
            return
        exported = self.exported
        files = len(event.paths)
        if len(exported) == 1:
            title = f"Exported {exported[0]}"
        else:
            title = f"Exported {len(exported)} articles to {files} file{'s' if files != 1 else ''}"
        lines = [str(path) for path in event.paths[:6]]
        if files > 6:
            lines.append(f"… and {files - 6} more")
        if len(exported) > 1:
            lines += [f"from {label}" for label in exported[:4]]
            if len(exported) > 4:
                lines.append(f"… and {len(exported) - 4} more articles")
        screen.notify("\n".join(lines), title=title, timeout=8, markup=False)
