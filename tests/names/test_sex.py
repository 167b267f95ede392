"""The sex a given name tells, in both scripts, and where it tells none."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sijill.linkage.conflicts import HARD, conflict, identities
from sijill.linkage.features import comparison_rows
from sijill.names.sex import sex_of_given_name
from tests.linkage.helpers import named_record


@pytest.mark.parametrize(
    ("name", "sex"),
    [
        ("فاطمة", "F"),
        ("Zainab", "F"),
        ("سعاد", "F"),
        ("عيسى", "M"),
        ("Issa", "M"),
        ("صلاح الدين", "M"),
        ("Abdel Karim", "M"),
        ("نور", None),  # a name for both
        ("Nour", None),
        ("Samir", None),  # سمير, سامر, or سميرة without its final letter
        ("Zzyzx", None),  # not a name of the table
        (None, None),
    ],
)
def test_a_given_name_tells_a_sex_where_it_tells_one(name: str | None, sex: str | None) -> None:
    assert sex_of_given_name(name) == sex


def test_a_list_without_sex_is_read_by_its_given_names() -> None:
    """ "son of Ahmed Rajab" is not Zainab Rajab, though neither list wrote a sex."""
    son = replace(named_record(1, "son of Ahmed Rajab"), sex=None)
    zainab = replace(named_record(2, "Zainab Rajab"), sex=None)
    rows = comparison_rows([son, zainab])
    assert [r["sex"] for r in rows] == ["M", "F"]
    assert conflict(*identities(rows)) == HARD
