"""The public interface of the names layer, function by function, with documented examples."""

from __future__ import annotations

import pytest

from sijill.names import lexicon
from sijill.names.arabic import normalize_arabic
from sijill.names.keys import (
    arabic_key,
    is_placeholder,
    is_table_name,
    latin_key,
    name_key,
    name_tokens,
    romanize,
    script_of,
    table_names,
    token_key,
)
from sijill.names.latin import normalize_latin


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("مُحَمَّد", "محمد"),
        ("أحمـــد", "احمد"),
        ("إبراهيم آل سعيد", "ابراهيم السعيد"),
        ("مصطفى", "مصطفي"),
        ("فاطمة", "فاطمه"),
        ("مؤمن", "مومن"),
        ("هائل", "هايل"),
        ("علاء", "علا"),
        ("کریم", "كريم"),
        ("عبد الله", "عبدالله"),
        ("عبد الرحمن", "عبدالرحمن"),
        ("عبد ال رحمن", "عبدالرحمن"),
        ("أبو بكر", "ابوبكر"),
        ("نور الدين", "نورالدين"),
        ("نصر الله", "نصرالله"),
        ("محمد ابن علي", "محمد بن علي"),
        ("محمد، علي؛ حسن؟", "محمد علي حسن"),
        ("مواليد ١٩٨٤", "مواليد 1984"),
        ("\u200fمحمد\u200e  علي ", "محمد علي"),
        ("ﻣﺤﻤﺪ", "محمد"),  # presentation forms
    ],
)
def test_normalize_arabic(raw: str, normalized: str) -> None:
    assert normalize_arabic(raw) == normalized


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Muḥammad", "muhammad"),
        ("ʿAlī", "ali"),
        ("Sa'id", "said"),
        ("Abd al-Rahman", "abdulrahman"),
        ("Abdul Rahman", "abdulrahman"),
        ("Abdel-Rahman", "abdulrahman"),
        ("Abd-ur-Rahman", "abdulrahman"),
        ("Abdurrahman", "abdulrahman"),
        ("Abdur Rahman", "abdulrahman"),
        ("Abdessalam", "abdulsalam"),
        ("Abd Allah", "abdullah"),
        ("Abdallah", "abdullah"),
        ("Abd Rabbo", "abdrabbo"),
        ("Abdo Hassan", "abdo hassan"),
        ("Abou Zeid", "abuzeid"),
        ("Abu al-Fadl", "abualfadl"),
        ("al-Hamwi", "alhamwi"),
        ("El Hamwi", "alhamwi"),
        ("as-Sayyed", "alsayyed"),
        ("Nour al-Din", "nouraldin"),
        ("Noureddine", "nouraldin"),
        ("Salah ad-Din", "salahaldin"),
        ("Nasr Allah", "nasrallah"),
        ("Ali ibn Hassan", "ali bin hassan"),
        ("Ali Ben Hassan", "ali bin hassan"),
        ("Fatma bent Ali", "fatma bint ali"),
        ("Mo7ammad 3ali", "mohammad ali"),
        ("Mohammad 2nd", "mohammad nd"),
        ("Mohammad 22", "mohammad 22"),
    ],
)
def test_normalize_latin(raw: str, normalized: str) -> None:
    assert normalize_latin(raw) == normalized


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("محمد علي", "arabic"),
        ("Mohammad Ali", "latin"),
        ("محمد Ali", "mixed"),
        ("", "none"),
        (None, "none"),
        ("٣٤ - ?", "none"),
    ],
)
def test_script_of(text: str | None, script: str) -> None:
    assert script_of(text) == script


def test_name_tokens_keep_each_script() -> None:
    assert name_tokens("محمد Abdel Rahman الحموي") == ["محمد", "abdulrahman", "الحموي"]
    assert name_tokens(None) == []


