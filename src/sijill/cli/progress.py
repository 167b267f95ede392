"""The command line's progress bar for long work: a Rich bar on stderr, behind the one
progress protocol (``report(progress, message)``, :mod:`sijill.jobs.progress`) the jobs of the
web app use too. On a terminal the bar shows the stage and how far it is; elsewhere (a pipe, a
file, ``--json`` read by a script) it shows nothing, so stdout and stderr stay clean."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from sijill.cli.common import console
from sijill.jobs.progress import Report


@contextmanager
def progress_bar(what: str) -> Iterator[Report]:
    """A Rich bar for ``what`` while the block runs; yields the report function to pass on."""
    with Progress(
        TextColumn(f"{what}:"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as bar:
        task = bar.add_task("", total=1.0)

        def report(progress: float, message: str) -> None:
            bar.update(task, completed=progress, description=message)

        yield report
