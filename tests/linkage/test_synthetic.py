"""The synthetic list generator: realistic, deterministic, visibly synthetic, with truth."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from sijill.linkage.synthetic import COLUMNS, generate_lists, write_lists_csv


def test_same_arguments_give_the_same_lists() -> None:
    assert generate_lists(200, 3, 5) == generate_lists(200, 3, 5)
    assert generate_lists(200, 3, 5) != generate_lists(200, 3, 6)


def test_lists_follow_the_casualty_list_format_and_say_they_are_synthetic() -> None:
    lists, truth = generate_lists(300, 5, 1)
    assert list(lists) == [f"synthetic-{c}" for c in "abcde"]
    for rows in lists.values():
        ids = [r["record_id"] for r in rows]
        assert len(ids) == len(set(ids))
        for row in rows:
            assert tuple(row) == COLUMNS
            assert row["notes"].startswith("SYNTHETIC")
    # every named record has a person in the truth; aggregate rows never do
    for name, rows in lists.items():
        for row in rows:
            if row["count"]:
                assert (name, row["record_id"]) not in truth
                assert int(row["count"]) > 1


def test_people_appear_in_several_lists_and_scripts() -> None:
    lists, truth = generate_lists(500, 5, 3)
    per_person = Counter(truth.values())
    assert max(per_person.values()) >= 4
    assert sum(1 for n in per_person.values() if n == 1) > 0
    arabic = [r for r in lists["synthetic-a"] if r["full_name"]]
    latin = [r for r in lists["synthetic-b"] if r["given_name"]]
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic[0]["full_name"])
    assert latin[0]["given_name"].isascii()
    # within-list duplicates exist
    keys = Counter(
        truth[("synthetic-a", r["record_id"])]
        for r in lists["synthetic-a"]
        if ("synthetic-a", r["record_id"]) in truth
    )
    assert max(keys.values()) >= 2


def test_writer_writes_each_list_and_the_truth(tmp_path: Path) -> None:
    lists, truth = generate_lists(50, 2, 9)
    paths = write_lists_csv(lists, truth, tmp_path)
    assert set(paths) == set(lists)
    with paths["synthetic-a"].open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == len(lists["synthetic-a"])
    with (tmp_path / "truth.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == len(truth)
