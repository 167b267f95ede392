"""Place keys and matching logic (pure, no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sijill.places.keys import keys_for, mapping_key, place_key
from sijill.places.matching import GazetteerEntry, PlaceIndex, split_place_string


def _index(mappings: dict[str, int] | None = None) -> PlaceIndex:
    entries = [
        GazetteerEntry(1, "governorate", None, (("طرطوس", "primary"), ("Tartus", "primary"))),
        GazetteerEntry(2, "district", 1, (("بانياس", "primary"), ("Baniyas", "primary"))),
        GazetteerEntry(3, "town", 2, (("بانياس", "primary"), ("Banias", "primary"))),
        GazetteerEntry(4, "governorate", None, (("حماة", "primary"), ("Hama", "primary"))),
        GazetteerEntry(5, "village", 4, (("القبو", "primary"), ("al-Qabu", "primary"))),
        GazetteerEntry(6, "governorate", None, (("حمص", "primary"), ("Homs", "primary"))),
        GazetteerEntry(7, "village", 6, (("القبو", "primary"), ("Al-Qabu", "primary"))),
        GazetteerEntry(8, "village", 2, (("عين الخيال", "primary"), ("Ain al-Khayal", "primary"))),
    ]
    return PlaceIndex(entries, mappings)


def test_transliteration_variants_share_a_key() -> None:
    assert place_key("Baniyas") == place_key("Banias") == place_key("Banyas")
    assert place_key("al-Qardahah") == place_key("Qardaha") == place_key("Kardaha")
    assert place_key("Nahiyat Markaz Baniyas") == place_key("Baniyas")
    assert place_key("ناحية مركز بانياس") == place_key("بانياس")
    assert place_key("الحفّة") == place_key("حفة")


def test_split_keeps_the_place_and_its_admin_context() -> None:
    split = split_place_string("al-Qabu, Hama countryside")
    assert split.primary == "al-Qabu" and split.context == ("Hama",) and split.countryside
    split = split_place_string("القبو، ريف حماة")
    assert split.primary == "القبو" and split.context == ("حماة",)
    split = split_place_string("ريف حماة")
    assert split.primary == "" and split.context == ("حماة",)


def test_latin_and_arabic_strings_resolve_to_the_most_specific_place() -> None:
    index = _index()
    for text in ("Banias", "Baniyas", "بانياس", "Banyas city"):
        match = index.match(text)
        assert match.place_id == 3, text
        assert 0.6 <= match.confidence <= 1.0


def test_admin_context_decides_between_homonyms() -> None:
    index = _index()
    assert index.match("al-Qabu").method == "ambiguous"
    assert index.match("al-Qabu").place_id is None
    assert index.match("al-Qabu, Hama countryside").place_id == 5
    assert index.match("القبو، ريف حمص").place_id == 7
    assert index.match("al-Qabu", context=["Homs"]).place_id == 7


def test_countryside_alone_resolves_to_the_area_with_less_confidence() -> None:
    match = _index().match("ريف حماة")
    assert match.place_id == 4 and match.method == "admin" and match.confidence < 0.9


def test_typos_resolve_fuzzily_with_lower_confidence() -> None:
    match = _index().match("Ain al-Khayyal")
    assert match.place_id == 8
    match = _index().match("Ain al-Khyal")
    assert match.place_id == 8 and match.method in ("fuzzy", "shared-key")
    assert match.confidence < 0.9
    assert _index().match("Ayn al-Khayyaal").place_id == 8


def test_arabic_string_finds_a_place_known_only_in_latin_letters() -> None:
    index = PlaceIndex([GazetteerEntry(1, "village", None, (("Tell Wahmi", "primary"),))])
    match = index.match("تل وهمي")
    assert match.place_id == 1 and match.method == "shared-key"


def test_unknown_strings_stay_unresolved() -> None:
    match = _index().match("Nowhere-on-Sea")
    assert match.place_id is None and match.method == "none"


def test_manual_mapping_wins() -> None:
    index = _index({mapping_key("al-Qabu"): 7})
    match = index.match("Al Qabu")
    assert match.place_id == 7 and match.method == "manual" and match.confidence == 1.0


@given(st.text(max_size=40))
def test_keys_and_matching_never_fail(text: str) -> None:
    keys_for(text)
    split_place_string(text)
    _index().match(text)


def test_a_neighbourhood_is_told_apart_from_its_town() -> None:
    split = split_place_string("حي القصور - بانياس")
    assert split.neighbourhood and split.primary == "حي القصور" and split.context == ("بانياس",)
    assert split_place_string("Hay al-Qusour").neighbourhood
    assert not split_place_string("Baniyas").neighbourhood
