"""Name order read per list: ``FAMILY Given``, ``Family, Given``, ``Given Family``, Arabic
given ... family, brackets and glued or damaged words (invented names)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sijill.linkage.features import comparison_rows
from tests.linkage.helpers import named_record

#: One invented person, written as lists of each shape write him (three per list).
SHAPES = {
    "Given Father Family": ["Testan Omar Zakour", "Rafiq Omar Zakour", "Samir Adel Zakour"],
    "FAMILY Given Father": ["ZAKOUR Testan Omar", "ZAKOUR Rafiq Omar", "ZAKOUR Samir Adel"],
    "Family, Given Father": ["Zakour, Testan Omar", "Zakour, Rafiq Omar", "Zakour, Samir Adel"],
    "with a nickname": ["Testan (Abu Sami) Omar Zakour", "Rafiq Omar Zakour", "Samir Adel Zakour"],
}


def _parts(names: list[str], source: int) -> dict[str, str | None]:
    facts = [replace(named_record(i, name), source_id=source) for i, name in enumerate(names, 1)]
    row = comparison_rows(facts)[0]
    return {p: row[f"s_{p}"] for p in ("given", "father", "family")}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_list_shape_gives_given_father_family(shape: str) -> None:
    assert _parts(SHAPES[shape], 1) == _parts(SHAPES["Given Father Family"], 2)


def test_a_list_in_capitals_is_not_read_family_first() -> None:
    upper = [n.upper() for n in SHAPES["Given Father Family"]]
    assert _parts(upper, 1) == _parts(SHAPES["Given Father Family"], 2)


def test_arabic_two_and_three_words_are_given_father_family_by_count() -> None:
    two = comparison_rows([named_record(1, "تستان زكور")])[0]
    three = comparison_rows([named_record(1, "تستان عمر زكور")])[0]
    assert two["s_father"] is None and two["s_family"] == three["s_family"]
    assert three["s_father"] is not None


def test_glued_names_are_split_in_place() -> None:
    glued = comparison_rows([named_record(1, "تستان محمدكامل زكور")])[0]
    spaced = comparison_rows([named_record(2, "تستان محمد كامل زكور")])[0]
    assert glued["s_father"] == spaced["s_father"]
    assert glued["s_grandfather"] == spaced["s_grandfather"]


@pytest.mark.parametrize(
    ("relational", "plain"),
    [
        ("son of Omar Zakour", "Testan Omar Zakour"),
        ("ابن عمر زكور", "تستان عمر زكور"),
        ("زوجة عمر زكور", "تستانة خليل زكور"),
        ("أم محمد زكور", "تستانة خليل زكور"),
    ],
)
def test_relational_names_give_no_given_name(relational: str, plain: str) -> None:
    rel, other = comparison_rows([named_record(1, relational), named_record(2, plain)])
    assert rel["s_given"] is None
    assert rel["s_family"] == other["s_family"]
    if relational.startswith(("son", "ابن")):
        assert rel["s_father"] == other["s_father"]
    else:
        assert rel["s_father"] is None
