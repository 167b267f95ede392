"""Translations (Arabic, English) and reader-friendly numbers and dates.

Each capability keeps its own gettext catalogue per language,
``sijill/web/locale/<lang>/LC_MESSAGES/<capability>.po``; the msgid of each message is its key,
namespaced ``<capability>.<name>``. A message that counts something has plural forms, chosen by
its value ``n`` with the language's CLDR plural rule as Babel gives it (Arabic has six forms:
zero, one, two, few for 3–10, many for 11–99, other). On first use the catalogues of a language
are merged and compiled with Babel into one ``.mo`` in memory (nothing is written or fetched).
A missing Arabic string falls back to English, then to the key.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("en", "ar")
RTL_LANGUAGES = frozenset({"ar"})
LOCALE_DIR = Path(__file__).parent / "locale"

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    # Levantine (Syrian) month names, as readers in Syria write them.
    "ar": [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ],
}


@cache
def catalogue(lang: str) -> Catalog:
    """Every capability's catalogue for ``lang``, merged."""
    merged = Catalog(locale=lang, fuzzy=False)
    for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id:
                    merged[message.id] = message
    return merged


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """``lang``'s strings compiled to a ``.mo``, over English's (a string missing in both reads
    as its key)."""
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(lang))
    compiled.seek(0)
    found = gettext.GNUTranslations(compiled)
    if lang != "en":
        found.add_fallback(translations("en"))
    return found


@cache
def plural_keys() -> frozenset[str]:
    """The keys of the messages that have plural forms (as the English catalogue has them)."""
    return frozenset(m.id[0] for m in catalogue("en") if m.pluralizable)


@dataclass(frozen=True)
class Locale:
    """How one reader wants to read: language and digits (``latin`` or ``arabic``)."""

    lang: str = "en"
    digits: str = "latin"

    @property
    def direction(self) -> str:
        return "rtl" if self.lang in RTL_LANGUAGES else "ltr"

    def t(self, key: str, **values: Any) -> str:
        """The string for ``key`` in this language, with ``{name}`` placeholders filled; its
        plural form for the count ``n`` if it has plural forms and ``n`` is given."""
        strings = translations(self.lang)
        count = values.get("n")
        if key in plural_keys() and isinstance(count, int):
            text = strings.ngettext(key, key, count)
        else:
            text = strings.gettext(key)
        if values:
            text = text.format(**{k: self._show(v) for k, v in values.items()})
        return self.digits_of(text) if values else text

    def _show(self, value: Any) -> str:
        return self.num(value) if isinstance(value, int) else str(value)

    def digits_of(self, text: str) -> str:
        """Rewrite Western digits as Arabic-Indic ones when the reader asked for them."""
        return text.translate(_ARABIC_INDIC) if self.digits == "arabic" else text

    def num(self, value: int | float | None) -> str:
        """A number with thousands separators in the reader's digits."""
        if value is None:
            return "—"
        text = f"{value:,}"
        if self.digits == "arabic":
            text = text.replace(",", "\u066c").replace(".", "\u066b").translate(_ARABIC_INDIC)
        return text

    def date(self, value: str | date | datetime | None, *, with_time: bool = False) -> str:
        """An ISO date (possibly partial: ``2025``, ``2025-03``) or a datetime, for reading."""
        if value is None or value == "":
            return "—"
        if isinstance(value, datetime):
            text = self._full_date(value.year, value.month, value.day)
            if with_time:
                text += f" {value:%H:%M}"
            return self.digits_of(text)
        if isinstance(value, date):
            return self.digits_of(self._full_date(value.year, value.month, value.day))
        parts = str(value).split("-")
        try:
            numbers = [int(p) for p in parts]
        except ValueError:
            return str(value)
        if len(numbers) == 1:
            text = str(numbers[0])
        elif len(numbers) == 2 and 1 <= numbers[1] <= 12:
            text = f"{_MONTHS[self.lang][numbers[1] - 1]} {numbers[0]}"
        elif len(numbers) == 3 and 1 <= numbers[1] <= 12:
            text = self._full_date(*numbers)
        else:
            text = str(value)
        return self.digits_of(text)

    def _full_date(self, year: int, month: int, day: int) -> str:
        return f"{day} {_MONTHS[self.lang][month - 1]} {year}"


def pick_language(cookie: str | None, accept_language: str | None, default: str = "en") -> str:
    """The reader's language: their saved choice, else the browser's, else ``default`` (the
    case's default language; English unless set)."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return default
