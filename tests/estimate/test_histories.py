"""Reading capture histories (FORMATS.md §2): aggregated, per person, stratified, and bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sijill.errors import ImportRejected, SijillError
from sijill.estimate.histories import read_capture_file, table_from_patterns
from tests.estimate.helpers import KOSOVO, UK6


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_kosovo_aggregate_is_read_with_its_lists_and_total() -> None:
    data = read_capture_file(KOSOVO)
    assert data.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert list(data.strata) == ["all"]
    table = data.total
    assert table.observed == 4400
    assert table.counts[0] == 0
    assert table.counts[0b1000] == 306  # on HRW only
    assert table.list_totals()["OSCE"] == sum(r["count"] for r in table.as_rows() if r["OSCE"] == 1)


def test_six_list_file_keeps_zero_count_patterns() -> None:
    table = read_capture_file(UK6).total
    assert table.n_lists == 6 and table.observed == 2744
    assert (table.counts[1:] == 0).sum() > 0


def test_per_person_rows_are_counted(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "A,B,C\n1,0,0\n1,0,0\n0,1,1\n1,1,1\n")
    table = read_capture_file(path).total
    assert table.observed == 4
    assert table.counts[0b001] == 2 and table.counts[0b110] == 1 and table.counts[0b111] == 1


def test_stratum_columns_split_the_table(tmp_path: Path) -> None:
    path = write(
        tmp_path / "s.csv",
        "A,B,C,count,governorate\n1,0,0,5,North\n0,1,0,3,North\n1,1,0,2,South\n0,0,1,4,South\n",
    )
    data = read_capture_file(path)
    assert data.lists == ("A", "B", "C")
    assert data.stratum_columns == ("governorate",)
    assert {k: t.observed for k, t in data.strata.items()} == {"North": 8, "South": 6}
    assert data.total.observed == 14


def test_explicit_lists_leave_other_binary_columns_as_strata(tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", "A,B,C,female,count\n1,0,0,1,5\n0,1,1,0,3\n1,1,0,1,2\n")
    data = read_capture_file(path, lists=["A", "B", "C"])
    assert data.stratum_columns == ("female",)
    assert set(data.strata) == {"0", "1"}


def test_bad_cell_is_reported_with_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "A,B,C,count\n1,0,0,5\n0,1,0,x\n")
    with pytest.raises(ImportRejected) as info:
        read_capture_file(path)
    message = str(info.value)
    assert "bad.csv" in message and "row 3" in message and "column count" in message


def test_non_binary_list_value_with_named_lists(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "A,B,C,count\n1,0,0,5\n0,2,0,1\n")
    with pytest.raises(ImportRejected) as info:
        read_capture_file(path, lists=["A", "B", "C"])
    assert "row 3, column B" in str(info.value)


def test_all_zero_row_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "z.csv", "A,B,C,count\n1,0,0,5\n0,0,0,7\n")
    with pytest.raises(ImportRejected, match="row 3"):
        read_capture_file(path)


def test_ragged_row_and_too_few_lists(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match="row 2"):
        read_capture_file(write(tmp_path / "r.csv", "A,B,count\n1,0\n"))
    with pytest.raises(ImportRejected, match="at least 2"):
        read_capture_file(write(tmp_path / "one.csv", "A,count\n1,4\n"))
    with pytest.raises(ImportRejected, match="no column"):
        read_capture_file(write(tmp_path / "k.csv", "A,B,count\n1,0,3\n"), lists=["A", "Z"])


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(SijillError, match="no such file"):
        read_capture_file(tmp_path / "nothing.csv")
    with pytest.raises(ImportRejected, match="empty"):
        read_capture_file(write(tmp_path / "e.csv", ""))


def test_table_from_patterns_round_trips_rows() -> None:
    table = table_from_patterns(("A", "B"), [[1, 0], [0, 1], [1, 1]], [4, 5, 6])
    assert np.array_equal(table.counts, [0, 4, 5, 6])
    assert table.as_rows() == [
        {"A": 1, "B": 0, "count": 4},
        {"A": 0, "B": 1, "count": 5},
        {"A": 1, "B": 1, "count": 6},
    ]
