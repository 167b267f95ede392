"""The one date grammar of Sijill (FORMATS.md §4): partial dates that stand for their span.

Every date Sijill reads — a casualty list's dates of birth and death, an incident's dates, the
dates of a command fact — goes through :func:`parse_span`. What it accepts:

* ISO 8601, possibly partial: ``2025``, ``2025-03``, ``2025-03-08``; month and day may have one
  digit (``2025-3-8``) and ``/`` or ``.`` may stand for ``-`` (``2025/03/08``), one separator
  per date;
* day first, as casualty lists write it: ``08/03/2025``, ``8-3-2025``, ``08.03.2025`` (day,
  month, year) and ``03/2025`` (month, year). ``03/04/2025`` is **always** 3 April 2025: dates
  are never read month first, and a month above 12 in second place (``04/23/2025``) is refused
  rather than guessed;
* a time of day after a full date (``2025-03-08T10:00``, ``2025-03-08 00:00:00``, as
  spreadsheets write it) is dropped;
* Arabic-Indic and Persian digits (``٢٠٢٥-٠٣-٠٨``).

The year has four digits; any year is grammatical (``1700``, ``1000``): whether it is plausible
for a date of birth is the caller's judgement, not the grammar's. Anything else, and a date that
does not exist (``2025-02-30``), raises :class:`BadDate`.

A date stands for its whole span of days (``2025-03`` = 1 to 31 March 2025), with its
precision (year, month or day); :attr:`Span.text` is its canonical ISO form, keeping that
precision (``8/3/2025`` → ``2025-03-08``, ``2025-3`` → ``2025-03``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from sijill.errors import SijillError

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_YEAR_FIRST = re.compile(rf"(?a)^(\d{{4}})(?:([-/.])(\d{{1,2}})(?:\2(\d{{1,2}}){_TIME})?)?$")
_DAY_FIRST = re.compile(rf"(?a)^(?:(\d{{1,2}})([-/.]))?(\d{{1,2}})([-/.])(\d{{4}}){_TIME}$")


class BadDate(SijillError, ValueError):
    """Text that is not a date of the grammar, or a date that does not exist."""


@dataclass(frozen=True)
class Span:
    """The days a written (possibly partial) date stands for, both ends inclusive."""

    first: date
    last: date
    precision: str  # "year" | "month" | "day"

    @property
    def text(self) -> str:
        """The canonical ISO form at the date's precision: ``YYYY``, ``YYYY-MM`` or a full day."""
        if self.precision == "year":
            return f"{self.first.year:04d}"
        if self.precision == "month":
            return f"{self.first.year:04d}-{self.first.month:02d}"
        return self.first.isoformat()


def parse_span(text: str | None) -> Span | None:
    """The span a written date stands for; empty text is ``None``; anything else raises BadDate."""
    value = ("" if text is None else str(text)).translate(DIGITS).strip()
    if not value:
        return None
    if found := _YEAR_FIRST.match(value):
        year, month, day = found.group(1), found.group(3), found.group(4)
    elif (found := _DAY_FIRST.match(value)) and (found.group(2) in (None, found.group(4))):
        day, month, year = found.group(1), found.group(3), found.group(5)
    else:
        raise BadDate(f"{text!r} is not a date (YYYY, YYYY-MM, YYYY-MM-DD, DD/MM/YYYY or MM/YYYY)")
    return _span(text, int(year), int(month) if month else None, int(day) if day else None)


def _span(text: str | None, year: int, month: int | None, day: int | None) -> Span:
    if year < 1:
        raise BadDate(f"{text!r}: there is no year 0 (years start at 1)")
    if month is None:
        return Span(date(year, 1, 1), date(year, 12, 31), "year")
    if not 1 <= month <= 12:
        raise BadDate(f"{text!r}: month {month} does not exist (dates are read day first)")
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return Span(date(year, month, 1), date(year, month, last), "month")
    if not 1 <= day <= last:
        raise BadDate(f"{text!r}: day {day} does not exist in {year:04d}-{month:02d}")
    return Span(date(year, month, day), date(year, month, day), "day")


def normalize(text: str | None) -> str | None:
    """A written date in its canonical ISO form, keeping its precision; empty text is ``None``."""
    span = parse_span(text)
    return None if span is None else span.text


def parse_day(text: str) -> date:
    """A full date (one day); a partial date is refused."""
    span = parse_span(text)
    if span is None or span.precision != "day":
        raise BadDate(f"a full date (YYYY-MM-DD) is needed here, not {text!r}")
    return span.first
