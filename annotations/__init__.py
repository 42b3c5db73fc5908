"""Annotations: model, durable TinyDB store, anchoring, formats, review and agreement.

Textual-free: the reader and the review screens build on it.
"""
