"""The ``sijill`` command. Each capability registers its commands from its own module."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from sijill.cli import registry
from sijill.cli.errors import CommandGroup
from sijill.cli.groups import Groups


def build_app(argv: Sequence[str] | None = None) -> typer.Typer:
    """The ``sijill`` app; given the command line, only the modules it needs are loaded."""
    app = typer.Typer(
        name="sijill",
        cls=CommandGroup,
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
    build_app(sys.argv[1:])(standalone_mode=True)


if __name__ == "__main__":
    main()
