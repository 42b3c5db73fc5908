"""Screens of the reader: main, help, annotation editor, search, export."""
