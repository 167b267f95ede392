"""The one progress protocol of long work: the work calls ``report(progress, message)``.

``progress`` runs from 0 to 1 and ``message`` says what is being done. A job passes the
updater of its row (:mod:`sijill.jobs.service`); the command line passes a Rich progress bar
(:mod:`sijill.cli.progress`); a caller that wants neither passes nothing (:func:`silent`).
"""

from __future__ import annotations

from collections.abc import Callable

#: ``report(progress, message)``: progress from 0 to 1, a short message.
Report = Callable[[float, str], None]


def silent(_progress: float, _message: str) -> None:
    """The report of a caller that shows no progress."""


def part(report: Report, start: float, end: float) -> Report:
    """A report for one stage of longer work: its 0..1 becomes ``start``..``end`` of the whole."""

    def scaled(progress: float, message: str) -> None:
        report(start + (end - start) * max(0.0, min(1.0, progress)), message)

    return scaled
