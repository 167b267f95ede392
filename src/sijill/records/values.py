"""Parsing of single cell values as casualty lists write them (FORMATS.md §1).

Every parser is pure: it takes the text as written and returns the normalized value, or raises
:class:`ValueProblem` with a message a user can act on. Empty text means "not given" (None).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


class ValueProblem(ValueError):
    """A cell's text cannot be read as the column requires."""


def clean(text: str | None) -> str:
    """Trim, fold Arabic-Indic and Persian digits to ASCII; '' for None."""
    if text is None:
        return ""
    return text.translate(DIGITS).strip()


_SEX = {
    "m": "M",
    "male": "M",
    "man": "M",
    "boy": "M",
    "ذكر": "M",
    "رجل": "M",
    "طفل ذكر": "M",
    "f": "F",
    "female": "F",
    "woman": "F",
    "girl": "F",
    "أنثى": "F",
    "انثى": "F",
    "انثي": "F",
    "أنثي": "F",
    "امرأة": "F",
    "امراة": "F",
    "طفلة": "F",
    "u": None,
    "unknown": None,
    "غير معروف": None,
}


def parse_sex(text: str | None) -> str | None:
    value = clean(text).lower()
    if not value:
        return None
    if value in _SEX:
        return _SEX[value]
    raise ValueProblem(f"sex {text!r} is not one of M, F, male, female, ذكر, أنثى")


@dataclass(frozen=True)
class AgeRange:
    low: int | None
    high: int | None


_AGE_WORDS: dict[str, AgeRange] = {
    "infant": AgeRange(0, 1),
    "baby": AgeRange(0, 1),
    "رضيع": AgeRange(0, 1),
    "رضيعة": AgeRange(0, 1),
    "child": AgeRange(0, 17),
    "minor": AgeRange(0, 17),
    "طفل": AgeRange(0, 17),
    "طفلة": AgeRange(0, 17),
    "قاصر": AgeRange(0, 17),
    "kid": AgeRange(0, 17),
    "teen": AgeRange(13, 19),
    "teenager": AgeRange(13, 19),
    "مراهق": AgeRange(13, 19),
    "youth": AgeRange(15, 29),
    "young": AgeRange(15, 29),
    "شاب": AgeRange(15, 29),
    "شابة": AgeRange(15, 29),
    "adult": AgeRange(18, None),
    "بالغ": AgeRange(18, None),
    "بالغة": AgeRange(18, None),
    "elderly": AgeRange(65, None),
    "old": AgeRange(65, None),
    "مسن": AgeRange(65, None),
    "مسنة": AgeRange(65, None),
    "عجوز": AgeRange(65, None),
    "كهل": AgeRange(40, 64),
}
_AGE_NUMBER = re.compile(
    r"(?a)^(?:~|about|approx\.?|حوالي|نحو)?\s*(\d{1,3})\s*"
    r"(?:y|yr|yrs|years?|years old|سنة|سنه|عام|عاما|عامًا|سنوات)?$"
)
_AGE_MONTHS = re.compile(r"(?a)^(\d{1,2})\s*(?:m|mo|months?|أشهر|اشهر|شهر|شهرا)$")
_AGE_RANGE = re.compile(r"(?a)^(\d{1,3})\s*(?:-|–|to|الى|إلى|~)\s*(\d{1,3})$")
MAX_AGE = 120


def parse_age(text: str | None) -> AgeRange:
    """Years as a number, a range (`30-40`), months (`6 months`), or a word (`child`, `طفل`)."""
    value = clean(text).lower()
    if not value:
        return AgeRange(None, None)
    if value in _AGE_WORDS:
        return _AGE_WORDS[value]
    if match := _AGE_NUMBER.match(value):
        years = int(match.group(1))
        if years > MAX_AGE:
            raise ValueProblem(f"age {text!r} is above {MAX_AGE}")
        return AgeRange(years, years)
    if _AGE_MONTHS.match(value):
        return AgeRange(0, 0)
    if match := _AGE_RANGE.match(value):
        low, high = int(match.group(1)), int(match.group(2))
        if low > high or high > MAX_AGE:
            raise ValueProblem(
                f"age range {text!r} is not a range from low to high up to {MAX_AGE}"
            )
        return AgeRange(low, high)
    raise ValueProblem(f"age {text!r} is not a number, a range like 30-40, or a word like child")


