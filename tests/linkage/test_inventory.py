"""The case's own names: spellings common enough to be names, told from slips of the pen."""

from __future__ import annotations

from sijill.linkage.conflicts import HARD, conflict, identities
from sijill.linkage.features import comparison_rows
from sijill.linkage.inventory import case_names, one_letter_apart
from tests.linkage.helpers import named_record


def test_one_letter_apart_finds_a_letter_changed_added_or_left_out() -> None:
    near = one_letter_apart(["باسل", "باسم", "باسلل", "بسل", "زهران"])
    assert near["باسل"] == {"باسم", "باسلل", "بسل"}
    assert near["زهران"] == set()
    assert "باسلل" not in near["باسم"]  # two edits apart


def test_a_name_recurs_a_slip_is_rare_beside_its_name() -> None:
    written = ["باسل"] * 40 + ["باسم"] * 30 + ["بسل"] * 3 + ["زهران"] * 3 + ["زهوان"] * 2
    names = case_names(written)
    assert {"باسل", "باسم", "زهران"} <= names  # two names a letter apart, each common
    assert "بسل" not in names  # a slip: its name is written more than ten times as often
    assert "زهوان" not in names  # too rare to tell


def test_two_common_names_of_the_case_are_two_people_not_one_misspelt() -> None:
    """باسل and باسم are not in the names table; the case writes each often, so brothers
    named so are kept apart, while a rare slip (بسل) may still be either."""
    given = ["باسل"] * 12 + ["باسم"] * 10 + ["بسل"]
    records = (
        named_record(i, given=g, father="علي", family="درويش") for i, g in enumerate(given, start=1)
    )
    found = identities(comparison_rows(records))
    basel, basem, slip = found[0], found[12], found[22]
    assert conflict(basel, basem) == HARD
    assert conflict(basel, slip) is None
