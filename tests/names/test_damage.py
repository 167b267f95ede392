"""Names damaged by PDF extraction: the lam-alef ligature written back to front, glued names."""

from __future__ import annotations

from sijill.names.damage import (
    ligature_ambiguous,
    ligature_reversed,
    mend_ligature,
    split_glued,
)

DAMAGED = ["بالل", "عمر", "طالل", "سعيد", "عالء", "االغا", "صالح", "حسن"]
CLEAN = ["بلال", "عمر", "طلال", "سعيد", "علاء", "صالح", "حسن", "سالم"]


def test_a_list_writing_lam_alef_back_to_front_is_recognised() -> None:
    assert ligature_reversed(DAMAGED)
    assert not ligature_reversed(CLEAN)


def test_damaged_words_are_mended_where_unambiguous() -> None:
    assert [mend_ligature(w) for w in ("بالل", "طالل", "عالء", "االغا", "عبدالسالم")] == [
        "بلال",
        "طلال",
        "علاء",
        "الاغا",
        "عبدالسلام",
    ]
    assert mend_ligature("صالح") == "صالح"  # a name either way: left as written
    assert ligature_ambiguous("صالح") == "صلاح"
    assert ligature_ambiguous("حسن") is None


def test_two_glued_names_are_split_and_compounds_are_not() -> None:
    assert split_glued("محمدكامل") == ("محمد", "كامل")
    assert split_glued("عبدالرحمن") == ("عبدالرحمن",)
    assert split_glued("سعدالله") == ("سعدالله",)
    assert split_glued("محمود") == ("محمود",)


def test_hamza_ligature_and_repeated_tails_are_mended() -> None:
    from sijill.names.damage import drop_repeated_tail

    assert mend_ligature("األغا") == "الأغا"
    words = ["تستان", "عمر", "خليل", "زكور", "عمر", "خليل", "زك"]
    assert drop_repeated_tail(words) == words[:4]
    assert drop_repeated_tail(words[:4]) == words[:4]


def test_a_compound_is_joined_whatever_its_parts_lost() -> None:
    """A ya that lost its dots (``الدىن``), vowel marks: the compound is still one name,
    written as it was written."""
    from sijill.names.arabic import join_compounds

    assert join_compounds(["عز", "الدىن", "مصطفى"]) == ["عزالدىن", "مصطفى"]
    assert join_compounds(["عَبد", "الله"]) == ["عَبدالله"]
    assert join_compounds(["علي", "ابن", "حسن"]) == ["علي", "بن", "حسن"]


def test_a_compound_whose_end_lost_its_last_letter_is_still_one_name() -> None:
    from sijill.names.arabic import join_compounds

    assert join_compounds(["عز", "الدي", "يونس"]) == ["عزالدي", "يونس"]
