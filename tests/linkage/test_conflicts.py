"""Conflicts: what keeps two records apart, and what a short or misspelt name may excuse."""

from __future__ import annotations

from dataclasses import replace

from sijill.linkage.conflicts import HARD, SOFT, conflict, identities
from sijill.linkage.features import RecordFacts, comparison_row
from tests.linkage.helpers import named_record


def _pair(x: RecordFacts, y: RecordFacts, *others: RecordFacts) -> str | None:
    found = identities([comparison_row(f) for f in (x, y, *others)])
    return conflict(found[0], found[1])


def test_two_fathers_names_keep_namesakes_apart() -> None:
    hassan = named_record(1, given="Ali", father="Hassan", family="Darwish")
    mahmoud = named_record(2, given="علي", father="محمود", family="درويش")
    assert _pair(hassan, mahmoud) == HARD


def test_short_name_may_skip_the_father() -> None:
    """ "Ali Ahmad Darwish" may be Ali son of Hassan son of Ahmad, his father left out."""
    full = named_record(1, given="Ali", father="Hassan", grandfather="Ahmad", family="Darwish")
    short = named_record(2, "علي أحمد درويش")
    assert _pair(full, short) is None


def test_short_name_beside_a_record_without_grandfather_is_only_doubtful() -> None:
    full = named_record(1, given="Ali", father="Hassan", family="Darwish")
    short = named_record(2, "علي أحمد درويش")
    assert _pair(full, short) == SOFT


def test_a_misspelt_name_is_a_slip_not_another_name() -> None:
    """حين is not a name of the table (the key of the nearest name is no proof); حسن is."""
    slip = named_record(1, given="حين", father="علي", family="درويش")
    hussein = named_record(2, given="Hussein", father="Ali", family="Darwish")
    hassan = named_record(3, given="حسن", father="علي", family="درويش")
    assert _pair(slip, hussein) is None
    assert _pair(hassan, hussein) == HARD


def test_a_latin_spelling_that_may_be_either_name_is_not_held_against_it() -> None:
    """ "Samir" is سمير, but also سامر as a transliteration without long-vowel marks writes it."""
    samer = named_record(1, given="سامر", father="علي", family="درويش")
    samir = named_record(2, given="Samir", father="Ali", family="Darwish")
    sameer = named_record(3, given="سمير", father="علي", family="درويش")
    assert _pair(samer, samir) is None
    assert _pair(sameer, samir) is None
    assert _pair(samer, sameer) == HARD  # in Arabic script the two names are plain


def test_names_far_apart_are_two_names_even_if_unknown() -> None:
    assert (
        _pair(named_record(1, given="Amal", family="Darwish"), named_record(2, given="Fatima"))
        == HARD
    )


def _dated(
    i: int, source: int, dob: str | None = None, age: int | None = None, **parts: str
) -> RecordFacts:
    """A record of list `source` with a date of birth or an age beside its name parts."""
    record = named_record(i, **parts)
    return replace(record, source_id=source, date_of_birth=dob, age_min=age, age_max=age)


def test_four_same_names_outweigh_ages_far_apart_unless_both_give_a_date() -> None:
    full = {"given": "علي", "father": "حسن", "grandfather": "محمد", "family": "درويش"}
    assert _pair(_dated(1, 1, age=30, **full), _dated(2, 2, age=45, **full)) == SOFT
    apart = _pair(_dated(1, 1, "1994-03-05", **full), _dated(2, 2, "1979-03-05", **full))
    assert apart == HARD
    three = {"given": "علي", "father": "حسن", "family": "درويش"}
    assert _pair(_dated(1, 1, age=30, **three), _dated(2, 2, age=45, **three)) == HARD


def test_one_date_of_birth_outweighs_a_damaged_letter_across_lists_not_within_one() -> None:
    """سعاد and سعد are two names of the table a letter apart: the same date of birth in two
    lists makes them a doubtful pair; in one list they are twins."""
    suad = {"given": "سعاد", "father": "حسن", "family": "درويش"}
    saad = {"given": "سعد", "father": "حسن", "family": "درويش"}
    day = "1990-03-05"
    assert _pair(_dated(1, 1, day, **suad), _dated(2, 2, day, **saad)) == SOFT
    assert _pair(_dated(1, 1, **suad), _dated(2, 2, **saad)) == HARD
    assert _pair(_dated(1, 1, day, **suad), _dated(2, 1, day, **saad)) == HARD  # twins
    far = {"given": "محمود", "father": "حسن", "family": "درويش"}
    assert _pair(_dated(1, 1, day, **suad), _dated(2, 2, day, **far)) == HARD


