"""Translations: gettext catalogues with CLDR plural rules (Babel), Arabic pages right to left."""

from __future__ import annotations

from typing import Any

import pytest

from sijill.web.i18n import LANGUAGES, Locale, catalogue, plural_keys

ARABIC_FORMS = {  # CLDR: zero, one, two, few (3-10), many (11-99), other (100, 101, 102, ...)
    0: "لا حوادث",
    1: "حادثة واحدة",
    2: "حادثتان",
    3: "3 حوادث",
    11: "11 حادثةً",
    100: "100 حادثة",
}


@pytest.mark.parametrize("n", sorted(ARABIC_FORMS))
def test_arabic_counts_read_in_their_plural_form(n: int) -> None:
    assert Locale("ar").t("incidents.n_shown", n=n) == ARABIC_FORMS[n]


def test_plural_rules_follow_cldr_beyond_the_first_hundred() -> None:
    arabic = Locale("ar", digits="arabic")
    assert arabic.t("incidents.n_shown", n=103) == "١٠٣ حوادث"  # few: n % 100 in 3..10
    assert arabic.t("incidents.n_shown", n=111) == "١١١ حادثةً"  # many: n % 100 in 11..99
    assert Locale("en").t("incidents.n_shown", n=1) == "1 incident"
    assert Locale("en").t("incidents.n_shown", n=0) == "0 incidents"


def test_every_string_is_in_both_languages_with_every_plural_form() -> None:
    keys = {
        lang: {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(lang) if m.id}
        for lang in LANGUAGES
    }
    assert keys["ar"] == keys["en"]
    assert plural_keys()
    for key in plural_keys():
        forms = {lang: catalogue(lang)[key].string for lang in LANGUAGES}
        assert len(forms["en"]) == 2 and len(forms["ar"]) == 6, key
        assert all(forms["ar"]) and len(set(forms["ar"])) == 6, key


def test_missing_strings_fall_back_to_english_then_the_key() -> None:
    assert Locale("ar").t("core.login") == "تسجيل الدخول"
    assert Locale("ar").t("core.no_such_string") == "core.no_such_string"
    assert Locale("ar", digits="arabic").t("evidence.distance", n=5) == "مسافة ٥ من ٢٥٦ بت"


def test_an_import_reads_in_arabic_right_to_left(login: Any) -> None:
    client = login("investigator")
    client.get("/lang/ar?next=/")
    client.get("/digits/arabic?next=/")
    rows = "".join(f"ar{i},Fictional Plural-Person {i},F\n" for i in range(3))
    done = client.post(
        "/import",
        files={"file": ("arabic-three.csv", f"record_id,full_name,sex\n{rows}".encode())},
        data={"source": "Arabic plural list", "csrf_token": client.csrf, "access": "public"},
    )
    assert done.status_code == 200, done.text
    assert '<html lang="ar" dir="rtl">' in done.text
    assert "استُوردت ٣ سجلات في المصدر «Arabic plural list»." in done.text


def test_no_string_is_empty_so_no_page_shows_a_raw_key() -> None:
    # An empty msgstr reads as its key (the review page once showed `linkage.verdict.info`).
    for lang in LANGUAGES:
        for message in catalogue(lang):
            if message.id:
                forms = message.string if isinstance(message.string, tuple) else (message.string,)
                assert all(forms), (lang, message.id)
