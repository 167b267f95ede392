"""Cells a spreadsheet would run as formulas, made inert in every CSV and XLSX Sijill writes.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and some read a leading
tab or carriage return the same way), so a list that carried ``=HYPERLINK(...)`` would turn
into a live link, or worse, in an analyst's export. :data:`RULE` is the rule, stated in each
export's manifest: a text cell that begins with one of those characters, after any number of
``'``, gets one ``'`` more in front. :func:`recover` takes it off again, so every original is
recoverable exactly (a cell that already began with ``'=`` is written ``''=`` and read back).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

RULE = (
    "a text cell beginning with =, +, -, @, a tab or a carriage return (after any number of ') "
    "was written with one ' in front; remove that one ' to recover the original"
)
_RUNS = re.compile(r"^'*[=+\-@\t\r]")


def neutralise(value: object) -> object:
    """The value as written to a spreadsheet cell: a formula-like text gets one ``'`` in front."""
    if isinstance(value, str) and _RUNS.match(value):
        return "'" + value
    return value


def neutralise_row(values: Iterable[object]) -> list[object]:
    return [neutralise(v) for v in values]


def recover(text: str) -> str:
    """The original of a cell written by :func:`neutralise`."""
    return text[1:] if text.startswith("'") and _RUNS.match(text[1:]) else text
