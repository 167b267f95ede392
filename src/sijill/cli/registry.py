"""Which module provides which command, so that a command imports only what it needs.

Each capability's command module exposes ``register(app, groups)``. Loading every module costs
seconds and hundreds of MB (splink, SciPy, numba), so ``sijill import records`` loads only
``records``; ``--help`` and unknown commands load them all. ``tests/cli/test_registry.py``
checks this table against what each module really registers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

import typer

from sijill.cli.groups import Groups

Registration = Callable[[typer.Typer, Groups], None]

MODULES: tuple[str, ...] = (
    "records",
    "command",
    "estimate",
    "evidence",
    "incidents",
    "linkage",
    "security",
    "web",
    "demo",
    "accountability",
    "report",
    "disclosure",
    "published",
)

TOP_LEVEL: dict[str, str] = {
    "init": "records",
    "sources": "records",
    "chain": "command",
    "subordinates": "command",
    "command-report": "command",
    "career": "command",
    "check-structure": "command",
    "merge-units": "command",
    "merge-actors": "command",
    "estimate": "estimate",
    "estimate-signoff": "estimate",
    "verify": "evidence",
    "evidence": "evidence",
    "places": "incidents",
    "incidents": "incidents",
    "link": "linkage",
    "review": "linkage",
    "count": "linkage",
    "users": "security",
    "keys": "security",
    "serve": "web",
    "demo": "demo",
    "proceedings": "accountability",
    "naming": "accountability",
    "report": "report",
    "consent": "disclosure",
    "figures": "published",
}
GROUPED: dict[tuple[str, str], str] = {
    ("import", "records"): "records",
    ("import", "structure"): "command",
    ("export", "records"): "records",
    ("export", "structure"): "command",
    ("export", "incidents"): "incidents",
    ("import", "proceedings"): "accountability",
    ("export", "disclosure"): "disclosure",
    ("import", "figures"): "published",
}


def modules_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The command modules a command line needs (all of them when in doubt)."""
    words = [a for a in argv if not a.startswith("-")]
    if not words or "--help" in argv or "-h" in argv:
        return MODULES
    first = words[0]
    if first in TOP_LEVEL:
        return (TOP_LEVEL[first],)
    if first in ("import", "export") and len(words) > 1 and (first, words[1]) in GROUPED:
        return (GROUPED[(first, words[1])],)
    return MODULES


def registrations(modules: Sequence[str] = MODULES) -> list[Registration]:
    return [importlib.import_module(f"sijill.cli.{name}").register for name in modules]
