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


def test_a_family_name_in_capitals_keeps_its_article() -> None:
    """``EL ZAKOUR Testan Omar``: the family name is every leading word in capitals."""
    article = ["EL ZAKOUR Testan Omar", "AL-ZAKOUR Rafiq Omar", "ZAKOUR Samir Adel"]
    row = comparison_rows([replace(named_record(i, n), source_id=1) for i, n in enumerate(article)])
    plain = _parts(SHAPES["Given Father Family"], 2)
    assert {p: row[0][f"s_{p}"] for p in ("given", "father", "family")} == plain
    assert row[1]["s_family"] == plain["family"]


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("Nasr al-Din Omar Zakour", "نصر الدين عمر زكور"),
        ("Saifuddin Omar Zakour", "سيف الدين عمر زكور"),
        ("Nour El Din Omar Zakour", "نورالدين عمر زكور"),
        ("Abd Allah Omar Zakour", "عبدالله عمر زكور"),
    ],
)
def test_a_latin_compound_name_is_one_given_name(latin: str, arabic: str) -> None:
    lat, ara = comparison_rows([named_record(1, latin), named_record(2, arabic)])
    assert {p: lat[f"s_{p}"] for p in ("given", "father", "family")} == {
        p: ara[f"s_{p}"] for p in ("given", "father", "family")
    }
    assert lat["s_grandfather"] is None


@pytest.mark.parametrize(
    ("relational", "sex"),
    [
        ("son of Omar Zakour", "M"),
        ("ابن عمر زكور", "M"),
        ("wife of Omar Zakour", "F"),
        ("زوجة عمر زكور", "F"),
        ("ابنة عمر زكور", "F"),
        ("أم محمد زكور", "F"),
        ("Testan Zakour", None),  # a name that tells no sex
    ],
)
def test_a_relational_name_says_the_sex_the_list_left_out(relational: str, sex: str | None) -> None:
    record = replace(named_record(1, relational), sex=None)
    assert comparison_rows([record])[0]["sex"] == sex
