"""One date grammar (issue 18): every caller accepts and rejects the same inputs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from sijill import dates
from sijill.command import dates as command_dates
from sijill.incidents import dates as incident_dates
from sijill.records import values

D = date
# text -> (first day, last day, canonical ISO text), or None when every caller refuses it
TABLE: list[tuple[str, tuple[date, date, str] | None]] = [
    ("2025", (D(2025, 1, 1), D(2025, 12, 31), "2025")),
    ("1700", (D(1700, 1, 1), D(1700, 12, 31), "1700")),
    ("2025-03", (D(2025, 3, 1), D(2025, 3, 31), "2025-03")),
    ("2024-02", (D(2024, 2, 1), D(2024, 2, 29), "2024-02")),
    ("2025-03-08", (D(2025, 3, 8), D(2025, 3, 8), "2025-03-08")),
    ("2025-3-8", (D(2025, 3, 8), D(2025, 3, 8), "2025-03-08")),
    ("2025/03/08", (D(2025, 3, 8), D(2025, 3, 8), "2025-03-08")),
    ("2025.03.08", (D(2025, 3, 8), D(2025, 3, 8), "2025-03-08")),
    ("08/03/2025", (D(2025, 3, 8), D(2025, 3, 8), "2025-03-08")),
    ("8-3-2025", (D(2025, 3, 8), D(2025, 3, 8), "2025-03-08")),
    ("03/04/2025", (D(2025, 4, 3), D(2025, 4, 3), "2025-04-03")),  # always day first
    ("03/2025", (D(2025, 3, 1), D(2025, 3, 31), "2025-03")),
    ("01/01/1000", (D(1000, 1, 1), D(1000, 1, 1), "1000-01-01")),
    ("2025-03-08T10:30:00", (D(2025, 3, 8), D(2025, 3, 8), "2025-03-08")),
    ("2025-03-08 00:00:00", (D(2025, 3, 8), D(2025, 3, 8), "2025-03-08")),
    ("٢٠٢٥-٠٣-٠٨", (D(2025, 3, 8), D(2025, 3, 8), "2025-03-08")),
    (" 2025-03 ", (D(2025, 3, 1), D(2025, 3, 31), "2025-03")),
    ("04/23/2025", None),  # month first is never guessed
    ("2025-02-30", None),
    ("2025-13", None),
    ("2025-00-01", None),
    ("2025-03/08", None),  # two separators
    ("08/03-2025", None),
    ("25-03-08", None),
    ("20250308", None),
    ("March 2025", None),
    ("2025-03T10:00", None),  # a time only after a full date
    ("yesterday", None),
    ("0000", None),  # there is no year 0
    ("0000-03-08", None),
]


def _records(text: str) -> tuple[date, date, str]:
    span = values.parse_fuzzy_date(text)
    assert span is not None
    return span.first, span.last, span.text


def _command(text: str) -> tuple[date, date, str]:
    span = command_dates.parse_span(text)
    normal = command_dates.normalize(text)
    assert span is not None and normal is not None
    return span.first, span.last, normal


def _incidents(text: str) -> tuple[date, date, str]:
    found = incident_dates.date_span(text)
    assert found is not None
    return found[0], found[1], dates.normalize(text) or ""


CALLERS: dict[str, tuple[Callable[[str], tuple[date, date, str]], type[Exception]]] = {
    "records": (_records, values.ValueProblem),
    "command": (_command, dates.BadDate),
    "incidents": (_incidents, dates.BadDate),
}


@pytest.mark.parametrize("caller", sorted(CALLERS))
@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_every_caller_reads_the_same_dates(
    caller: str, text: str, expected: tuple[date, date, str] | None
) -> None:
    read, refusal = CALLERS[caller]
    if expected is None:
        with pytest.raises(refusal):
            read(text)
    else:
        assert read(text) == expected


@pytest.mark.parametrize("empty", ["", "  ", None])
def test_an_empty_date_is_no_date(empty: str | None) -> None:
    assert dates.parse_span(empty) is None
    assert values.parse_fuzzy_date(empty) is None
    assert incident_dates.date_span(empty) is None


def test_a_refusal_names_the_forms_and_the_day_first_rule() -> None:
    with pytest.raises(dates.BadDate, match="DD/MM/YYYY"):
        dates.parse_span("March 2025")
    with pytest.raises(dates.BadDate, match="read day first"):
        dates.parse_span("04/23/2025")
