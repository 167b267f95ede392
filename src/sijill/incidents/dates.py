"""Fuzzy dates: a partial ISO date (``2025``, ``2025-03``, ``2025-03-08``) stands for its span."""

from __future__ import annotations

import calendar
import re
from datetime import date

from sijill.errors import SijillError

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def date_span(text: str | None) -> tuple[date, date] | None:
    """The first and last day a partial ISO date stands for; ``None`` for an empty date."""
    text = (text or "").strip()
    if not text:
        return None
    found = _PARTIAL.match(text)
    if not found:
        raise SijillError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
    year, month, day = (int(g) if g else None for g in found.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day), date(year, month, day)
    except ValueError as exc:
        raise SijillError(f"not a valid date: {text!r} ({exc})") from exc


def range_span(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    """The days a fuzzy range covers: from the first day of ``start`` to the last of ``end``
    (``end`` defaults to ``start``)."""
    first = date_span(start)
    last = date_span(end) or first
    if first and last and last[1] < first[0]:
        raise SijillError(f"the range ends ({end}) before it starts ({start})")
    return (first[0] if first else None), (last[1] if last else None)


def overlaps(
    a_start: date | None, a_end: date | None, b_start: date | None, b_end: date | None
) -> bool:
    """Whether two day ranges share a day (an open side is unbounded)."""
    return (a_start is None or b_end is None or a_start <= b_end) and (
        b_start is None or a_end is None or b_start <= a_end
    )
