"""Parsing of single cell values as casualty lists write them (FORMATS.md §1).

Every parser is pure: it takes the text as written and returns the normalized value, or raises
:class:`ValueProblem` with a message a user can act on. Empty text means "not given" (None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sijill.dates import DIGITS, BadDate, Span, parse_span


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


EARLIEST_YEAR = 1880  # a year of birth or death before it is a placeholder or a typing error

#: The kinds of quality flag an import gives a value it read in an unusual way or left empty;
#: each says what was done (the cell itself is always kept as written, in ``raw``).
FLAG_KINDS = {
    "unreadable": "could not be read; left empty (or at its default)",
    "age_fraction": "a fraction of a year; read as years and months",
    "age_is_birth_year": "a year in the age column; read as the year of birth",
    "implausible_date": f"a year before {EARLIEST_YEAR} (a placeholder such as 01/01/1000); "
    "left empty",
    "future_date": "after the day of the import; left empty",
    "birth_after_death": "after the date of death; left empty",
}


@dataclass(frozen=True)
class Flag:
    """How one value was read in an unusual way, or why it was left empty."""

    kind: str  # a key of FLAG_KINDS
    message: str


@dataclass(frozen=True)
class AgeRange:
    low: int | None
    high: int | None
    months: int | None = None  # the age in months, when written finer than a year
    birth_year: int | None = None  # a year of birth written in the age column
    flag: Flag | None = None


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
    r"(?a)^(?:~|about|approx\.?|حوالي|نحو)?\s*(\d{1,4}(?:[.,٫]\d+)?)\s*"
    r"(?:y|yr|yrs|years?|years old|سنة|سنه|عام|عاما|عامًا|سنوات)?$"
)
_AGE_MONTHS = re.compile(r"(?a)^(\d{1,3})\s*(?:m|mo|months?|أشهر|اشهر|شهر|شهرا)$")
_AGE_RANGE = re.compile(r"(?a)^(\d{1,3})\s*(?:-|–|to|الى|إلى|~)\s*(\d{1,3})$")
MAX_AGE = 120


def parse_age(text: str | None, *, this_year: int | None = None) -> AgeRange:
    """Years as a number, a range (`30-40`), months (`6 months`), or a word (`child`, `طفل`).

    A fraction of a year (`0.33`, `1.5`) is read as years and months; a four-digit number that
    is a plausible year of birth (`1991`) as the year of birth; both with a flag saying so.
    """
    value = clean(text).lower()
    if not value:
        return AgeRange(None, None)
    if value in _AGE_WORDS:
        return _AGE_WORDS[value]
    if match := _AGE_NUMBER.match(value):
        number = float(match.group(1).replace(",", ".").replace("٫", "."))
        if number.is_integer() and number > MAX_AGE:
            return _year_in_age(text, int(number), this_year or date.today().year)
        if number > MAX_AGE:
            raise ValueProblem(f"age {text!r} is above {MAX_AGE}")
        if number.is_integer():
            return AgeRange(int(number), int(number))
        months = round(number * 12)
        years = months // 12
        return AgeRange(
            years,
            years,
            months,
            flag=Flag(
                "age_fraction",
                f"age {text!r} is a fraction of a year: read as {years} year(s) "
                f"{months % 12} month(s)",
            ),
        )
    if match := _AGE_MONTHS.match(value):
        months = int(match.group(1))
        if months > MAX_AGE * 12:
            raise ValueProblem(f"age {text!r} is above {MAX_AGE} years")
        return AgeRange(months // 12, months // 12, months)
    if match := _AGE_RANGE.match(value):
        low, high = int(match.group(1)), int(match.group(2))
        if low > high or high > MAX_AGE:
            raise ValueProblem(
                f"age range {text!r} is not a range from low to high up to {MAX_AGE}"
            )
        return AgeRange(low, high)
    raise ValueProblem(
        f"age {text!r} is not a number of years, a range like 30-40, months like 6 months, "
        "or a word like child"
    )


def _year_in_age(text: str | None, year: int, this_year: int) -> AgeRange:
    if EARLIEST_YEAR <= year <= this_year:
        return AgeRange(
            None,
            None,
            birth_year=year,
            flag=Flag("age_is_birth_year", f"age {text!r} is a year: read as the year of birth"),
        )
    raise ValueProblem(
        f"age {text!r} is above {MAX_AGE} and not a year of birth "
        f"between {EARLIEST_YEAR} and {this_year}"
    )


def date_flag(written: str, span: Span, *, today: date) -> Flag | None:
    """The flag of a date of birth or death no record can have; None when plausible."""
    if span.first.year < EARLIEST_YEAR:
        return Flag(
            "implausible_date",
            f"date {written!r}: year {span.first.year} is before {EARLIEST_YEAR}",
        )
    if span.first > today:
        return Flag("future_date", f"date {written!r} is after {today.isoformat()}")
    return None


def parse_fuzzy_date(text: str | None) -> Span | None:
    """A date in the shared grammar (:mod:`sijill.dates`): partial ISO or day first."""
    try:
        return parse_span(text)
    except BadDate as exc:
        raise ValueProblem(f"date {exc}") from exc


def parse_birth_year(text: str | None, *, this_year: int | None = None) -> int | None:
    value = clean(text)
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{4}", value):
        raise ValueProblem(f"birth year {text!r} is not four digits")
    year = int(value)
    ceiling = this_year or date.today().year
    if not EARLIEST_YEAR <= year <= ceiling:
        raise ValueProblem(f"birth year {year} is not between {EARLIEST_YEAR} and {ceiling}")
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
