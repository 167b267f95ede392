"""The list of capability command modules. Each module exposes ``register(app, groups)``."""

from __future__ import annotations

from collections.abc import Callable

import typer

from sijill.cli import command as command_cli
from sijill.cli import demo as demo_cli
from sijill.cli import estimate as estimate_cli
from sijill.cli import evidence as evidence_cli
from sijill.cli import incidents as incidents_cli
from sijill.cli import linkage as linkage_cli
from sijill.cli import records as records_cli
from sijill.cli import security as security_cli
from sijill.cli import web as web_cli
from sijill.cli.groups import Groups

Registration = Callable[[typer.Typer, Groups], None]

REGISTRATIONS: list[Registration] = [
    records_cli.register,
    command_cli.register,
    estimate_cli.register,
    evidence_cli.register,
    incidents_cli.register,
    linkage_cli.register,
    security_cli.register,
    web_cli.register,
    demo_cli.register,
]
