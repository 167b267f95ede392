"""The ``sijill`` command. Each capability registers its commands from its own module."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from sijill.cli import common, registry
from sijill.cli.groups import Groups
from sijill.errors import SijillError


def build_app(argv: Sequence[str] | None = None) -> typer.Typer:
    """The ``sijill`` app; given the command line, only the modules it needs are loaded."""
    app = typer.Typer(
        name="sijill",
        help="Sijill (سجل): documenting mass atrocities and establishing who was in command.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    groups = Groups(
        import_=typer.Typer(help="Import lists and structures", no_args_is_help=True),
        export=typer.Typer(help="Export records, incidents and structures", no_args_is_help=True),
    )
    app.add_typer(groups.import_, name="import")
    app.add_typer(groups.export, name="export")
    modules = registry.modules_for(argv) if argv is not None else registry.MODULES
    for register in registry.registrations(modules):
        register(app, groups)
    return app


def main() -> None:
    app = build_app(sys.argv[1:])
    try:
        app(standalone_mode=True)
    except SijillError as exc:  # pragma: no cover - typer handles most exits
        common.console.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
