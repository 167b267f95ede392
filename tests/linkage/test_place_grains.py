"""Places at several grains compare at one grain: ``X - Y`` pairs, countryside, neighbourhoods
and both scripts (invented places)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sijill.linkage.features import comparison_rows, place_fields
from tests.linkage.helpers import named_record


@pytest.mark.parametrize(
    ("written", "district", "place", "area"),
    [
        ("Deir Testan - Wadi Mithal", None, "Deir Testan", "Wadi Mithal"),
        ("دير تستان", "وادي مثال", "Deir Testan", "Wadi Mithal"),
        ("ريف وادي مثال", None, None, "Wadi Mithal"),
        ("Wadi Mithal countryside", None, None, "Wadi Mithal"),
        ("Khirbat Testan", None, "خربة تستان", None),
    ],
)
def test_one_place_written_at_several_grains_gives_one_key(
    written: str, district: str | None, place: str | None, area: str | None
) -> None:
    found = place_fields(written, district)
    assert found.place == place_fields(place, None).place
    assert found.district == (place_fields(area, None).place if area else None)


def test_a_neighbourhood_alone_is_put_in_the_town_the_case_names_it_with() -> None:
    rows = comparison_rows(
        [
            replace(named_record(1, "Testan Zakour"), place_of_death="حي الأمثولة - قرية تستان"),
            replace(named_record(2, "Testan Zakour"), place_of_death="حي الأمثولة"),
            replace(named_record(3, "Testan Zakour"), place_of_death="Testan"),
            replace(named_record(4, "Testan Zakour"), place_of_death="حي آخر"),
        ]
    )
    assert rows[0]["place"] == rows[1]["place"] == rows[2]["place"]
    assert rows[3]["place"] not in (None, rows[0]["place"])


def test_a_district_spelt_in_two_scripts_is_one_district_and_a_governorate_stays_apart() -> None:
    """Lists writing the villages of one district under اللاذقية and under "Lattakia" name one
    district; "Sahil", written for villages of both districts, stays a wider area."""
    written = [
        ("Deir Testan", "اللاذقية"),
        ("Tell Mithal", "اللاذقية"),
        ("Ain Namudhaj", "اللاذقية"),
        ("Deir Testan", "Lattakia"),
        ("Tell Mithal", "Lattakia"),
        ("Kafr Wahm", "Jablah"),
        ("Deir Testan", "Sahil"),
        ("Kafr Wahm", "Sahil"),
        (None, "Lattakia"),
    ]
    rows = comparison_rows(
        [
            replace(named_record(i, "Testan Zakour"), place_of_death=place, district=district)
            for i, (place, district) in enumerate(written, 1)
        ]
    )
    assert len({r["district"] for r in rows[:5]} | {rows[8]["district"]}) == 1
    assert rows[6]["district"] not in (rows[0]["district"], rows[5]["district"])