@dataclass(frozen=True)
class FuzzyDate:
    """A date with its precision; it stands for its whole span."""

    text: str  # normalized ISO text: YYYY, YYYY-MM or YYYY-MM-DD
    start: date
    end: date


_DATE = re.compile(r"(?a)^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")


def parse_fuzzy_date(text: str | None) -> FuzzyDate | None:
    """ISO 8601, possibly partial (`2025`, `2025-03`, `2025-03-08`; `/` or `.` also accepted)."""
    value = clean(text)
    if not value:
        return None
    if "T" in value and _DATE.match(value.split("T", 1)[0]):
        value = value.split("T", 1)[0]  # a spreadsheet's datetime at midnight
    match = _DATE.match(value)
    if not match:
        raise ValueProblem(f"date {text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(match.group(1))
    if not 1800 <= year <= 2200:
        raise ValueProblem(f"date {text!r}: year {year} is out of range")
    if match.group(2) is None:
        return FuzzyDate(f"{year:04d}", date(year, 1, 1), date(year, 12, 31))
    month = int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueProblem(f"date {text!r}: month {month} does not exist")
    last = calendar.monthrange(year, month)[1]
    if match.group(3) is None:
        return FuzzyDate(f"{year:04d}-{month:02d}", date(year, month, 1), date(year, month, last))
    day = int(match.group(3))
    if not 1 <= day <= last:
        raise ValueProblem(f"date {text!r}: day {day} does not exist in {year:04d}-{month:02d}")
    exact = date(year, month, day)
    return FuzzyDate(exact.isoformat(), exact, exact)


def parse_birth_year(text: str | None, *, this_year: int | None = None) -> int | None:
    value = clean(text)
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{4}", value):
        raise ValueProblem(f"birth year {text!r} is not four digits")
    year = int(value)
    ceiling = this_year or date.today().year
    if not 1880 <= year <= ceiling:
        raise ValueProblem(f"birth year {year} is not between 1880 and {ceiling}")
    return year


def parse_count(text: str | None) -> int:
    value = clean(text)
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise ValueProblem(f"count {text!r} is not a whole number of at least 1")
    return int(value)


_STATUS = {
    "killed": "killed",
    "dead": "killed",
    "died": "killed",
    "قتيل": "killed",
    "قتيلة": "killed",
    "مقتول": "killed",
    "متوفى": "killed",
    "شهيد": "killed",
    "شهيدة": "killed",
    "missing": "missing",
    "مفقود": "missing",
    "مفقودة": "missing",
    "disappeared": "missing",
    "مختفي": "missing",
    "مختفى": "missing",
    "detained": "detained",
    "معتقل": "detained",
    "معتقلة": "detained",
    "محتجز": "detained",
    "injured": "injured",
    "wounded": "injured",
    "مصاب": "injured",
    "مصابة": "injured",
    "جريح": "injured",
    "جريحة": "injured",
}


def parse_status(text: str | None) -> str:
    value = clean(text).lower()
    if not value:
        return "killed"
    if value in _STATUS:
        return _STATUS[value]
    raise ValueProblem(f"status {text!r} is not one of killed, missing, detained, injured")


_CIVILIAN = {
    "civilian": "civilian",
    "مدني": "civilian",
    "مدنية": "civilian",
    "combatant": "combatant",
    "fighter": "combatant",
    "مقاتل": "combatant",
    "مسلح": "combatant",
    "security_forces": "security_forces",
    "security forces": "security_forces",
    "security": "security_forces",
    "قوات الأمن": "security_forces",
    "عسكري": "security_forces",
    "unknown": "unknown",
    "غير معروف": "unknown",
}


def parse_civilian_status(text: str | None) -> str:
    value = clean(text).lower()
    if not value:
        return "unknown"
    if value in _CIVILIAN:
        return _CIVILIAN[value]
    raise ValueProblem(
        f"civilian_status {text!r} is not one of civilian, combatant, security_forces, unknown"
    )
