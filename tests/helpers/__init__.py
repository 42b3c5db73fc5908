"""Shared test helpers (plain functions, no fixtures)."""
