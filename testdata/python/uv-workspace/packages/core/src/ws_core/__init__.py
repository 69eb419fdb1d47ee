"""Fixture package (empty)."""
