"""Every command, given bad input, ends with a clear message and a non-zero status, never a
traceback (one handler: ``sijill.cli.errors.CommandGroup``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from sijill.cli.main import build_app

# The handler's last line of defence (``cli/errors.py``): a fault of ours, not bad input.
FAULT = "unexpected error"

# Commands that would keep running (a server) or ask for nothing checkable.
LONG_RUNNING = {("serve",)}


def _leaves(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in sorted(subcommands.items()):
            yield from _leaves(sub, (*path, name))
    else:
        yield path, command


def _takes_db(cmd: Any) -> bool:
    return any(p.name == "db" for p in cmd.params)


COMMANDS = [
    (path, cmd)
    for path, cmd in _leaves(typer.main.get_command(build_app()))
    if path not in LONG_RUNNING
]


def _bad_arguments(cmd: Any) -> list[str]:
    """Every required argument and option given a value that names nothing in the case."""
    args: list[str] = []
    for param in cmd.params:
        if not param.required:
            continue
        value = "/no/such/file.csv" if "file" in param.name or "path" in param.name else "no-such-x"
        if param.param_type_name == "argument":
            args.append(value)
        else:
            args += [param.opts[0], value]
    return args


@pytest.fixture(autouse=True)
def _in_a_scratch_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands write beside the working folder (``demo build``'s demo-case, the signing and
    field keys, the vault): run them where that is thrown away, not in the checkout."""
    monkeypatch.chdir(tmp_path)


def _run(args: list[str]) -> Any:
    return CliRunner().invoke(build_app(args), args, input="", catch_exceptions=False)


WITH_DB = [(path, cmd) for path, cmd in COMMANDS if _takes_db(cmd)]


@pytest.mark.parametrize("path,cmd", WITH_DB, ids=[" ".join(p) for p, _ in WITH_DB])
def test_a_database_that_cannot_be_opened_is_a_clear_error(
    path: tuple[str, ...], cmd: Any, tmp_path: Path
) -> None:
    args = [*path, *_bad_arguments(cmd), "--db", f"sqlite:///{tmp_path}/missing/dir/case.db"]
    result = _run(args)
    assert result.exit_code != 0, (args, result.output)
    assert "Traceback" not in result.output
    assert FAULT not in result.output, (args, result.output)
    assert "error" in result.output.lower() or "usage" in result.output.lower(), result.output


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_bad_input_on_an_empty_case_is_a_clear_error(
    path: tuple[str, ...], cmd: Any, sqlite_case_url: str
) -> None:
    bad = _bad_arguments(cmd)
    args = [*path, *bad, *(["--db", sqlite_case_url] if _takes_db(cmd) else [])]
    result = _run(args)
    assert "Traceback" not in result.output
    assert FAULT not in result.output, (args, result.output)
    if bad:
        assert result.exit_code != 0, (args, result.output)
    if result.exit_code != 0:
        assert result.output.strip(), args
