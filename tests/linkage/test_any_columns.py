"""`sijill link` on whatever columns a list has, down to a bare full name, and on tiny cases.

The lists are the synthetic generator's (invented people), cut down to a subset of the standard
columns; a date of birth is made up from each invented person's age.
"""

from __future__ import annotations

import csv
import zlib
from itertools import combinations
from pathlib import Path

import pytest

from sijill.linkage.synthetic import generate_lists
from tests.linkage.helpers import sijill_json

OPTIONAL = ("sex", "age", "date_of_birth", "date_of_death", "place_of_death")
SUBSETS = [c for size in range(len(OPTIONAL) + 1) for c in combinations(OPTIONAL, size)]
#: What each column lets the plan's rules use.
ENABLES = {
    "age": {"birth_year"},
    "date_of_birth": {"dob", "birth_year"},
    "date_of_death": {"death_day"},
    "place_of_death": {"place"},
}
NAME_FIELDS = {"s_given", "s_father", "s_grandfather", "s_family"}


def _write_lists(folder: Path, columns: tuple[str, ...], *, parts: bool = False) -> list[Path]:
    """Two invented lists with only `columns` beside the names (full, or parts if `parts`)."""
    lists, truth = generate_lists(30, 2, 7)
    names = ("given_name", "father_name", "family_name") if parts else ("full_name",)
    paths = []
    for name, rows in lists.items():
        path = folder / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["record_id", *names, *columns])
            for row in rows:
                person = truth.get((name, row["record_id"]))
                if person is None:
                    continue  # unnamed rows say nothing here
                full = row["full_name"] or " ".join(
                    row[k] for k in ("given_name", "father_name", "family_name") if row[k]
                )
                split = full.split()
                values = {
                    "full_name": full,
                    "given_name": row["given_name"] or split[0],
                    "father_name": row["father_name"] or (split[1] if len(split) > 2 else ""),
                    "family_name": row["family_name"] or split[-1],
                    "date_of_birth": _birthday(person, row["age"]),
                }
                writer.writerow(
                    [row["record_id"], *(values.get(c, row.get(c)) for c in (*names, *columns))]
                )
        paths.append(path)
    return paths


def _birthday(person: str, age: str) -> str:
    if not age:
        return ""
    seed = zlib.crc32(person.encode())
    return f"{2025 - int(age):04d}-{seed % 12 + 1:02d}-{seed % 28 + 1:02d}"


def _import_and_link(db: str, paths: list[Path]) -> dict:
    for path in paths:
        sijill_json("import", "records", str(path), "--source", path.stem, db=db)
    return sijill_json("link", db=db)


@pytest.mark.parametrize("columns", SUBSETS, ids=lambda c: "+".join(c) or "bare-full-name")
def test_link_on_every_subset_of_columns(
    sqlite_case_url: str, tmp_path: Path, columns: tuple[str, ...]
) -> None:
    doc = _import_and_link(sqlite_case_url, _write_lists(tmp_path, columns))
    assert doc["records"] > 20
    assert 0 < doc["people"] < doc["records"]  # something was matched, not everything
    rules = doc["rules"]
    allowed = NAME_FIELDS.union(*(ENABLES.get(c, set()) for c in columns))
    used = {f for r in rules["prediction_rules"] for f in r["fields"]}
    assert used and used <= allowed
    assert all(r["pairs"] > 0 for r in rules["prediction_rules"])
    assert rules["prior"] > 0


def test_link_on_name_parts_only(case_url: str, tmp_path: Path) -> None:
    doc = _import_and_link(case_url, _write_lists(tmp_path, (), parts=True))
    assert 0 < doc["people"] < doc["records"]
    assert {f for r in doc["rules"]["prediction_rules"] for f in r["fields"]} <= NAME_FIELDS


def _tiny_list(path: Path, names: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "full_name", "sex", "age"])
        for i, name in enumerate(names, start=1):
            writer.writerow([f"{path.stem}-{i}", name, "M", "30"])
    return path


@pytest.mark.parametrize(
    ("first", "second", "people"),
    [
        (["Testperson Alpha Zulu"], [], 1),
        (["Testperson Alpha Zulu"], ["Testperson Alpha Zulu"], 1),
        (
            ["Testperson Alpha Zulu", "Otherperson Bravo Yankee"],
            ["Testperson Alpha Zulu", "Otherperson Bravo Yankee"],
            2,
        ),
    ],
    ids=["one-record", "two-records", "four-records"],
)
def test_link_on_tiny_cases(
    case_url: str, tmp_path: Path, first: list[str], second: list[str], people: int
) -> None:
    paths = [_tiny_list(tmp_path / "tiny-a.csv", first)]
    if second:
        paths.append(_tiny_list(tmp_path / "tiny-b.csv", second))
    doc = _import_and_link(case_url, paths)
    assert doc["records"] == len(first) + len(second)
    assert doc["people"] == people
