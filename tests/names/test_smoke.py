"""First checks of the public name-key interface."""

from sijill.names.keys import is_placeholder, name_key


def test_arabic_and_latin_spellings_share_a_key() -> None:
    assert name_key("محمد بن علي الحموي") == name_key("Mohamed ibn Ali al-Hamawi")


def test_mohammad_and_mahmoud_differ() -> None:
    assert name_key("محمد") != name_key("محمود")
    assert name_key("Mahmoud") == name_key("محمود")


def test_placeholders_have_no_key() -> None:
    assert is_placeholder("مجهول الهوية")
    assert name_key("unknown") == ""
