"""Command groups shared between capabilities (``sijill import ...``, ``sijill export ...``)."""

from __future__ import annotations

from dataclasses import dataclass

import typer


@dataclass(frozen=True)
class Groups:
    import_: typer.Typer
    export: typer.Typer
