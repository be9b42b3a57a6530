"""Shared fixtures. Builders of domain values live in `tests/builders.py`."""
