"""Sijill (سجل): documenting mass atrocities and establishing who was in command."""

__version__ = "0.1.0"
