"""Partial dates and the sure / possible day bounds of FORMATS.md §3–4."""

from __future__ import annotations

from datetime import date

import pytest

from sijill.command.dates import BadDate, fact_bounds, normalize, parse_day, parse_span
from tests.command import oracle


def test_partial_dates_stand_for_their_span() -> None:
    assert parse_span("2025").first == date(2025, 1, 1)
    assert parse_span("2024-02").last == date(2024, 2, 29)
    assert parse_span("2025-03-08").precision == "day"
    assert parse_span("") is None and parse_span(None) is None
    for bad in ("2025-13", "2025-02-30", "08/13/2025", "March 2025", "25-03-08"):
        with pytest.raises(BadDate):
            parse_span(bad)
    with pytest.raises(BadDate):
        parse_day("2025-03")


def test_partial_start_and_end() -> None:
    b = fact_bounds("2025-03", "2025-06")
    assert (b.possible_start, b.sure_start) == (date(2025, 3, 1), date(2025, 3, 31))
    assert (b.sure_end, b.possible_end) == (date(2025, 6, 1), date(2025, 6, 30))
    assert not b.surely_on(date(2025, 3, 30)) and b.possibly_on(date(2025, 3, 1))
    assert b.surely_on(date(2025, 3, 31)) and b.surely_on(date(2025, 6, 1))
    assert not b.possibly_on(date(2025, 7, 1)) and not b.possibly_on(date(2025, 2, 28))


def test_empty_end_is_in_force() -> None:
    b = fact_bounds("2025-01-15", "")
    assert b.surely_on(date(2030, 1, 1)) and not b.possibly_on(date(2025, 1, 14))


def test_cited_dates_are_sure_between_possible_outside() -> None:
    b = fact_bounds(first_cited="2025-03-01", last_cited="2025-03-10")
    assert b.surely_on(date(2025, 3, 1)) and b.surely_on(date(2025, 3, 10))
    assert not b.surely_on(date(2025, 2, 28)) and b.possibly_on(date(2020, 1, 1))
    assert not b.surely_on(date(2025, 3, 11)) and b.possibly_on(date(2030, 1, 1))
    closed = fact_bounds("2025-02-20", "2025-03-12", "2025-03-01", "2025-03-10")
    assert closed.surely_on(date(2025, 2, 20)) and not closed.possibly_on(date(2025, 3, 13))


@pytest.mark.parametrize(
    "fact",
    [
        {"start_date": "2025", "end_date": "2025-03"},
        {"start_date": "2025-03", "end_date": "2025-03"},
        {"first_cited": "2025-02", "last_cited": "2025-04-02"},
        {"start_date": "2025-01", "first_cited": "2025-01-10", "last_cited": "2025-03"},
        {"last_cited": "2025-03-03"},
        {"end_date": "2025-04"},
        {"first_cited": "2025-03-05", "end_date": "2025-03"},
        {},
    ],
)
def test_bounds_agree_with_the_oracle_day_by_day(fact: dict[str, str]) -> None:
    bounds = fact_bounds(
        *(fact.get(k) for k in ("start_date", "end_date", "first_cited", "last_cited"))
    )
    day = date(2024, 12, 1)
    while day < date(2025, 6, 1):
        want = oracle.status(fact, day)
        got = "sure" if bounds.surely_on(day) else "possible" if bounds.possibly_on(day) else None
        assert got == want, (fact, day)
        day = date.fromordinal(day.toordinal() + 1)


def test_written_dates_are_normalized_keeping_precision() -> None:
    assert normalize("2025-3-8") == "2025-03-08"
    assert normalize("2025-3") == "2025-03"
    assert normalize("2025-03-08T10:00:00Z") == "2025-03-08"
    assert normalize(" 2025 ") == "2025" and normalize("") is None
