"""The sure / possible day bounds of a dated fact (FORMATS.md §3, §4).

Dates are read by the shared grammar (:mod:`sijill.dates`, re-exported here for this
capability's callers): a partial date (``2025``, ``2025-03``, ``2025-03-08``) stands for its
whole span of days. A fact carries up to four written dates: its real ``start_date`` and
``end_date`` and the ``first_cited`` and ``last_cited`` dates a source saw it. From them come
four day bounds (``None`` = open):

* it **surely** holds on day D when ``sure_start <= D <= sure_end``;
* it **possibly** holds on day D when ``possible_start <= D <= possible_end``.

The possible window always contains the sure window. Rules:

* partial start: surely from the last day of its span, possibly from the first day;
* partial end: surely up to the first day of its span, possibly up to the last day;
* ``first_cited`` / ``last_cited``: surely between them; before and after them the fact only
  possibly holds (open), unless a real start or end closes that side;
* with no end date and no ``last_cited`` the fact is still in force (both ends open);
* with no start date, no ``first_cited`` and no ``last_cited`` nothing bounds the start: the
  fact holds from the open past (``S <= D`` with no S). With only ``last_cited`` on the start
  side, the sight itself is the only sure day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sijill.dates import BadDate, Span, normalize, parse_day, parse_span

__all__ = ["BadDate", "Bounds", "Span", "fact_bounds", "normalize", "parse_day", "parse_span"]


@dataclass(frozen=True)
class Bounds:
    """Sure and possible day bounds of one fact; ``None`` is an open end."""

    sure_start: date | None
    sure_end: date | None
    possible_start: date | None
    possible_end: date | None

    def surely_on(self, day: date) -> bool:
        """The fact surely holds on ``day``."""
        return _within(day, self.sure_start, self.sure_end)

    def possibly_on(self, day: date) -> bool:
        """The fact holds or may hold on ``day`` (sure included)."""
        return _within(day, self.possible_start, self.possible_end)


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


def _min(a: date | None, b: date | None) -> date | None:
    if a is None or b is None:
        return a if b is None else b
    return min(a, b)


def _max(a: date | None, b: date | None) -> date | None:
    if a is None or b is None:
        return a if b is None else b
    return max(a, b)


def fact_bounds(
    start_date: str | None = None,
    end_date: str | None = None,
    first_cited: str | None = None,
    last_cited: str | None = None,
) -> Bounds:
    """The sure and possible day bounds of a fact from its written dates."""
    start = parse_span(start_date)
    end = parse_span(end_date)
    first = parse_span(first_cited)
    last = parse_span(last_cited)

    # Start side.
    if start is not None:
        possible_start: date | None = (
            start.first if first is None else min(start.first, first.first)
        )
        sure_start: date | None = start.last if first is None else min(start.last, first.last)
    elif first is not None:
        possible_start, sure_start = None, first.last
    elif last is not None:
        possible_start, sure_start = None, last.last
    else:
        possible_start, sure_start = None, None

    # End side.
    if end is not None:
        possible_end: date | None = end.last if last is None else max(end.last, last.last)
        sure_end: date | None = end.first if last is None else max(end.first, last.first)
    elif last is not None:
        possible_end, sure_end = None, last.first
    else:
        possible_end, sure_end = None, None

    # The sure window never reaches beyond the possible one.
    if possible_start is not None:
        sure_start = _max(sure_start, possible_start)
    if possible_end is not None:
        sure_end = _min(sure_end, possible_end)
    return Bounds(sure_start, sure_end, possible_start, possible_end)
