"""The five sources of a realistic synthetic case, and how each writes a record (SYNTHETIC).

Each source has its own habits, at stated rates (the fields of :class:`SourceStyle`): its name
shape (Arabic given + father + family, with the grandfather in four- and five-word names;
two-word given + family; Latin `FAMILY Given`, `Family, Given` or `Given Family` with several
romanisations), damaged PDF text, final `ى`/`ي`, relational names (`زوجة X`, `son of X`),
`أم محمد`, nicknames in brackets, which date of birth it has (full, partial or only an age) and
its placeholders (1 January, one date shared by dozens of records, age 20 as a default), and how
it writes places (:mod:`sijill.linkage.synthetic_places`). One source re-releases another: it
copies that list's records with ages recomputed (±1) and names respelled.

Writers return the columns they fill and tags naming each phenomenon used, so tests can check
the rates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sijill.linkage.lexicon import Spelled
from sijill.linkage.synthetic_places import Locality, PlaceStyle, write_place
from sijill.linkage.synthetic_text import (
    arabic_noise,
    ends_in_ya,
    has_compound,
    latin_noise,
    pdf_damage,
    respace_compound,
    romanised,
    swap_final_ya,
)

if TYPE_CHECKING:
    from sijill.linkage.synthetic import TruePerson

Columns = dict[str, str]


@dataclass(frozen=True)
class SourceStyle:
    """One source's habits; every `*_rate` is the share of its records (or of the eligible
    ones) that show the phenomenon."""

    arabic: bool
    scheme: int  # its usual transliteration (Latin lists)
    shape: str  # "arabic-full" | "arabic-two" | "family-first" | "comma-or-given-first"
    dates: str  # "full" | "partial" | "age"
    place: PlaceStyle
    pdf_rate: float = 0.0
    ya_swap_rate: float = 0.0  # of names with a word ending in ى or ي
    compound_rate: float = 0.0  # of names with a compound (`نصر الدين`)
    relational_rate: float = 0.0  # of wives with a known husband and of children under 15
    kunya_rate: float = 0.0  # of women with a kunya (`أم محمد`)
    bracket_rate: float = 0.0  # of men with a nickname: written in brackets after the name
    dob_rate: float = 0.0  # records with a date of birth (full or partial)
    jan1_rate: float = 0.0  # of dates of birth: 1 January of the year
    shared_dob_rate: float = 0.0  # of dates of birth: the source's one shared date
    default_age_rate: float = 0.0  # records whose age is the default 20
    sex_rate: float = 0.9
    month_only_rate: float = 0.0  # dates of death as YYYY-MM
    draws_on: int | None = None  # index of the list this one re-releases
    draw_rate: float = 0.0  # of that list's people: copied into this one


SOURCES = (
    SourceStyle(  # a: Arabic PDF, three to five words, full dates of birth
        arabic=True,
        scheme=0,
        shape="arabic-full",
        dates="full",
        place=PlaceStyle(0.05, 0.1, 0.5, 0.0, 0.5, True),
        pdf_rate=0.12,
        ya_swap_rate=0.2,
        compound_rate=0.3,
        relational_rate=0.3,
        kunya_rate=0.3,
        bracket_rate=0.5,
        dob_rate=0.7,
        jan1_rate=0.12,
        shared_dob_rate=0.08,
    ),
    SourceStyle(  # b: Latin spreadsheet, FAMILY Given Father, ages with a default
        arabic=False,
        scheme=0,
        shape="family-first",
        dates="age",
        place=PlaceStyle(0.0, 0.35, 0.3, 0.0, 0.3, False),
        relational_rate=0.3,
        default_age_rate=0.04,
        sex_rate=1.0,
    ),
    SourceStyle(  # c: Arabic, given + family, partial dates of birth, countryside
        arabic=True,
        scheme=0,
        shape="arabic-two",
        dates="partial",
        place=PlaceStyle(0.2, 0.0, 0.2, 0.05, 0.0, False),
        ya_swap_rate=0.6,
        compound_rate=0.5,
        kunya_rate=0.5,
        dob_rate=0.6,
        sex_rate=0.6,
    ),
    SourceStyle(  # d: Latin, French-style, `Family, Given` or `Given Family`, one shared date
        arabic=False,
        scheme=1,
        shape="comma-or-given-first",
        dates="full",
        place=PlaceStyle(0.1, 0.1, 0.3, 0.1, 0.6, True),
        relational_rate=0.2,
        bracket_rate=0.3,
        dob_rate=0.6,
        jan1_rate=0.05,
        shared_dob_rate=0.14,
        sex_rate=0.7,
        month_only_rate=0.4,
    ),
    SourceStyle(  # e: Arabic re-release of a, ages recomputed, names respelled
        arabic=True,
        scheme=0,
        shape="arabic-full",
        dates="age",
        place=PlaceStyle(0.1, 0.05, 0.4, 0.0, 0.2, False),
        pdf_rate=0.08,
        ya_swap_rate=0.3,
        compound_rate=0.3,
        relational_rate=0.2,
        bracket_rate=0.3,
        draws_on=0,
        draw_rate=0.5,
    ),
)


def _spell(rng: random.Random, name: Spelled, style: SourceStyle, typo_rate: float) -> str:
    if style.arabic:
        return arabic_noise(rng, name.arabic, typo_rate)
    return latin_noise(rng, romanised(rng, name, style.scheme), typo_rate)


def _relational(
    rng: random.Random, person: TruePerson, style: SourceStyle, typo_rate: float
) -> tuple[str, str] | None:
    """`زوجة X` / `wife of X` for a wife, `ابن X` / `son of X` for a child; else None."""
    if person.spouse is not None and person.sex == "F" and person.age >= 18:
        kin, whom = ("زوجة", "wife of"), person.spouse
    elif person.age < 15:
        if person.sex == "M":
            kin = ("ابن", "son of")
        else:
            kin = ("ابنة", "daughter of")
        whom = person.father
    else:
        return None
    if rng.random() >= style.relational_rate:
        return None
    words = [_spell(rng, whom, style, typo_rate), _spell(rng, person.family, style, typo_rate)]
    if style.arabic:
        return f"{kin[0]} {' '.join(words)}", "relational"
    return f"{kin[1]} {' '.join(words)}", "relational"


def _shape(
    rng: random.Random, person: TruePerson, style: SourceStyle, typo_rate: float
) -> tuple[str, str]:
    """The name in the source's own shape; returns it and the shape tag."""

    def s(name: Spelled) -> str:
        return _spell(rng, name, style, typo_rate)

    if style.arabic and person.kunya is not None and rng.random() < style.kunya_rate:
        return f"{person.kunya.arabic} {s(person.family)}", "kunya"
    g, f, fam = s(person.given), s(person.father), s(person.family)
    if style.shape == "arabic-full":
        draw = rng.random()
        if draw < 0.1:
            return f"{g} {fam}", "name_two_words"
        if draw < 0.2 and person.great_grandfather is not None:
            gg = s(person.great_grandfather)
            return f"{g} {f} {s(person.grandfather)} {gg} {fam}", "name_five_words"
        if draw < 0.4:
            return f"{g} {f} {s(person.grandfather)} {fam}", "name_four_words"
        return f"{g} {f} {fam}", "name_three_words"
    if style.shape == "arabic-two":
        if rng.random() < 0.85:
            return f"{g} {fam}", "name_two_words"
        return f"{g} {f} {fam}", "name_three_words"
    if style.shape == "family-first":
        if rng.random() < 0.7:
            return f"{fam.upper()} {g} {f}", "name_family_first"
        return f"{fam.upper()} {g}", "name_family_first"
    if rng.random() < 0.6:  # comma-or-given-first
        return f"{fam}, {g} {f}", "name_comma"
    if rng.random() < 0.5:
        return f"{g} {fam}", "name_given_family"
    return f"{g} {f} {fam}", "name_three_words"