def test_one_list_does_not_write_one_persons_given_name_two_ways() -> None:
    """ "Samir" may be سامر (above), but beside the same father and family in one list, the two
    are brothers."""
    samer = {"given": "سامر", "father": "علي", "family": "درويش"}
    samir = {"given": "Samir", "father": "Ali", "family": "Darwish"}
    assert _pair(_dated(1, 1, **samer), _dated(2, 2, **samir)) is None
    assert _pair(_dated(1, 1, **samer), _dated(2, 1, **samir)) == HARD


def test_a_childs_age_is_known_closer_than_an_adults() -> None:
    """Two sons of one father four years apart are two children; two men of 40 and 44 with
    one name may be one man whose age a list guessed."""
    son = {"given": None, "father": "عمر", "family": "زكور"}
    assert _pair(_dated(1, 1, age=4, **son), _dated(2, 2, age=8, **son)) == HARD
    assert _pair(_dated(1, 1, age=4, **son), _dated(2, 2, age=5, **son)) is None
    man = {"given": "علي", "father": "عمر", "family": "زكور"}
    assert _pair(_dated(1, 1, age=40, **man), _dated(2, 2, age=44, **man)) is None


def test_one_list_does_not_write_one_persons_birth_two_ways() -> None:
    """Two namesakes of one village in one list, born apart, are two people; in two lists the
    same pair may be one person whose age one list guessed."""
    name = {"given": "علي", "father": "عمر", "family": "زكور"}
    assert _pair(_dated(1, 1, "1990-05-01", **name), _dated(2, 1, "1992-07-03", **name)) == HARD
    assert _pair(_dated(1, 1, age=30, **name), _dated(2, 1, age=33, **name)) == HARD
    assert _pair(_dated(1, 1, age=30, **name), _dated(2, 1, age=31, **name)) is None
    assert _pair(_dated(1, 1, age=30, **name), _dated(2, 2, age=33, **name)) is None


def test_two_names_of_three_words_with_two_fathers_are_two_people() -> None:
    """Each second word of a three-word name is the father's: "Ali Ahmad Wannous" and "Ali
    Ibrahim Wannous" are cousins, whichever lists wrote them; a family name left out of one
    of them (the third word the grandfather's) is still only doubtful."""
    assert _pair(named_record(1, "علي أحمد ونوس"), named_record(2, "Ali Ibrahim Wannous")) == HARD
    assert _pair(named_record(1, "علي أحمد ونوس"), named_record(2, "علي أحمد خليل")) == SOFT


def test_one_list_writes_every_name_in_one_order() -> None:
    """A short name beside a full one may have left the father out, unless one list wrote
    both: a list does not write one person's name in two orders."""
    full = {"given": "Ali", "father": "Hassan", "grandfather": "Ahmad", "family": "Darwish"}
    short = named_record(2, "Ali Ahmad Darwish")
    assert _pair(named_record(1, **full), short) is None
    assert _pair(replace(named_record(1, **full), source_id=2), short) == HARD


def test_the_wives_of_two_husbands_are_two_women() -> None:
    wife = named_record(1, "wife of Suleiman Bilal")
    assert _pair(wife, named_record(2, "زوجة علي بلال")) == HARD
    assert _pair(wife, named_record(2, "زوجة سليمان بلال")) is None
    assert _pair(named_record(1, "أم محمد نصور"), named_record(2, "أم خليل نصور")) == HARD


def test_births_and_ages_are_worked_out_from_each_other_within_the_case() -> None:
    """An age without a date of death becomes a birth year from the year its list's other
    rows died in; a date of birth beside a day of death gives the age at death, which a
    child's closer age check then reads: a boy born in 2011 is not a man of 20."""
    from datetime import date

    from sijill.linkage.features import comparison_rows

    died = date(2025, 3, 8)
    boy = replace(named_record(1, "ابن عيسى اسكندر"), date_of_birth="2011-12-17", death_start=died)
    boy = replace(boy, death_end=died)
    man = replace(named_record(2, "محمد عيسى اسكندر"), source_id=1, age_min=20, age_max=20)
    rows = comparison_rows([boy, man])
    assert rows[0]["age"] == 14  # 2025 less 2011: the year is what a row of death says
    assert rows[1]["birth_year"] == 2005 and rows[1]["birth_year_from_age"]
    assert conflict(*identities(rows)) == HARD
    alone = comparison_rows([replace(man, source_id=2)])  # no day of death in the case
    assert alone[0]["birth_year"] is None


def test_a_relational_name_split_by_a_pdf_is_still_relational() -> None:
    """``زوج ة`` is ``زوجة`` with its last letter split off: a wife, not a woman named زوج."""
    from sijill.linkage.features import relational_parts, relational_sex

    assert relational_parts("زوج ة محمد الصالح") == {
        "given": None,
        "father": None,
        "grandfather": None,
        "family": "الصالح",
    }
    assert relational_sex("زوج ة محمد الصالح") == "F"
