"""The command table loads the right module for every command (and only that one)."""

from __future__ import annotations

import importlib

import typer
from typer.testing import CliRunner

from sijill.cli import registry
from sijill.cli.groups import Groups
from sijill.cli.main import build_app


def _registered(module: str) -> tuple[list[str], list[tuple[str, str]]]:
    app = typer.Typer()
    groups = Groups(import_=typer.Typer(), export=typer.Typer())
    importlib.import_module(f"sijill.cli.{module}").register(app, groups)
    top = [c.name or c.callback.__name__ for c in app.registered_commands]
    top += [g.name for g in app.registered_groups]
    grouped = [("import", c.name) for c in groups.import_.registered_commands]
    grouped += [("export", c.name) for c in groups.export.registered_commands]
    return top, grouped


def test_table_names_the_module_of_every_command() -> None:
    for module in registry.MODULES:
        top, grouped = _registered(module)
        for name in top:
            assert registry.TOP_LEVEL.get(name) == module, (name, module)
            assert registry.modules_for([name, "x"]) == (module,)
        for pair in grouped:
            assert registry.GROUPED.get(pair) == module, (pair, module)
            assert registry.modules_for([*pair, "file.csv", "--json"]) == (module,)


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(build_app(["--help"]), ["--help"])
    assert result.exit_code == 0
    for name in list(registry.TOP_LEVEL) + ["import", "export"]:
        assert name in result.output
