"""Property tests of the normalizers and keys (hypothesis)."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from sijill.names.arabic import normalize_arabic
from sijill.names.keys import (
    arabic_key,
    is_placeholder,
    latin_key,
    name_key,
    name_tokens,
    romanize,
    script_of,
    token_key,
)
from sijill.names.latin import normalize_latin

ARABIC_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيٱکیہ"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
ARABIC_WORDS = ["عبد", "ابو", "أبو", "ال", "آل", "بن", "ابن", "الله", "الدين", "بنت"]
LATIN_WORDS = ["abd", "al", "el", "abu", "abou", "ibn", "bin", "ben", "ur", "ad", "din"]
LATIN_WORDS += ["eddine", "allah", "ullah", "abdul", "abdel", "abdur", "as", "bint"]

arabic_word = st.one_of(
    st.text(alphabet=ARABIC_LETTERS, min_size=1, max_size=8), st.sampled_from(ARABIC_WORDS)
)
latin_word = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz'-", min_size=1, max_size=9),
    st.sampled_from(LATIN_WORDS),
)
arabic_name = st.lists(arabic_word, min_size=1, max_size=6).map(" ".join)
latin_name = st.lists(latin_word, min_size=1, max_size=6).map(" ".join)
any_text = st.text(max_size=40)

SETTINGS = settings(
    max_examples=int(os.environ.get("SIJILL_HYPOTHESIS_EXAMPLES", "300")), deadline=None
)


@SETTINGS
@given(st.one_of(any_text, arabic_name, latin_name))
def test_normalizers_are_idempotent(text: str) -> None:
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once
    once = normalize_latin(text)
    assert normalize_latin(once) == once


@SETTINGS
@given(st.one_of(any_text, arabic_name, latin_name))
def test_keys_never_raise_and_are_stable(text: str) -> None:
    key = name_key(text)
    assert isinstance(key, str)
    assert key == name_key(text)
    assert script_of(text) in {"arabic", "latin", "mixed", "none"}
    assert isinstance(is_placeholder(text), bool)
    for fn in (arabic_key, latin_key, romanize, token_key):
        assert isinstance(fn(text), str)
    assert all(" " not in t and t for t in name_tokens(text))
    assert "  " not in key and key == key.strip()


@SETTINGS
@given(arabic_name)
def test_key_of_an_arabic_name_equals_key_of_its_normalization(text: str) -> None:
    assert name_key(text) == name_key(normalize_arabic(text))
    assert name_tokens(text) == normalize_arabic(text).split()


@SETTINGS
@given(latin_name)
def test_key_of_a_latin_name_equals_key_of_its_normalization(text: str) -> None:
    assert name_key(text) == name_key(normalize_latin(text))
    assert name_key(text.upper()) == name_key(text)


@SETTINGS
@given(st.lists(st.one_of(arabic_word, latin_word), min_size=1, max_size=5), st.data())
def test_whitespace_does_not_matter(words: list[str], data: st.DataObject) -> None:
    seps = st.sampled_from([" ", "  ", "\t", "\u00a0", " \n "])
    spaced = "".join(w + data.draw(seps) for w in words)
    assert name_key(data.draw(seps) + spaced) == name_key(" ".join(words))


@SETTINGS
@given(arabic_name, st.data())
def test_diacritics_and_tatweel_do_not_matter(text: str, data: st.DataObject) -> None:
    marked = "".join(
        ch + data.draw(st.text(alphabet=HARAKAT, max_size=2)) if ch != " " else ch for ch in text
    )
    assert normalize_arabic(marked) == normalize_arabic(text)
    assert name_key(marked) == name_key(text)


@SETTINGS
@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_indic_and_eastern_digits_become_ascii(number: int) -> None:
    digits = str(number)
    arabic_indic = digits.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    eastern = digits.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert normalize_arabic(arabic_indic) == digits
    assert normalize_arabic(eastern) == digits
    assert name_key(f"محمد {arabic_indic}") == name_key(f"Mohammad {digits}")