def damage_name(rng: random.Random, text: str, style: SourceStyle, tags: list[str]) -> str:
    """PDF damage, final ى/ي and compound spacing at the source's rates (Arabic only)."""
    if not style.arabic:
        return text
    if rng.random() < style.pdf_rate:
        text, tag = pdf_damage(rng, text)
        if tag:
            tags.append(tag)
    if ends_in_ya(text) and rng.random() < style.ya_swap_rate:
        text = swap_final_ya(text)
        tags.append("ya_swap")
    if has_compound(text) and rng.random() < style.compound_rate:
        text = respace_compound(text)
        tags.append("compound_respaced")
    return text


def write_name(
    rng: random.Random, person: TruePerson, style: SourceStyle, typo_rate: float
) -> tuple[Columns, list[str]]:
    """The name columns of one record, and the phenomena used."""
    tags: list[str] = []
    relational = _relational(rng, person, style, typo_rate)
    if relational is not None:
        text, tag = relational
    else:
        text, tag = _shape(rng, person, style, typo_rate)
    tags.append(tag)
    text = damage_name(rng, text, style, tags)
    if person.nickname is not None and rng.random() < style.bracket_rate:
        text = f"{text} ({_spell(rng, person.nickname, style, 0.0)})"
        tags.append("nickname_brackets")
    return {"full_name": text}, tags


