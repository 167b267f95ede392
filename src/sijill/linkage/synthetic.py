"""Synthetic casualty lists with ground truth, for tests, benchmarks and the demo (SYNTHETIC).

`generate_lists` invents people in invented villages — families whose brothers and cousins share
father's, grandfather's and family names — and writes what several lists would have recorded of
them: in Arabic script or in one of several Latin transliterations, with typos, missing name
parts, ages off by a few years, a neighbouring village now and then, within-list duplicates,
uneven coverage across lists and villages, unidentified rows and aggregate rows. Every row carries
a note saying it is synthetic. Rows follow FORMATS.md §1.

`generate_case` makes a realistic case instead (issue 16): people in the demo gazetteer's invented
villages, with dates of birth, husbands and kunyas, written by five sources with their own habits
(`synthetic_sources`: name shapes, damaged PDF text, final ى/ي, placeholders, places at several
grains, a re-release) under unequal, heterogeneous and dependent capture; it records which
phenomena each record shows.

Held-out seeds: realistic cases with a seed of `HELD_OUT_SEEDS` (1000) or more are for evaluation
only. Never look at them (lists, scores by phenomenon, errors) while tuning linkage or estimation;
tune on seeds below 1000 and report the held-out ones apart (`benchmarks/linkage_synthetic.py`).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from sijill.linkage.lexicon import (
    COMPOUND_GIVEN,
    DISTRICTS,
    FAMILY,
    FEMALE_GIVEN,
    GOVERNORATE,
    MALE_GIVEN,
    MORE_FAMILY,
    SYNTHETIC_NOTE,
    UNKNOWN_NAMES,
    VILLAGE_HEADS,
    VILLAGE_TAILS,
    Spelled,
)
from sijill.linkage.synthetic_places import Locality, localities, neighbourhood_of
from sijill.linkage.synthetic_sources import SOURCES, rerelease, write_record
from sijill.linkage.synthetic_text import arabic_noise, latin_noise

Row = dict[str, str]
Truth = dict[tuple[str, str], str]

COLUMNS = (
    "record_id",
    "full_name",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "nickname",
    "sex",
    "age",
    "birth_year",
    "date_of_birth",
    "date_of_death",
    "place_of_death",
    "district",
    "governorate",
    "count",
    "notes",
)

DEFAULT_COVERAGE = (0.6, 0.5, 0.4, 0.3, 0.2, 0.45, 0.25, 0.35)
REALISTIC_COVERAGE = (0.45, 0.35, 0.3, 0.25, 0.15)
HELD_OUT_SEEDS = 1000  # realistic cases with seed >= 1000 are never looked at while tuning
FIRST_DAY = date(2025, 3, 7)  # incident days of the synthetic scenario
REFERENCE_YEAR = 2025


@dataclass(frozen=True)
class ListStyle:
    """How one list writes its rows."""

    arabic: bool
    scheme: int  # transliteration scheme for Latin lists
    split_parts: bool
    grandfather_rate: float
    birth_year: bool  # birth year instead of age
    sex_rate: float
    month_only_rate: float
    with_district: bool


STYLES = (
    ListStyle(True, 0, False, 0.5, False, 0.9, 0.0, True),
    ListStyle(False, 0, True, 0.0, False, 1.0, 0.0, False),
    ListStyle(True, 0, True, 0.7, True, 0.6, 0.0, False),
    ListStyle(False, 1, False, 0.2, False, 0.0, 0.5, True),
    ListStyle(False, 2, False, 0.3, False, 0.8, 0.0, False),
)


@dataclass(frozen=True)
class Village:
    name: Spelled
    district: Spelled
    families: tuple[Spelled, ...]
    day: date


@dataclass(frozen=True)
class TruePerson:
    key: str
    given: Spelled
    father: Spelled
    grandfather: Spelled
    family: Spelled
    nickname: Spelled | None
    sex: str
    age: int
    village: int
    day: date
    # realistic cases only (generate_case)
    great_grandfather: Spelled | None = None
    dob: date | None = None
    spouse: Spelled | None = None  # a wife's husband's given name
    kunya: Spelled | None = None  # a woman's `أم محمد`
    neighbourhood: Spelled | None = None  # of a town resident
    visibility: float = 1.0  # how likely every list is to record this person


def _zipf_weights(n: int, exponent: float = 0.9) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, n + 1)]


_MALE_W = _zipf_weights(len(MALE_GIVEN))
_FEMALE_W = _zipf_weights(len(FEMALE_GIVEN))
_DIRECTIONS = (
    Spelled("", ("",)),
    Spelled("الشرقية", ("al-Sharqiya", "ech-Charqiyé", "al-Sharqiyya")),
    Spelled("الغربية", ("al-Gharbiya", "el-Gharbiyé", "al-Gharbiyya")),
    Spelled("الفوقا", ("al-Fawqa", "el-Fouqa", "al-Fauqa")),
    Spelled("التحتا", ("al-Tahta", "et-Tahta", "al-Tahta")),
)


def _villages(rng: random.Random, n: int) -> list[Village]:
    names = [
        Spelled(
            f"{h.arabic} {t.arabic}" + (f" {d.arabic}" if d.arabic else ""),
            tuple(
                f"{h.in_scheme(s)} {t.in_scheme(s)}" + (f" {d.in_scheme(s)}" if d.arabic else "")
                for s in range(3)
            ),
        )
        for d in _DIRECTIONS
        for h in VILLAGE_HEADS
        for t in VILLAGE_TAILS
    ]
    base = names[: len(VILLAGE_HEADS) * len(VILLAGE_TAILS)]
    rng.shuffle(base)
    names = base + names[len(base) :]
    villages = []
    for i in range(n):
        name = names[i % len(names)]
        if i >= len(names):  # past the invented names: number them
            k = i // len(names) + 1
            name = Spelled(f"{name.arabic} {k}", tuple(f"{s} {k}" for s in name.latin))
        villages.append(
            Village(
                name=name,
                district=DISTRICTS[i * len(DISTRICTS) // n],
                families=tuple(rng.sample(FAMILY, rng.randint(3, 7))),
                day=FIRST_DAY + timedelta(days=rng.choice((0, 0, 1, 1, 2))),
            )
        )
    return villages


def _people(rng: random.Random, n_people: int, villages: list[Village]) -> list[TruePerson]:
    """Clans: a grandfather's sons and grandchildren, so namesake cousins and brothers occur."""
    people: list[TruePerson] = []

    def male() -> Spelled:
        return rng.choices(MALE_GIVEN, _MALE_W)[0]

    while len(people) < n_people:
        v = rng.randrange(len(villages))
        village = villages[v]
        family = rng.choice(village.families)
        grandfather, great = male(), male()
        fathers: set[str] = set()  # the grandfather's sons: brothers differ by name
        for _ in range(rng.randint(1, 4)):
            father = male()
            while father.arabic in fathers:
                father = male()
            fathers.add(father.arabic)
            father_age = rng.randint(40, 82)
            if rng.random() < 0.35:
                people.append(
                    _person(
                        rng,
                        len(people),
                        father,
                        grandfather,
                        great,
                        family,
                        "M",
                        father_age,
                        v,
                        village,
                        male,
                    )
                )
            siblings: set[str] = set()
            for _ in range(rng.randint(0, 5)):
                sex = "M" if rng.random() < 0.8 else "F"
                given = grandfather if sex == "M" and rng.random() < 0.25 else None
                while given is None or given.arabic in siblings:  # brothers differ by name
                    given = male() if sex == "M" else rng.choices(FEMALE_GIVEN, _FEMALE_W)[0]
                siblings.add(given.arabic)
                age = max(0, father_age - rng.randint(18, 42))
                people.append(
                    _person(
                        rng,
                        len(people),
                        given,
                        father,
                        grandfather,
                        family,
                        sex,
                        age,
                        v,
                        village,
                        male,
                        great,
                    )
                )
    return people[:n_people]


