"""Cleaned-text export (Textual-free): the same code serves the CLI and the reader."""

from reader.export.annotated import clean_with_annotations
from reader.export.writers import (
    FORMATS,
    CleanedArticle,
    NoteEntry,
    clean_article,
    output_name,
    render,
    write_outputs,
)

__all__ = [
    "FORMATS",
    "CleanedArticle",
    "NoteEntry",
    "clean_article",
    "clean_with_annotations",
    "output_name",
    "render",
    "write_outputs",
]
