"""``sijill demo build``: the bundled, visibly synthetic demo investigation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sijill.cli.common import JsonOption, console, emit_json
from sijill.cli.groups import Groups

demo_app = typer.Typer(help="The bundled synthetic demo investigation", no_args_is_help=True)


@demo_app.command("build")
def build(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo case")] = Path(
        "demo-case"
    ),
    report: Annotated[
        bool,
        typer.Option("--report", help="Write its investigation reports too (a few minutes)"),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Build the demo case (invented people, units, villages) in a folder."""
    from sijill.demo.build import build_demo

    summary = build_demo(out, log=lambda m: console.print(f"[dim]{m}[/]"), report=report)
    if as_json:
        emit_json(summary.as_json())
        return
    console.print(
        f"[bold]Demo case built[/] in {summary.folder} — SYNTHETIC DEMO DATA\n"
        f"  {summary.records:,} records → {summary.people:,} people; "
        f"{summary.incidents} incidents; {summary.evidence} evidence items\n"
        f"  logins: {', '.join(summary.users)}; password: {summary.password}"
    )


def register(app: typer.Typer, groups: Groups) -> None:
    app.add_typer(demo_app, name="demo")