def _person(rng, index, given, father, grandfather, family, sex, age, v, village, male, great=None):  # type: ignore[no-untyped-def]
    nickname = None
    if sex == "M" and age >= 25 and rng.random() < 0.12:
        son = male()
        nickname = Spelled(f"أبو {son.arabic}", tuple(f"Abu {s}" for s in son.latin))
    day = village.day
    if rng.random() < 0.15:
        day = day + timedelta(days=rng.choice((-1, 1)))
    return TruePerson(
        key=f"P{index + 1:07d}",
        given=given,
        father=father,
        grandfather=grandfather,
        family=family,
        nickname=nickname,
        sex=sex,
        age=age,
        village=v,
        day=day,
        great_grandfather=great,
    )


def _spell(rng: random.Random, name: Spelled, style: ListStyle, typo_rate: float) -> str:
    if style.arabic:
        return arabic_noise(rng, name.arabic, typo_rate)
    scheme = style.scheme if rng.random() < 0.75 else rng.randrange(3)
    return latin_noise(rng, name.in_scheme(scheme), typo_rate)


def _record(
    rng: random.Random,
    person: TruePerson,
    villages: list[Village],
    style: ListStyle,
    typo_rate: float,
) -> Row:
    parts = {
        "given_name": _spell(rng, person.given, style, typo_rate),
        "father_name": "" if rng.random() < 0.04 else _spell(rng, person.father, style, typo_rate),
        "grandfather_name": _spell(rng, person.grandfather, style, typo_rate)
        if rng.random() < style.grandfather_rate
        else "",
        "family_name": "" if rng.random() < 0.05 else _spell(rng, person.family, style, typo_rate),
    }
    row: Row = dict.fromkeys(COLUMNS, "")
    if style.split_parts:
        row.update(parts)
    else:
        row["full_name"] = " ".join(p for p in parts.values() if p)
    if person.nickname is not None and rng.random() < 0.5:
        row["nickname"] = _spell(rng, person.nickname, style, 0.0)
    if rng.random() < style.sex_rate:
        row["sex"] = {"M": "ذكر", "F": "أنثى"}[person.sex] if style.arabic else person.sex
    age = person.age + rng.choices((0, 1, -1, 2, -2, 3, -3), (60, 10, 10, 6, 6, 4, 4))[0]
    if rng.random() < 0.85:
        if style.birth_year:
            row["birth_year"] = str(REFERENCE_YEAR - max(0, age))
        else:
            row["age"] = str(max(0, age))
    if rng.random() < 0.92:
        day = person.day + timedelta(days=1 if rng.random() < 0.05 else 0)
        row["date_of_death"] = (
            day.strftime("%Y-%m") if rng.random() < style.month_only_rate else (day.isoformat())
        )
    v = person.village
    if rng.random() < 0.06:
        v = min(len(villages) - 1, max(0, v + rng.choice((-1, 1))))
    if rng.random() < 0.95:
        row["place_of_death"] = _place(villages[v].name, style.arabic, style.scheme)
    if style.with_district:
        row["district"] = _place(villages[v].district, style.arabic, style.scheme)
        row["governorate"] = _place(GOVERNORATE, style.arabic, style.scheme)
    row["notes"] = SYNTHETIC_NOTE
    return row


