"""Thin command-line edges (Typer + Rich): parse, call a capability, print."""
