"""Incident date ranges; dates are read by the shared grammar (:mod:`sijill.dates`), where a
partial date (``2025``, ``2025-03``, ``2025-03-08``) stands for its span."""

from __future__ import annotations

from datetime import date

from sijill.dates import parse_span
from sijill.errors import SijillError


def date_span(text: str | None) -> tuple[date, date] | None:
    """The first and last day a written date stands for; ``None`` for an empty date."""
    span = parse_span(text)
    return None if span is None else (span.first, span.last)


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