def _place(name: Spelled, arabic: bool, scheme: int) -> str:
    return name.arabic if arabic else name.in_scheme(scheme)


def _unidentified(
    rng: random.Random, villages: list[Village], arabic: bool, scheme: int, n: int
) -> Row:
    village = rng.choice(villages)
    row: Row = dict.fromkeys(COLUMNS, "")
    row["full_name"] = rng.choice(UNKNOWN_NAMES[:2] if arabic else UNKNOWN_NAMES[2:])
    row["place_of_death"] = _place(village.name, arabic, scheme)
    row["date_of_death"] = village.day.isoformat()
    row["notes"] = SYNTHETIC_NOTE
    if n > 1:
        row["full_name"] = ""
        row["count"] = str(n)
        row["notes"] = f"{SYNTHETIC_NOTE}; {n} bodies, names not known"
    return row


def generate_lists(
    n_people: int,
    n_lists: int,
    seed: int,
    *,
    coverage: tuple[float, ...] = DEFAULT_COVERAGE,
    typo_rate: float = 0.05,
    duplicate_rate: float = 0.02,
    unidentified_rate: float = 0.01,
    aggregates_per_list: int = 1,
    people_per_village: int = 40,
) -> tuple[dict[str, list[Row]], Truth]:
    """Invent `n_people` victims and the `n_lists` lists that recorded them.

    Returns the lists (name -> rows, FORMATS.md §1 columns, all strings) and the truth:
    (list name, record_id) -> person key, for every named record. Unidentified and aggregate
    rows are not in the truth. The same arguments always give the same lists.
    """
    rng = random.Random(seed)
    villages = _villages(rng, max(5, n_people // people_per_village))
    people = _people(rng, n_people, villages)
    names = [f"synthetic-{chr(ord('a') + i)}" for i in range(n_lists)]
    # Uneven coverage: each list is stronger in some villages than in others.
    strength = [[rng.uniform(0.4, 1.6) for _ in villages] for _ in names]
    lists: dict[str, list[Row]] = {}
    truth: Truth = {}
    for li, list_name in enumerate(names):
        style = STYLES[li % len(STYLES)]
        base = coverage[li % len(coverage)]
        drafted: list[tuple[Row, str | None]] = []
        for person in people:
            if rng.random() >= min(0.97, base * strength[li][person.village]):
                continue
            drafted.append((_record(rng, person, villages, style, typo_rate), person.key))
            if rng.random() < duplicate_rate:
                drafted.append((_record(rng, person, villages, style, typo_rate), person.key))
        for _ in range(round(len(drafted) * unidentified_rate)):
            drafted.append((_unidentified(rng, villages, style.arabic, style.scheme, 1), None))
        for _ in range(aggregates_per_list):
            n = rng.randint(3, 15)
            drafted.append((_unidentified(rng, villages, style.arabic, style.scheme, n), None))
        lists[list_name] = _numbered(
            rng, li, list_name, [(r, k, ()) for r, k in drafted], truth, {}
        )
    return lists, truth


def _numbered(
    rng: random.Random,
    li: int,
    list_name: str,
    drafted: list[tuple[Row, str | None, tuple[str, ...]]],
    truth: Truth,
    phenomena: dict[tuple[str, str], tuple[str, ...]],
) -> list[Row]:
    """Shuffle a list's rows, give them record ids, note each named row's person and tags."""
    rng.shuffle(drafted)
    rows = []
    for n, (row, key, tags) in enumerate(drafted, start=1):
        row["record_id"] = f"{chr(ord('A') + li)}{n:06d}"
        rows.append(row)
        if key is not None:
            truth[(list_name, row["record_id"])] = key
            phenomena[(list_name, row["record_id"])] = tags
    return rows


@dataclass(frozen=True)
class SyntheticCase:
    """A realistic case: the lists, the truth, and the phenomena each named record shows."""

    people: tuple[TruePerson, ...]  # every victim, recorded or not; the true total is its size
    lists: dict[str, list[Row]]
    truth: Truth
    phenomena: dict[tuple[str, str], tuple[str, ...]]  # (list, record_id) -> tags

    @property
    def n_people(self) -> int:
        return len(self.people)


def _decorate(rng: random.Random, person: TruePerson, locality: Locality) -> TruePerson:
    """What a realistic case knows beyond the plain one: date of birth, husband, kunya,
    neighbourhood, visibility."""
    dob = person.day - timedelta(days=round(person.age * 365.25) + rng.randrange(365))
    spouse = kunya = None
    if person.sex == "F" and person.age >= 18 and rng.random() < 0.7:
        spouse = rng.choices(MALE_GIVEN, _MALE_W)[0]
        # The husband's family name was drawn but never written; the draw stays so that every
        # seed still gives the case measured in benchmarks/RESULTS.md.
        rng.choice(FAMILY)
    if person.sex == "F" and person.age >= 25 and rng.random() < 0.4:
        son = rng.choices(MALE_GIVEN, _MALE_W)[0]
        kunya = Spelled(f"أم {son.arabic}", tuple(f"Umm {s}" for s in son.latin))
    return replace(
        person,
        dob=dob,
        spouse=spouse,
        kunya=kunya,
        neighbourhood=neighbourhood_of(rng, locality),
        visibility=1.5 if rng.random() < 0.4 else 0.65,
    )


def _compound_given(rng: random.Random, people: list[TruePerson]) -> list[TruePerson]:
    """Some men carry a compound given name (`عبد الكريم`, `نصر الدين`); brothers still
    differ by name."""
    taken = {
        (p.given.arabic, p.father.arabic, p.grandfather.arabic, p.family.arabic) for p in people
    }
    out = []
    for p in people:
        if p.sex == "M" and rng.random() < 0.08:
            given = rng.choice(COMPOUND_GIVEN)
            key = (given.arabic, p.father.arabic, p.grandfather.arabic, p.family.arabic)
            if key not in taken:
                taken.add(key)
                p = replace(p, given=given)
        out.append(p)
    return out


def generate_case(
    seed: int,
    n_people: int = 1500,
    n_lists: int = 5,
    *,
    coverage: tuple[float, ...] = REALISTIC_COVERAGE,
    typo_rate: float = 0.03,
    duplicate_rate: float = 0.02,
    unidentified_rate: float = 0.01,
    aggregates_per_list: int = 1,
) -> SyntheticCase:
    """Invent `n_people` victims in the demo gazetteer's villages and the lists of the five
    realistic sources (`synthetic_sources.SOURCES`, in turn) that recorded them.

    Capture is unequal across lists, uneven across villages, heterogeneous across people (a
    visible and a hidden group) and dependent where a list re-releases another. Seeds from
    `HELD_OUT_SEEDS` up are held out: never look at them while tuning.
    """
    rng = random.Random(seed)
    places = localities()
    villages = [
        Village(
            name=loc.village,
            district=loc.district,
            families=tuple(rng.sample(FAMILY + MORE_FAMILY, rng.randint(4, 8))),
            day=FIRST_DAY + timedelta(days=rng.choice((0, 0, 1, 1, 2))),
        )
        for loc in places
    ]
    people = [
        _decorate(rng, p, places[p.village])
        for p in _compound_given(rng, _people(rng, n_people, villages))
    ]
    names = [f"synthetic-{chr(ord('a') + i)}" for i in range(n_lists)]
    strength = [[rng.uniform(0.4, 1.6) for _ in villages] for _ in names]
    lists: dict[str, list[Row]] = {}
    truth: Truth = {}
    phenomena: dict[tuple[str, str], tuple[str, ...]] = {}
    written: list[dict[str, dict[str, str]]] = []  # per list: person key -> first record
    for li, list_name in enumerate(names):
        style = SOURCES[li % len(SOURCES)]
        base = coverage[li % len(coverage)]
        shared_dob = date(rng.randint(1975, 1995), rng.randint(1, 12), rng.randint(1, 28))
        earlier = written[style.draws_on] if style.draws_on is not None else {}
        firsts: dict[str, dict[str, str]] = {}
        drafted: list[tuple[Row, str | None, tuple[str, ...]]] = []
        for person in people:
            locality = places[person.village]
            if person.key in earlier and rng.random() < style.draw_rate:
                columns, tags = rerelease(rng, earlier[person.key], person, locality, style)
            elif rng.random() < min(0.95, base * strength[li][person.village] * person.visibility):
                columns, tags = write_record(rng, person, locality, style, shared_dob, typo_rate)
            else:
                continue
            firsts[person.key] = columns
            drafted.append((_row(columns), person.key, tuple(tags)))
            if rng.random() < duplicate_rate:
                columns, tags = write_record(rng, person, locality, style, shared_dob, typo_rate)
                drafted.append((_row(columns), person.key, (*tags, "duplicate")))
        written.append(firsts)
        for _ in range(round(len(drafted) * unidentified_rate)):
            drafted.append((_unidentified(rng, villages, style.arabic, style.scheme, 1), None, ()))
        for _ in range(aggregates_per_list):
            n = rng.randint(3, 15)
            row = _unidentified(rng, villages, style.arabic, style.scheme, n)
            drafted.append((row, None, ()))
        lists[list_name] = _numbered(rng, li, list_name, drafted, truth, phenomena)
    return SyntheticCase(tuple(people), lists, truth, phenomena)


def _row(columns: dict[str, str]) -> Row:
    row: Row = dict.fromkeys(COLUMNS, "")
    row.update(columns)
    row["notes"] = SYNTHETIC_NOTE
    return row


def write_lists_csv(lists: dict[str, list[Row]], truth: Truth, folder: Path) -> dict[str, Path]:
    """Write each list to `folder/<name>.csv` and the truth to `folder/truth.csv`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, rows in lists.items():
        path = folder / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
        paths[name] = path
    with (folder / "truth.csv").open("w", newline="", encoding="utf-8") as handle:
        truth_writer = csv.writer(handle)
        truth_writer.writerow(["list", "record_id", "person_key"])
        for (list_name, record_id), key in sorted(truth.items()):
            truth_writer.writerow([list_name, record_id, key])
    return paths
