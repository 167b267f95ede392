"""Running ``sijill`` commands in-process for tests."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from sijill.cli.main import build_app

_runner = CliRunner()


def run(*args: str) -> Any:
    """Run a command; return its result (exit code, stdout, stderr)."""
    return _runner.invoke(build_app(), list(args))


def run_json(*args: str) -> Any:
    """Run a command with ``--json``; it must succeed and print one JSON document."""
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr or result.stdout
    return json.loads(result.stdout)