def _noisy_age(rng: random.Random, age: int) -> int:
    return max(0, age + rng.choices((0, 1, -1, 2, -2), (70, 12, 12, 3, 3))[0])


def write_dates(
    rng: random.Random, person: TruePerson, style: SourceStyle, shared_dob: date
) -> tuple[Columns, list[str]]:
    """Date of birth and/or age as the source has them, with its placeholders."""
    assert person.dob is not None
    if style.dates != "age" and rng.random() < style.dob_rate:
        if style.dates == "partial":
            if rng.random() < 0.6:
                return {"date_of_birth": str(person.dob.year)}, ["dob_partial"]
            return {"date_of_birth": person.dob.strftime("%Y-%m")}, ["dob_partial"]
        draw = rng.random()
        if draw < style.jan1_rate:
            return {"date_of_birth": f"{person.dob.year}-01-01"}, ["dob_jan1"]
        if draw < style.jan1_rate + style.shared_dob_rate:
            return {"date_of_birth": shared_dob.isoformat()}, ["dob_shared"]
        return {"date_of_birth": person.dob.isoformat()}, ["dob_full"]
    if rng.random() < style.default_age_rate:
        return {"age": "20"}, ["age_default"]
    if rng.random() < 0.9:
        return {"age": str(_noisy_age(rng, person.age))}, []
    return {}, []


def _places(
    rng: random.Random, person: TruePerson, locality: Locality, style: SourceStyle
) -> tuple[Columns, list[str]]:
    return write_place(rng, locality, person.neighbourhood, style.place, style.arabic, style.scheme)


def write_record(
    rng: random.Random,
    person: TruePerson,
    locality: Locality,
    style: SourceStyle,
    shared_dob: date,
    typo_rate: float,
) -> tuple[Columns, list[str]]:
    """Every column one source writes for one person, and the phenomena used."""
    columns, tags = write_name(rng, person, style, typo_rate)
    dates, date_tags = write_dates(rng, person, style, shared_dob)
    places, place_tags = _places(rng, person, locality, style)
    columns.update(dates)
    columns.update(places)
    if rng.random() < style.sex_rate:
        if style.arabic:
            columns["sex"] = {"M": "ذكر", "F": "أنثى"}[person.sex]
        else:
            columns["sex"] = (
                person.sex if rng.random() < 0.7 else {"M": "male", "F": "female"}[person.sex]
            )
    if rng.random() < 0.92:
        day = person.day + timedelta(days=1 if rng.random() < 0.05 else 0)
        columns["date_of_death"] = (
            day.strftime("%Y-%m") if rng.random() < style.month_only_rate else day.isoformat()
        )
    return columns, tags + date_tags + place_tags


def rerelease(
    rng: random.Random,
    earlier: Columns,
    person: TruePerson,
    locality: Locality,
    style: SourceStyle,
) -> tuple[Columns, list[str]]:
    """A later list's copy of an earlier record: age recomputed (±1), name respelled."""
    tags = ["rerelease"]
    name = earlier.get("full_name", "")
    respelled = damage_name(rng, arabic_noise(rng, name, 0.0), style, tags)
    columns: Columns = {"full_name": respelled}
    age = earlier.get("age")
    if not age and earlier.get("date_of_birth") and person.dob is not None:
        age = str(person.age)
    if age:
        shift = rng.choices((0, 1, -1), (40, 45, 15))[0]
        columns["age"] = str(max(0, int(age) + shift))
        if shift:
            tags.append("age_recomputed")
    for key in ("sex", "date_of_death"):
        if earlier.get(key):
            columns[key] = earlier[key]
    places, place_tags = _places(rng, person, locality, style)
    columns.update(places)
    return columns, tags + place_tags
