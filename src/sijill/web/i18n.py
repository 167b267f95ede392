"""Translations (Arabic, English) and reader-friendly numbers and dates.

Each capability keeps its own catalog, ``sijill/web/i18n/<capability>.json``, shaped
``{"en": {"key": "text"}, "ar": {"key": "نص"}}``; keys are namespaced ``<capability>.<name>``.
All catalogs are merged at start. A missing Arabic string falls back to English, then to the key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "ar")
RTL_LANGUAGES = frozenset({"ar"})
CATALOG_DIR = Path(__file__).parent / "i18n"

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


@lru_cache(maxsize=1)
def catalogs() -> dict[str, dict[str, str]]:
    """Every capability's strings merged per language."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for path in sorted(CATALOG_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for lang in LANGUAGES:
            merged[lang].update(data.get(lang, {}))
    return merged


@dataclass(frozen=True)
class Locale:
    """How one reader wants to read: language and digits (``latin`` or ``arabic``)."""

    lang: str = "en"
    digits: str = "latin"

    @property
    def direction(self) -> str:
        return "rtl" if self.lang in RTL_LANGUAGES else "ltr"

    def t(self, key: str, **values: Any) -> str:
        """The string for ``key`` in this language, with ``{name}`` placeholders filled."""
        table = catalogs()
        text = table.get(self.lang, {}).get(key) or table["en"].get(key) or key
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


def pick_language(cookie: str | None, accept_language: str | None) -> str:
    """The reader's language: their saved choice, else the browser's, else English."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"
