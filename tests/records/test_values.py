"""Cell parsers: examples and properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sijill.records import values as v

ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("35", 35, 35),
        ("٣٥", 35, 35),
        ("30-40", 30, 40),
        ("30 - 40", 30, 40),
        ("child", 0, 17),
        ("طفل", 0, 17),
        ("elderly", 65, None),
        ("35 سنة", 35, 35),
        ("", None, None),
    ],
)
def test_age_forms(text: str, low: int | None, high: int | None) -> None:
    assert v.parse_age(text) == v.AgeRange(low, high)


@pytest.mark.parametrize("text", ["200", "40-30", "old-ish", "3.5.1"])
def test_bad_ages_are_refused(text: str) -> None:
    with pytest.raises(v.ValueProblem):
        v.parse_age(text)


@pytest.mark.parametrize(
    ("text", "sex"), [("M", "M"), ("female", "F"), ("ذكر", "M"), ("أنثى", "F"), ("", None)]
)
def test_sex_forms(text: str, sex: str | None) -> None:
    assert v.parse_sex(text) == sex


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 months", v.AgeRange(0, 0, 6)),
        ("18 months", v.AgeRange(1, 1, 18)),
        ("2.0", v.AgeRange(2, 2)),
    ],
)
def test_ages_in_months(text: str, expected: v.AgeRange) -> None:
    assert v.parse_age(text) == expected


def test_fractional_ages_become_years_and_months() -> None:
    infant = v.parse_age("0.33")
    assert (infant.low, infant.high, infant.months) == (0, 0, 4)
    assert infant.flag is not None and infant.flag.kind == "age_fraction"
    assert "0 year(s) 4 month(s)" in infant.flag.message
    assert v.parse_age("0.08").months == 1
    assert v.parse_age("1.5") == v.AgeRange(1, 1, 18, flag=v.parse_age("1.5").flag)


def test_a_year_in_the_age_column_is_a_year_of_birth() -> None:
    read = v.parse_age("1991", this_year=2025)
    assert (read.low, read.high, read.birth_year) == (None, None, 1991)
    assert read.flag is not None and read.flag.kind == "age_is_birth_year"
    with pytest.raises(v.ValueProblem, match="not a year of birth between 1880 and 2025"):
        v.parse_age("2031", this_year=2025)


def test_partial_dates_stand_for_their_span() -> None:
    assert v.parse_fuzzy_date("2025") == v.Span(date(2025, 1, 1), date(2025, 12, 31), "year")
    assert v.parse_fuzzy_date("2025-02").last == date(2025, 2, 28)
    assert v.parse_fuzzy_date("2024-02").last == date(2024, 2, 29)
    assert v.parse_fuzzy_date("٢٠٢٥-٠٣-٠٨").text == "2025-03-08"
    assert v.parse_fuzzy_date("08/03/2025").text == "2025-03-08"  # day first
    for impossible in ("2025-02-30", "2025-13", "2025-00-01", "03/13/2025"):
        with pytest.raises(v.ValueProblem):
            v.parse_fuzzy_date(impossible)


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)))
def test_any_real_day_round_trips(day: date) -> None:
    parsed = v.parse_fuzzy_date(day.isoformat())
    assert parsed is not None and parsed.first == parsed.last == day
    assert parsed.text == day.isoformat()


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)))
def test_month_span_contains_its_days(day: date) -> None:
    month = v.parse_fuzzy_date(day.isoformat()[:7])
    assert month is not None and month.first <= day <= month.last
    assert (month.last + timedelta(days=1)).month != month.last.month


@given(st.integers(min_value=0, max_value=120))
def test_arabic_indic_digits_read_as_ascii(years: int) -> None:
    arabic = str(years).translate(str.maketrans("0123456789", ARABIC_DIGITS))
    assert v.parse_age(arabic) == v.parse_age(str(years)) == v.AgeRange(years, years)


@given(st.text(max_size=30))
def test_parsers_raise_only_value_problems(text: str) -> None:
    for parser in (
        v.parse_age,
        v.parse_sex,
        v.parse_fuzzy_date,
        v.parse_birth_year,
        v.parse_count,
        v.parse_status,
        v.parse_civilian_status,
    ):
        try:
            parser(text)
        except v.ValueProblem:
            pass
