"""Name features: skeletons shared across scripts, parts from full names, places."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sijill.linkage.features import comparison_row, place_key, split_parts
from sijill.linkage.lexicon import FAMILY, FEMALE_GIVEN, MALE_GIVEN
from sijill.linkage.skeleton import skeleton
from tests.linkage.helpers import named_record


@pytest.mark.parametrize(
    "spellings",
    [
        ("محمد", "Mohammad", "Muhammad", "Mohamed"),
        ("شاهين", "Shaheen", "Chahine", "Shahin"),
        ("يوسف", "Yousef", "Youssef", "Yusuf"),
        ("فاطمة", "Fatima", "Fatimah"),
        ("خضور", "Khaddour", "Khadur"),
    ],
)
def test_spellings_of_one_name_share_a_skeleton(spellings: tuple[str, ...]) -> None:
    assert len({skeleton(s) for s in spellings}) == 1


def test_khaddour_and_qaddour_stay_apart() -> None:
    assert skeleton("خضور") != skeleton("قدور")
    assert skeleton("Khaddour") != skeleton("Qaddour")


def test_most_lexicon_names_agree_across_scripts() -> None:
    names = MALE_GIVEN + FEMALE_GIVEN + FAMILY
    agreeing = sum(
        1 for n in names if len({skeleton(n.arabic), *(skeleton(s) for s in n.latin)}) == 1
    )
    assert agreeing / len(names) > 0.9


def test_full_names_split_by_position_with_articles_kept() -> None:
    assert split_parts("Ali Hassan Al Khair") == {
        "given": "Ali",
        "father": "Hassan",
        "grandfather": None,
        "family": "Al Khair",
    }
    assert split_parts("علي حسن محمد الخير")["grandfather"] == "محمد"
    assert split_parts("Hala Shahin") == {
        "given": "Hala",
        "father": None,
        "grandfather": None,
        "family": "Shahin",
    }


def test_place_keys_ignore_words_like_district() -> None:
    assert place_key("منطقة الغيم") == place_key("Ghaym District") == place_key("District de Ghaim")
    assert place_key("عين الغار") == place_key("Ain al-Ghar")


def test_comparison_row_estimates_birth_year_from_age() -> None:
    facts = replace(
        named_record(1, "Ali Hassan Ismail"),
        age_min=30,
        age_max=30,
        death_start=date(2025, 3, 8),
        death_end=date(2025, 3, 8),
        place_of_death="Ain al-Ghar",
    )
    row = comparison_row(facts)
    assert row["birth_year"] == 1995
    assert row["s_given"] == skeleton("علي")
    assert row["death_day"] is not None


def test_final_alef_maqsura_and_ya_give_one_key() -> None:
    """Lists write a final ى for ي and the other way round: one key, one skeleton, one block."""
    for pair in (("مصطفى", "مصطفي"), ("العامودى", "العامودي"), ("عيسى", "عيسي")):
        maqsura, ya = (named_record(i, f"علي {name}") for i, name in enumerate(pair, start=1))
        left, right = comparison_row(maqsura), comparison_row(ya)
        for column in ("k_family", "s_family", "f_family"):
            assert left[column] == right[column], (pair, column)
    assert skeleton("مصطفى") == skeleton("مصطفي")


def test_damaged_and_spaced_compounds_read_as_one_name() -> None:
    keys = {
        tuple(
            comparison_row(named_record(1, f"محمد {name} حسن"))[c] for c in ("k_father", "s_father")
        )
        for name in ("عبد الله", "عبدالله", "عبد هللا", "عبدهللا")
    }
    assert len(keys) == 1
    spaced = comparison_row(named_record(1, "نصر الدين علي حسن"))
    joined = comparison_row(named_record(2, "نصرالدين علي حسن"))
    assert spaced["s_given"] == joined["s_given"] and spaced["s_father"] == joined["s_father"]
    split = comparison_row(named_record(1, "امي ن علي حسن"))
    assert split["s_given"] == comparison_row(named_record(2, "أمين علي حسن"))["s_given"]