@pytest.mark.parametrize(
    "text",
    ["", None, "مجهول", "مجهولة", "مجهول الهوية", "غير معروف", "unknown", "Unidentified",
     "UNKNOWN MALE", "N/A", "n/a", "-", "—", "؟", "?", "...", "0", "مجهول 3", "جثة مجهولة"],
)  # fmt: skip
def test_placeholders(text: str | None) -> None:
    assert is_placeholder(text)
    assert name_key(text) == ""


@pytest.mark.parametrize("text", ["معروف", "Maarouf", "Nour", "شهيد حسن", "Ali", "x y z"])
def test_real_names_are_not_placeholders(text: str) -> None:
    assert not is_placeholder(text)
    assert name_key(text) != ""


def test_token_key() -> None:
    assert token_key("Abd al-Rahman") == token_key("عبدالرحمن")
    assert token_key("") == ""


def test_arabic_and_latin_keys() -> None:
    assert arabic_key("محمد بن علي الحموي") == "محمد علي حموي"
    assert arabic_key("Mohamed Ali") == ""
    assert latin_key("Mohamed ibn Ali al-Hamawi") == "mohamed ali hamawi"
    assert latin_key("محمد علي") == ""
    assert latin_key("Elias") == "elias"  # a table name keeps its initial "el"
    assert arabic_key("مجهول") == latin_key("unknown") == ""


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("محمد بن علي الحلبي", "Mohammad bin Ali al-Halabi"),
        ("فاطمة محمود", "Fatima Mahmoud"),
        ("عبد الرحمن أبو زيد", "Abdulrahman Abu Zaid"),
        ("نور الدين الحموي", "Nour al-Din al-Hamwi"),
        ("خالد سالم", "Khaled Salem"),
        ("قطيفان", "Qatifan"),  # letter by letter
        ("Ali Hassan", "Ali Hassan"),  # Latin kept
    ],
)
def test_romanize(arabic: str, latin: str) -> None:
    assert romanize(arabic) == latin


def test_romanize_never_shows_arabic_letters_for_arabic_input() -> None:
    for entry in lexicon.entries():
        assert script_of(romanize(entry.arabic[0])) == "latin"


def test_the_name_table_is_consistent() -> None:
    table = lexicon.entries()
    assert len(table) >= 200
    keys: dict[str, str] = {}
    for entry in table:
        key = name_key(entry.arabic[0])
        assert keys.setdefault(key, entry.display) == entry.display, key
        assert len(normalize_arabic(entry.arabic[0]).split()) == 1
        for spelling in entry.latin:
            assert len(normalize_latin(spelling).split()) == 1, spelling
    mismatched = [
        (entry.arabic[0], spelling)
        for entry in table
        for spelling in entry.latin
        if name_key(spelling) != name_key(entry.arabic[0])
    ]
    assert mismatched == [("آلاء", "Alaa")]  # "Alaa" is علاء first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("محمد", True),
        ("Mohammed", True),
        ("Munzer", True),  # a close Latin variant of a table spelling (Munther)
        ("الأحمد", True),
        ("عبد الرحمن", True),
        ("محممد", False),  # a slip of the pen
        ("حين", False),  # a slip for حسين, though it takes a table name's key
        ("Ahuad", False),
        ("", False),
    ],
)
def test_is_table_name_tells_a_table_name_from_a_slip(text: str, expected: bool) -> None:
    assert is_table_name(text) is expected


def test_table_names_a_spelling_may_be() -> None:
    """A Latin spelling may be several table names; an Arabic one only its own."""
    samir = table_names("Samir")  # سمير, or سامر transliterated without its long-vowel mark
    assert {token_key("سمير"), token_key("سامر")} <= samir
    assert table_names("سامر") == {token_key("سامر")}
    assert table_names("Hussein") == {token_key("حسين")}
    assert token_key("حسن") not in table_names("Hussein")
    assert table_names("Munzer") == {token_key("منذر")}  # the nearest close variant
    assert table_names("عبد الرحمن") == {token_key("عبد الرحمن")}
    assert table_names("محممد") == frozenset()  # a slip of the pen is no table name
