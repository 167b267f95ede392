"""Shared options and output helpers for every command."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: $SIJILL_DATABASE_URL, else sqlite:///sijill.db)"
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout")]

console = Console(stderr=True)


def emit_json(document: Any) -> None:
    """Write exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, default=str, indent=2))
    sys.stdout.write("\n")
    sys.stdout.flush()


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error on stderr (no traceback) and return the Exit to raise."""
    console.print(
        f"[bold red]error:[/] {escape(message)}",
        highlight=False,
        markup=True,
        emoji=False,  # ids such as unit:id:admin are not emoji codes
        soft_wrap=True,
    )
    return typer.Exit(code)
