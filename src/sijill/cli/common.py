"""Shared options and output helpers for every command."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, time
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from sijill.errors import SijillError

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: $SIJILL_DATABASE_URL, else sqlite:///sijill.db)"
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="What the case knew then: a day (its end, UTC) or a time, YYYY-MM-DD[THH:MM]",
    ),
]

console = Console(stderr=True)


def emit_json(document: Any) -> None:
    """Write exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, default=str, indent=2))
    sys.stdout.write("\n")
    sys.stdout.flush()


def moment(text: str) -> datetime:
    """``--as-of``: a time (UTC), or a day standing for its last moment."""
    try:
        if len(text.strip()) == 10:
            return datetime.combine(date.fromisoformat(text.strip()), time.max)
        return datetime.fromisoformat(text.strip()).replace(tzinfo=None)
    except ValueError as exc:
        raise SijillError(f"--as-of takes YYYY-MM-DD or YYYY-MM-DDTHH:MM, not {text!r}") from exc


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
