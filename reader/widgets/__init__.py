"""Widgets of the reader: the article view, its column, the article list, the annotations panel."""
