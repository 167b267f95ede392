"""The case's own names: spellings common enough to be names, told from slips of the pen."""

from __future__ import annotations

from sijill.linkage.conflicts import HARD, conflict, identities
from sijill.linkage.features import RecordFacts, comparison_rows
from sijill.linkage.inventory import case_names, one_letter_apart


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


def _facts(i: int, given: str) -> RecordFacts:
    return RecordFacts(
        id=i,
        source_id=1 + i % 3,
        full_name=None,
        given_name=given,
        father_name="علي",
        grandfather_name=None,
        family_name="درويش",
        nickname=None,
        sex="M",
        age_min=None,
        age_max=None,
        birth_year=None,
        death_start=None,
        death_end=None,
        place_of_death=None,
        district=None,
        governorate=None,
    )


def test_two_common_names_of_the_case_are_two_people_not_one_misspelt() -> None:
    """باسل and باسم are not in the names table; the case writes each often, so brothers
    named so are kept apart, while a rare slip (بسل) may still be either."""
    given = ["باسل"] * 12 + ["باسم"] * 10 + ["بسل"]
    found = identities(comparison_rows(_facts(i, g) for i, g in enumerate(given, start=1)))
    basel, basem, slip = found[0], found[12], found[22]
    assert conflict(basel, basem) == HARD
    assert conflict(basel, slip) is None
